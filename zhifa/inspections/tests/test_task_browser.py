"""At phone width in the system Chromium: the inspector opens a task, scans its 检查码 into the
checklist, records a result with a photo, and the 检查码 page opens for the public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhifa.inspections.models import TaskStatus
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.testing import chromium
from zhifa.testing.factories import TEST_PASSWORD

pytestmark = chromium.MARKS

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _page(browser: Any) -> Any:
    page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.violations = violations
    return page


def test_the_visit_on_a_phone_and_the_public_code_page(live_server, browser, tw, tmp_path):
    task = tw.task()
    page = _page(browser)
    page.goto(f"{live_server.url}/accounts/login/?next=/inspections/tasks/")
    page.fill("input[name=username]", tw.inspector.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_url("**/inspections/tasks/")
    page.get_by_role("link", name=tw.subject.name).click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    assert page.locator("img.qr-code").is_visible()
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="到达现场开始检查").click()
    page.check("input[name=code_shown]")
    page.fill("input[name=place]", "测试路8号")
    page.get_by_role("button", name="办理").click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    # Scanning the 检查码 (its address) leads the inspector into the checklist.
    page.goto(f"{live_server.url}/public/inspections/code/{task.code}/")
    page.get_by_role("link", name="进入检查（检查人员）").click()
    page.get_by_role("link", name="逐项检查").click()
    page.check(f"input[name=answer_{tw.item.pk}][value=pass]")
    page.check(f"input[name=answer_{tw.item2.pk}][value=fail]")
    page.fill(f"input[name=note_{tw.item2.pk}]", "未签订书面劳动合同")
    page.get_by_role("button", name="办理").click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    photo = tmp_path / "site.png"
    photo.write_bytes(PNG)
    page.select_option("select[name=kind]", "photo")
    page.fill("input[name=title]", "现场照片")
    page.set_input_files("input[name=file]", str(photo))
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    assert "现场照片" in page.locator("main").inner_text()
    page.get_by_role("link", name="制作现场检查笔录").click()
    now = timezone.localtime()
    page.fill("input[name=record_started_at]", (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=record_ended_at]", (now - dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=findings]", "现场检查工资台账和劳动合同。")
    page.select_option("select[name=signature]", "refused")
    page.fill("input[name=signature_note]", "当事人拒绝签名，两名检查人员注明。")
    page.get_by_role("button", name="办理").click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    page.get_by_role("link", name="登记检查结果").click()
    page.select_option("select[name=result]", "no_problem")
    page.get_by_role("button", name="办理").click()
    page.wait_for_url(f"**/inspections/tasks/{task.pk}/")
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED and task.attachments.count() == 1
    assert page.violations == []
    # The public, not logged in, opens the 检查码.
    public = _page(browser)
    public.goto(f"{live_server.url}/public/inspections/code/{task.code}/")
    text = public.locator("main").inner_text()
    assert tw.item.name in text and tw.inspector.officer.name in text and "进入检查" not in text
    assert public.evaluate("document.documentElement.scrollWidth") <= 390
    public.get_by_role("link", name="核验执法证").first.click()
    public.wait_for_url("**/public/credentials/**")
    assert "执法证件核验" in public.locator("main").inner_text()
    assert public.violations == []
