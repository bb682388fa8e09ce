"""The public complaint/praise form: its contact number and its per-address throttle."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.core.errors import InvalidInput, RateLimited
from zhifa.disclosure import credentials, feedback
from zhifa.disclosure.models import Feedback
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AnnualReviewFactory, CertificateFactory, OfficerFactory

TODAY = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def certificate(world):
    officer = OfficerFactory(agency=world.agency, name="王执法")
    cert = CertificateFactory(officer=officer, number="ZF20250001", domains=[world.domain])
    AnnualReviewFactory(certificate=cert, year=2025, reviewed_on=dt.date(2025, 12, 1))
    return cert


def _url(certificate) -> str:
    return reverse("portal:feedback", args=[credentials.credential_token(certificate)])


def _complain(certificate, *, phone: str = "13912345678", ip: str = "10.0.0.1", **extra: str):
    return Client(REMOTE_ADDR=ip, **extra).post(
        _url(certificate), {"kind": "complaint", "content": "执法时未出示证件。", "contact_phone": phone}
    )


# ── the contact number ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("19912345678", "19912345678"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "01012345678"),
        ("0755-2345678", "0755-2345678"),
        ("（010）12345678", "(010)12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("010-12345678转123", "010-12345678转123"),
    ],
)
def test_mobile_and_landline_numbers_are_accepted(written, stored):
    assert feedback.phone_normalized(written) == stored


@pytest.mark.parametrize(
    "written",
    [
        "12345678901",  # 12… is no mobile prefix
        "1391234567",  # ten digits
        "139123456789",  # twelve
        "12345678",  # a local number without its area code
        "010-1234567890",
        "110",
        "电话",
        "abc13912345678",
        "0-12345678",
    ],
)
def test_other_numbers_are_refused_with_the_format_named(written):
    with pytest.raises(InvalidInput, match="请填写 11 位手机号码") as refused:
        feedback.phone_normalized(written)
    assert "联系电话" in refused.value.message and "010-12345678" in refused.value.message


def test_the_form_refuses_a_bad_number_under_the_field_and_stores_nothing(certificate):
    with unchanged_db():
        response = _complain(certificate, phone="12345")
    assert response.status_code == 400
    page = response.content.decode()
    assert "联系电话“12345”格式不正确" in page and 'class="field has-error"' in page


def test_the_service_refuses_a_bad_number_too(certificate):
    with unchanged_db(), pytest.raises(InvalidInput, match="格式不正确"):
        feedback.feedback_submit(
            certificate=certificate, kind="complaint", content="执法时未出示证件。", contact_phone="12-34"
        )


def test_a_number_is_stored_in_its_normal_form(certificate):
    assert _complain(certificate, phone="139 1234 5678").status_code == 302
    assert Feedback.objects.get().contact_phone == "13912345678"


# ── the throttle ──────────────────────────────────────────────────────────────────────────


def test_one_address_may_submit_the_limit_per_hour_then_gets_429(certificate, settings, _clock):
    settings.ZHIFA_FEEDBACK_PER_HOUR = 3
    for _ in range(3):
        assert _complain(certificate).status_code == 302
    with unchanged_db():
        refused = _complain(certificate)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "一小时内最多提交 3 条" in page and 'lang="zh-Hans"' in page
    # Another address is not affected; the first may submit again an hour after its first.
    assert _complain(certificate, ip="10.0.0.2").status_code == 302
    _clock.shift(dt.timedelta(minutes=59))
    assert _complain(certificate).status_code == 429
    _clock.shift(dt.timedelta(minutes=1, seconds=1))
    assert _complain(certificate).status_code == 302
    assert Feedback.objects.count() == 5


def test_refused_or_invalid_submissions_do_not_count(certificate, settings):
    settings.ZHIFA_FEEDBACK_PER_HOUR = 1
    for _ in range(3):
        assert _complain(certificate, phone="bad").status_code == 400
    assert _complain(certificate).status_code == 302
    assert _complain(certificate).status_code == 429


def test_the_page_itself_stays_open_when_throttled(certificate, settings):
    settings.ZHIFA_FEEDBACK_PER_HOUR = 1
    assert _complain(certificate).status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.1").get(_url(certificate)).status_code == 200


def test_behind_the_proxy_the_forwarded_address_is_counted(certificate, settings):
    settings.ZHIFA_FEEDBACK_PER_HOUR = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert _complain(certificate, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6").status_code == 302
    assert _complain(certificate, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.7").status_code == 302
    assert _complain(certificate, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6").status_code == 429


def test_the_service_throttles_only_when_given_an_address(certificate, settings):
    settings.ZHIFA_FEEDBACK_PER_HOUR = 1
    submit = {"certificate": certificate, "kind": "praise", "content": "耐心细致，依法办事。"}
    feedback.feedback_submit(**submit, address="10.0.0.5")
    with unchanged_db(), pytest.raises(RateLimited):
        feedback.feedback_submit(**submit, address="10.0.0.5")
    feedback.feedback_submit(**submit)  # staff entering a complaint received by phone, the demo
    assert Feedback.objects.count() == 2
