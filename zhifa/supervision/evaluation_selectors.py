"""Every read of 案卷评查 for a user. "Not found" and "not yours" look the same (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.org.policies import agency_of
from zhifa.supervision import evaluation_policies as rules
from zhifa.supervision import policies
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


def campaigns_visible_to(*, user: User) -> QuerySet[Campaign]:
    if policies.bureau_of(user) is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(policies.supervised_filter(user, "bureau")).select_related(
        "bureau", "standard"
    )


def campaign_get_for(*, user: User, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user=user).filter(pk=pk).first()
    if campaign is None:
        raise Http404("案卷评查不存在或您无权查看。")
    return campaign


def files_assigned_to(*, user: User) -> QuerySet[EvaluationFile]:
    """The evaluator's files: only those assigned to them."""
    if not user.is_authenticated:
        return EvaluationFile.objects.none()
    return (
        EvaluationFile.objects.filter(evaluator=user, status__in=[FileStatus.ASSIGNED, FileStatus.SCORED])
        .select_related("campaign", "agency")
        .order_by("status", "campaign__number", "number")
    )


def file_get_for(*, user: User, pk: int) -> EvaluationFile:
    file = (
        EvaluationFile.objects.select_related(
            "campaign__bureau", "campaign__standard", "agency", "case", "task"
        )
        .filter(pk=pk)
        .first()
    )
    if file is None or not rules.may_work_on_file(user, file):
        raise Http404("评查案卷不存在或您无权查看。")
    return file


def agency_results(*, user: User) -> tuple[QuerySet[EvaluationFile], QuerySet[Rectification]]:
    """An agency's own results (campaigns 通报ed) and its rectifications."""
    agency = agency_of(user) if user.is_authenticated else None
    if agency is None or agency.is_justice_bureau:
        return EvaluationFile.objects.none(), Rectification.objects.none()
    files = EvaluationFile.objects.filter(
        agency=agency, campaign__status=CampaignStatus.FINISHED
    ).select_related("campaign")
    rects = Rectification.objects.filter(agency=agency).select_related("file__campaign")
    return files.order_by("-campaign__finished_at", "number"), rects.order_by("status", "due_on")


def rectification_get_for(*, user: User, pk: int) -> Rectification:
    rect = Rectification.objects.select_related("file__campaign__bureau", "agency").filter(pk=pk).first()
    if rect is None or not rules.may_work_on_rectification(user, rect):
        raise Http404("整改事项不存在或您无权查看。")
    return rect


def open_rectifications_for(*, user: User) -> QuerySet[Rectification]:
    """The 待办 of an agency head: rectifications of their agency not yet reported."""
    agency = agency_of(user) if user.is_authenticated else None
    if agency is None:
        return Rectification.objects.none()
    return Rectification.objects.filter(agency=agency, status=RectificationStatus.OPEN)


def urgency(due: dt.date | None, *, on: dt.date, done: bool = False) -> str:
    """'late' (red) or 'soon' (yellow, within 3 days) for a rectification deadline."""
    if due is None or done:
        return ""
    if due < on:
        return "late"
    return "soon" if (due - on).days <= 3 else ""


@dataclass(frozen=True)
class FileRecord:
    """The electronic case file beside the scores: what the evaluator reads."""

    facts: list[tuple[str, str]]
    events: list[Any]
    documents: list[Any]
    records: list[Any]
    reviews: list[Any]
    evidence: list[Any] = field(default_factory=list)


def file_record_open(*, reader: Any, file: EvaluationFile) -> FileRecord:
    """The electronic case file read beside the scores, each opening logged as 调阅 with the
    purpose 案卷评查 (like 个案监督's opening of a case: a supervisor's purpose already stated for
    the case is kept, else 案卷评查 is stated for it; an evaluator's follows from the appointment)."""
    from zhifa.core.access import Target, access_record, asks_purpose
    from zhifa.core.models import AccessAction, AccessPurpose

    note = f"案卷评查 {file.campaign.number}"
    if file.case is not None:
        case = file.case
        target = Target(
            ref=case.subject_ref,
            label=f"{case.number} 电子案卷（{note}）",
            case_ref=case.subject_ref,
            case_number=case.number,
            agency_id=case.agency_id,
        )
    else:
        ref = file.task.ref if file.task is not None else f"supervision.evaluationfile:{file.pk}"
        target = Target(ref=ref, label=f"{file.number} 检查案卷（{note}）", agency_id=file.agency_id)
    if asks_purpose(reader.user) and reader.purpose_stated(target.scope) is None:
        reader.purpose_state(target.scope, AccessPurpose.EVALUATION, note)
    access_record(
        reader=reader, action=AccessAction.VIEW, target=target, implied=(AccessPurpose.EVALUATION, note)
    )
    return file_record(file)


def file_record(file: EvaluationFile) -> FileRecord:
    from zhifa.documents.models import Document

    if file.case is not None:
        case = file.case
        facts = [
            ("案由", case.cause),
            ("状态", case.get_status_display()),
            ("执法事项", case.matter_version.name if case.matter_version else "—"),
            ("案源登记", f"{case.received_on:%Y-%m-%d}"),
            ("立案", f"{case.filed_on:%Y-%m-%d}" if case.filed_on else "—"),
            ("决定", f"{case.decided_on:%Y-%m-%d}" if case.decided_on else "—"),
            ("决定书送达", f"{case.decision_served_on:%Y-%m-%d}" if case.decision_served_on else "—"),
            ("处理结果", case.get_outcome_display() or "—"),
            ("结案", f"{case.closed_on:%Y-%m-%d}" if case.closed_on else "—"),
        ]
        events: list[Any] = list(case.events.order_by("at", "pk")[:200])
        documents = list(Document.objects.filter(subject_ref=case.subject_ref).order_by("pk"))
        records = list(case.records.order_by("started_at"))
        from zhifa.review.models import ReviewRound

        reviews = list(ReviewRound.objects.filter(case=case).order_by("pk"))
        from zhifa.evidence.selectors import case_items

        evidence = list(case_items(case).order_by("collected_at", "pk"))
        return FileRecord(facts, events, documents, records, reviews, evidence)
    task = file.task
    if task is None:
        return FileRecord([], [], [], [], [])
    facts = [
        ("检查类别", task.get_kind_display()),
        ("状态", task.get_status_display()),
        ("检查期间", f"{task.valid_from:%Y-%m-%d} 至 {task.valid_until:%Y-%m-%d}"),
        ("结果", task.get_result_display() if task.result else "—"),
        ("结果作出", f"{task.concluded_on:%Y-%m-%d}" if task.concluded_on else "—"),
    ]
    task_events: list[Any] = list(task.events.order_by("at", "pk")[:200])
    documents = list(Document.objects.filter(subject_ref=task.subject_ref).order_by("pk"))
    return FileRecord(facts, task_events, documents, [], [])


def home_counts(*, user: User) -> dict[str, int]:
    """The counts of the card on /supervision/."""
    campaigns = campaigns_visible_to(user=user)
    return {
        "campaigns": campaigns.count(),
        "running": campaigns.exclude(status=CampaignStatus.FINISHED).count(),
        "unscored": EvaluationFile.objects.filter(campaign__in=campaigns, score__isnull=True).count(),
        "rectifications": Rectification.objects.filter(
            Q(file__campaign__in=campaigns), ~Q(status=RectificationStatus.ACCEPTED)
        ).count(),
        "mine": files_assigned_to(user=user).filter(status=FileStatus.ASSIGNED).count(),
    }
