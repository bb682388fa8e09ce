"""案卷评查 on the step runner (zhifa.core.workflow): three subjects, one event table.

Campaign: 草拟 → 已批准 → 已锁定案卷范围 → 评查中 → 已通报
- approve (批准): a supervisor of the bureau; fixes the scope and the standard;
- lock (锁定案卷范围): freezes the population and appends it to the ledger;
- draw (抽取): once a signed checkpoint includes the lock; the witness enters the value;
- finish (通报): every drawn file scored; issues the signed 通报 and the rectifications.

File: 待分配评查人员 → 评查中 → 已评分
- assign (分配评查人员): a supervisor; the evaluator is of another agency than the file's;
- score (评分): the assigned evaluator only, while the campaign is 评查中.

Rectification: 待整改 → 已报告整改 → 整改已确认, with 退回 back to 待整改
- report (报告整改): the agency's head; accept (确认) / return (退回): a supervisor.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.core import workflow as runner
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.supervision import evaluation_policies as rules
from zhifa.supervision import evaluation_services as services
from zhifa.supervision.models_evaluation import (
    Campaign,
    CampaignStatus,
    EvaluationFile,
    FileStatus,
    Rectification,
    RectificationStatus,
)

if TYPE_CHECKING:
    from zhifa.accounts.models import User

C, F, R = CampaignStatus, FileStatus, RectificationStatus

CAMPAIGNS: runner.Workflow[Campaign] = runner.Workflow(
    name="evaluation_campaigns",
    model=Campaign,
    noun="案卷评查",
    ensure_participant=rules.ensure_manages,
    write_event=services.campaign_event,
)
FILES: runner.Workflow[EvaluationFile] = runner.Workflow(
    name="evaluation_files",
    model=EvaluationFile,
    noun="评查案卷",
    ensure_participant=rules.ensure_may_work_on_file,
    write_event=services.file_event,
)
RECTIFICATIONS: runner.Workflow[Rectification] = runner.Workflow(
    name="evaluation_rectifications",
    model=Rectification,
    noun="评查整改",
    ensure_participant=rules.ensure_may_work_on_rectification,
    write_event=services.rectification_event,
)

SUPERVISOR: runner.Who[Campaign] = runner.Who("组织评查的司法行政部门监督人员", rules.manages)
FILE_SUPERVISOR: runner.Who[EvaluationFile] = runner.Who(
    "组织评查的司法行政部门监督人员", lambda u, f: rules.manages(u, f.campaign)
)
EVALUATOR: runner.Who[EvaluationFile] = runner.Who("分配的评查人员", rules.evaluates)
HEAD: runner.Who[Rectification] = runner.Who(
    "被评查执法主体的负责人", lambda u, r: rules.is_head_of(u, r.agency_id)
)
RECT_SUPERVISOR: runner.Who[Rectification] = runner.Who(
    "组织评查的司法行政部门监督人员", lambda u, r: rules.manages(u, r.file.campaign)
)


class OpinionForm(runner.StepForm):
    opinion = forms.CharField(
        label="意见", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DrawForm(runner.StepForm):
    witness_name = forms.CharField(label="见证人", max_length=100, help_text="现场见证抽取的人员及其单位。")
    witness_value = forms.CharField(
        label="见证值", max_length=100, help_text="按公布的见证值规则，由见证人现场录入。"
    )


class ReportForm(runner.StepForm):
    report = forms.CharField(label="整改情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ReturnForm(runner.StepForm):
    opinion = forms.CharField(label="退回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


# ── campaign ──────────────────────────────────────────────────────────────────────────────


def _approve(run: runner.Run[Campaign], opinion: str = "") -> None:
    campaign = run.subject
    campaign.approved_by, campaign.approved_at = run.actor, timezone.now()
    campaign.save(update_fields=["approved_by", "approved_at", "updated_at"])
    run.record(f"批准案卷评查 {campaign.number}", reason=opinion)


def _lock(run: runner.Run[Campaign], opinion: str = "") -> None:
    campaign = services.campaign_lock(campaign=run.subject, actor=run.actor)
    run.record(
        f"锁定评查范围内案卷 {campaign.snapshot_count} 件",
        reason=opinion,
        count=campaign.snapshot_count,
        snapshot_sha256=campaign.snapshot_sha256,
        leaf_index=campaign.snapshot_leaf_index,
    )


def _draw(run: runner.Run[Campaign], witness_name: str, witness_value: str) -> int:
    drawn = services.campaign_draw(
        campaign=run.subject, actor=run.actor, witness_name=witness_name, witness_value=witness_value
    )
    campaign = run.subject
    run.record(
        f"随机抽取评查案卷 {drawn} 件",
        seed=campaign.seed,
        witness=campaign.witness_value,
        checkpoint_size=campaign.checkpoint_size,
        checkpoint_root=campaign.checkpoint_root,
    )
    return drawn


def _finish(run: runner.Run[Campaign], opinion: str = "") -> Any:
    document, rectifications, due = services.campaign_finish(campaign=run.subject, actor=run.actor)
    run.record(
        f"通报评查结果 {document.number}，下发整改 {rectifications} 件",
        action="finish",
        reason=opinion,
        document=document.pk,
        rectifications=rectifications,
        due_on=due,
    )
    return document


def _may_draw(campaign: Campaign, on: dt.date) -> None:
    services.ensure_checkpoint(campaign)


def _all_scored(campaign: Campaign, on: dt.date) -> None:
    services.ensure_scored(campaign)


CAMPAIGNS.add(
    [
        runner.Step(
            "approve",
            "批准",
            SUPERVISOR,
            frozenset({C.DRAFT}),
            _approve,
            form=OpinionForm,
            leads_to=(C.APPROVED,),
        ),
        runner.Step(
            "lock",
            "锁定案卷范围",
            SUPERVISOR,
            frozenset({C.APPROVED}),
            _lock,
            form=OpinionForm,
            leads_to=(C.LOCKED,),
        ),
        runner.Step(
            "draw",
            "抽取",
            SUPERVISOR,
            frozenset({C.LOCKED}),
            _draw,
            form=DrawForm,
            leads_to=(C.SAMPLED,),
            guard=_may_draw,
        ),
        runner.Step(
            "finish",
            "通报评查结果",
            SUPERVISOR,
            frozenset({C.SAMPLED}),
            _finish,
            form=OpinionForm,
            leads_to=(C.FINISHED,),
            guard=_all_scored,
        ),
    ]
)


# ── file ──────────────────────────────────────────────────────────────────────────────────


def _assign(run: runner.Run[EvaluationFile], evaluator: User) -> None:
    services.file_assign(file=run.subject, evaluator=evaluator)
    run.record(f"{run.subject.number} 由{evaluator.display_name}评查", evaluator=evaluator.pk)


def _score(
    run: runner.Run[EvaluationFile], scores: dict[Any, dict[str, Any]], comment: str = ""
) -> dict[str, Any]:
    result = services.file_score(file=run.subject, scores=scores, comment=comment)
    grade = run.subject.get_grade_display()
    veto = "，触发一票否决" if result["vetoed"] else ""
    run.record(f"{run.subject.number} 评分 {result['score']} 分，{grade}{veto}", reason=comment, **result)
    return result


def _campaign_open(file: EvaluationFile, on: dt.date) -> None:
    if file.campaign.status != C.SAMPLED:
        raise DomainError(f"案卷评查处于“{file.campaign.get_status_display()}”阶段，不能再分配或者评分。")


def _still_independent(file: EvaluationFile, user: User) -> None:
    services.ensure_independent(file, user)


FILES.add(
    [
        runner.Step(
            "assign",
            "分配评查人员",
            FILE_SUPERVISOR,
            frozenset({F.DRAWN, F.ASSIGNED}),
            _assign,
            leads_to=(F.ASSIGNED,),
            guard=_campaign_open,
        ),
        runner.Step(
            "score",
            "评分",
            EVALUATOR,
            frozenset({F.ASSIGNED}),
            _score,
            leads_to=(F.SCORED,),
            guard=_campaign_open,
            actor_guard=_still_independent,
        ),
    ]
)


# ── rectification ─────────────────────────────────────────────────────────────────────────


def _report(run: runner.Run[Rectification], report: str) -> None:
    services.rectification_report(rect=run.subject, actor=run.actor, report=report)
    run.record(f"{run.subject.file.number} 报告整改情况", reason=report[:300])


def _accept(run: runner.Run[Rectification], opinion: str = "") -> None:
    run.record(f"{run.subject.file.number} 确认整改", reason=opinion)


def _return(run: runner.Run[Rectification], opinion: str) -> None:
    if not opinion.strip():
        raise InvalidInput("请写明退回理由。")
    run.record(f"{run.subject.file.number} 整改退回", reason=opinion)


RECTIFICATIONS.add(
    [
        runner.Step(
            "report", "报告整改", HEAD, frozenset({R.OPEN}), _report, form=ReportForm, leads_to=(R.REPORTED,)
        ),
        runner.Step(
            "accept",
            "确认整改",
            RECT_SUPERVISOR,
            frozenset({R.REPORTED}),
            _accept,
            form=OpinionForm,
            leads_to=(R.ACCEPTED,),
        ),
        runner.Step(
            "return",
            "退回整改",
            RECT_SUPERVISOR,
            frozenset({R.REPORTED}),
            _return,
            form=ReturnForm,
            leads_to=(R.OPEN,),
        ),
    ]
)


def take_campaign(code: str, *, actor: User | None, campaign: Campaign, **data: Any) -> Any:
    return CAMPAIGNS.take(code, campaign, actor=actor, **data)


def take_file(code: str, *, actor: User | None, file: EvaluationFile, **data: Any) -> Any:
    return FILES.take(code, file, actor=actor, **data)


def take_rectification(code: str, *, actor: User | None, rect: Rectification, **data: Any) -> Any:
    return RECTIFICATIONS.take(code, rect, actor=actor, **data)


campaign_steps = CAMPAIGNS.next_steps
rectification_steps = RECTIFICATIONS.next_steps
