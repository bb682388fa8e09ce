"""The 待办 of inspections: each count equals the list its link opens."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from zhifa.core.calendar import today
from zhifa.inspections.models import TaskResult
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.inspections.tests.test_task_steps import visit
from zhifa.workbench import todo

pytestmark = pytest.mark.django_db


def _listed(client, url: str) -> int:
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200, url
    key = {"/inspections/tasks/": "mine", "/inspections/tasks/warnings/": "warnings"}.get(parts.path, "rows")
    return len(response.context[key])


def test_counts_match_their_lists(tw, client):
    open_task = tw.task()
    done = tw.task(reason="已办结")
    visit(tw, done, code_shown=False)
    take("result", actor=tw.inspector, task=done, result=TaskResult.NO_PROBLEM)
    expected = {
        tw.inspector: {"待我检查的任务": 1},
        tw.head: {"行政检查预警（无事不扰）": 1},
        tw.supervisor: {"行政检查预警（无事不扰）": 1},
        tw.admin: {"待公示的检查结果": 1, "逾期未公示的检查结果": 0},
    }
    for user, counts in expected.items():
        items = {t.label: t for t in todo.todos(user, today())}
        client.force_login(user)
        for label, count in counts.items():
            assert items[label].count == count, (user, label)
            assert _listed(client, items[label].url) == count, (user, label)
    assert open_task.status == "assigned"
