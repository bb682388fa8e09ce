"""调查取证 → 调查终结: text records, preservation and seizure, rectification, the report,
collective discussion, and the adjustments of the 90-day limit. The legal review is zhifa.review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate, workflow
from zhifa.cases.discretion import ensure_reason as ensure_discretion_reason
from zhifa.cases.documents import basis_text, record_block
from zhifa.cases.models import (
    Case,
    CollectiveDiscussion,
    LimitAdjustment,
    LimitKind,
    Measure,
    MeasureKind,
    Outcome,
    Record,
    RecordKind,
    Status,
)
from zhifa.cases.penalties import PenaltyKind
from zhifa.cases.services._common import ensure_present_officers, event, issue, not_in_future, require_text
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User

RECORD_DOCUMENT = {
    RecordKind.INQUIRY: "inquiry_record",
    RecordKind.INSPECTION: "inspection_record",
    RecordKind.SAMPLING: "inspection_record",
    RecordKind.STATEMENT: "statement_record",
    RecordKind.HEARING: "hearing_record",
}
# The AV-recording list's stage of each record made during the investigation.
RECORD_STAGE: dict[str, str] = {
    RecordKind.INQUIRY: recording_gate.Stage.INVESTIGATION,
    RecordKind.INSPECTION: recording_gate.Stage.ON_SITE,
    RecordKind.SAMPLING: recording_gate.Stage.ON_SITE,
}


def record_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Sequence[Officer],
    subject_name: str,
    content: dict[str, Any],
) -> Record:
    """A record made by two or more of the case's handlers; its document is issued with it."""
    if kind not in RecordKind.values:
        raise InvalidInput("笔录种类不正确。")
    if ended_at < started_at:
        raise InvalidInput("笔录的结束时间不能早于开始时间。")
    if started_at > timezone.now():
        raise InvalidInput("笔录的开始时间不能晚于现在。")
    if not (content.get("qa") or content.get("paragraphs")):
        raise InvalidInput("笔录内容不能为空：请填写询问的问答或检查、陈述的情况。")
    chosen = ensure_present_officers(case, officers, started_at.astimezone().date())
    record = Record.objects.create(
        case=case,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        place=require_text(place, "地点"),
        subject_name=subject_name.strip(),
        content=content,
        created_by=actor,
    )
    record.officers.set(chosen)
    event(case, actor, "add_record", f"制作{record.get_kind_display()}（{record.place}）", record=record.pk)
    issue(case, actor, RECORD_DOCUMENT[RecordKind(kind)], record=record_block(record))
    return record


@transaction.atomic
def case_add_record(*, actor: User, case: Case, **fields: Any) -> Record:
    """询问笔录, 现场检查（勘验）笔录 and 抽样取证 during the investigation (第五十五条)."""
    workflow.ensure("add_record", case, actor)
    if fields.get("kind") in (RecordKind.STATEMENT, RecordKind.HEARING):
        raise InvalidInput("陈述申辩笔录和听证笔录在告知阶段制作。")
    if fields.get("kind") in RECORD_STAGE:
        recording_gate.ensure_recorded(case, RECORD_STAGE[fields["kind"]])
    return record_create(actor=actor, case=case, **fields)


