"""At phone and desktop width in the system Chromium: the supervisor opens the rules from
/supervision/, the page fits the screen (the table scrolls inside its frame), and a threshold is
changed through the form."""

from __future__ import annotations

import pytest

from zhifa.supervision.models_warnings import WarningRule
from zhifa.testing import chromium
from zhifa.testing.factories import TEST_PASSWORD

pytestmark = chromium.MARKS


@pytest.mark.parametrize("width", [390, 1280])
def test_the_supervisor_changes_a_threshold_at_phone_and_desktop_width(
    live_server, browser, jurisdiction, width
):
    j = jurisdiction
    page = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/supervision/")
    page.fill("input[name=username]", j.supervisor.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url("**/supervision/")
    page.get_by_role("link", name="预警规则").first.click()
    page.wait_for_url("**/supervision/warnings/rules/")
    assert "加处罚款临近或超过申请法院强制执行期限" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("a[href='/supervision/warnings/rules/training_behind/']").click()
    page.wait_for_url("**/rules/training_behind/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.fill("input[name=param_tolerance_percent]", "30")
    page.fill("textarea[name=reason]", "年初培训集中在下半年，放宽进度容差")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/supervision/warnings/rules/")
    assert "已修改预警规则" in page.locator("main").inner_text()
    assert WarningRule.objects.get(code="training_behind").params == {"tolerance_percent": 30}
