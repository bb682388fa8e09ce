"""调查取证 → 调查终结: text records, preservation and seizure, rectification, the report, collective
discussion, and the adjustments of the 90-day limit. The legal review is zhifa.review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate
from zhifa.cases.checks import (
    ensure_present_officers,
    not_in_future,
    not_in_future_dt,
    penalty_terms_clean,
    require_text,
)
from zhifa.cases.discretion import ensure_reason as ensure_discretion_reason
from zhifa.cases.documents import basis_text, record_block
from zhifa.cases.models import (
    OPEN_BEFORE_DECISION,
    WITH_DECISION,
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
from zhifa.cases.steps.fields import (
    DATE,
    DATETIME,
    TEXT,
    CaseForm,
    PenaltyFields,
    RecordFields,
    items,
    lines,
    qa,
)
from zhifa.cases.timeline import issue
from zhifa.cases.workflow import GENERAL, HANDLER, HEAD, Step
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import Run
from zhifa.org.models import Officer

if TYPE_CHECKING:
    pass

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
    run: Run[Case],
    *,
    kind: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Sequence[Officer],
    subject_name: str,
    content: dict[str, Any],
) -> Record:
    """A record made by two or more of the case's handlers; its document is issued with it."""
    case = run.subject
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
        created_by=run.actor,
    )
    record.officers.set(chosen)
    run.record(f"制作{record.get_kind_display()}（{record.place}）", action="add_record", record=record.pk)
    issue(case, run.actor, RECORD_DOCUMENT[RecordKind(kind)], record=record_block(record))
    return record


