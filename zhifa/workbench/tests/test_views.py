"""Home pages per role and the calendar page."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.testing.factories import (
    AgencyFactory,
    CertificateFactory,
    RegionFactory,
    TrainingRecordFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login():
    for name in ("workbench:home", "workbench:calendar"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_has_a_home_page(role):
    agency = None if role == Role.SYSADMIN else AgencyFactory(is_justice_bureau=role == Role.SUPERVISOR)
    response = client_for(make_user(role, agency=agency)).get(reverse("workbench:home"))
    assert response.status_code == 200
    assert Role(role).label in response.content.decode()


def test_officer_sees_own_certificate_and_hours():
    user = make_user(Role.OFFICER)
    today = dt.date.today()
    CertificateFactory(
        officer=user.officer,
        number="ZF-MINE",
        issued_on=today - dt.timedelta(days=330),
        valid_until=today + dt.timedelta(days=900),
    )
    TrainingRecordFactory(officer=user.officer, date=today.replace(month=1, day=2), hours=12)
    body = client_for(user).get(reverse("workbench:home")).content.decode()
    assert "ZF-MINE" in body
    assert "年审将到期" in body  # due 35 days from now, inside the two-month warning
    assert "还差 48.0 学时" in body


def test_supervisor_sees_jurisdiction_not_other_counties():
    county = RegionFactory(code="990121")
    bureau = AgencyFactory(region=county, is_justice_bureau=True, name="示例县司法局")
    AgencyFactory(region=county, name="示例县档案局")
    AgencyFactory(region=RegionFactory(code="990122"), name="东山县档案局")
    body = (
        client_for(make_user(Role.SUPERVISOR, agency=bureau)).get(reverse("workbench:home")).content.decode()
    )
    assert "辖区执法主体概况" in body
    assert "示例县档案局" in body
    assert "东山县档案局" not in body


def test_calendar_month_and_calculator():
    client = client_for(make_user(Role.OFFICER))
    response = client.get(
        reverse("workbench:calendar"), {"year": 2025, "month": 10, "start": "2025-09-26", "days": 7}
    )
    body = response.content.decode()
    assert "2025年10月" in body
    assert "国庆节" in body
    assert "2025年10月13日" in body


def test_calendar_marks_unknown_years_provisional():
    body = (
        client_for(make_user(Role.OFFICER))
        .get(reverse("workbench:calendar"), {"year": 2027, "month": 1})
        .content.decode()
    )
    assert "按周末休息推定" in body


def test_calendar_rejects_bad_input_in_chinese():
    response = client_for(make_user(Role.OFFICER)).get(
        reverse("workbench:calendar"), {"start": "2025-02-30", "days": "x"}
    )
    assert response.status_code == 200
    assert "error" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"year": "99999", "month": "12"}, {"year": "abc"}, {"month": "13"}, {"year": "9999", "month": "12"}],
)
def test_calendar_falls_back_to_this_month_on_odd_input(query):
    response = client_for(make_user(Role.OFFICER)).get(reverse("workbench:calendar"), query)
    assert response.status_code == 200
    today = timezone.localdate()
    assert f"{today:%Y}年{today.month}月" in response.content.decode()
