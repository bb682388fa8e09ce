"""The public verification page and the logged-in downloads: what is shown, to whom."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.documents import services, uploads
from zhifa.documents.tests.samples import PENALTY, sample_content
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(agency):
    return services.document_issue(
        actor=None,
        agency=agency,
        kind="penalty_decision",
        content=sample_content(**PENALTY),
        subject_ref="case:7",
        subject_label="测监案〔2026〕7号",
    )


def pdf_bytes(document) -> bytes:
    with document.pdf.open("rb") as stored:
        return stored.read()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestVerificationPage:
    def test_shows_the_record_without_party_data_or_content(self, document):
        response = Client().get(reverse("verify:detail", args=[document.verification_code]))
        assert response.status_code == 200
        page = response.content.decode()
        for shown in (
            "行政处罚决定书",
            document.number,
            document.agency.name,
            document.sha256,
            "zhifa 测试执法机关",
            "已签发",
        ):
            assert shown in page
        for hidden in ("测试某某建筑有限公司", "91990121MA00000001", "张某", "拖欠", "测监案〔2026〕7号"):
            assert hidden not in page

    def test_the_lookup_form_redirects_to_the_canonical_code(self, document):
        typed = document.verification_code.lower()
        response = Client().get(reverse("verify:lookup"), {"code": f" {typed[:5]}-{typed[5:]} "})
        assert response.status_code == 302
        assert response["Location"] == reverse("verify:detail", args=[document.verification_code])

    def test_a_malformed_code_is_a_form_error(self, db):
        response = Client().get(reverse("verify:lookup"), {"code": "123"})
        assert response.status_code == 400
        assert "核验码应为 10 位" in response.content.decode()

    def test_an_unknown_code_is_404_with_advice(self, db):
        response = Client().get(reverse("verify:detail", args=["ZZZZZZZZZZ"]))
        assert response.status_code == 404
        assert "没有找到核验码为" in response.content.decode()

    def test_a_reserved_number_is_not_verifiable(self, agency):
        reserved = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        assert Client().get(reverse("verify:detail", args=[reserved.verification_code])).status_code == 404

    def test_uploading_the_issued_pdf_matches(self, document):
        upload = SimpleUploadedFile("决定书.pdf", pdf_bytes(document), content_type="application/pdf")
        response = Client().post(
            reverse("verify:detail", args=[document.verification_code]), {"file": upload}
        )
        assert response.status_code == 200
        assert "一致：上传文件的 SHA-256 与签发记录相同" in response.content.decode()

    def test_uploading_an_altered_pdf_does_not_match(self, document):
        altered = pdf_bytes(document) + b"\n%altered"
        upload = SimpleUploadedFile("决定书.pdf", altered, content_type="application/pdf")
        response = Client().post(
            reverse("verify:detail", args=[document.verification_code]), {"file": upload}
        )
        page = response.content.decode()
        assert "不一致" in page
        assert hashlib.sha256(altered).hexdigest() in page

    def test_an_oversized_upload_is_refused(self, document, monkeypatch):
        monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
        upload = SimpleUploadedFile("big.pdf", b"x" * 11, content_type="application/pdf")
        response = Client().post(
            reverse("verify:detail", args=[document.verification_code]), {"file": upload}
        )
        assert response.status_code == 400
        assert "文件超过" in response.content.decode()

    def test_the_upload_form_is_csrf_protected(self, document):
        client = Client(enforce_csrf_checks=True)
        url = reverse("verify:detail", args=[document.verification_code])
        upload = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
        assert client.post(url, {"file": upload}).status_code == 403
        page = client.get(url)
        token = page.cookies["csrftoken"].value
        upload = SimpleUploadedFile("a.pdf", b"%PDF", content_type="application/pdf")
        assert client.post(url, {"file": upload, "csrfmiddlewaretoken": token}).status_code == 200


class TestDownloads:
    @pytest.mark.parametrize("name", ["documents:pdf", "documents:docx"])
    def test_anonymous_users_are_sent_to_login(self, document, name):
        response = Client().get(reverse(name, args=[document.pk]))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]

    @pytest.mark.parametrize("name", ["documents:pdf", "documents:docx"])
    def test_another_agency_gets_404(self, document, name):
        outsider = make_user(Role.HEAD, agency=AgencyFactory())
        assert client_for(outsider).get(reverse(name, args=[document.pk])).status_code == 404

    def test_the_agency_and_its_supervisor_download(self, document):
        officer = make_user(Role.OFFICER, agency=document.agency)
        response = client_for(officer).get(reverse("documents:pdf", args=[document.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf_bytes(document)
        bureau = AgencyFactory(region=document.agency.region, is_justice_bureau=True)
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        response = client_for(supervisor).get(reverse("documents:docx", args=[document.pk]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]

    def test_a_reserved_document_has_nothing_to_download(self, agency):
        reserved = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
        officer = make_user(Role.OFFICER, agency=agency)
        assert client_for(officer).get(reverse("documents:pdf", args=[reserved.pk])).status_code == 404


class TestSelectors:
    def test_lists_only_readable_documents(self, document):
        from zhifa.documents.selectors import document_list_visible_to

        own = make_user(Role.OFFICER, agency=document.agency)
        outsider = make_user(Role.OFFICER, agency=AgencyFactory())
        assert list(document_list_visible_to(user=own, subject_ref="case:7")) == [document]
        assert list(document_list_visible_to(user=own, kind="prior_notice")) == []
        assert list(document_list_visible_to(user=outsider)) == []
