from __future__ import annotations

import pytest
from django.test import Client

from zhifa.supervision import policies

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_supervisor_sees_the_agencies_of_the_bureaus_region_and_below(jurisdiction):
    j = jurisdiction
    page = client_for(j.supervisor).get("/supervision/")
    assert page.status_code == 200
    text = page.content.decode()
    assert j.agency.name in text and j.other.name in text
    assert j.outside.name not in text
    assert policies.is_supervisor_of(j.supervisor, j.other)
    assert not policies.is_supervisor_of(j.supervisor, j.outside)
    assert not policies.is_supervisor_of(j.head, j.agency)


def test_agency_staff_and_the_anonymous_are_refused(jurisdiction):
    for user in (jurisdiction.head, jurisdiction.officer):
        assert client_for(user).get("/supervision/").status_code == 403
    assert Client().get("/supervision/").status_code == 302
