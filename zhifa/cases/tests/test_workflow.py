"""The step table: what the case page offers each user, and why a step is not open."""

from __future__ import annotations

import pytest

from zhifa.cases import workflow
from zhifa.cases.models import Procedure, Status
from zhifa.cases.tests.steps import START_DAY, clue, declare, requested_case, travel
from zhifa.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with travel(START_DAY, 9):
        yield


def test_every_step_names_known_statuses_and_a_known_role():
    for step in workflow.STEPS.values():
        assert step.statuses <= set(Status.values), step.code
        assert step.who in workflow._WHO_LABEL, step.code
        assert step.procedure in (None, *Procedure.values), step.code


def test_next_steps_tell_the_head_why_filing_cannot_be_approved_yet(world):
    w = world
    case = requested_case(w)
    states = {s.step.code: s for s in workflow.next_steps(case, w.head)}
    assert not states["approve_filing"].allowed and "第四十三条" in states["approve_filing"].reason
    assert states["decline_filing"].allowed and states["extend_filing"].allowed
    assert "应由本案承办人办理" in states["declare_recusal"].reason

    declare(case, w.officer, w.colleague)
    states = {s.step.code: s for s in workflow.next_steps(case, w.head)}
    assert states["approve_filing"].allowed


def test_next_steps_for_a_handler_leave_out_other_stages_and_procedures(world):
    w = world
    case = requested_case(w)
    states = {s.step.code: s for s in workflow.next_steps(case, w.officer)}
    assert states["declare_recusal"].allowed and states["update_party"].allowed
    assert "应由本机关负责人办理" in states["approve_filing"].reason
    assert "add_record" not in states and "file_on_the_spot" not in states


def test_ensure_refuses_a_step_of_the_other_procedure_or_stage(world):
    w = world
    case = clue(w)
    with pytest.raises(DomainError, match="一般程序案件没有“当场处罚备案”这一环节"):
        workflow.ensure("file_on_the_spot", case, w.head)
    with pytest.raises(DomainError, match="案件当前处于“案源待处理”阶段，不能进行“批准立案”"):
        workflow.ensure("approve_filing", case, w.head)
