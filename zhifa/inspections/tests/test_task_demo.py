"""The demo's inspection tasks: every state, a result that became a case clue, a subject over the
yearly limit, results for the portal; a second run adds nothing."""

from __future__ import annotations

import pytest

from zhifa.demo import inspection_tasks
from zhifa.disclosure.models import Kind, Publication
from zhifa.inspections.models import InspectionTask, InspectionWarning, TaskStatus, WarningKind
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_tasks(tw):
    made = inspection_tasks.load({"samr": tw.agency})
    assert made.tasks == 10 and not made.skipped
    assert set(InspectionTask.objects.values_list("status", flat=True)) == set(TaskStatus.values)
    transferred = InspectionTask.objects.get(status=TaskStatus.TRANSFERRED)
    assert transferred.case.records.count() == 1 and transferred.case.evidence_items.count() == 1
    assert set(InspectionWarning.objects.values_list("kind", flat=True)) == {
        WarningKind.FREQUENCY,
        WarningKind.NO_CODE,
    }
    assert Publication.objects.filter(kind=Kind.INSPECTION_RESULT, state="published").exists()
    assert "新建 10 件" in inspection_tasks.summary(made)
    again = inspection_tasks.load({"samr": tw.agency})
    assert again.tasks == 0 and InspectionTask.objects.count() == 10
