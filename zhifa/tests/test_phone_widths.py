"""Every page a phone user reaches fits a 390 px screen: no sideways scrolling, hashes, keys,
addresses and certificate names wrap. One browser, one live server: each role signs in and
opens its home page, every page of its menu and the pages its work leads to (a case with its
ledger entries opened, an officer, the printable 核验卡), and the public opens the portal, the
QR landing pages and the ledger."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.services import case_register_clue
from zhifa.cases.tests.steps import party
from zhifa.cases.timeline import event
from zhifa.disclosure import credentials
from zhifa.disclosure.tests.factories import make_decided_case, make_decision_document, make_world, publish
from zhifa.ledger import services as ledger_services
from zhifa.testing import chromium
from zhifa.testing.factories import AnnualReviewFactory, CertificateFactory, OfficerFactory, make_user

WIDTH = 390

pytestmark = chromium.MARKS

# Not pages: files, feeds, the API, the Django admin (sysadmin's configuration, not a phone page).
SKIP = (
    "/accounts/logout",
    "/admin/",
    "/api/",
    ".pdf",
    ".docx",
    ".csv",
    ".xlsx",
    ".xml",
    ".svg",
    ".json",
    ".py",
)


@pytest.fixture
def site(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.VAR_DIR = tmp_path  # the ledger's checkpoint key
    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world()
    case = make_decided_case(world)
    with transaction.atomic():  # events with their ledger leaves, as the steps write them
        for summary in ("登记案源", "提请立案，承办人：执法员甲、执法员乙", "批准立案"):
            event(case, world.officer, "note", summary, reason="理由" * 20)
    publication = publish(world, case)
    # A clue the officer registered: its page offers the officer and the head step forms.
    clue = case_register_clue(
        actor=world.officer,
        agency=world.agency,
        received_on=timezone.localdate(),
        source="complaint",
        cause="涉嫌拖欠劳动者工资案",
        clue_summary="职工投诉拖欠三个月工资。",
        matter=world.matter,
        **party(organisation=True),
    )
    document = make_decision_document(case)
    officer = OfficerFactory(agency=world.agency, name="欧阳执法")
    certificate = CertificateFactory(
        officer=officer, number="ZF2025000000000000001", domains=[world.domain], issuer="测试市人民政府" * 3
    )
    AnnualReviewFactory(certificate=certificate, year=2025)
    ledger_services.checkpoint_make(reason="测试")
    users = {
        Role.OFFICER: world.officer,
        Role.HEAD: world.head,
        Role.DISCLOSURE_ADMIN: world.admin,
        Role.SUPERVISOR: world.supervisor,
        Role.REVIEWER: make_user(Role.REVIEWER, agency=world.agency, full_name="审核员甲"),
        Role.ARCHIVIST: make_user(Role.ARCHIVIST, agency=world.agency, full_name="档案员甲"),
        Role.SYSADMIN: make_user(Role.SYSADMIN, full_name="管理员"),
    }
    token = credentials.credential_token(certificate)
    public = [
        reverse("portal:home"),
        reverse("portal:decisions"),
        reverse("portal:decision", args=[publication.pk]),
        reverse("portal:credential_lookup"),
        reverse("portal:credential", args=[token]),
        reverse("portal:feedback", args=[token]),
        reverse("verify:lookup"),
        reverse("verify:detail", args=[document.verification_code]),
        reverse("ledger:index"),
        reverse("ledger:checkpoint"),
    ]
    work = [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:detail", args=[clue.pk]),
        reverse("org:officer_detail", args=[officer.pk]),
        reverse("disclosure:credential_card", args=[certificate.pk]),
        reverse("verify:detail", args=[document.verification_code]),
        reverse("ledger:index"),
    ]
    return {"users": users, "public": public, "work": work}


def _wider_than_the_screen(page: Any, base: str, path: str) -> str:
    response = page.goto(base + path)
    status = response.status if response is not None else 0
    # Opened ledger entries and folded lists are part of the page as the user reads it.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = page.evaluate("document.documentElement.scrollWidth")
    return f"{path} ({status}): {width} px" if width > WIDTH else ""


def _links(page: Any, selector: str) -> list[str]:
    links = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [
        link for link in dict.fromkeys(links) if link.startswith("/") and not any(s in link for s in SKIP)
    ]


def test_every_page_a_phone_user_reaches_fits_390_px(live_server, browser, site):
    too_wide = []
    phone = {"viewport": {"width": WIDTH, "height": 844}, "locale": "zh-CN"}

    context = browser.new_context(**phone)
    page = context.new_page()
    too_wide += [
        f"公众 {w}" for path in site["public"] if (w := _wider_than_the_screen(page, live_server.url, path))
    ]
    context.close()

    for role, user in site["users"].items():
        client = Client()
        client.force_login(user)
        context = browser.new_context(**phone)
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert page.url.rstrip("/") == live_server.url, f"{role} was not signed in"
        pages = list(dict.fromkeys(["/", *_links(page, "header a[href]"), *site["work"]]))
        for path in pages:  # grows as a case page offers its step forms
            if width := _wider_than_the_screen(page, live_server.url, path):
                too_wide.append(f"{role} {width}")
            if "/cases/" in path:  # and the step forms the case page offers this role
                pages += [p for p in _links(page, "main a[href*='/step/']") if p not in pages]
        context.close()

    assert not too_wide, "wider than a 390 px phone:\n" + "\n".join(too_wide)
