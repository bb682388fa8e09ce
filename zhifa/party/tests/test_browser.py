"""Acceptance, through the party page only, in headless Chromium at phone width (390 px): open a
case by its code, send a statement inside the window and see it on the officer's case page, and
be refused outside the window. No sideways scrolling and no CSP violation on the way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.tests import steps
from zhifa.party.tests.conftest import code_of, factor_of
from zhifa.testing import chromium

WIDTH = 390

pytestmark = chromium.MARKS


@pytest.fixture
def notified(world: Any) -> Any:
    """Made before the browser starts: signing runs its own event loop, Playwright's sync API one too."""
    with steps.travel(steps.START_DAY):
        return steps.notified_case(world)


@pytest.fixture
def phone(notified: Any, live_server: Any) -> Iterator[Any]:
    with chromium.launch() as launched:
        yield launched


def context(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="zh-CN")
    ctx.add_init_script(chromium.WATCH_CSP)
    return ctx


def fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    assert page.evaluate("window.__csp") == [], page.url


def test_a_party_states_online_in_the_window_and_is_refused_after_it(world, notified, phone, live_server):
    case = notified
    page = context(phone).new_page()
    with steps.travel("2026-03-06", hour=20):
        page.goto(f"{live_server.url}/party/?code={code_of(case)}")
        fits(page)
        page.fill("#id_factor", factor_of(case))
        page.click("button[type=submit]")
        page.wait_for_url("**/party/case/")
        fits(page)
        assert case.number in page.content() and "还剩 1 个工作日" in page.content()
        page.fill("#id_statement", "我单位已于三月五日补发全部工资。\n请求从轻处罚。")
        page.click("text=提交陈述申辩")
        page.wait_for_url("**/party/case/")
        assert "陈述、申辩意见已提交" in page.content()
        fits(page)
        # The officer sees it on the case page.
        officer = Client()
        officer.force_login(world.officer)
        staff_context = context(phone)
        staff_context.add_cookies(
            [{"name": "sessionid", "value": officer.cookies["sessionid"].value, "url": live_server.url}]
        )
        staff = staff_context.new_page()
        staff.goto(f"{live_server.url}/cases/{case.pk}/")
        assert "当事人通过当事人页面书面提交" in staff.content()
        assert "我单位已于三月五日补发全部工资。" in staff.content()
        fits(staff)
    # Late on the last day of the period the party opens the page again and writes more; the
    # form is sent a quarter of an hour later, on the next day: refused with the article.
    with steps.travel("2026-03-09", hour=23) as clock:
        clock.shift(50 * 60)
        page.goto(f"{live_server.url}/party/?code={code_of(case)}")
        page.fill("#id_factor", factor_of(case))
        page.click("button[type=submit]")
        page.wait_for_url("**/party/case/")
        page.fill("#id_statement", "补充：已调整排班制度。")
        clock.shift(15 * 60)
        page.click("text=提交陈述申辩")
        page.wait_for_load_state()
        body = page.content()
        assert "已于 2026-03-09 届满" in body and "第四十四条、第四十五条" in body
        assert 'action="/party/case/statement/"' not in body  # the form is gone
        fits(page)
    assert case.records.filter(kind="statement").count() == 1
