"""A draw opens one task per drawn subject (idempotent); a recusal after the draw moves a task not
begun to the next in rank."""

from __future__ import annotations

import pytest

from zhifa.inspections.models import InspectionTask, InspectorStatus, TaskKind
from zhifa.inspections.task_services import tasks_open_for_draw
from zhifa.inspections.tests.conftest import drawn

pytestmark = pytest.mark.django_db


def test_the_draw_opens_one_task_per_assignment(world, time_machine):
    plan = drawn(world, time_machine)
    draw = plan.draw
    assignments = list(draw.assignments.all())
    tasks = InspectionTask.objects.filter(assignment__draw=draw)
    assert assignments and tasks.count() == len(assignments)
    task = tasks.select_related("assignment").first()
    assert task.kind == TaskKind.RANDOM and task.subject == task.assignment.subject
    assigned = set(
        task.assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).values_list(
            "officer_id", flat=True
        )
    )
    assert {task.inspector_a_id, task.inspector_b_id} == assigned
    assert (task.valid_from, task.valid_until) == (plan.window_start, plan.window_end)
    assert list(task.items.all()) == [world.item]
    assert tasks_open_for_draw(draw=draw) == []  # again: nothing twice
    assert tasks.count() == len(assignments)


def test_a_joint_plan_brings_the_partner_inspectors_to_the_same_visit(world, time_machine):
    plan = drawn(world, time_machine, joint=True)
    task = InspectionTask.objects.filter(assignment__draw=plan.draw).first()
    assert {task.inspector_a.agency, task.inspector_b.agency} == {world.lead}
    partners = list(task.joint_inspectors.all())
    assert partners and all(o.agency == world.partner for o in partners)
    assert task.is_inspector(partners[0])
    assert set(task.items.all()) == {world.item, world.partner_item}


def test_a_recusal_after_the_draw_moves_the_task_to_the_next_in_rank(world, time_machine):
    from zhifa.inspections.services import recusal_declare

    plan = drawn(world, time_machine)
    task = InspectionTask.objects.filter(assignment__draw=plan.draw).first()
    leaving = task.inspector_a
    recusal_declare(actor=world.head, officer=leaving, subject=task.subject, reason="亲属经营")
    task.refresh_from_db()
    assert leaving.pk not in (task.inspector_a_id, task.inspector_b_id)
    assert task.events.filter(action="inspectors_changed").exists()
