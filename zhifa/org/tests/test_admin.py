"""The admin writes agencies, officers and certificates only through zhifa.org.services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from zhifa.core.calendar import today
from zhifa.org.models import Agency, Certificate, CertificateStatus, Officer, Region, Unit
from zhifa.testing import unchanged_db
from zhifa.testing.admin import errors, form_data, sysadmin_client
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    OfficerFactory,
    RegionFactory,
    UnitFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return sysadmin_client()[0]


def change(model: str, pk: int) -> str:
    return reverse(f"admin:org_{model}_change", args=[pk])


def add(model: str) -> str:
    return reverse(f"admin:org_{model}_add")


# ── agencies ────────────────────────────────────────────────────────────────────────────


def test_any_agency_model_form_refuses_an_invalid_credit_code():
    form = modelform_factory(Agency, fields=["uscc"])({"uscc": "ABC"})
    assert not form.is_valid()
    assert "统一社会信用代码“ABC”无效" in form.errors["uscc"][0] and "GB 32100" in form.errors["uscc"][0]


def test_agency_change_refuses_credit_code_abc(client):
    agency = AgencyFactory()
    url = change("agency", agency.pk)
    data = form_data(client.get(url), uscc="ABC")
    with unchanged_db():
        response = client.post(url, data)
    assert response.status_code == 200
    assert "统一社会信用代码“ABC”无效" in response.content.decode()


def test_agency_change_goes_through_agency_update(client):
    agency = AgencyFactory()
    url = change("agency", agency.pk)
    page = client.get(url)
    assert "region" not in page.context["adminform"].form.fields  # agency_update keeps it fixed
    code = make_uscc(4242).lower()
    response = client.post(url, form_data(page, phone="020-88888888", uscc=code))
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.phone == "020-88888888" and agency.uscc == code.upper()  # normalised by the service


def test_agency_add_goes_through_agency_create_and_unit_create(client):
    region = RegionFactory()
    page = client.get(add("agency"))
    data = form_data(
        page,
        name="新设执法局",
        region=region.pk,
        kind="statutory",
        uscc=make_uscc(777),
        address="测试路2号",
        phone="020-1",
        duties="职责",
        supervision_channel="监督",
        complaint_channel="投诉",
        remedies="复议诉讼",
        **{
            "units-TOTAL_FORMS": "2",
            "units-0-name": "法制科",
            "units-0-is_legal_review_body": "on",
            "units-1-name": "执法科",
        },
    )
    response = client.post(add("agency"), data)
    assert response.status_code == 302, errors(response)
    agency = Agency.objects.get(name="新设执法局")
    assert agency.legal_review_unit is not None and agency.legal_review_unit.name == "法制科"


def test_agency_add_refuses_a_bad_code_and_writes_nothing(client):
    page = client.get(add("agency"))
    data = form_data(page, name="新设执法局", region=RegionFactory().pk, kind="statutory", uscc="ABC")
    with unchanged_db():
        response = client.post(add("agency"), data)
    assert response.status_code == 200 and "GB 32100-2015" in errors(response)


def test_existing_units_are_read_only_and_a_new_legal_body_moves_the_designation(client):
    agency = AgencyFactory()
    old = UnitFactory(agency=agency, name="旧法制科", is_legal_review_body=True)
    url = change("agency", agency.pk)
    data = form_data(
        client.get(url),
        **{"units-TOTAL_FORMS": "2", "units-1-name": "新法制科", "units-1-is_legal_review_body": "on"},
    )
    assert client.post(url, data).status_code == 302  # not an IntegrityError: unit_create moves it
    old.refresh_from_db()
    assert not old.is_legal_review_body
    assert Unit.objects.get(agency=agency, name="新法制科").is_legal_review_body


def test_agencies_and_officers_cannot_be_deleted(client):
    officer = OfficerFactory()
    for model, pk in (("agency", officer.agency.pk), ("officer", officer.pk)):
        response = client.post(reverse(f"admin:org_{model}_delete", args=[pk]), {"post": "yes"})
        assert response.status_code == 403
    assert Officer.objects.filter(pk=officer.pk).exists()


# ── regions and domains ─────────────────────────────────────────────────────────────────


def test_region_add_builds_its_path_and_code_stays_fixed(client):
    parent = RegionFactory(level="city")
    data = form_data(client.get(add("region")), code="991234", name="新区", level="county", parent=parent.pk)
    assert client.post(add("region"), data).status_code == 302
    region = Region.objects.get(code="991234")
    assert region.path == f"{parent.path}991234/"
    page = client.get(change("region", region.pk))
    assert "code" not in page.context["adminform"].form.fields


def test_domain_add_goes_through_domain_create_and_is_never_deleted(client):
    data = form_data(client.get(add("enforcementdomain")), code=" D9 ", name=" 新类别 ")
    assert client.post(add("enforcementdomain"), data).status_code == 302
    domain = EnforcementDomainFactory._meta.model.objects.get(code="D9")
    assert domain.name == "新类别"
    delete = reverse("admin:org_enforcementdomain_delete", args=[domain.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


# ── officers and certificates ───────────────────────────────────────────────────────────


def test_officer_add_refuses_a_unit_of_another_agency(client):
    agency = AgencyFactory()
    foreign_unit = UnitFactory()
    data = form_data(
        client.get(add("officer")),
        agency=agency.pk,
        unit=foreign_unit.pk,
        name="新人",
        gender="M",
        post="enforcement",
    )
    with unchanged_db():
        response = client.post(add("officer"), data)
    assert response.status_code == 200 and "不属于" in errors(response)


def test_officer_change_goes_through_officer_update(client):
    officer = OfficerFactory()
    url = change("officer", officer.pk)
    page = client.get(url)
    assert {"agency", "user"}.isdisjoint(page.context["adminform"].form.fields)
    assert client.post(url, form_data(page, title="科长")).status_code == 302
    officer.refresh_from_db()
    assert officer.title == "科长"


def test_certificate_status_change_needs_the_service_reason(client):
    certificate = CertificateFactory()
    url = change("certificate", certificate.pk)
    page = client.get(url)
    assert set(page.context["adminform"].form.fields) == {"status", "status_reason"}
    with unchanged_db():
        response = client.post(url, form_data(page, status=CertificateStatus.SUSPENDED, status_reason=""))
    assert response.status_code == 200 and "须写明理由" in errors(response)
    response = client.post(url, form_data(page, status=CertificateStatus.SUSPENDED, status_reason="涉嫌违纪"))
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUSPENDED


def test_revoked_certificate_cannot_be_restored(client):
    certificate = CertificateFactory(status=CertificateStatus.REVOKED, status_reason="吊销")
    url = change("certificate", certificate.pk)
    data = form_data(client.get(url), status=CertificateStatus.ACTIVE, status_reason="恢复")
    with unchanged_db():
        response = client.post(url, data)
    assert response.status_code == 200 and "不能再变更状态" in errors(response)


def test_certificate_add_refuses_an_area_outside_the_agency(client):
    officer = OfficerFactory()
    elsewhere = RegionFactory()
    data = form_data(
        client.get(add("certificate")),
        officer=officer.pk,
        number="ZF-NEW-1",
        issuer="测试市人民政府",
        issued_on="2025-01-01",
        valid_until="2030-01-01",
        domains=[str(EnforcementDomainFactory().pk)],
        area=elsewhere.pk,
    )
    with unchanged_db():
        response = client.post(add("certificate"), data)
    assert response.status_code == 200 and "超出了" in errors(response)
    data["area"] = officer.agency.region.pk
    assert client.post(add("certificate"), data).status_code == 302
    assert Certificate.objects.get(number="ZF-NEW-1").domains.count() == 1


def test_annual_review_through_the_service_then_read_only(client):
    certificate = CertificateFactory()
    data = form_data(
        client.get(add("annualreview")),
        certificate=certificate.pk,
        year=str(today().year),
        reviewed_on=(today() + dt.timedelta(days=1)).isoformat(),
        passed="on",
    )
    with unchanged_db():
        response = client.post(add("annualreview"), data)
    assert response.status_code == 200 and "不能晚于今天" in errors(response)
    review = AnnualReviewFactory(certificate=certificate)
    url = change("annualreview", review.pk)
    assert client.post(url, form_data(client.get(url))).status_code == 403


def test_training_record_add_refuses_a_future_date(client):
    officer = OfficerFactory()
    data = form_data(
        client.get(add("trainingrecord")),
        officer=officer.pk,
        date=(today() + dt.timedelta(days=3)).isoformat(),
        title="培训",
        category="public_law",
        hours="4",
    )
    with unchanged_db():
        response = client.post(add("trainingrecord"), data)
    assert response.status_code == 200 and "不能晚于今天" in errors(response)
