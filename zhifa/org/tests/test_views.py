"""Every org view: allowed and refused access, and that refused writes change nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.org.models import CertificateStatus, Officer, TrainingRecord
from zhifa.testing.factories import (
    AgencyFactory,
    CertificateFactory,
    OfficerFactory,
    RegionFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def make_world():
    """A county with its justice bureau and one agency, and a second county's agency."""
    county = RegionFactory(code="990121")
    other_county = RegionFactory(code="990122")
    bureau = AgencyFactory(region=county, is_justice_bureau=True, name="示例县司法局")
    agency = AgencyFactory(region=county, name="示例县统计局")
    other = AgencyFactory(region=other_county, name="东山县统计局")
    officer = OfficerFactory(agency=agency, name="李明")
    today = dt.date.today()
    certificate = CertificateFactory(
        officer=officer, issued_on=today - dt.timedelta(days=100), valid_until=today + dt.timedelta(days=1000)
    )
    foreign_officer = OfficerFactory(agency=other, name="王五")
    return {
        "agency": agency,
        "other": other,
        "bureau": bureau,
        "officer": officer,
        "certificate": certificate,
        "foreign_officer": foreign_officer,
        "head": make_user(Role.HEAD, agency=agency),
        "clerk": make_user(Role.OFFICER, agency=agency),
        "supervisor": make_user(Role.SUPERVISOR, agency=bureau),
        "admin": make_user(Role.SYSADMIN),
        "foreign_head": make_user(Role.HEAD, agency=other),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


READ_VIEWS = [
    ("org:agency_list", None),
    ("org:agency_detail", "agency"),
    ("org:officer_list", None),
    ("org:officer_detail", "officer"),
]
WRITE_VIEWS = [
    ("org:agency_edit", "agency"),
    ("org:officer_create", "agency"),
    ("org:officer_edit", "officer"),
    ("org:certificate_create", "officer"),
    ("org:training_create", "officer"),
    ("org:certificate_status", "certificate"),
    ("org:annual_review_create", "certificate"),
]


def url(world, name, key):
    return reverse(name, args=[world[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key"), READ_VIEWS + WRITE_VIEWS)
def test_anonymous_is_sent_to_login(world, name, key):
    response = Client().get(url(world, name, key))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "key"), READ_VIEWS)
@pytest.mark.parametrize("who", ["clerk", "head", "supervisor", "admin"])
def test_readers_can_read(world, name, key, who):
    response = client_for(world[who]).get(url(world, name, key))
    assert response.status_code == 200
    assert "李明" in response.content.decode() or name == "org:agency_list"


@pytest.mark.parametrize(
    ("name", "key"), [("org:agency_detail", "other"), ("org:officer_detail", "foreign_officer")]
)
@pytest.mark.parametrize("who", ["clerk", "head", "supervisor"])
def test_other_agencies_objects_are_not_found(world, name, key, who):
    """An officer of another county's agency is invisible, even to this county's supervisor."""
    assert client_for(world[who]).get(reverse(name, args=[world[key].pk])).status_code == 404


def test_lists_show_only_visible_agencies(world):
    body = client_for(world["clerk"]).get(reverse("org:officer_list")).content.decode()
    assert "李明" in body
    assert "王五" not in body
    body = client_for(world["admin"]).get(reverse("org:officer_list")).content.decode()
    assert "王五" in body


@pytest.mark.parametrize(("name", "key"), WRITE_VIEWS)
@pytest.mark.parametrize("who", ["clerk", "supervisor", "foreign_head"])
def test_non_managers_are_refused_writes(world, name, key, who):
    response = client_for(world[who]).get(url(world, name, key))
    # Another agency's head cannot even see the object; the others are told they may not change it.
    assert response.status_code == (404 if who == "foreign_head" else 403)


@pytest.mark.parametrize(("name", "key"), WRITE_VIEWS)
@pytest.mark.parametrize("who", ["head", "admin"])
def test_managers_get_the_forms(world, name, key, who):
    assert client_for(world[who]).get(url(world, name, key)).status_code == 200


def test_supervisor_post_changes_nothing(world):
    officer = world["officer"]
    response = client_for(world["supervisor"]).post(
        reverse("org:officer_edit", args=[officer.pk]), {"name": "改名", "gender": "M", "post": "enforcement"}
    )
    assert response.status_code == 403
    assert "司法局监督人员可以查阅" in response.content.decode()
    officer.refresh_from_db()
    assert officer.name == "李明"


def test_head_edits_officer(world):
    officer = world["officer"]
    response = client_for(world["head"]).post(
        reverse("org:officer_edit", args=[officer.pk]),
        {"name": "李明华", "gender": "M", "title": "科员", "post": "enforcement", "is_active": "on"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.name == "李明华"


def test_head_adds_training_and_refused_input_is_shown(world):
    officer = world["officer"]
    client = client_for(world["head"])
    path = reverse("org:training_create", args=[officer.pk])
    ok = client.post(
        path, {"date": "2025-03-02", "title": "行政处罚法专题", "category": "public_law", "hours": "6"}
    )
    assert ok.status_code == 302
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    refused = client.post(path, {"date": future, "title": "未来培训", "category": "public_law", "hours": "6"})
    assert refused.status_code == 400
    assert "培训日期不能晚于今天" in refused.content.decode()
    assert list(TrainingRecord.objects.filter(officer=officer).values_list("title", flat=True)) == [
        "行政处罚法专题"
    ]


def test_certificate_status_change_requires_reason(world):
    certificate = world["certificate"]
    client = client_for(world["head"])
    path = reverse("org:certificate_status", args=[certificate.pk])
    refused = client.post(path, {"status": CertificateStatus.SUSPENDED, "reason": ""})
    assert refused.status_code == 400
    assert "须写明理由" in refused.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ACTIVE
    assert client.post(path, {"status": CertificateStatus.SUSPENDED, "reason": "涉嫌违纪"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


def test_agency_edit_rejects_bad_uscc(world):
    agency = world["agency"]
    before = agency.uscc
    data = {
        "short_name": "统计局",
        "uscc": before[:-1] + ("0" if before[-1] != "0" else "1"),
        "address": "新地址",
        "phone": "1",
        "duties": "d",
        "supervision_channel": "s",
        "complaint_channel": "c",
        "remedies": "r",
    }
    response = client_for(world["head"]).post(reverse("org:agency_edit", args=[agency.pk]), data)
    assert response.status_code == 400
    assert "GB 32100" in response.content.decode()
    agency.refresh_from_db()
    assert agency.uscc == before
    assert agency.address != "新地址"


def test_head_registers_officer(world):
    response = client_for(world["head"]).post(
        reverse("org:officer_create", args=[world["agency"].pk]),
        {"name": "赵六", "gender": "F", "post": "legal_review", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Officer.objects.get(name="赵六").agency == world["agency"]


def test_officer_list_filters_by_state(world):
    body = client_for(world["head"]).get(reverse("org:officer_list"), {"state": "danger"}).content.decode()
    # 李明's certificate is valid; only the officer without a certificate is flagged.
    assert "李明" not in body


def test_post_requires_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["head"])
    response = client.post(reverse("org:training_create", args=[world["officer"].pk]), {"title": "x"})
    assert response.status_code == 403