class AddRecordForm(RecordFields):
    kind = forms.ChoiceField(
        label="笔录种类",
        choices=[
            (k, label)
            for k, label in RecordKind.choices
            if k in (RecordKind.INQUIRY, RecordKind.INSPECTION, RecordKind.SAMPLING)
        ],
    )
    qa = forms.CharField(
        label="问答（询问笔录）",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="每行以“问：”或“答：”开头。",
    )
    paragraphs = forms.CharField(
        label="检查、勘验或抽样情况", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    field_order = ["kind"]

    def data_for_step(self) -> dict[str, Any]:
        data = self.cleaned_data
        content: dict[str, Any] = {}
        if data["qa"].strip():
            content["qa"] = qa(data["qa"])
        if data["paragraphs"].strip():
            content["paragraphs"] = lines(data["paragraphs"])
        return {"kind": data["kind"], "content": content, **self.record_fields()}


def _add_record(run: Run[Case], **fields: Any) -> Record:
    """询问笔录, 现场检查（勘验）笔录 and 抽样取证 during the investigation (第五十五条)."""
    if fields.get("kind") in (RecordKind.STATEMENT, RecordKind.HEARING):
        raise InvalidInput("陈述申辩笔录和听证笔录在告知阶段制作。")
    if fields.get("kind") in RECORD_STAGE:
        recording_gate.ensure_recorded(run.subject, RECORD_STAGE[fields["kind"]])
    return record_create(run, **fields)


# ── 先行登记保存、查封扣押 ─────────────────────────────────────────────────────────────


class RequestMeasureForm(CaseForm):
    kind = forms.ChoiceField(label="措施", choices=MeasureKind.choices)
    seizure_mode = forms.ChoiceField(
        label="查封或扣押", choices=[("", "—"), ("查封", "查封"), ("扣押", "扣押")], required=False
    )
    place = forms.CharField(label="地点", max_length=200)
    items = forms.CharField(label="物品清单", widget=TEXT, help_text="每行一项：名称，规格，数量，备注。")
    reason = forms.CharField(label="理由及依据", widget=TEXT)

    def data_for_step(self) -> dict[str, Any]:
        return {**self.cleaned_data, "items": items(self.cleaned_data["items"])}


def _items(rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    cleaned = [
        {k: str(item.get(k, "")).strip() for k in ("name", "spec", "quantity", "note")}
        for item in rows
        if str(item.get("name", "")).strip()
    ]
    if not cleaned:
        raise InvalidInput("请填写物品清单（至少一项，包括名称和数量）。")
    return cleaned


def _request_measure(
    run: Run[Case],
    *,
    kind: str,
    place: str,
    items: Sequence[dict[str, str]],
    reason: str,
    seizure_mode: str = "",
) -> Measure:
    """A handler asks the head to approve 先行登记保存 (第五十六条) or 查封扣押 (行政强制法 第十八条)."""
    if kind not in MeasureKind.values:
        raise InvalidInput("请选择先行登记保存或者查封扣押。")
    if kind == MeasureKind.SEIZURE and seizure_mode not in ("查封", "扣押"):
        raise InvalidInput("请选择查封或者扣押。")
    measure = Measure.objects.create(
        case=run.subject,
        kind=kind,
        seizure_mode=seizure_mode if kind == MeasureKind.SEIZURE else "",
        started_on=run.on,
        place=require_text(place, "地点"),
        items=_items(items),
        reason=require_text(reason, "理由及依据"),
        approved_by=None,
    )
    run.record(f"申请{measure.get_kind_display()}", measure=measure.pk)
    return measure


def _pending(case: Case) -> Any:
    return case.measures.filter(approved_by__isnull=True, ended_on__isnull=True)


def _in_force(case: Case) -> Any:
    return case.measures.filter(approved_by__isnull=False, ended_on__isnull=True)


class MeasureForm(CaseForm):
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.none())

    def measures(self) -> Any:
        return _in_force(self.case)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = self.measures()


class PendingMeasureForm(MeasureForm):
    def measures(self) -> Any:
        return _pending(self.case)


class DeclineMeasureForm(PendingMeasureForm):
    reason = forms.CharField(label="不予批准的理由", max_length=300)


class ExtendMeasureForm(MeasureForm):
    reason = forms.CharField(label="延长理由（情况复杂）", max_length=300)

    def measures(self) -> Any:
        return _in_force(self.case).filter(kind=MeasureKind.SEIZURE, extended=False)


class ConcludeMeasureForm(MeasureForm):
    outcome = forms.CharField(label="处理决定或解除情况", widget=TEXT)


def _locked(case: Case, measure: Measure) -> Measure:
    """The measure as stored now, under the case's lock; one of another case is refused."""
    found = case.measures.select_for_update().filter(pk=measure.pk).first()
    if found is None:
        raise InvalidInput("所选措施不属于本案。")
    return found


def _approve_measure(run: Run[Case], *, measure: Measure) -> Measure:
    """The head approves; the measure starts that day and its notice or decision is issued."""
    case, on = run.subject, run.on
    measure = _locked(case, measure)
    if measure.approved_by_id is not None or measure.ended_on is not None:
        raise DomainError("该措施已经批准或者已经处理。")
    measure.approved_by = run.actor
    measure.started_on = on
    measure.save()
    if measure.kind == MeasureKind.PRESERVATION:
        due = deadlines.preservation_decision_due(on)
        run.record(f"批准先行登记保存，应于 {due.due:%Y-%m-%d} 前作出处理决定", measure=measure.pk)
        issue(
            case,
            run.actor,
            "preservation_notice",
            items=measure.items,
            place=measure.place,
            decision_due=due.due,
        )
    else:
        due = deadlines.seizure_due(on, extended=False)
        run.record(f"批准{measure.seizure_mode}，期限至 {due.due:%Y-%m-%d}", measure=measure.pk)
        issue(
            case,
            run.actor,
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


def _decline_measure(run: Run[Case], *, measure: Measure, reason: str) -> Measure:
    """The head refuses a requested measure; the request stays on record with the reason."""
    measure = _locked(run.subject, measure)
    if measure.approved_by_id is not None or measure.ended_on is not None:
        raise DomainError("该措施已经批准或者已经处理，不能再不予批准。")
    measure.outcome = f"不予批准：{require_text(reason, '不予批准的理由')}"
    measure.ended_on = run.on
    measure.save()
    run.record(f"不予批准{measure.get_kind_display()}", reason=reason)
    return measure


def _extend_measure(run: Run[Case], *, measure: Measure, reason: str) -> Measure:
    """查封扣押 may be extended once by up to 30 days, before it ends (行政强制法 第二十五条)."""
    measure = _locked(run.subject, measure)
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
    if run.on > current:
        raise DomainError(
            f"查封、扣押已于 {current:%Y-%m-%d} 期满，不能再延长，应当及时解除（《行政强制法》第二十五条、第二十八条）。"
        )
    measure.extended = True
    measure.extension_reason = require_text(reason, "延长理由", "情况复杂")
    measure.save()
    due = deadlines.seizure_due(measure.started_on, extended=True).due
    run.record(f"延长{measure.seizure_mode}期限至 {due:%Y-%m-%d}", reason=reason)
    return measure


def _conclude_measure(run: Run[Case], *, measure: Measure, outcome: str) -> Measure:
    """The decision on preserved goods, or the release of seized ones."""
    case, on = run.subject, run.on
    measure = _locked(case, measure)
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
    else:
        due = deadlines.seizure_due(measure.started_on, extended=measure.extended).due
    late = due is not None and on > due
    run.record(
        f"{measure.get_kind_display()}处理完毕{'（已超过法定期限）' if late else ''}",
        reason=measure.outcome,
        late=late,
    )
    return measure


# ── 责令改正、调查终结、集体讨论 ───────────────────────────────────────────────────────


class RectificationForm(CaseForm):
    violation = forms.CharField(label="违法行为", widget=TEXT)
    requirement = forms.CharField(label="改正要求", widget=TEXT)
    deadline = forms.DateField(label="改正期限", widget=DATE)


def _order_rectification(run: Run[Case], *, violation: str, requirement: str, deadline: dt.date) -> Case:
    """责令改正 (第二十八条第一款)."""
    case = run.subject
    if deadline < run.on:
        raise InvalidInput("改正期限不能早于今天。")
    run.record(f"责令限期改正，期限至 {deadline:%Y-%m-%d}")
    issue(
        case,
        run.actor,
        "rectification_order",
        violation=require_text(violation, "违法行为"),
        requirement=require_text(requirement, "改正要求"),
        deadline=deadline,
        basis_text=f"《中华人民共和国行政处罚法》第二十八条第一款；{basis_text(case)}",
    )
    return case


class ReportForm(CaseForm, PenaltyFields):
    facts = forms.CharField(label="调查查明的事实", widget=TEXT)
    evidence = forms.CharField(label="证据", widget=TEXT, help_text="每行一项。")
    analysis = forms.CharField(label="分析意见（定性和依据）", widget=TEXT)
    discretion = forms.CharField(label="裁量理由", widget=TEXT, required=False)
    deviation_reason = forms.CharField(
        label="偏离裁量基准的理由",
        widget=TEXT,
        required=False,
        help_text="拟处罚超出本案裁量基准适用幅度时必填。",
    )
    outcome = forms.ChoiceField(label="处理意见", choices=Outcome.choices)

    field_order = [
        "facts",
        "evidence",
        "analysis",
        "outcome",
        "kinds",
        "fine",
        "confiscation",
        "penalty",
        "discretion",
        "deviation_reason",
    ]


def _guard_report(case: Case, on: dt.date) -> None:
    if not case.records.exists():
        raise DomainError(
            "尚无调查取证笔录，不能作出调查终结报告（《行政处罚法》第五十四条第一款：全面、客观、公正地调查）。"
        )
    # A pending request is also open (no ended_on): name it first, or the message misleads.
    if _pending(case).filter(kind=MeasureKind.PRESERVATION).exists():
        raise DomainError(
            "有先行登记保存申请尚未经机关负责人批准或者不予批准，请先处理（《行政处罚法》第五十六条）。"
        )
    if case.measures.filter(kind=MeasureKind.PRESERVATION, ended_on__isnull=True).exists():
        raise DomainError("先行登记保存的物品尚未作出处理决定，请先处理（《行政处罚法》第五十六条）。")


def _submit_report(
    run: Run[Case],
    *,
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
    case = run.subject
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
        case.intended_kinds, case.intended_fine, case.intended_confiscation = [], Decimal(0), Decimal(0)
        case.intended_penalty = ""
    # Outside the discretion benchmark's range: a written reason, or no report (第三十四条).
    ensure_discretion_reason(case, deviation_reason)
    case.reported_at = timezone.now()
    case.save()
    run.record(f"调查终结，处理意见：{case.get_outcome_display()}", outcome=outcome)
    issue(
        case,
        run.actor,
        "investigation_report",
        facts=case.report_facts,
        evidence=case.report_evidence.splitlines(),
        analysis=case.report_analysis,
        proposed_outcome_label=case.get_outcome_display(),
        proposed_penalty=case.intended_penalty,
        discretion=case.report_discretion,
    )
    return case


class DiscussionForm(CaseForm):
    held_at = forms.DateTimeField(label="讨论时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    attendees = forms.CharField(
        label="参加人员及意见",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一人：姓名，职务，意见。",
    )
    conclusion = forms.CharField(label="讨论决定", widget=TEXT)
    outcome = forms.ChoiceField(label="决定的处理意见", choices=Outcome.choices)

    def data_for_step(self) -> dict[str, Any]:
        people = []
        for line in lines(self.cleaned_data["attendees"]):
            name, _, rest = line.replace(",", "，").partition("，")
            title, _, opinion = rest.partition("，")
            people.append({"name": name, "title": title, "opinion": opinion})
        return {**self.cleaned_data, "attendees": people}


def _hold_discussion(
    run: Run[Case],
    *,
    held_at: dt.datetime,
    place: str,
    attendees: Sequence[dict[str, str]],
    conclusion: str,
    outcome: str,
) -> CollectiveDiscussion:
    """集体讨论 chaired by the head, with each participant's opinion (第五十七条第二款)."""
    case = run.subject
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
        chair=run.actor,
        attendees=people,
        conclusion=require_text(conclusion, "讨论决定"),
        outcome=outcome,
    )
    if outcome != case.outcome:
        case.outcome = outcome
        case.save()
    run.record(f"集体讨论决定：{discussion.get_outcome_display()}", reason=conclusion)
    issue(
        case,
        run.actor,
        "collective_discussion_record",
        record={
            "fields": [
                ["时间", f"{held_at.astimezone():%Y年%m月%d日 %H:%M}"],
                ["地点", discussion.place],
                ["主持人", run.actor.display_name],
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


# ── 办案期限 (第六十条) ────────────────────────────────────────────────────────────────


class LimitExtensionForm(CaseForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=90)
    reason = forms.CharField(label="理由", max_length=300)


class SuspendForm(CaseForm):
    starts_on = forms.DateField(label="中止日期", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="中止理由", max_length=300)


class ResumeForm(CaseForm):
    ends_on = forms.DateField(label="恢复日期", widget=DATE, initial=timezone.localdate)


def _open_suspension(case: Case) -> LimitAdjustment | None:
    return case.limit_adjustments.filter(kind=LimitKind.SUSPENSION, ends_on__isnull=True).first()


def _guard_limit(case: Case, on: dt.date) -> None:
    if case.filed_on is None:
        raise DomainError("案件尚未立案，没有办案期限。")


def _guard_suspend(case: Case, on: dt.date) -> None:
    _guard_limit(case, on)
    if _open_suspension(case) is not None:
        raise DomainError("案件已经中止，请先恢复。")


def _guard_resume(case: Case, on: dt.date) -> None:
    _guard_limit(case, on)
    if _open_suspension(case) is None:
        raise DomainError("案件未处于中止状态。")


def _extend_limit(run: Run[Case], *, days: int, reason: str) -> LimitAdjustment:
    """An approved extension of the 90-day limit (第六十条：法律、法规、规章另有规定的除外)."""
    if not 1 <= days <= 90:
        raise InvalidInput("延长天数应为 1 至 90 之间的整数。")
    adjustment = LimitAdjustment.objects.create(
        case=run.subject,
        kind=LimitKind.EXTENSION,
        days=days,
        reason=require_text(reason, "延长理由"),
        approved_by=run.actor,
    )
    run.record(f"批准延长办案期限 {days} 日", reason=reason)
    return adjustment


def _suspend(run: Run[Case], *, starts_on: dt.date, reason: str) -> LimitAdjustment:
    """中止: the suspended period is not counted in the decision limit."""
    case = run.subject
    not_in_future(starts_on, "中止日期", run.on)
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
        approved_by=run.actor,
    )
    run.record(f"自 {starts_on:%Y-%m-%d} 中止案件调查", reason=reason)
    return adjustment


def _resume(run: Run[Case], *, ends_on: dt.date) -> LimitAdjustment:
    suspension = _open_suspension(run.subject)
    assert suspension is not None and suspension.starts_on is not None  # the guard
    not_in_future(ends_on, "恢复日期", run.on)
    if ends_on < suspension.starts_on:
        raise InvalidInput("恢复日期不能早于中止日期。")
    suspension.ends_on = ends_on
    suspension.save()
    run.record(f"自 {ends_on:%Y-%m-%d} 恢复案件调查")
    return suspension


STEPS = [
    Step(
        "add_record",
        "制作调查笔录",
        HANDLER,
        frozenset({Status.INVESTIGATION}),
        _add_record,
        AddRecordForm,
        variants=GENERAL,
    ),
    Step(
        "request_measure",
        "申请先行登记保存或查封扣押",
        HANDLER,
        frozenset({Status.INVESTIGATION}),
        _request_measure,
        RequestMeasureForm,
        variants=GENERAL,
    ),
    Step(
        "approve_measure",
        "批准先行登记保存或查封扣押",
        HEAD,
        frozenset({Status.INVESTIGATION}),
        _approve_measure,
        PendingMeasureForm,
        variants=GENERAL,
        offered=lambda case: _pending(case).exists(),
    ),
    Step(
        "decline_measure",
        "不予批准先行登记保存或查封扣押",
        HEAD,
        frozenset({Status.INVESTIGATION}),
        _decline_measure,
        DeclineMeasureForm,
        variants=GENERAL,
        offered=lambda case: _pending(case).exists(),
    ),
    Step(
        "conclude_measure",
        "处理或解除保全、强制措施",
        HANDLER,
        OPEN_BEFORE_DECISION | WITH_DECISION,
        _conclude_measure,
        ConcludeMeasureForm,
        variants=GENERAL,
        offered=lambda case: _in_force(case).exists(),
    ),
    Step(
        "extend_measure",
        "延长查封扣押期限",
        HEAD,
        OPEN_BEFORE_DECISION,
        _extend_measure,
        ExtendMeasureForm,
        variants=GENERAL,
        offered=lambda case: _in_force(case).filter(kind=MeasureKind.SEIZURE, extended=False).exists(),
    ),
    Step(
        "order_rectification",
        "责令改正",
        HANDLER,
        OPEN_BEFORE_DECISION | WITH_DECISION,
        _order_rectification,
        RectificationForm,
        variants=GENERAL,
    ),
    Step(
        "submit_report",
        "提交调查终结报告",
        HANDLER,
        frozenset({Status.INVESTIGATION}),
        _submit_report,
        ReportForm,
        leads_to=(Status.REPORTED,),
        guard=_guard_report,
        variants=GENERAL,
    ),
    Step(
        "hold_discussion",
        "集体讨论",
        HEAD,
        frozenset({Status.REPORTED, Status.NOTICE}),
        _hold_discussion,
        DiscussionForm,
        variants=GENERAL,
    ),
    Step(
        "extend_limit",
        "延长办案期限",
        HEAD,
        OPEN_BEFORE_DECISION,
        _extend_limit,
        LimitExtensionForm,
        guard=_guard_limit,
        variants=GENERAL,
    ),
    Step(
        "suspend",
        "中止案件调查",
        HEAD,
        OPEN_BEFORE_DECISION,
        _suspend,
        SuspendForm,
        guard=_guard_suspend,
        variants=GENERAL,
        offered=lambda case: _open_suspension(case) is None,
    ),
    Step(
        "resume",
        "恢复案件调查",
        HEAD,
        OPEN_BEFORE_DECISION,
        _resume,
        ResumeForm,
        guard=_guard_resume,
        variants=GENERAL,
        offered=lambda case: _open_suspension(case) is not None,
    ),
]
