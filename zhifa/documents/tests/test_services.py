"""Issuing, reserving and voiding documents: numbers, files, signatures, guards."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import docx
import pytest
from django.conf import settings
from django.db import transaction
from docx.enum.text import WD_ALIGN_PARAGRAPH
from PIL import Image

from zhifa.accounts.models import Role
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.documents import services
from zhifa.documents.kinds import KINDS
from zhifa.documents.models import Document, DocumentStatus
from zhifa.documents.rendering import PREVIEW_NUMBER
from zhifa.documents.tests.samples import PENALTY, run_tool, sample_content
from zhifa.documents.verification import normalize_code
from zhifa.org.models import AgencyKind
from zhifa.org.services import agency_seal_set
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory, make_user
from zhifa.testing.signing import TEST_SIGNER, install_test_credential

pytestmark = pytest.mark.django_db

CASE_REF = "case:7"
CASE_LABEL = "测监案〔2026〕7号"


def year() -> int:
    return today().year


def issue(agency, kind="penalty_decision", *, actor=None, reserved=None, subject_ref=CASE_REF, **content):
    document = services.document_issue(
        actor=actor,
        agency=agency,
        kind=kind,
        content=sample_content(**(content or PENALTY)),
        subject_ref=subject_ref,
        subject_label=CASE_LABEL,
        reserved=reserved,
    )
    # Signed, as the worker signs it right after the commit.
    return document if document.status != "issued" else services.document_signed(document)


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class TestIssue:
    def test_numbers_renders_signs_and_stores(self, agency):
        document = issue(agency)
        assert document.number == f"测监罚〔{year()}〕1号"
        assert (document.status, document.year, document.sequence) == (DocumentStatus.ISSUED, year(), 1)
        assert document.title == "行政处罚决定书"
        assert (document.subject_ref, document.subject_label) == (CASE_REF, CASE_LABEL)
        assert normalize_code(document.verification_code) == document.verification_code
        assert document.pdf.name.startswith(f"documents/{agency.pk}/{year()}/")
        assert document.docx.name.startswith(f"documents/{agency.pk}/{year()}/")
        with document.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == document.sha256
        assert f"CN={TEST_SIGNER}" in document.signer_subject
        assert document.issued_at is not None and document.issued_by is None
        # The stored content is what was rendered, with the blocks documents fills itself.
        assert document.content["agency"]["name"] == agency.name
        assert document.content["issued_on"] == today().isoformat()
        assert document.content["fine_amount"] == "1234.50"

    def test_numbers_are_gap_free_per_kind(self, agency):
        numbers = [issue(agency).sequence, issue(agency).sequence, issue(agency, "prior_notice").sequence]
        assert numbers == [1, 2, 1]
        assert Document.objects.get(kind="prior_notice").number == f"测监告〔{year()}〕1号"

    def test_signed_pdf_is_valid_and_covers_the_whole_file(self, agency):
        document = issue(agency)
        output = run_tool("pdfsig", document.pdf.path)
        assert "Signature is Valid." in output
        assert "Total document signed" in output
        assert "SHA-256" in output
        assert TEST_SIGNER in output

    def test_the_seal_image_is_over_the_signature_and_the_whole_file_stays_signed(self, agency):
        generated = run_tool("pdfimages", "-list", issue(agency).pdf.path)
        assert re.search(r"\simage\s+600\s+600\s", generated)  # the generated round seal
        assert re.search(r"\ssmask\s+600\s+600\s", generated)  # with its transparency
        uploaded = io.BytesIO()
        Image.new("RGBA", (320, 320), (200, 0, 0, 0)).save(uploaded, format="PNG")
        head = make_user(Role.HEAD, agency=agency)
        agency = agency_seal_set(actor=head, agency=agency, png=uploaded.getvalue())
        document = issue(agency)
        assert re.search(r"\simage\s+320\s+320\s", run_tool("pdfimages", "-list", document.pdf.path))
        assert "Total document signed" in run_tool("pdfsig", document.pdf.path)

    def test_the_page_footer_keeps_page_and_count_on_one_line(self, agency):
        text = run_tool("pdftotext", "-layout", "-enc", "UTF-8", issue(agency).pdf.path, "-")
        assert re.search(r"第\s*1\s*页\s+共\s*\d+\s*页", text)

    def test_every_font_is_embedded(self, agency):
        output = run_tool("pdffonts", issue(agency).pdf.path)
        rows = [line for line in output.splitlines()[2:] if line.strip()]
        assert rows, output
        assert any("Noto-Serif-CJK-SC" in row for row in rows)
        for row in rows:
            match = re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row)
            assert match and match.group(1) == "yes", row

    def test_pdf_text_has_the_title_number_and_amount_in_words(self, agency):
        document = issue(agency)
        text = run_tool("pdftotext", "-enc", "UTF-8", document.pdf.path, "-")
        compact = "".join(text.split())
        assert "行政处罚决定书" in compact
        assert document.number in compact
        assert "壹仟贰佰叁拾肆元伍角" in compact
        assert document.verification_code in compact
        assert "https://zhifa.example.gov.cn/verify/" in compact

    def test_docx_has_the_title_number_and_party(self, agency):
        document = issue(agency)
        with document.docx.open("rb") as stored:
            word = docx.Document(io.BytesIO(stored.read()))
        text = "\n".join(p.text for p in word.paragraphs)
        assert "行政处罚决定书" in text
        assert document.number in text
        assert "当事人：测试某某建筑有限公司" in text
        footer = word.sections[0].footer.paragraphs[0]
        assert document.verification_code in footer.text and "/verify/" in footer.text
        assert footer._p.xpath(".//pic:pic")  # the QR code, as on the PDF
        signature = word.paragraphs[-2:]  # the 落款, right-aligned as on the PDF
        assert [p.text for p in signature] == [agency.name, "2026年4月1日"]
        assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature)

    def test_every_kind_can_be_issued_with_minimal_content(self, agency):
        for code in KINDS:
            document = services.document_issue(
                actor=None, agency=agency, kind=code, content={}, subject_ref="", subject_label=""
            )
            assert document.number == f"测监{KINDS[code].abbr}〔{year()}〕1号"
            assert services.document_signed(document).pdf  # every template renders and signs

    def test_without_a_signing_credential_nothing_is_written(self):
        agency = AgencyFactory()
        with unchanged_db(), pytest.raises(DomainError, match="尚未安装签章证书"):
            issue(agency)
        assert media_files() == []

    def test_an_officer_of_another_agency_is_refused(self, agency):
        outsider = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted, match="不能以该机关名义"):
            issue(agency, actor=outsider)
        assert media_files() == []

    def test_a_supervisor_who_can_read_the_agency_still_cannot_issue(self, agency):
        bureau = AgencyFactory(region=agency.region, is_justice_bureau=True)
        with pytest.raises(NotPermitted):
            issue(agency, actor=make_user(Role.SUPERVISOR, agency=bureau))

    def test_own_officer_and_sysadmin_may_issue(self, agency):
        officer = make_user(Role.OFFICER, agency=agency)
        assert issue(agency, actor=officer).issued_by == officer
        assert issue(agency, actor=make_user(Role.SYSADMIN)).sequence == 2

    def test_an_entrusted_organisation_issues_in_its_entrusters_name(self, agency):
        squad = AgencyFactory(kind=AgencyKind.ENTRUSTED, entrusted_by=agency)
        assert issue(agency, actor=make_user(Role.OFFICER, agency=squad)).agency == agency

    def test_an_inactive_agency_cannot_issue(self, agency):
        agency.is_active = False
        agency.save()
        with pytest.raises(DomainError, match="已不是有效的执法主体"):
            issue(agency)

    def test_unknown_kind_is_invalid_input(self, agency):
        with pytest.raises(InvalidInput, match="没有“decision”这种执法文书"):
            issue(agency, "decision")

    def test_content_that_is_not_json_is_refused_before_numbering(self, agency):
        with unchanged_db(), pytest.raises(InvalidInput, match="无法保存"):
            services.document_issue(
                actor=None,
                agency=agency,
                kind="penalty_decision",
                content={"facts": object()},
                subject_ref="",
                subject_label="",
            )

    def test_a_rollback_gives_the_number_back(self, agency):
        with pytest.raises(RuntimeError), transaction.atomic():
            assert issue(agency).sequence == 1
            raise RuntimeError("the caller's step failed")
        assert not Document.objects.exists()
        assert issue(agency).number == f"测监罚〔{year()}〕1号"

    def test_a_missing_key_file_is_reported(self, agency):
        (Path(settings.VAR_DIR) / agency.signing_credential.pkcs12_path).unlink()
        with pytest.raises(DomainError, match="找不到签章证书文件"):
            issue(agency)

    def test_the_number_follows_the_agency_pattern(self, agency):
        agency.document_abbr = ""
        agency.short_name = "测试局"
        agency.document_number_pattern = "{abbr}{kind}字〔{year}〕第{number}号"
        agency.save()
        assert issue(agency).number == f"测试局罚字〔{year()}〕第1号"


class TestPreview:
    def test_preview_has_no_number_and_no_verification(self, agency):
        html = services.document_preview_html(
            agency=agency, kind="penalty_decision", content=sample_content(**PENALTY)
        )
        assert PREVIEW_NUMBER in html
        assert "行政处罚决定书" in html and "测试某某建筑有限公司" in html
        assert "<svg" not in html and "核验码" not in html
        assert not Document.objects.exists()

    def test_content_is_escaped(self, agency):
        content = sample_content(**PENALTY)
        content["case"]["party"]["name"] = "<script>alert(1)</script>"
        html = services.document_preview_html(agency=agency, kind="penalty_decision", content=content)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


class TestReserved:
    def test_reserve_then_issue_keeps_the_number(self, agency):
        reserved = services.document_reserve(
            actor=None,
            agency=agency,
            kind="on_the_spot_decision",
            subject_ref=CASE_REF,
            subject_label=CASE_LABEL,
        )
        assert (reserved.status, reserved.number) == (DocumentStatus.RESERVED, f"测监当罚〔{year()}〕1号")
        assert not reserved.pdf and not reserved.sha256
        issued = issue(agency, "on_the_spot_decision", reserved=reserved, facts="占道经营", fine_amount="200")
        assert issued.pk == reserved.pk
        assert (issued.status, issued.number, issued.verification_code) == (
            DocumentStatus.ISSUED,
            reserved.number,
            reserved.verification_code,
        )
        assert issue(agency, "on_the_spot_decision", facts="占道经营").sequence == 2

    def test_a_voided_number_stays_accounted_for_and_is_not_reused(self, agency):
        first = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        voided = services.document_void(actor=None, document=first, reason="填写错误，表单作废")
        assert (voided.status, voided.void_reason) == (DocumentStatus.VOID, "填写错误，表单作废")
        second = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        assert second.sequence == 2
        assert list(Document.objects.order_by("sequence").values_list("sequence", "status")) == [
            (1, DocumentStatus.VOID),
            (2, DocumentStatus.RESERVED),
        ]
        with pytest.raises(DomainError, match="已作废"):
            issue(agency, "on_the_spot_decision", reserved=first)

    def test_issued_documents_are_immutable(self, agency):
        document = issue(agency)
        with unchanged_db(), pytest.raises(DomainError, match="已签发的文书不得更改"):
            issue(agency, reserved=document)
        with unchanged_db(), pytest.raises(DomainError, match="已签发，不得作废或者修改"):
            services.document_void(actor=None, document=document, reason="想改一下")

    def test_void_needs_a_reason(self, agency):
        reserved = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        with unchanged_db(), pytest.raises(InvalidInput, match="须写明原因"):
            services.document_void(actor=None, document=reserved, reason="  ")

    def test_reserved_number_belongs_to_its_kind_agency_and_subject(self, agency):
        reserved = services.document_reserve(
            actor=None,
            agency=agency,
            kind="on_the_spot_decision",
            subject_ref="case:1",
            subject_label="一号案",
        )
        with pytest.raises(DomainError, match="不能用于本文书"):
            issue(agency, "penalty_decision", reserved=reserved, subject_ref="case:1")
        with pytest.raises(DomainError, match="已预留给一号案"):
            issue(agency, "on_the_spot_decision", reserved=reserved, subject_ref="case:2")

    def test_a_blank_form_can_be_used_for_any_case(self, agency):
        blank = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        issued = issue(agency, "on_the_spot_decision", reserved=blank, subject_ref="case:9")
        assert (issued.subject_ref, issued.subject_label) == ("case:9", CASE_LABEL)

    def test_only_the_agencys_people_reserve_and_void(self, agency):
        outsider = make_user(Role.OFFICER)
        with pytest.raises(NotPermitted):
            services.document_reserve(actor=outsider, agency=agency, kind="on_the_spot_decision")
        reserved = services.document_reserve(
            actor=make_user(Role.OFFICER, agency=agency), agency=agency, kind="on_the_spot_decision"
        )
        with pytest.raises(NotPermitted):
            services.document_void(actor=outsider, document=reserved, reason="作废")


def test_a_second_agency_has_its_own_numbers(agency):
    other = AgencyFactory(document_abbr="他监")
    install_test_credential(other)
    issue(agency)
    assert issue(other).number == f"他监罚〔{year()}〕1号"
