"""事先告知 → 陈述申辩 → 听证 → 复核 (《行政处罚法》第四十四、四十五、六十三、六十四条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate
from zhifa.cases.checks import not_in_future, penalty_terms_clean, require_text
from zhifa.cases.discretion import ensure_reason as ensure_discretion_reason
from zhifa.cases.documents import basis_text, record_block
from zhifa.cases.models import Case, DefenceAdoption, Hearing, Outcome, Record, RecordKind, Status
from zhifa.cases.penalties import hearing_right
from zhifa.cases.steps.fields import (
    DATE,
    DATETIME,
    TEXT,
    CaseForm,
    PenaltyFields,
    RecordFields,
    offer_enforcers,
)
from zhifa.cases.steps.investigation import record_create
from zhifa.cases.timeline import issue
from zhifa.cases.workflow import GENERAL, HANDLER, HANDLER_OR_HEAD, HEAD, Step
from zhifa.core import jurisdiction
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import Run, StepForm
from zhifa.org.models import Officer

NOTICE = frozenset({Status.NOTICE})


def rights_period_end(case: Case) -> dt.date | None:
    """The last day of the periods the party has after prior notice (statement and hearing request)."""
    if case.notice_served_on is None:
        return None
    ends = [deadlines.statement_due(case.notice_served_on).due]
    if case.hearing_right:
        ends.append(deadlines.hearing_request_due(case.notice_served_on).due)
    return max(d for d in ends if d is not None)


def _notice_documents(run: Run[Case]) -> None:
    """行政处罚事先告知书, and the 听证告知书 when the intended penalty gives a hearing right (第六十三条)."""
    case = run.subject
    case.hearing_right, case.hearing_right_reason = hearing_right(
        kinds=frozenset(case.intended_kinds),
        fine=case.intended_fine,
        confiscation=case.intended_confiscation,
        party_is_organisation=case.party_is_organisation,
    )
    case.notified_at = timezone.now()
    case.notice_served_on = None
    case.rights_waived_on = None
    case.defence_adoption = ""
    case.defence_review = ""
    case.notified_kinds = case.intended_kinds
    case.notified_fine = case.intended_fine
    case.notified_confiscation = case.intended_confiscation
    case.save()
    period = int(jurisdiction.value("statement_period_workdays"))
    run.record(
        f"事先告知拟作出的处罚：{case.intended_penalty}" + ("（享有听证权利）" if case.hearing_right else ""),
        action="notify",
        hearing_right=case.hearing_right,
    )
    issue(
        case,
        run.actor,
        "prior_notice",
        facts=case.report_facts,
        evidence=case.report_evidence.splitlines(),
        basis_text=basis_text(case),
        intended_penalty=case.intended_penalty,
        statement_due=f"自收到本告知书之日起{period}个工作日内",
        hearing_right=case.hearing_right,
        hearing_request_due="自收到本告知书之日起5个工作日内",
    )
    if case.hearing_right:
        issue(
            case,
            run.actor,
            "hearing_rights_notice",
            facts=case.report_facts,
            intended_penalty=case.intended_penalty,
            hearing_request_due="自收到本告知书之日起5个工作日内",
            basis_text="《中华人民共和国行政处罚法》第六十三条、第六十四条",
        )


def _guard_notify(case: Case, on: dt.date) -> None:
    if case.outcome != Outcome.PENALTY:
        raise DomainError("只有拟给予行政处罚的案件需要事先告知（《行政处罚法》第四十四条）。")


def _notify(run: Run[Case]) -> Case:
    _notice_documents(run)
    return run.subject


class RenotifyForm(CaseForm, PenaltyFields):
    reason = forms.CharField(label="重新告知的理由（新的事实或证据）", widget=TEXT)
    deviation_reason = forms.CharField(
        label="偏离裁量基准的理由",
        widget=TEXT,
        required=False,
        help_text="拟处罚超出裁量基准适用幅度时必填。",
    )


def _guard_renotify(case: Case, on: dt.date) -> None:
    if case.notified_at is None:
        raise DomainError("本案尚未事先告知。")


def _renotify(
    run: Run[Case],
    *,
    kinds: Sequence[str],
    fine: Decimal,
    confiscation: Decimal,
    penalty: str,
    reason: str,
    deviation_reason: str = "",
) -> Case:
    """A heavier penalty on new facts is only possible after a new prior notice (第四十五条第二款)."""
    case = run.subject
    case.intended_kinds, case.intended_fine, case.intended_confiscation = penalty_terms_clean(
        kinds, fine, confiscation
    )
    case.intended_penalty = require_text(penalty, "拟处罚内容")
    ensure_discretion_reason(case, deviation_reason)
    run.record("变更拟处罚内容并重新告知", reason=require_text(reason, "重新告知的理由"))
    _notice_documents(run)
    return case


# ── 陈述申辩 ──────────────────────────────────────────────────────────────────────────


def _guard_served(case: Case, on: dt.date) -> None:
    if case.notice_served_on is None:
        raise DomainError("告知书尚未送达，请先登记送达。")


class StatementForm(RecordFields):
    statement = forms.CharField(label="陈述申辩内容", widget=forms.Textarea(attrs={"rows": 8}))


def _add_statement(
    run: Run[Case],
    *,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Sequence[Officer],
    subject_name: str,
    statement: str,
) -> Record:
    """陈述申辩笔录: the party's statement and defence, heard in full (第四十五条第一款)."""
    content: dict[str, Any] = {
        "paragraphs": [p for p in require_text(statement, "陈述申辩内容").splitlines() if p.strip()]
    }
    return record_create(
        run,
        kind=RecordKind.STATEMENT,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        officers=officers,
        subject_name=subject_name,
        content=content,
    )


