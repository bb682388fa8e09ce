"""The checks zhifa can already decide for a case file, each with the evidence it read.

Each check returns a Finding: met True / False, or None when the file gives zhifa nothing to
decide on (the evaluator judges it). They reuse the selectors and rules the procedure itself
enforces, so a file is held to the same reading as when it was handled:

- decision_deadline: the 90-day limit (《行政处罚法》第六十条; zhifa.cases.deadlines, `decided_late`);
- legal_review: review done when required (第五十八条; zhifa.cases.review_gate.clearance);
- av_recorded: AV recorded where the matter's AV list demands it (第四十七条; recording_gate);
- served: the decision served, within 7 working days (第六十一条; deadlines.service_due);
- discretion: the penalty within the 裁量基准's range, or the departure explained (第三十四条;
  zhifa.cases.discretion.assessment_for);
- published: the decision on the portal by its deadline (第四十八条; zhifa.disclosure.periods);
- authority: the matter belongs to the deciding agency (权责清单; no decision beyond authority);
- task_deadline / task_code: an inspection concluded within its period, the 检查码 shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Finding:
    met: bool | None
    evidence: str


def _decision_deadline(case: Any) -> Finding:
    if case.decided_on is None:
        return Finding(None, "本案未作出处罚决定，不适用。")
    if case.decided_late:
        return Finding(
            False, f"{case.decided_on:%Y-%m-%d} 作出决定，超过办案期限（《行政处罚法》第六十条）。"
        )
    filed = f"立案 {case.filed_on:%Y-%m-%d}，" if case.filed_on else ""
    return Finding(True, f"{filed}决定 {case.decided_on:%Y-%m-%d}，在办案期限内（《行政处罚法》第六十条）。")


def _legal_review(case: Any) -> Finding:
    from zhifa.cases.review_gate import clearance

    result = clearance(case)
    if not result.required:
        return Finding(True, "不属于应当法制审核的情形（《行政处罚法》第五十八条）。")
    reasons = "；".join(result.reasons)
    if result.cleared:
        return Finding(True, f"应当法制审核（{reasons}），审核已通过。")
    if case.decided_on is None:
        return Finding(None, f"应当法制审核（{reasons}），本案未作出决定。")
    return Finding(False, f"应当法制审核（{reasons}），未见通过的法制审核即作出决定（第五十八条）。")


def _stages_taken(case: Any) -> list[Any]:
    """The AV list's stages this case went through (a stage not taken demands nothing)."""
    from zhifa.cases.models import MeasureKind, Procedure
    from zhifa.catalog.models import Stage

    stages = [Stage.ON_SITE if case.procedure == Procedure.ON_THE_SPOT else Stage.INVESTIGATION]
    if case.measures.filter(kind=MeasureKind.SEIZURE).exists():
        stages.append(Stage.SEIZURE)
    hearing = getattr(case, "hearing", None)
    if hearing is not None and hearing.held_on is not None:
        stages.append(Stage.HEARING)
    return stages


def _av_recorded(case: Any) -> Finding:
    from zhifa.cases.recording_gate import coverage

    required, missing = [], []
    for stage in _stages_taken(case):
        result = coverage(case, stage)
        if result.required:
            required.append(stage.label)
            if not result.met:
                missing.append(stage.label)
    if not required:
        return Finding(True, "本案经过的环节，音像记录事项清单均未要求音像记录。")
    if missing:
        return Finding(False, f"音像记录事项清单要求的环节缺少音像记录：{'、'.join(missing)}（第四十七条）。")
    return Finding(True, f"音像记录事项清单要求的环节均有音像记录：{'、'.join(required)}。")


def _served(case: Any) -> Finding:
    from zhifa.cases.deadlines import service_due
    from zhifa.cases.models import Procedure

    if case.decided_on is None:
        return Finding(None, "本案未作出决定，不适用。")
    if case.decision_served_on is None:
        return Finding(False, "未见决定书送达记录（《行政处罚法》第六十一条）。")
    receipts = case.services.count()
    if case.procedure == Procedure.ON_THE_SPOT:
        return Finding(True, f"当场交付，{case.decision_served_on:%Y-%m-%d}，送达记录 {receipts} 份。")
    due = service_due(case.decided_on).due
    assert due is not None
    if case.decision_served_on > due:
        return Finding(
            False, f"{case.decision_served_on:%Y-%m-%d} 送达，晚于 {due:%Y-%m-%d}（第六十一条：七日内送达）。"
        )
    return Finding(
        True, f"{case.decision_served_on:%Y-%m-%d} 送达（期限 {due:%Y-%m-%d}），送达记录 {receipts} 份。"
    )