def _items(items: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = [
        {k: str(item.get(k, "")).strip() for k in ("name", "spec", "quantity", "note")}
        for item in items
        if str(item.get("name", "")).strip()
    ]
    if not cleaned:
        raise InvalidInput("请填写物品清单（至少一项，包括名称和数量）。")
    return cleaned


@transaction.atomic
def case_request_measure(
    *,
    actor: User,
    case: Case,
    kind: str,
    place: str,
    items: Sequence[dict[str, str]],
    reason: str,
    seizure_mode: str = "",
) -> Measure:
    """A handler asks the head to approve 先行登记保存 (第五十六条) or 查封扣押 (行政强制法 第十八条)."""
    workflow.ensure("request_measure", case, actor)
    if kind not in MeasureKind.values:
        raise InvalidInput("请选择先行登记保存或者查封扣押。")
    if kind == MeasureKind.SEIZURE and seizure_mode not in ("查封", "扣押"):
        raise InvalidInput("请选择查封或者扣押。")
    measure = Measure.objects.create(
        case=case,
        kind=kind,
        seizure_mode=seizure_mode if kind == MeasureKind.SEIZURE else "",
        started_on=today(),
        place=require_text(place, "地点"),
        items=_items(items),
        reason=require_text(reason, "理由及依据"),
        approved_by=None,
    )
    event(case, actor, "request_measure", f"申请{measure.get_kind_display()}", measure=measure.pk)
    return measure


@transaction.atomic
def case_approve_measure(*, actor: User, measure: Measure, on: dt.date | None = None) -> Measure:
    """The head approves; the measure starts that day and its notice or decision is issued."""
    case = measure.case
    on = on or today()
    workflow.ensure("approve_measure", case, actor, on)
    if measure.approved_by_id is not None:
        raise DomainError("该措施已经批准。")
    measure.approved_by = actor
    measure.started_on = on
    measure.save()
    if measure.kind == MeasureKind.PRESERVATION:
        due = deadlines.preservation_decision_due(on)
        event(
            case,
            actor,
            "approve_measure",
            f"批准先行登记保存，应于 {due.due:%Y-%m-%d} 前作出处理决定",
            measure=measure.pk,
        )
        issue(
            case,
            actor,
            "preservation_notice",
            items=measure.items,
            place=measure.place,
            decision_due=due.due,
            basis_text="《中华人民共和国行政处罚法》第五十六条",
        )
    else:
        due = deadlines.seizure_due(on, extended=False)
        event(
            case,
            actor,
            "approve_measure",
            f"批准{measure.seizure_mode}，期限至 {due.due:%Y-%m-%d}",
            measure=measure.pk,
        )
        issue(
            case,
            actor,
            "seizure_decision",
            measure=measure.seizure_mode,
            items=measure.items,
            place=measure.place,
            start_on=on,
            end_on=due.due,
            basis_text=f"{basis_text(case)}；《中华人民共和国行政强制法》第二十二条、第二十四条、第二十五条",
            remedies_text=case.agency.remedies,
        )
    return measure


@transaction.atomic
def case_decline_measure(*, actor: User, measure: Measure, reason: str) -> Measure:
    """The head refuses a requested measure; the request stays on record with the reason."""
    case = measure.case
    workflow.ensure("decline_measure", case, actor)
    if measure.approved_by_id is not None or measure.ended_on is not None:
        raise DomainError("该措施已经批准或者已经处理，不能再不予批准。")
    measure.outcome = f"不予批准：{require_text(reason, '不予批准的理由')}"
    measure.ended_on = today()
    measure.save()
    event(case, actor, "decline_measure", f"不予批准{measure.get_kind_display()}", reason=reason)
    return measure


@transaction.atomic
def case_extend_measure(*, actor: User, measure: Measure, reason: str, on: dt.date | None = None) -> Measure:
    """查封扣押 may be extended once by up to 30 days, before it ends (行政强制法 第二十五条)."""
    case = measure.case
    on = on or today()
    workflow.ensure("extend_measure", case, actor, on)
    if measure.kind != MeasureKind.SEIZURE:
        raise DomainError(
            "只有查封、扣押可以延长期限；先行登记保存应当在七日内作出处理决定（《行政处罚法》第五十六条）。"
        )
    if measure.approved_by_id is None or measure.ended_on is not None:
        raise DomainError("该查封、扣押未在实施中。")
    if measure.extended:
        raise DomainError(
            "查封、扣押的期限只能延长一次，延长期限不得超过三十日（《行政强制法》第二十五条）。"
        )
    current = deadlines.seizure_due(measure.started_on, extended=False).due
    assert current is not None
    if on > current:
        raise DomainError(
            f"查封、扣押已于 {current:%Y-%m-%d} 期满，不能再延长，应当及时解除（《行政强制法》第二十五条、第二十八条）。"
        )
    measure.extended = True
    measure.extension_reason = require_text(reason, "延长理由", "情况复杂")
    measure.save()
    due = deadlines.seizure_due(measure.started_on, extended=True).due
    event(case, actor, "extend_measure", f"延长{measure.seizure_mode}期限至 {due:%Y-%m-%d}", reason=reason)
    return measure


@transaction.atomic
def case_conclude_measure(
    *, actor: User, measure: Measure, outcome: str, on: dt.date | None = None
) -> Measure:
    """The decision on preserved goods, or the release of seized ones."""
    case = measure.case
    on = on or today()
    workflow.ensure("conclude_measure", case, actor, on)
    if measure.approved_by_id is None:
        raise DomainError("该措施尚未批准实施。")
    if measure.ended_on is not None:
        raise DomainError("该措施已经处理完毕。")
    # Carrying out the preservation or seizure is what the list records (查封扣押).
    recording_gate.ensure_recorded(case, recording_gate.Stage.SEIZURE)
    measure.outcome = require_text(outcome, "处理决定")
    measure.ended_on = on
    measure.save()
    if measure.kind == MeasureKind.PRESERVATION:
        due = deadlines.preservation_decision_due(measure.started_on).due
        late = due is not None and on > due
    else:
        due = deadlines.seizure_due(measure.started_on, extended=measure.extended).due
        late = due is not None and on > due
    event(
        case,
        actor,
        "conclude_measure",
        f"{measure.get_kind_display()}处理完毕{'（已超过法定期限）' if late else ''}",
        reason=measure.outcome,
        late=late,
    )
    return measure


@transaction.atomic
def case_order_rectification(
    *, actor: User, case: Case, violation: str, requirement: str, deadline: dt.date
) -> Case:
    """责令改正 (第二十八条第一款)."""
    workflow.ensure("order_rectification", case, actor)
    if deadline < today():
        raise InvalidInput("改正期限不能早于今天。")
    event(case, actor, "order_rectification", f"责令限期改正，期限至 {deadline:%Y-%m-%d}")
    issue(
        case,
        actor,
        "rectification_order",
        violation=require_text(violation, "违法行为"),
        requirement=require_text(requirement, "改正要求"),
        deadline=deadline,
        basis_text=f"《中华人民共和国行政处罚法》第二十八条第一款；{basis_text(case)}",
    )
    return case


def penalty_terms_clean(
    kinds: Sequence[str], fine: Decimal, confiscation: Decimal
) -> tuple[list[str], Decimal, Decimal]:
    unknown = set(kinds) - set(PenaltyKind.values)
    if unknown or not kinds:
        raise InvalidInput("请选择《行政处罚法》第九条规定的处罚种类。")
    if (PenaltyKind.FINE in kinds) != (fine > 0):
        raise InvalidInput("选择罚款时应填写大于零的罚款金额；未选择罚款时罚款金额应为零。")
    confiscating = PenaltyKind.CONFISCATE_GAINS in kinds or PenaltyKind.CONFISCATE_PROPERTY in kinds
    if confiscation > 0 and not confiscating:
        raise InvalidInput("填写没收金额时应选择没收违法所得或没收非法财物。")
    return [k for k in PenaltyKind.values if k in kinds], fine, confiscation


@transaction.atomic
def case_submit_report(
    *,
    actor: User,
    case: Case,
    facts: str,
    evidence: str,
    analysis: str,
    outcome: str,
    discretion: str = "",
    kinds: Sequence[str] = (),
    fine: Decimal = Decimal(0),
    confiscation: Decimal = Decimal(0),
    penalty: str = "",
    deviation_reason: str = "",
) -> Case:
    """调查终结报告 with one of the four outcomes of 第五十七条."""
    workflow.ensure("submit_report", case, actor)
    if outcome not in Outcome.values:
        raise InvalidInput("请选择处理意见（《行政处罚法》第五十七条）。")
    case.report_facts = require_text(facts, "违法事实" if outcome == Outcome.PENALTY else "调查查明的事实")
    case.report_evidence = require_text(evidence, "证据")
    case.report_analysis = require_text(analysis, "分析意见")
    case.report_discretion = discretion.strip()
    case.outcome = outcome
    if outcome == Outcome.PENALTY:
        case.intended_kinds, case.intended_fine, case.intended_confiscation = penalty_terms_clean(
            kinds, fine, confiscation
        )
        case.intended_penalty = require_text(penalty, "拟处罚内容")
    else:
        case.intended_kinds, case.intended_fine, case.intended_confiscation, case.intended_penalty = (
            [],
            Decimal(0),
            Decimal(0),
            "",
        )
    # Outside the discretion benchmark's range: a written reason, or no report (第三十四条).
    ensure_discretion_reason(case, deviation_reason)
    case.reported_at = timezone.now()
    case.status = Status.REPORTED
    case.save()
    event(case, actor, "submit_report", f"调查终结，处理意见：{case.get_outcome_display()}", outcome=outcome)
    issue(
        case,
        actor,
        "investigation_report",
        facts=case.report_facts,
        evidence=case.report_evidence.splitlines(),
        analysis=case.report_analysis,
        proposed_outcome_label=case.get_outcome_display(),
        proposed_penalty=case.intended_penalty,
        discretion=case.report_discretion,
    )
    return case


@transaction.atomic
def case_hold_discussion(
    *,
    actor: User,
    case: Case,
    held_at: dt.datetime,
    place: str,
    attendees: Sequence[dict[str, str]],
    conclusion: str,
    outcome: str,
) -> CollectiveDiscussion:
    """集体讨论 chaired by the head, with each participant's opinion (第五十七条第二款)."""
    workflow.ensure("hold_discussion", case, actor)
    if outcome not in Outcome.values:
        raise InvalidInput("请选择讨论决定的处理意见。")
    people = [
        {
            "name": a["name"].strip(),
            "title": a.get("title", "").strip(),
            "opinion": a.get("opinion", "").strip(),
        }
        for a in attendees
        if a.get("name", "").strip()
    ]
    if len(people) < 3:
        raise InvalidInput("集体讨论应有三名以上机关负责人或者有关人员参加，请填写参加人员及其意见。")
    if any(not p["opinion"] for p in people):
        raise InvalidInput("请记录每名参加人员的意见。")
    discussion = CollectiveDiscussion.objects.create(
        case=case,
        held_at=not_in_future_dt(held_at),
        place=require_text(place, "地点"),
        chair=actor,
        attendees=people,
        conclusion=require_text(conclusion, "讨论决定"),
        outcome=outcome,
    )
    if outcome != case.outcome:
        case.outcome = outcome
        case.save()
    event(
        case, actor, "hold_discussion", f"集体讨论决定：{discussion.get_outcome_display()}", reason=conclusion
    )
    issue(
        case,
        actor,
        "collective_discussion_record",
        record={
            "fields": [
                ["时间", f"{held_at.astimezone():%Y年%m月%d日 %H:%M}"],
                ["地点", discussion.place],
                ["主持人", str(actor)],
                [
                    "参加人员",
                    "、".join(f"{p['name']}（{p['title']}）" if p["title"] else p["name"] for p in people),
                ],
            ],
            "paragraphs": [f"{p['name']}：{p['opinion']}" for p in people]
            + [f"讨论决定：{discussion.conclusion}"],
            "signatures": ["主持人", "参加人员", "记录人"],
        },
    )
    return discussion


def not_in_future_dt(moment: dt.datetime) -> dt.datetime:
    if moment > timezone.now():
        raise InvalidInput("时间不能晚于现在。")
    return moment


@transaction.atomic
def case_extend_limit(*, actor: User, case: Case, days: int, reason: str) -> LimitAdjustment:
    """An approved extension of the 90-day limit (第六十条：法律、法规、规章另有规定的除外)."""
    workflow.ensure("extend_limit", case, actor)
    if not 1 <= days <= 90:
        raise InvalidInput("延长天数应为 1 至 90 之间的整数。")
    adjustment = LimitAdjustment.objects.create(
        case=case,
        kind=LimitKind.EXTENSION,
        days=days,
        reason=require_text(reason, "延长理由"),
        approved_by=actor,
    )
    event(case, actor, "extend_limit", f"批准延长办案期限 {days} 日", reason=reason)
    return adjustment


@transaction.atomic
def case_suspend(*, actor: User, case: Case, starts_on: dt.date, reason: str) -> LimitAdjustment:
    """中止: the suspended period is not counted in the decision limit."""
    workflow.ensure("suspend", case, actor)
    if case.limit_adjustments.filter(kind=LimitKind.SUSPENSION, ends_on__isnull=True).exists():
        raise DomainError("案件已经中止，请先恢复。")
    not_in_future(starts_on, "中止日期", today())
    assert case.filed_on is not None
    if starts_on < case.filed_on:
        raise InvalidInput("中止日期不能早于立案日期。")
    last_end = (
        case.limit_adjustments.filter(kind=LimitKind.SUSPENSION)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    if last_end is not None and starts_on < last_end:
        raise InvalidInput("中止期间不能与此前的中止期间重叠。")
    adjustment = LimitAdjustment.objects.create(
        case=case,
        kind=LimitKind.SUSPENSION,
        starts_on=starts_on,
        reason=require_text(reason, "中止理由"),
        approved_by=actor,
    )
    event(case, actor, "suspend", f"自 {starts_on:%Y-%m-%d} 中止案件调查", reason=reason)
    return adjustment


@transaction.atomic
def case_resume(*, actor: User, case: Case, ends_on: dt.date) -> LimitAdjustment:
    workflow.ensure("resume", case, actor)
    open_ = case.limit_adjustments.filter(kind=LimitKind.SUSPENSION, ends_on__isnull=True).first()
    if open_ is None:
        raise DomainError("案件未处于中止状态。")
    not_in_future(ends_on, "恢复日期", today())
    assert open_.starts_on is not None
    if ends_on < open_.starts_on:
        raise InvalidInput("恢复日期不能早于中止日期。")
    open_.ends_on = ends_on
    open_.save()
    event(case, actor, "resume", f"自 {ends_on:%Y-%m-%d} 恢复案件调查")
    return open_
