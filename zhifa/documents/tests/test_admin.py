"""The admin shows documents and certificates read-only, and the agency's 文号 settings."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.documents import services
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(agency):
    user = make_user(Role.SYSADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_agency_form_has_the_document_number_settings(admin_client, agency):
    page = admin_client.get(reverse("admin:org_agency_change", args=[agency.pk])).content.decode()
    assert "文书机关代字" in page and "文号格式" in page and "{abbr}{kind}〔{year}〕{number}号" in page


def test_documents_and_certificates_are_read_only(admin_client, agency):
    document = services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
    assert admin_client.get(reverse("admin:documents_document_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:documents_document_change", args=[document.pk]))
    assert page.status_code == 200 and document.number in page.content.decode()
    assert admin_client.get(reverse("admin:documents_document_add")).status_code == 403
    assert admin_client.get(reverse("admin:documents_signingcredential_changelist")).status_code == 200
    delete = reverse("admin:documents_document_delete", args=[document.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
