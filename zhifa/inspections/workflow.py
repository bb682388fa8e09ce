"""The plan's steps on the step runner (zhifa.core.workflow): 草拟 → 待审批 → 已批准 → 已公示 →
已锁定 → 已抽取, with 退回 from 待审批 back to 草拟.

- submit (报请审批): the lead agency's officers or head;
- approve (批准) / return (退回): the lead agency's head;
- publish (公示): the head or the 公示管理员; the plan appears on the portal before its draw;
- lock (锁定抽查对象): the head, after publication and before the draw time; freezes the
  population and appends it to the ledger;
- draw (抽取): the head, at or after the draw time, once a signed checkpoint includes the lock;
  the witness enters the value fixed in advance by the plan.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.core import workflow as runner
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.inspections import policies, services
from zhifa.inspections.models import Plan, PlanStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

S = PlanStatus

PLANS: runner.Workflow[Plan] = runner.Workflow(
    name="inspection_plans",
    model=Plan,
    noun="抽查计划",
    ensure_participant=policies.ensure_may_work_on,
    write_event=services.plan_event,
)

STAFF: runner.Who[Plan] = runner.Who("牵头机关执法人员或负责人", policies.is_staff_of_lead)
HEAD: runner.Who[Plan] = runner.Who("牵头机关负责人", policies.is_head_of_lead)
PUBLISHER: runner.Who[Plan] = runner.Who("牵头机关负责人或公示管理员", policies.may_publish)


class OpinionForm(runner.StepForm):
    opinion = forms.CharField(
        label="意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(runner.StepForm):
    opinion = forms.CharField(label="退回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DrawForm(runner.StepForm):
    witness_name = forms.CharField(label="见证人", max_length=100, help_text="现场见证抽取的人员及其单位。")
    witness_value = forms.CharField(
        label="见证值",
        max_length=100,
        help_text="按计划公布的见证值规则，由见证人现场录入（如当日某指数收盘点位）。",
    )


def _submit(run: runner.Run[Plan], opinion: str = "") -> None:
    run.record("报请审批抽查计划", reason=opinion)


def _approve(run: runner.Run[Plan], opinion: str = "") -> None:
    plan = run.subject
    plan.approved_by = run.actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["approved_by", "approved_at", "updated_at"])
    run.record("批准抽查计划", reason=opinion, **services.plan_public_fields(plan))


def _return(run: runner.Run[Plan], opinion: str) -> None:
    if not opinion.strip():
        raise InvalidInput("请写明退回理由。")
    run.record("退回抽查计划", reason=opinion)


def _publish(run: runner.Run[Plan], opinion: str = "") -> None:
    plan = run.subject
    plan.published_at = timezone.now()
    plan.save(update_fields=["published_at", "updated_at"])
    # What the portal shows from now on, in the ledger: the rules are fixed before the draw.
    run.record("在公示专栏公布抽查计划", reason=opinion, **services.plan_public_fields(plan))


def _lock(run: runner.Run[Plan], opinion: str = "") -> None:
    snapshot = services.plan_lock(plan=run.subject, actor=run.actor)
    run.record(
        f"锁定抽查对象 {snapshot.count} 户",
        reason=opinion,
        count=snapshot.count,
        snapshot_sha256=snapshot.sha256,
        leaf_index=snapshot.leaf_index,
    )


def _draw(run: runner.Run[Plan], witness_name: str, witness_value: str) -> services.Draw:
    draw = services.plan_draw(
        plan=run.subject, actor=run.actor, witness_value=witness_value, witness_name=witness_name
    )
    run.record(
        f"抽取检查对象 {len(draw.outputs)} 户",
        draw=draw.pk,
        seed=draw.seed,
        witness=draw.witness_value,
        checkpoint_size=draw.checkpoint_size,
    )
    return draw


def _before_draw_time(plan: Plan, on: dt.date) -> None:
    if timezone.now() >= plan.draw_at:
        raise DomainError(
            f"已过计划公布的抽取时间（{timezone.localtime(plan.draw_at):%Y-%m-%d %H:%M}），不能再锁定；请修订计划并重新公示。"
        )


def _draw_time(plan: Plan, on: dt.date) -> None:
    if timezone.now() < plan.draw_at:
        raise DomainError(
            f"未到计划公布的抽取时间（{timezone.localtime(plan.draw_at):%Y-%m-%d %H:%M}），不能抽取。"
        )
    services.ensure_checkpoint(plan)


def _may_lock(plan: Plan, on: dt.date) -> None:
    _before_draw_time(plan, on)


STEPS: list[runner.Step[Plan]] = [
    runner.Step(
        "submit", "报请审批", STAFF, frozenset({S.DRAFT}), _submit, form=OpinionForm, leads_to=(S.SUBMITTED,)
    ),
    runner.Step(
        "approve", "批准", HEAD, frozenset({S.SUBMITTED}), _approve, form=OpinionForm, leads_to=(S.APPROVED,)
    ),
    runner.Step(
        "return", "退回", HEAD, frozenset({S.SUBMITTED}), _return, form=ReturnForm, leads_to=(S.DRAFT,)
    ),
    runner.Step(
        "publish",
        "公示",
        PUBLISHER,
        frozenset({S.APPROVED}),
        _publish,
        form=OpinionForm,
        leads_to=(S.PUBLISHED,),
        guard=_before_draw_time,
    ),
    runner.Step(
        "lock",
        "锁定抽查对象",
        HEAD,
        frozenset({S.PUBLISHED}),
        _lock,
        form=OpinionForm,
        leads_to=(S.LOCKED,),
        guard=_may_lock,
    ),
    runner.Step(
        "draw",
        "抽取",
        HEAD,
        frozenset({S.LOCKED}),
        _draw,
        form=DrawForm,
        leads_to=(S.DRAWN,),
        guard=_draw_time,
    ),
]
PLANS.add(STEPS)


def take(code: str, *, actor: User | None, plan: Plan, **data: Any) -> Any:
    """Take step `code` on the plan (the pages, the demo and the tests all come through here)."""
    return PLANS.take(code, plan, actor=actor, **data)


next_steps = PLANS.next_steps
