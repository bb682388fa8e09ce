"""演示案卷评查: a finished campaign of the county 司法局, replayed through the services and the
step runner as the bureau and its evaluators would.

- the bureau's supervisor drafts, approves and locks the campaign over its agencies' closed
  cases, and draws two files per agency with a witness value;
- each file is scored by a legal reviewer (or officer) of another agency: the pre-filled checks
  taken as found, one file with a deduction (合格), one with a veto item (一票否决 → 不合格);
- the 通报 is issued as a signed document and the 不合格 file's rectification goes to its
  agency (待办 of its head). The 通报 is issued today (the bureau's demo certificate starts now).

Built once: a second run finds the campaign and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import time_machine
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.models import Case, Status
from zhifa.core.calendar import today
from zhifa.documents.services import demo_credential_ensure, documents_render_pending
from zhifa.ledger.services import checkpoint_make
from zhifa.org.models import Agency, Officer
from zhifa.supervision import policies
from zhifa.supervision.evaluation_services import campaign_create
from zhifa.supervision.evaluation_standard import standard_load_default
from zhifa.supervision.evaluation_workflow import take_campaign, take_file
from zhifa.supervision.models_evaluation import Campaign, Grade

TITLE = "演示：年度行政执法案卷评查"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _evaluator_for(agency_id: int, candidates: list[Any]) -> Any:
    return next((o.user for o in candidates if o.agency_id != agency_id), None)


def load(agencies: dict[str, Agency]) -> str:
    """Create what is missing; returns the line the demo prints."""
    existing = Campaign.objects.filter(title=TITLE).first()
    if existing is not None:
        return f"案卷评查：{existing.number}（已存在）。"
    bureau = agencies["justice"]
    supervisor = next(
        (
            o.user
            for o in Officer.objects.filter(agency=bureau, user__role=Role.SUPERVISOR, user__isnull=False)
        ),
        None,
    )
    if supervisor is None:
        return "案卷评查：未载入（没有司法局监督人员）。"
    scope = policies.supervised_agencies(supervisor).filter(is_justice_bureau=False)
    start = today() - dt.timedelta(days=730)
    with_cases = [
        a
        for a in scope.order_by("pk")
        if Case.objects.filter(agency=a, status=Status.CLOSED, closed_on__gte=start).exists()
    ]
    if not with_cases:
        return "案卷评查：未载入（辖区内没有已结案的案件）。"
    standard_load_default()
    demo_credential_ensure(bureau)
    candidates = list(
        Officer.objects.filter(
            agency__in=scope, is_active=True, user__isnull=False, user__role__in=[Role.REVIEWER, Role.OFFICER]
        )
        .select_related("user")
        .order_by("-user__role", "pk")  # legal reviewers first
    )
    begun = today() - dt.timedelta(days=21)
    with time_machine.travel(_at(begun, 9), tick=False):
        campaign = campaign_create(
            actor=supervisor,
            title=TITLE,
            agencies=with_cases,
            period_start=start,
            period_end=today(),
            witness_rule="抽取日（以北京时间 15:00 为准）上证综合指数收盘点位，保留两位小数，由见证人当场查询并录入",
            count=2,
            rectification_workdays=20,
        )
        take_campaign(
            "approve", actor=supervisor, campaign=campaign, opinion="按年度行政执法监督工作方案开展。"
        )
        take_campaign("lock", actor=supervisor, campaign=campaign)
        checkpoint_make(reason=f"案卷评查{campaign.number}锁定")
    with time_machine.travel(_at(begun, 15) + dt.timedelta(minutes=5), tick=False):
        take_campaign(
            "draw",
            actor=supervisor,
            campaign=campaign,
            witness_name="示例县公证处公证员（现场见证）",
            witness_value="3287.45",
        )
    files = list(campaign.files.order_by("agency_id", "draw_key"))
    with time_machine.travel(_at(begun + dt.timedelta(days=2), 10), tick=False):
        for file in files:
            evaluator = _evaluator_for(file.agency_id, candidates)
            if evaluator is not None:
                take_file("assign", actor=supervisor, file=file, evaluator=evaluator)
    scored = 0
    with time_machine.travel(_at(begun + dt.timedelta(days=9), 14), tick=False):
        for n, file in enumerate(files):
            if file.evaluator_id is None:
                continue
            scores: dict[Any, dict[str, Any]] = {
                c.item_id: {"met": c.met, "points": c.points} for c in file.checks.all()
            }
            if n == 0:  # the evaluator finds the penalty's basis wrongly cited: a veto
                v1 = file.checks.get(item__code="V1")
                scores[v1.item_id] = {"met": False, "reason": "处罚依据引用的条款与认定的违法事实不对应。"}
            elif n == 1:  # incomplete evidence: a deduction
                f1 = file.checks.get(item__code="F1")
                scores[f1.item_id] = {
                    "points": Decimal(3),
                    "reason": "询问笔录未载明工资核算依据，证据不够充分。",
                }
                d1 = file.checks.get(item__code="D1")
                scores[d1.item_id] = {"points": Decimal(5), "reason": "送达回证未注明送达方式。"}
            take_file(
                "score", actor=file.evaluator, file=file, scores=scores, comment="对照评查标准逐项评查。"
            )
            scored += 1
    if scored < len(files):
        return f"案卷评查：{campaign.number} 已抽取 {len(files)} 件，{len(files) - scored} 件无可回避的评查人员。"
    # The 通报 today, at the present clock: the bureau's demo certificate is valid from now.
    document = take_campaign("finish", actor=supervisor, campaign=campaign, opinion="")
    documents_render_pending()
    grades = {g: campaign.files.filter(grade=g).count() for g in Grade.values}
    return (
        f"案卷评查：{campaign.number} 抽取 {len(files)} 件（优秀 {grades['excellent']}、合格 {grades['pass']}、"
        f"不合格 {grades['fail']}），通报 {document.number}。"
    )
