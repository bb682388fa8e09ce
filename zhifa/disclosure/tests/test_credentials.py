"""事中公示: the credential check by signed QR token, the lookup, complaints and praise."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.disclosure import credentials, feedback
from zhifa.disclosure.models import Feedback, FeedbackKind
from zhifa.org.models import CertificateStatus
from zhifa.testing import password_login, unchanged_db
from zhifa.testing.factories import (
    TEST_PASSWORD,
    AnnualReviewFactory,
    CertificateFactory,
    OfficerFactory,
    make_user,
)

TODAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def certificate(world):
    officer = OfficerFactory(agency=world.agency, name="王执法")
    cert = CertificateFactory(officer=officer, number="ZF20250001", domains=[world.domain])
    AnnualReviewFactory(certificate=cert, year=2025, reviewed_on=dt.date(2025, 12, 1))
    return cert


def login(user) -> Client:
    client = Client()
    assert password_login(client, username=user.username, password=TEST_PASSWORD)
    return client


def test_token_round_trip_and_page_shows_the_certificate(certificate):
    token = credentials.credential_token(certificate)
    assert credentials.certificate_from_token(token) == certificate
    page = Client().get(credentials.credential_path(certificate))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "王执法",
        "ZF20250001",
        "测试市人力资源和社会保障局",
        "劳动保障监察",
        "有效",
        "2030-01-01",
    ):
        assert expected in text
    assert credentials.credential_url(certificate).endswith(credentials.credential_path(certificate))
    assert "<svg" in credentials.qr_svg(credentials.credential_url(certificate))


def test_altered_token_is_refused(certificate):
    token = credentials.credential_token(certificate)
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    page = Client().get(reverse("portal:credential", args=[altered]))
    assert page.status_code == 400
    assert "篡改" in page.content.decode()


def test_forged_token_signed_with_another_key_is_refused(certificate, settings):
    forged = signing.dumps(
        {"c": certificate.pk, "n": certificate.number}, key="not-our-secret", salt=credentials.SALT
    )
    page = Client().get(reverse("portal:credential", args=[forged]))
    assert page.status_code == 400
    assert "王执法" not in page.content.decode()


def test_token_for_another_number_is_refused(certificate):
    token = signing.dumps({"c": certificate.pk, "n": "ZF99999999"}, salt=credentials.SALT, compress=False)
    page = Client().get(reverse("portal:credential", args=[token]))
    assert page.status_code == 404
    assert "王执法" not in page.content.decode()


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"status": CertificateStatus.REVOKED}, "吊销"),
        ({"status": CertificateStatus.SUSPENDED}, "暂扣"),
        ({"valid_until": dt.date(2026, 1, 31)}, "已过期"),
    ],
)
def test_page_shows_a_certificate_that_may_not_act(certificate, change, shown):
    for key, value in change.items():
        setattr(certificate, key, value)
    certificate.save()
    page = Client().get(credentials.credential_path(certificate))
    assert page.status_code == 200
    text = page.content.decode()
    assert shown in text
    assert "不得从事行政执法活动" in text


def test_overdue_annual_review_shows_as_such(world):
    cert = CertificateFactory(officer=OfficerFactory(agency=world.agency), domains=[world.domain])
    text = Client().get(credentials.credential_path(cert)).content.decode()
    assert "年审逾期" in text


def test_lookup_by_number(certificate):
    client = Client()
    found = client.get(reverse("portal:credential_lookup"), {"number": "zf20250001"})
    assert found.status_code == 302
    assert found["Location"] == credentials.credential_path(certificate)
    missing = client.get(reverse("portal:credential_lookup"), {"number": "ZF404"})
    assert missing.status_code == 404
    assert "未找到" in missing.content.decode()
    assert client.get(reverse("portal:credential_lookup")).status_code == 200


# ── complaints and praise ───────────────────────────────────────────────────────────────────


def test_feedback_form_stores_a_complaint_and_never_shows_the_phone(certificate):
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:feedback", args=[credentials.credential_token(certificate)])
    form = client.get(url + "?kind=complaint")
    assert form.status_code == 200
    token = form.cookies["csrftoken"].value
    done = client.post(
        url,
        {
            "kind": "complaint",
            "content": "执法时态度粗暴，未出示证件。",
            "contact_name": "赵女士",
            "contact_phone": "13912345678",
            "csrfmiddlewaretoken": token,
        },
    )
    assert done.status_code == 302
    row = Feedback.objects.get()
    assert (row.agency, row.certificate, row.kind, row.contact_phone) == (
        certificate.officer.agency,
        certificate,
        FeedbackKind.COMPLAINT,
        "13912345678",
    )
    page = client.get(done["Location"]).content.decode()
    assert "13912345678" not in page and "态度粗暴" not in page


def test_feedback_post_without_csrf_is_refused(certificate):
    client = Client(enforce_csrf_checks=True)
    url = reverse("portal:feedback", args=[credentials.credential_token(certificate)])
    with unchanged_db():
        response = client.post(url, {"kind": "praise", "content": "耐心细致，依法办事。"})
    assert response.status_code == 403


def test_feedback_validation_refuses_and_stores_nothing(certificate):
    url = reverse("portal:feedback", args=[credentials.credential_token(certificate)])
    with unchanged_db():
        short = Client().post(url, {"kind": "praise", "content": "好"})
        no_phone = Client().post(url, {"kind": "complaint", "content": "执法时未出示证件。"})
    assert short.status_code == 400 and "不少于 5 个字" in short.content.decode()
    assert no_phone.status_code == 400 and "联系电话" in no_phone.content.decode()
    with unchanged_db(), pytest.raises(InvalidInput):
        feedback.feedback_submit(certificate=certificate, kind="bribe", content="内容内容内容")


def test_feedback_on_a_forged_token_is_refused(certificate):
    with unchanged_db():
        response = Client().post(
            reverse("portal:feedback", args=["forged:token"]),
            {"kind": "praise", "content": "耐心细致，依法办事。"},
        )
    assert response.status_code == 400


def test_praise_needs_no_phone(certificate):
    row = feedback.feedback_submit(certificate=certificate, kind="praise", content="耐心细致，依法办事。")
    assert row.contact_phone == ""


# ── the staff side ──────────────────────────────────────────────────────────────────────────


def test_feedback_list_for_the_agency_admin_and_head(world, certificate):
    feedback.feedback_submit(
        certificate=certificate, kind="complaint", content="执法时未出示证件。", contact_phone="13912345678"
    )
    for user in (world.admin, world.head):
        page = login(user).get(reverse("disclosure:feedback_list"))
        assert page.status_code == 200
        assert "13912345678" in page.content.decode()


def test_feedback_list_refused(world, certificate):
    url = reverse("disclosure:agency_feedback_list", args=[world.agency.pk])
    assert Client().get(url).status_code == 302  # to the login page
    for user in (world.other_admin, world.officer):
        assert login(user).get(url).status_code == 403
    with pytest.raises(NotPermitted):
        feedback.feedback_for(user=world.other_admin, agency=world.agency)


def test_the_supervisor_of_the_region_reads_the_feedback_of_its_agencies(world, certificate):
    feedback.feedback_submit(
        certificate=certificate, kind="complaint", content="执法时未出示证件。", contact_phone="13912345678"
    )
    supervisor = login(world.supervisor)
    assert (
        supervisor.get(reverse("disclosure:agency_feedback_list", args=[world.agency.pk])).status_code == 200
    )
    own = supervisor.get(reverse("disclosure:feedback_list"))
    assert own.status_code == 200 and "执法时未出示证件" in own.content.decode()
    assert world.agency.name in own.content.decode()


def test_officer_page_shows_the_qr_and_card_to_readers_only(world, certificate):
    head = login(world.head)
    officer_page = head.get(reverse("org:officer_detail", args=[certificate.officer.pk])).content.decode()
    assert reverse("disclosure:credential_qr", args=[certificate.pk]) in officer_page
    qr = head.get(reverse("disclosure:credential_qr", args=[certificate.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    card = head.get(reverse("disclosure:credential_card", args=[certificate.pk]))
    assert card.status_code == 200 and "ZF20250001" in card.content.decode()
    outsider = login(world.other_admin)
    assert outsider.get(reverse("disclosure:credential_qr", args=[certificate.pk])).status_code == 404
    assert outsider.get(reverse("disclosure:credential_card", args=[certificate.pk])).status_code == 404
    assert Client().get(reverse("disclosure:credential_card", args=[certificate.pk])).status_code == 302


def test_supervisor_of_the_region_reads_the_card(world, certificate):
    supervisor = make_user(Role.SUPERVISOR, agency=world.bureau)
    assert (
        login(supervisor).get(reverse("disclosure:credential_card", args=[certificate.pk])).status_code == 200
    )
