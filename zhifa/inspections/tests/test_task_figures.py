"""行政检查 figures: counted by agency and item, 双随机 apart from the other kinds, and in the 年报."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.disclosure.annual.figures import figures_by_agency, keys
from zhifa.disclosure.annual.period import Period
from zhifa.disclosure.annual.report import Scope, build_snapshot
from zhifa.inspections.models import TaskKind, TaskResult
from zhifa.inspections.task_figures import by_agency_and_item
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.inspections.tests.test_task_steps import visit

pytestmark = pytest.mark.django_db


def world_with_results(tw):
    clean = tw.task()
    visit(tw, clean)
    take("result", actor=tw.inspector, task=clean, result=TaskResult.NO_PROBLEM)
    found = tw.task(kind=TaskKind.COMPLAINT, reason="投诉")
    visit(tw, found)
    take("result", actor=tw.inspector, task=found, result=TaskResult.TRANSFERRED, cause="拖欠工资")
    tw.task(reason="未开始的专项检查")
    return clean, found


def test_the_figures_count_each_kind_apart(tw):
    world_with_results(tw)
    period = Period(timezone.localdate().year, timezone.now())
    f = figures_by_agency([tw.agency.pk], period)[tw.agency.pk]
    assert "inspections.other.tasks" in keys()
    assert f["inspections.other.tasks"] == 3 and f["inspections.random.tasks"] == 0
    assert f["inspections.other.done"] == 2 and f["inspections.other.problems"] == 1
    assert f["inspections.other.transferred"] == 1
    assert f["inspections.result.no_problem"] == 1 and f["inspections.result.transferred"] == 1
    detail = by_agency_and_item(agency_ids=[tw.agency.pk], period=period)
    (line,) = detail["by_agency"]
    assert (line.tasks, line.done, line.problems, line.transferred) == (3, 2, 1, 1)
    assert str(line.completion) == "66.7" and str(line.problem_rate) == "50.0"
    assert {item.label for item in detail["by_item"]} == {
        f"{tw.item.code} {tw.item.name}",
        f"{tw.item2.code} {tw.item2.name}",
    }


def test_the_annual_report_has_the_inspection_section(tw):
    world_with_results(tw)
    snapshot = build_snapshot(Scope(tw.agency), timezone.localdate().year)
    section = next(s for s in snapshot["sections"] if s["key"] == "inspections")
    assert section["title"] == "八、行政检查"
    rows = {r["label"]: r["value"] for r in section["rows"]}
    assert rows["专项检查、投诉举报核查和上级交办：问题发现率"] == "50.0"
    assert snapshot["figures"]["inspections.other.transferred"] == 1


def test_the_figures_page_and_its_refusals(tw, client):
    world_with_results(tw)
    client.force_login(tw.head)
    page = client.get(reverse("inspection_tasks:figures"))
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and tw.item.name in text and "问题发现率" in text
    client.force_login(tw.supervisor)
    assert client.get(reverse("inspection_tasks:figures")).status_code == 200
    client.force_login(tw.inspector)
    assert client.get(reverse("inspection_tasks:figures")).status_code == 403


def test_completion_within_the_inspection_period(tw):
    """Of the tasks whose 检查期间 ended in 2025: one with its result on the last day, one after it,
    one without a result; a task whose period ends in 2026 is not yet due in 2025."""
    import datetime as dt

    from zhifa.disclosure.annual.period import SHANGHAI
    from zhifa.inspections.models import InspectionTask

    tasks = [tw.task() for _ in range(4)]
    ends = [dt.date(2025, 6, 30), dt.date(2025, 6, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 15)]
    results = [dt.date(2025, 6, 30), dt.date(2025, 7, 2), None, dt.date(2025, 12, 20)]
    for task, end, done in zip(tasks, ends, results, strict=True):
        InspectionTask.objects.filter(pk=task.pk).update(
            valid_from=dt.date(2025, 6, 1),
            valid_until=end,
            concluded_on=done,
            result=TaskResult.NO_PROBLEM if done else "",
        )
    period = Period(2025, dt.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    f = figures_by_agency([tw.agency.pk], period)[tw.agency.pk]
    assert (f["inspections.window_due"], f["inspections.window_on_time"]) == (3, 1)
    # While 2025 was running (at 1 July) only the two periods ended by then were due.
    running = Period(2025, dt.datetime(2025, 7, 1, 12, tzinfo=SHANGHAI))
    f = figures_by_agency([tw.agency.pk], running)[tw.agency.pk]
    assert (f["inspections.window_due"], f["inspections.window_on_time"]) == (2, 1)
    section = next(s for s in build_snapshot(Scope(tw.agency), 2025)["sections"] if s["key"] == "inspections")
    assert {r["label"]: r["value"] for r in section["rows"]}["检查期间内完成率"] == "33.3"
