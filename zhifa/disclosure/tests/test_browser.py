"""End to end through the public portal in the system Chromium (DESIGN §3.9): search, open a
decision, verify an officer's credential by its QR URL; `make test` installs Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhifa.disclosure.credentials import credential_path
from zhifa.disclosure.tests.factories import make_decided_case, make_world, publish
from zhifa.testing import chromium
from zhifa.testing.factories import CertificateFactory, OfficerFactory

pytestmark = chromium.MARKS


@pytest.fixture
def browser_page(live_server: Any) -> Iterator[Any]:
    with chromium.launch() as launched:
        yield launched.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")


@pytest.fixture
def portal(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    case = make_decided_case(world, decided_on=timezone.localdate() - dt.timedelta(days=3))
    publication = publish(world, case)
    today = timezone.localdate()
    officer = OfficerFactory(agency=world.agency, name="李执法")
    certificate = CertificateFactory(
        officer=officer,
        issued_on=today - dt.timedelta(days=30),
        valid_until=today + dt.timedelta(days=1000),
        domains=[world.domain],
    )
    return {"world": world, "case": case, "publication": publication, "certificate": certificate}


def test_search_open_a_decision_and_verify_a_credential(live_server, browser_page, portal):
    page, case = browser_page, portal["case"]
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("searchbox").first.fill("工资")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/public/decisions/**")
    link = page.locator(f"a[href='/public/decisions/{portal['publication'].pk}/']").first
    link.click()
    page.wait_for_url(f"**/public/decisions/{portal['publication'].pk}/")
    body = page.locator("main").inner_text()
    assert portal["world"].agency.name in body
    assert "工资" in body
    # The party is a citizen: name, identity and phone never reach the page.
    for private in (
        case.party_name,
        case.party_id_number,
        case.party_phone,
        "11010519491231002X",
        "13812345678",
    ):
        assert private not in page.content()

    certificate = portal["certificate"]
    page.goto(live_server.url + credential_path(certificate))
    body = page.locator("main").inner_text()
    assert certificate.number in body and "李执法" in body and "有效" in body
    assert page.get_by_role("link", name="投诉").count() >= 1

    altered = credential_path(certificate)[:-3] + "AAA/"
    response = page.goto(live_server.url + altered)
    assert response is not None and response.status in (400, 404)
    assert certificate.number not in page.locator("main").inner_text()