def _discretion(case: Any) -> Finding:
    from zhifa.cases.discretion import assessment_for

    assessment = assessment_for(case)
    if assessment is None:
        return Finding(None, "未记录裁量基准适用情况，由评查人员核对。")
    if assessment.deviates and not assessment.deviation_reason:
        return Finding(
            False, f"拟处罚 {assessment.intended} 超出裁量范围 {assessment.range_text}，未说明理由。"
        )
    if assessment.deviates:
        return Finding(
            True, f"偏离裁量范围 {assessment.range_text}，已说明理由：{assessment.deviation_reason}"
        )
    return Finding(True, f"适用{assessment.benchmark}，在裁量范围 {assessment.range_text} 内。")


def _published(case: Any) -> Finding:
    from zhifa.disclosure.models import Kind, Publication, State
    from zhifa.disclosure.periods import publication_due_on

    due = publication_due_on(case)
    if due is None:
        return Finding(True, "依法不主动公开或未作出决定，无公示期限。")
    publication = (
        Publication.objects.filter(case=case, kind=Kind.DECISION, published_at__isnull=False)
        .exclude(state=State.DRAFT)
        .order_by("published_at")
        .first()
    )
    if publication is None:
        return Finding(False, f"应于 {due:%Y-%m-%d} 前公示，未见公示（《行政处罚法》第四十八条）。")
    on = timezone.localtime(publication.published_at).date()
    if on > due:
        return Finding(False, f"{on:%Y-%m-%d} 公示，晚于期限 {due:%Y-%m-%d}。")
    return Finding(True, f"{on:%Y-%m-%d} 公示，在期限 {due:%Y-%m-%d} 内。")


def _authority(case: Any) -> Finding:
    if case.matter_id is None:
        return Finding(None, "案件未关联执法事项，由评查人员核对职权依据。")
    matter = case.matter
    name = case.matter_version.name if case.matter_version_id else matter.code
    if matter.agency_id in (case.agency_id, case.agency.entrusted_by_id):
        return Finding(True, f"执法事项“{name}”列入本机关权责清单。")
    return Finding(False, f"执法事项“{name}”不属于本机关权责清单，超越职权。")


def _task_deadline(task: Any) -> Finding:
    if task.concluded_on is None:
        return Finding(False, "未作出检查结果。")
    if task.concluded_on > task.valid_until:
        return Finding(
            False, f"{task.concluded_on:%Y-%m-%d} 作出结果，晚于检查期间 {task.valid_until:%Y-%m-%d}。"
        )
    return Finding(True, f"{task.concluded_on:%Y-%m-%d} 作出结果，在检查期间内。")


def _task_code(task: Any) -> Finding:
    if task.code_shown:
        return Finding(True, "检查时已出示检查码。")
    return Finding(False, "检查时未出示检查码。")


CASE_CHECKS: dict[str, Callable[[Any], Finding]] = {
    "decision_deadline": _decision_deadline,
    "legal_review": _legal_review,
    "av_recorded": _av_recorded,
    "served": _served,
    "discretion": _discretion,
    "published": _published,
    "authority": _authority,
}
TASK_CHECKS: dict[str, Callable[[Any], Finding]] = {"task_deadline": _task_deadline, "task_code": _task_code}
LABELS = {
    "decision_deadline": "办案期限",
    "legal_review": "法制审核",
    "av_recorded": "音像记录",
    "served": "送达",
    "discretion": "裁量基准",
    "published": "公示",
    "authority": "职权",
    "task_deadline": "检查期间",
    "task_code": "检查码",
}


def finding(check: str, *, case: Any = None, task: Any = None) -> Finding:
    """The automatic finding of `check` for the file; None-met when it does not apply to it."""
    if not check:
        return Finding(None, "")
    if case is not None and check in CASE_CHECKS:
        return CASE_CHECKS[check](case)
    if task is not None and check in TASK_CHECKS:
        return TASK_CHECKS[check](task)
    return Finding(None, "")
