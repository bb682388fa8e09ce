"""年度考核 on the step runner (zhifa.core.workflow).

Assessment: 草拟 → 已审定 → 已发布
- recompute (重新计算): a supervisor of the bureau, while 草拟: the scores from today's figures;
- approve (审定): the bureau's supervisor or head; fixes the scores;
- return (退回草拟): the same, with a reason, while 已审定;
- publish (发布): a supervisor of the bureau, once 审定; issues the signed 通报.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.core import workflow as runner
from zhifa.core.errors import InvalidInput
from zhifa.supervision import assessment_policies as rules
from zhifa.supervision import assessment_services as services
from zhifa.supervision.models_assessment import Assessment, AssessmentStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

A = AssessmentStatus

ASSESSMENTS: runner.Workflow[Assessment] = runner.Workflow(
    name="assessments",
    model=Assessment,
    noun="年度考核",
    ensure_participant=rules.ensure_participant,
    write_event=services.assessment_event,
)

SUPERVISOR: runner.Who[Assessment] = runner.Who("组织考核的司法行政部门监督人员", rules.manages)
APPROVER: runner.Who[Assessment] = runner.Who("组织考核的司法行政部门监督人员或负责人", rules.may_approve)


class OpinionForm(runner.StepForm):
    opinion = forms.CharField(
        label="意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(runner.StepForm):
    opinion = forms.CharField(label="退回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _recompute(run: runner.Run[Assessment], opinion: str = "") -> None:
    sha = services.assessment_recompute(assessment=run.subject)
    run.record(f"重新计算 {run.subject.number} 的考核得分", reason=opinion, sha256=sha)


def _approve(run: runner.Run[Assessment], opinion: str = "") -> None:
    a = run.subject
    a.approved_by, a.approved_at = run.actor, timezone.now()
    a.save(update_fields=["approved_by", "approved_at", "updated_at"])
    run.record(f"审定 {a.number} 的考核结果", reason=opinion, sha256=services.digest(a.snapshot))


def _return(run: runner.Run[Assessment], opinion: str) -> None:
    if not opinion.strip():
        raise InvalidInput("请写明退回理由。")
    a = run.subject
    a.approved_by, a.approved_at = None, None
    a.save(update_fields=["approved_by", "approved_at", "updated_at"])
    run.record(f"{a.number} 退回草拟", reason=opinion)


def _publish(run: runner.Run[Assessment], opinion: str = "") -> Any:
    document = services.assessment_publish(assessment=run.subject, actor=run.actor)
    run.record(
        f"发布考核通报 {document.number}",
        reason=opinion,
        document=document.pk,
        sha256=services.digest(run.subject.snapshot),
    )
    return document


ASSESSMENTS.add(
    [
        runner.Step("recompute", "重新计算", SUPERVISOR, frozenset({A.DRAFT}), _recompute, form=OpinionForm),
        runner.Step(
            "approve",
            "审定",
            APPROVER,
            frozenset({A.DRAFT}),
            _approve,
            form=OpinionForm,
            leads_to=(A.APPROVED,),
        ),
        runner.Step(
            "return",
            "退回草拟",
            APPROVER,
            frozenset({A.APPROVED}),
            _return,
            form=ReturnForm,
            leads_to=(A.DRAFT,),
        ),
        runner.Step(
            "publish",
            "发布",
            SUPERVISOR,
            frozenset({A.APPROVED}),
            _publish,
            form=OpinionForm,
            leads_to=(A.PUBLISHED,),
        ),
    ]
)


def take(code: str, *, actor: User | None, assessment: Assessment, **data: Any) -> Any:
    return ASSESSMENTS.take(code, assessment, actor=actor, **data)


steps_for = ASSESSMENTS.next_steps
