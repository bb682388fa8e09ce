"""The step table: what the case page offers each user, and why a step is not open."""

from __future__ import annotations

import pytest

from zhifa.cases import workflow
from zhifa.cases.models import Procedure, Status
from zhifa.cases.tests.steps import START_DAY, clue, declare, requested_case, travel
from zhifa.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with travel(START_DAY, 9):
        yield


def test_every_step_names_known_statuses_a_known_role_and_a_form():
    whos = {workflow.HANDLER, workflow.HEAD, workflow.HANDLER_OR_HEAD, workflow.STAFF, workflow.PARTY}
    for step in workflow.CASES.steps.values():
        assert step.statuses <= set(Status.values), step.code
        assert set(step.leads_to) <= set(Status.values), step.code
        assert step.who in whos, step.code
        assert step.variants is None or step.variants <= set(Procedure.values), step.code
        assert callable(step.perform) and step.form is not None, step.code
        # A step with several targets says which one it takes.
        assert len(step.leads_to) <= 1 or step.route is not None, step.code


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


def test_next_steps_are_none_for_who_takes_no_part(world):
    case = requested_case(world)
    assert workflow.next_steps(case, world.outsider) == []


def test_check_refuses_a_step_of_the_other_procedure_or_stage_as_a_conflict(world):
    w = world
    case = clue(w)
    with pytest.raises(Conflict, match="一般程序案件没有“当场处罚备案”这一环节"):
        workflow.check("file_on_the_spot", case, w.head)
    with pytest.raises(Conflict, match="案件当前处于“案源待处理”阶段，不能进行“批准立案”"):
        workflow.check("approve_filing", case, w.head)
    with pytest.raises(DomainError, match="没有“no_such_step”这一办理环节"):
        workflow.check("no_such_step", case, w.head)


def test_measure_and_suspension_steps_are_offered_only_with_something_to_act_on(world):
    """No 批准 without a pending measure, no 延长 for a 先行登记保存, no 恢复 unless suspended; the
    API's available_steps lists the same steps as the page."""
    from django.test import Client

    from zhifa.cases.models import MeasureKind
    from zhifa.cases.tests.steps import investigated_case

    w = world
    case = investigated_case(w)

    def offered(user=w.head):
        codes = {s.step.code for s in workflow.next_steps(case, user)}
        client = Client()
        client.force_login(user)
        api = client.get(f"/api/cases/{case.pk}").json()["available_steps"]
        assert {s["code"] for s in api} == codes
        return codes

    measure_steps = {"approve_measure", "decline_measure", "extend_measure", "conclude_measure"}
    assert not offered() & measure_steps and "resume" not in offered() and "suspend" in offered()
    measure = workflow.take(
        "request_measure",
        actor=w.officer,
        case=case,
        kind=MeasureKind.PRESERVATION,
        place="当事人财务室",
        items=[{"name": "工资台账", "quantity": "3 册"}],
        reason="证据可能灭失。",
    )
    assert offered() & measure_steps == {"approve_measure", "decline_measure"}
    workflow.take("approve_measure", actor=w.head, case=case, measure=measure)
    assert offered() & measure_steps == {"conclude_measure"}  # a 先行登记保存 is never extended
    assert "conclude_measure" in offered(w.officer)

    workflow.take("suspend", actor=w.head, case=case, starts_on=case.filed_on, reason="当事人下落不明。")
    assert "resume" in offered() and "suspend" not in offered()
