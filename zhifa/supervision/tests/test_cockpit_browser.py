"""At phone width in the system Chromium: the supervisor opens the cockpit, sees the charts drawn,
drills down region → agency → domain → matter, opens a case of the list, and issues a 督办 on it
(个案监督: a clue on the case, then the signed 督办通知书)."""

from __future__ import annotations

from zhifa.supervision.models_clues import ClueNotice
from zhifa.supervision.tests.cockpit_world import cw_fixture  # noqa: F401
from zhifa.testing import chromium
from zhifa.testing.factories import TEST_PASSWORD
from zhifa.testing.signing import install_test_credential, use_temp_dirs

pytestmark = chromium.MARKS


def test_the_supervisor_drills_down_to_a_case_on_a_phone_and_issues_a_duban(
    live_server, browser, cw, settings, tmp_path
):
    j = cw.j
    use_temp_dirs(settings, tmp_path)
    install_test_credential(j.bureau)
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
    page.go_back()
    page.locator("table.cockpit-cases tr", has_text=case.number).get_by_role("link", name="个案监督").click()
    page.wait_for_url(f"**/supervision/clues/cases/{case.pk}/")
    page.fill("input[name=title]", "案件超过九十日未作出决定")
    page.fill("textarea[name=content]", "立案已逾九十日仍在调查，未见延长审批。")
    page.get_by_role("button", name="提出监督意见").click()
    page.wait_for_url("**/supervision/clues/*/")
    page.get_by_role("link", name="制发督办或监督意见文书").click()
    page.select_option("select[name=kind]", "supervision_notice")
    page.fill("textarea[name=issues]", "案件超过法定期限未作出处理决定。")
    page.fill("textarea[name=requirement]", "请于期限内作出处理决定并报送整改报告。")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/supervision/clues/*/")
    notices = page.locator("section.card", has_text="督办和监督意见文书").inner_text()
    assert "督办通知书" in notices and "督〔" in notices
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    notice = ClueNotice.objects.get(clue__case=case)
    assert notice.kind == "supervision_notice" and notice.document.number in notices
    assert violations == []