class WaiveRightsForm(CaseForm):
    waived_on = forms.DateField(label="书面放弃日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="当事人书面材料说明", max_length=300)


def _waive_rights(run: Run[Case], *, waived_on: dt.date, note: str) -> Case:
    """The party's written statement that they do not state, defend or ask for a hearing."""
    case = run.subject
    assert case.notice_served_on is not None  # the guard
    not_in_future(waived_on, "放弃日期", run.on)
    if waived_on < case.notice_served_on:
        raise InvalidInput("放弃日期不能早于告知书送达日期。")
    if hasattr(case, "hearing"):
        raise DomainError("当事人已申请听证，应当登记撤回听证申请。")
    case.rights_waived_on = waived_on
    case.save()
    run.record(
        "当事人书面放弃陈述、申辩和听证权利", reason=require_text(note, "当事人放弃权利的书面材料说明")
    )
    return case


# ── 听证 ──────────────────────────────────────────────────────────────────────────────


class RequestHearingForm(CaseForm):
    requested_on = forms.DateField(label="申请日期", widget=DATE, initial=timezone.localdate)


def _guard_request_hearing(case: Case, on: dt.date) -> None:
    if not case.hearing_right:
        raise DomainError("拟作出的处罚不属于《行政处罚法》第六十三条规定的听证范围，当事人不享有听证权利。")
    if hasattr(case, "hearing"):
        raise DomainError("当事人已经申请听证。")
    if case.notice_served_on is None:
        raise DomainError("告知书尚未送达，听证申请期限尚未起算（《行政处罚法》第六十四条）。")


def _request_hearing(run: Run[Case], *, requested_on: dt.date) -> Hearing:
    """The party asks for a hearing within 5 working days of the notice (第六十四条第（一）项)."""
    case = run.subject
    not_in_future(requested_on, "听证申请日期", run.on)
    assert case.notice_served_on is not None  # the guard
    if requested_on < case.notice_served_on:
        raise InvalidInput("听证申请日期不能早于告知书送达日期。")
    due = deadlines.hearing_request_due(case.notice_served_on).due
    assert due is not None
    if requested_on > due:
        raise DomainError(
            f"当事人应当在行政机关告知后五日内提出听证要求，本案期限已于 {due:%Y-%m-%d} 届满（《行政处罚法》第六十四条第（一）项）。"
        )
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    run.record(f"当事人于 {requested_on:%Y-%m-%d} 申请听证")
    return hearing


def _guard_hearing_open(case: Case, on: dt.date) -> None:
    hearing = getattr(case, "hearing", None)
    if hearing is None:
        raise DomainError("当事人未申请听证。")
    if hearing.concluded:
        raise DomainError("听证已经结束或当事人已撤回申请。")


class ScheduleHearingForm(CaseForm):
    scheduled_at = forms.DateTimeField(label="举行时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    presiding = forms.ModelChoiceField(label="主持人（非本案调查人员）", queryset=Officer.objects.none())
    members = forms.CharField(label="听证员", max_length=200, required=False)
    recorder = forms.CharField(label="记录员", max_length=50)
    is_public = forms.BooleanField(label="公开举行", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_enforcers(self.fields["presiding"], self.agency_officers().exclude(case_roles__case=self.case))


def _schedule_hearing(
    run: Run[Case],
    *,
    scheduled_at: dt.datetime,
    place: str,
    presiding: Officer,
    members: str = "",
    recorder: str,
    is_public: bool = True,
) -> Hearing:
    """The head names a presiding officer who did not investigate the case (第六十四条第（四）项)."""
    case = run.subject
    hearing = case.hearing
    if presiding.agency_id != case.agency_id or not presiding.is_active:
        raise InvalidInput("听证主持人应当是本机关在岗的工作人员（《行政处罚法》第六十四条第（四）项）。")
    if case.handlers.filter(officer=presiding).exists() or case.records.filter(officers=presiding).exists():
        raise DomainError(
            f"{presiding.name}参与了本案调查，不能主持听证；听证由行政机关指定的非本案调查人员主持（《行政处罚法》第六十四条第（四）项）。"
        )
    earliest = deadlines.earliest_hearing_day(run.on).date
    if scheduled_at.astimezone().date() < earliest:
        raise DomainError(
            f"行政机关应当在举行听证的七日前通知当事人；今天通知的，听证最早于 {earliest:%Y-%m-%d} 举行（《行政处罚法》第六十四条第（二）项、第八十五条）。"
        )
    hearing.scheduled_at = scheduled_at
    hearing.place = require_text(place, "听证地点")
    hearing.presiding = presiding
    hearing.members = members.strip()
    hearing.recorder = require_text(recorder, "记录员")
    hearing.is_public = is_public
    hearing.notice_served_on = None
    hearing.save()
    run.record(f"安排听证：{scheduled_at.astimezone():%Y-%m-%d %H:%M}，主持人{presiding.name}")
    issue(
        case,
        run.actor,
        "hearing_notice",
        hearing_at=scheduled_at,
        place=hearing.place,
        presiding=presiding.name,
        members=hearing.members,
        recorder=hearing.recorder,
        is_public=is_public,
    )
    return hearing


class HoldHearingForm(CaseForm):
    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    attendees = forms.CharField(label="参加人员", max_length=300)
    proceedings = forms.CharField(
        label="听证经过（调查人员意见、当事人陈述申辩和质证、最后陈述）",
        widget=forms.Textarea(attrs={"rows": 10}),
    )


def _guard_hold_hearing(case: Case, on: dt.date) -> None:
    _guard_hearing_open(case, on)
    hearing = case.hearing
    if hearing.scheduled_at is None or hearing.notice_served_on is None:
        raise DomainError("听证通知书尚未送达当事人，不能举行听证（《行政处罚法》第六十四条第（二）项）。")


def _hold_hearing(
    run: Run[Case], *, started_at: dt.datetime, ended_at: dt.datetime, attendees: str, proceedings: str
) -> Hearing:
    """听证笔录 (第六十四条第（八）项); the hearing is held no earlier than 7 working days after notice."""
    case = run.subject
    recording_gate.ensure_recorded(case, recording_gate.Stage.HEARING)
    hearing = case.hearing
    assert hearing.notice_served_on is not None and hearing.presiding is not None
    held_on = started_at.astimezone().date()
    if not deadlines.hearing_date_allowed(hearing.notice_served_on, held_on):
        earliest = deadlines.earliest_hearing_day(hearing.notice_served_on).date
        raise DomainError(
            f"听证通知于 {hearing.notice_served_on:%Y-%m-%d} 送达，听证最早应于 {earliest:%Y-%m-%d} 举行（《行政处罚法》第六十四条第（二）项）。"
        )
    if started_at > timezone.now() or ended_at < started_at:
        raise InvalidInput("听证的开始时间不能晚于现在，结束时间不能早于开始时间。")
    record = Record.objects.create(
        case=case,
        kind=RecordKind.HEARING,
        started_at=started_at,
        ended_at=ended_at,
        place=hearing.place,
        subject_name=case.party_name,
        content={
            "fields": [
                ["主持人", hearing.presiding.name],
                ["听证员", hearing.members],
                ["记录员", hearing.recorder],
                ["参加人员", attendees],
            ],
            "paragraphs": [p for p in require_text(proceedings, "听证经过").splitlines() if p.strip()],
        },
        created_by=run.actor,
    )
    record.officers.set([h.officer for h in case.handlers.filter(active=True)])
    hearing.held_on = held_on
    hearing.save()
    run.record(f"举行听证（主持人{hearing.presiding.name}）", record=record.pk)
    issue(case, run.actor, "hearing_record", record=record_block(record))
    return hearing


class WithdrawHearingForm(CaseForm):
    withdrawn_on = forms.DateField(label="撤回日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="说明", max_length=300)


def _withdraw_hearing(run: Run[Case], *, withdrawn_on: dt.date, note: str) -> Hearing:
    hearing = run.subject.hearing
    not_in_future(withdrawn_on, "撤回日期", run.on)
    hearing.withdrawn_on = withdrawn_on
    hearing.save()
    run.record("当事人撤回听证申请", reason=require_text(note, "撤回说明"))
    return hearing


# ── 复核 ──────────────────────────────────────────────────────────────────────────────


class ReviewDefenceForm(CaseForm):
    adoption = forms.ChoiceField(label="复核结论", choices=DefenceAdoption.choices)
    review = forms.CharField(label="复核意见", widget=TEXT)


def _guard_review_defence(case: Case, on: dt.date) -> None:
    hearing = getattr(case, "hearing", None)
    if hearing is not None and not hearing.concluded:
        raise DomainError("听证尚未举行，请在听证后复核（《行政处罚法》第六十四条）。")


def _review_defence(run: Run[Case], *, adoption: str, review: str) -> Case:
    """复核: the facts, reasons and evidence the party put forward are checked (第四十五条第一款)."""
    case = run.subject
    if adoption not in DefenceAdoption.values:
        raise InvalidInput("请选择复核结论。")
    heard = case.records.filter(kind__in=[RecordKind.STATEMENT, RecordKind.HEARING]).exists()
    if adoption == DefenceAdoption.NONE and heard:
        raise InvalidInput("当事人已经陈述申辩或者听证，复核结论应为采纳、部分采纳或者不予采纳。")
    if adoption != DefenceAdoption.NONE and not heard:
        raise InvalidInput("尚无陈述申辩笔录或听证笔录，复核结论应为“当事人未陈述申辩”。")
    case.defence_adoption = adoption
    case.defence_review = require_text(review, "复核意见")
    case.save()
    run.record(f"复核陈述申辩：{case.get_defence_adoption_display()}", reason=review)
    return case


STEPS = [
    Step(
        "notify",
        "事先告知",
        HANDLER,
        frozenset({Status.REPORTED}),
        _notify,
        StepForm,
        leads_to=(Status.NOTICE,),
        guard=_guard_notify,
        variants=GENERAL,
    ),
    Step(
        "add_statement",
        "记录陈述申辩",
        HANDLER,
        NOTICE,
        _add_statement,
        StatementForm,
        guard=_guard_served,
        variants=GENERAL,
    ),
    Step(
        "waive_rights",
        "登记放弃陈述申辩和听证",
        HANDLER,
        NOTICE,
        _waive_rights,
        WaiveRightsForm,
        guard=_guard_served,
        variants=GENERAL,
    ),
    Step(
        "request_hearing",
        "登记听证申请",
        HANDLER,
        NOTICE,
        _request_hearing,
        RequestHearingForm,
        guard=_guard_request_hearing,
        variants=GENERAL,
    ),
    Step(
        "schedule_hearing",
        "安排听证",
        HEAD,
        NOTICE,
        _schedule_hearing,
        ScheduleHearingForm,
        guard=_guard_hearing_open,
        variants=GENERAL,
    ),
    Step(
        "hold_hearing",
        "记录听证",
        HANDLER_OR_HEAD,
        NOTICE,
        _hold_hearing,
        HoldHearingForm,
        guard=_guard_hold_hearing,
        variants=GENERAL,
    ),
    Step(
        "withdraw_hearing",
        "登记撤回听证申请",
        HANDLER,
        NOTICE,
        _withdraw_hearing,
        WithdrawHearingForm,
        guard=_guard_hearing_open,
        variants=GENERAL,
    ),
    Step(
        "review_defence",
        "复核陈述申辩",
        HANDLER_OR_HEAD,
        NOTICE,
        _review_defence,
        ReviewDefenceForm,
        guard=_guard_review_defence,
        variants=GENERAL,
    ),
    Step(
        "renotify",
        "重新告知（加重处罚）",
        HANDLER,
        NOTICE,
        _renotify,
        RenotifyForm,
        guard=_guard_renotify,
        variants=GENERAL,
    ),
]
