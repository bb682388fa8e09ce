"""At phone width in the system Chromium: the supervisor opens the cockpit, sees the charts drawn,
drills down region → agency → domain → matter and opens a case of the list."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from zhifa.supervision.tests.cockpit_world import cw_fixture  # noqa: F401
from zhifa.testing.factories import TEST_PASSWORD

CHROMIUM = os.environ.get("ZHIFA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (make test installs it)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def test_the_supervisor_drills_down_to_a_case_on_a_phone(live_server, browser, cw):
    j = cw.j
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/accounts/login/?next=/supervision/")
    page.fill("input[name=username]", j.supervisor.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url("**/supervision/")
    page.get_by_role("link", name="打开驾驶舱").click()
    page.wait_for_url("**/supervision/cockpit/")
    # The fixture's cases are of 2026, the year of its clock; the page opens on the current year.
    page.select_option("select[name=year]", "2026")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/supervision/cockpit/?year=2026")
    # ECharts drew its charts (SVG renderer) from the page's JSON block.
    page.wait_for_selector("#cockpit-rows svg")
    assert page.locator("#cockpit-status svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("table.cockpit-drill").get_by_role("link", name=j.agency.name).click()
    page.wait_for_url(f"**agency={j.agency.pk}")
    page.locator("table.cockpit-drill").get_by_role("link", name="劳动保障监察").click()
    page.wait_for_url("**domain=LDBZJC")
    page.locator("table.cockpit-drill").get_by_role("link", name="拖欠工资").click()
    page.wait_for_url(f"**matter={cw.matter.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    case = cw.cases["c3"]
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert case.number in page.locator("main").inner_text()
    assert violations == []
