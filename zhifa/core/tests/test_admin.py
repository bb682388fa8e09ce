"""The admin is for configuration and never writes past a service: every registered admin either
writes through its service (ServiceAdmin), is read-only, or is declared pure configuration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from zhifa.core.models import CalendarOverride
from zhifa.core.service_admin import ServiceAdmin
from zhifa.testing import unchanged_db
from zhifa.testing.admin import errors, form_data, sysadmin_client

pytestmark = pytest.mark.django_db

# Editable with plain saves: no service owns them and no service rule applies (checked by hand).
CONFIGURATION = {
    "core.JurisdictionSetting",  # the form validates the value with the definition's parser
    "catalog.ServiceGuide",  # the text of a matter version's service guide
    "auth.Group",  # Django's own; zhifa's roles do not use groups
    "axes.AccessAttempt",  # deleting a lockout is the operator's unlock; nothing is added or edited
}


def test_every_admin_writes_through_a_service_or_not_at_all():
    request = RequestFactory().get("/admin/")
    request.user = sysadmin_client()[1]
    loose = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label in CONFIGURATION or isinstance(model_admin, ServiceAdmin):
            continue
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request, None):
            loose.append(label)
        if model_admin.has_delete_permission(request, None):
            loose.append(f"{label} (delete)")
    assert not loose, f"these admins write past a service: {', '.join(loose)}"


def test_calendar_override_goes_through_the_service():
    client, _ = sysadmin_client()
    add = reverse("admin:core_calendaroverride_add")
    data = form_data(client.get(add), date="2026-10-10", is_workday="on", reason="  ")
    with unchanged_db():
        response = client.post(add, data)
    assert response.status_code == 200 and "reason" in errors(response)
    data["reason"] = "调休上班"
    assert client.post(add, data).status_code == 302
    override = CalendarOverride.objects.get(date=dt.date(2026, 10, 10))
    change = reverse("admin:core_calendaroverride_change", args=[override.pk])
    assert "date" not in client.get(change).context["adminform"].form.fields
    delete = reverse("admin:core_calendaroverride_delete", args=[override.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not CalendarOverride.objects.exists()


def test_every_admin_page_renders_for_the_sysadmin():
    import datetime as dt

    from zhifa.catalog.services.benchmarks import TierInput, benchmark_create, discretion_factor_create
    from zhifa.catalog.services.inspections import inspection_item_create
    from zhifa.testing.factories import AnnualReviewFactory, TrainingRecordFactory, UnitFactory, make_matter

    matter = make_matter()
    benchmark_create(
        actor=None,
        matter=matter,
        title="基准",
        document_ref="文号",
        effective_from=dt.date(2025, 1, 1),
        tiers=[TierInput("minor", "轻微", ["warning"], "给予警告。")],
    )
    discretion_factor_create(
        actor=None, agency=matter.agency, effect="exempt", code="c", label="l", basis="b"
    )
    inspection_item_create(
        actor=None,
        agency=matter.agency,
        code="I1",
        effective_from=dt.date(2025, 1, 1),
        name="n",
        subject_type="s",
        basis="b",
        content="c",
        method="m",
        ratio="r",
    )
    UnitFactory(agency=matter.agency)
    AnnualReviewFactory()
    TrainingRecordFactory()
    client, _ = sysadmin_client()
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        assert client.get(reverse(f"{name}_add")).status_code in (200, 403), name
        obj = model._default_manager.first()
        if obj is not None:
            assert client.get(reverse(f"{name}_change", args=[obj.pk])).status_code == 200, name
