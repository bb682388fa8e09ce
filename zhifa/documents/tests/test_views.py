"""The public verification page and the logged-in downloads: what is shown, to whom."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.core.models import AccessAction, AccessLog, AccessPurpose
from zhifa.documents import services, uploads
from zhifa.documents.tests.samples import PENALTY, sample_content
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(agency):
    return _signed(
        actor=None,
        agency=agency,
        kind="penalty_decision",
        content=sample_content(**PENALTY),
        subject_ref="case:7",
        subject_label="测监案〔2026〕7号",
    )


def _signed(**kwargs):
    """Issued and signed, as the worker signs it right after the commit."""
    return services.document_signed(services.document_issue(**kwargs))


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
        assert not AccessLog.objects.exists()

    def test_the_agency_and_its_supervisor_download(self, document):
        officer = make_user(Role.OFFICER, agency=document.agency)
        response = client_for(officer).get(reverse("documents:pdf", args=[document.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf_bytes(document)
        bureau = AgencyFactory(region=document.agency.region, is_justice_bureau=True)
        supervisor = client_for(make_user(Role.SUPERVISOR, agency=bureau))
        supervisor.post(reverse("documents:purpose", args=[document.pk]), {"purpose": "supervision"})
        response = supervisor.get(reverse("documents:docx", args=[document.pk]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]

    @pytest.mark.parametrize(("name", "label"), [("documents:pdf", "PDF"), ("documents:docx", "DOCX")])
    def test_each_download_is_one_access_log_row(self, document, name, label):
        officer = make_user(Role.OFFICER, agency=document.agency)
        response = client_for(officer).get(reverse(name, args=[document.pk]), HTTP_USER_AGENT="pytest")
        assert response.status_code == 200 and b"".join(response.streaming_content)
        (log,) = AccessLog.objects.all()
        assert (log.action, log.ref, log.purpose) == (
            AccessAction.DOWNLOAD,
            f"documents.document:{document.pk}",
            AccessPurpose.HANDLING,
        )
        assert (log.case_ref, log.case_number, log.agency_id) == (
            "case:7",
            "测监案〔2026〕7号",
            document.agency_id,
        )
        assert log.label.endswith(label) and log.user_agent == "pytest"

    @pytest.mark.parametrize("name", ["documents:pdf", "documents:docx"])
    def test_a_download_before_the_worker_signed_it_signs_it_first(self, agency, name):
        # Issued and numbered, its signing task not yet run (the worker seconds behind).
        document = services.document_issue(
            actor=None,
            agency=agency,
            kind="penalty_decision",
            content=sample_content(**PENALTY),
            subject_ref="case:8",
            subject_label="测监案〔2026〕8号",
        )
        assert document.rendered_at is None
        officer = make_user(Role.OFFICER, agency=agency)
        response = client_for(officer).get(reverse(name, args=[document.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content)
        document.refresh_from_db()
        assert document.rendered_at is not None and AccessLog.objects.count() == 1

    @pytest.mark.parametrize("name", ["documents:pdf", "documents:docx"])
    def test_a_supervisor_is_asked_the_purpose_before_the_file(self, document, name):
        bureau = AgencyFactory(region=document.agency.region, is_justice_bureau=True)
        client = client_for(make_user(Role.SUPERVISOR, agency=bureau))
        url = reverse(name, args=[document.pk])
        asked = client.get(url)
        page = asked.content.decode()
        assert asked.status_code == 200 and "Content-Disposition" not in asked
        assert "调阅目的" in page and "测监案〔2026〕7号" in page
        assert f'action="{reverse("documents:purpose", args=[document.pk])}"' in page
        assert not AccessLog.objects.exists()
        stated = client.post(
            reverse("documents:purpose", args=[document.pk]),
            {"purpose": "evaluation", "note": "案卷评查", "next": url},
        )
        assert stated.status_code == 302 and stated["Location"] == url
        assert client.get(url).status_code == 200
        log = AccessLog.objects.get()
        assert (log.purpose, log.purpose_note, log.action) == (
            AccessPurpose.EVALUATION,
            "案卷评查",
            AccessAction.DOWNLOAD,
        )

    def test_a_document_of_no_case_is_its_own_purpose_scope(self, agency):
        document = services.document_issue(
            actor=None,
            agency=agency,
            kind="penalty_decision",
            content=sample_content(**PENALTY),
            subject_ref="inspection:3",
            subject_label="双随机抽查 3",
        )
        bureau = AgencyFactory(region=agency.region, is_justice_bureau=True)
        client = client_for(make_user(Role.SUPERVISOR, agency=bureau))
        client.post(reverse("documents:purpose", args=[document.pk]), {"purpose": "other", "note": "抽查"})
        assert client.get(reverse("documents:pdf", args=[document.pk])).status_code == 200
        assert client.get(reverse("documents:docx", args=[document.pk])).status_code == 200
        assert (
            list(AccessLog.objects.values_list("case_ref", "purpose", "purpose_note"))
            == [("", AccessPurpose.OTHER, "抽查")] * 2
        )
        # The purpose was stated for this document, not for every document of the session.
        other = services.document_issue(
            actor=None,
            agency=agency,
            kind="penalty_decision",
            content=sample_content(**PENALTY),
            subject_ref="inspection:4",
            subject_label="双随机抽查 4",
        )
        assert "调阅目的" in client.get(reverse("documents:pdf", args=[other.pk])).content.decode()

    def test_the_purpose_endpoint_is_refused_to_others(self, document):
        data = {"purpose": "supervision"}
        url = reverse("documents:purpose", args=[document.pk])
        assert Client().post(url, data).status_code == 302  # to the login page
        outsider = make_user(Role.SUPERVISOR, agency=AgencyFactory(is_justice_bureau=True))
        assert client_for(outsider).post(url, data).status_code == 404
        assert client_for(outsider).get(reverse("documents:pdf", args=[document.pk])).status_code == 404
        assert not AccessLog.objects.exists()

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
