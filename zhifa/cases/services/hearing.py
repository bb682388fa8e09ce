"""事先告知 → 陈述申辩 → 听证 → 复核 (《行政处罚法》第四十四、四十五、六十三、六十四条)."""

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
from zhifa.cases.models import Case, DefenceAdoption, Hearing, Record, RecordKind
from zhifa.cases.penalties import hearing_right
from zhifa.cases.services._common import event, issue, not_in_future, require_text
from zhifa.cases.services.investigation import penalty_terms_clean, record_create
from zhifa.core import jurisdiction
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _notify(actor: User, case: Case) -> Case:
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
    case.status = "notice"
    case.save()
    period = int(jurisdiction.value("statement_period_workdays"))
    event(
        case,
        actor,
        "notify",
        f"事先告知拟作出的处罚：{case.intended_penalty}" + ("（享有听证权利）" if case.hearing_right else ""),
        hearing_right=case.hearing_right,
    )
    issue(
        case,
        actor,
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
            actor,
            "hearing_rights_notice",
            facts=case.report_facts,
            intended_penalty=case.intended_penalty,
            hearing_request_due="自收到本告知书之日起5个工作日内",
            basis_text="《中华人民共和国行政处罚法》第六十三条、第六十四条",
        )
    return case


@transaction.atomic
def case_notify(*, actor: User, case: Case) -> Case:
    """行政处罚事先告知书, and the 听证告知书 when the intended penalty gives a hearing right (第六十三条)."""
    workflow.ensure("notify", case, actor)
    return _notify(actor, case)


@transaction.atomic
def case_renotify(
    *,
    actor: User,
    case: Case,
    kinds: Sequence[str],
    fine: Decimal,
    confiscation: Decimal,
    penalty: str,
    reason: str,
    deviation_reason: str = "",
) -> Case:
    """A heavier penalty on new facts is only possible after a new prior notice (第四十五条第二款)."""
    workflow.ensure("renotify", case, actor)
    case.intended_kinds, case.intended_fine, case.intended_confiscation = penalty_terms_clean(
        kinds, fine, confiscation
    )
    case.intended_penalty = require_text(penalty, "拟处罚内容")
    ensure_discretion_reason(case, deviation_reason)
    event(case, actor, "renotify", "变更拟处罚内容并重新告知", reason=require_text(reason, "重新告知的理由"))
    return _notify(actor, case)


@transaction.atomic
def case_add_statement(
    *,
    actor: User,
    case: Case,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Sequence[Officer],
    subject_name: str,
    statement: str,
) -> Record:
    """陈述申辩笔录: the party's statement and defence, heard in full (第四十五条第一款)."""
    workflow.ensure("add_statement", case, actor)
    content: dict[str, Any] = {
        "paragraphs": [p for p in require_text(statement, "陈述申辩内容").splitlines() if p.strip()]
    }
    return record_create(
        actor=actor,
        case=case,
        kind=RecordKind.STATEMENT,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        officers=officers,
        subject_name=subject_name,
        content=content,
    )


@transaction.atomic
def case_waive_rights(*, actor: User, case: Case, waived_on: dt.date, note: str) -> Case:
    """The party's written statement that they do not state, defend or ask for a hearing."""
    workflow.ensure("waive_rights", case, actor)
    assert case.notice_served_on is not None
    not_in_future(waived_on, "放弃日期", today())
    if waived_on < case.notice_served_on:
        raise InvalidInput("放弃日期不能早于告知书送达日期。")
    if hasattr(case, "hearing"):
        raise DomainError("当事人已申请听证，应当登记撤回听证申请。")
    case.rights_waived_on = waived_on
    case.save()
    event(
        case,
        actor,
        "waive_rights",
        "当事人书面放弃陈述、申辩和听证权利",
        reason=require_text(note, "当事人放弃权利的书面材料说明"),
    )
    return case


@transaction.atomic
def case_request_hearing(*, actor: User, case: Case, requested_on: dt.date) -> Hearing:
    """The party asks for a hearing within 5 working days of the notice (第六十四条第（一）项)."""
    on = today()
    workflow.ensure("request_hearing", case, actor, on)
    not_in_future(requested_on, "听证申请日期", on)
    assert case.notice_served_on is not None
    if requested_on < case.notice_served_on:
        raise InvalidInput("听证申请日期不能早于告知书送达日期。")
    due = deadlines.hearing_request_due(case.notice_served_on).due
    assert due is not None
    if requested_on > due:
        raise DomainError(
            f"当事人应当在行政机关告知后五日内提出听证要求，本案期限已于 {due:%Y-%m-%d} 届满（《行政处罚法》第六十四条第（一）项）。"
        )
    hearing = Hearing.objects.create(case=case, requested_on=requested_on)
    event(case, actor, "request_hearing", f"当事人于 {requested_on:%Y-%m-%d} 申请听证")
    return hearing


@transaction.atomic
def case_schedule_hearing(
    *,
    actor: User,
    case: Case,
    scheduled_at: dt.datetime,
    place: str,
    presiding: Officer,
    members: str = "",
    recorder: str,
    is_public: bool = True,
) -> Hearing:
    """The head names a presiding officer who did not investigate the case (第六十四条第（四）项)."""
    workflow.ensure("schedule_hearing", case, actor)
    hearing = case.hearing
    if presiding.agency_id != case.agency_id or not presiding.is_active:
        raise InvalidInput("听证主持人应当是本机关在岗的工作人员。")
    if case.handlers.filter(officer=presiding).exists() or case.records.filter(officers=presiding).exists():
        raise DomainError(
            f"{presiding.name}参与了本案调查，不能主持听证；听证由行政机关指定的非本案调查人员主持（《行政处罚法》第六十四条第（四）项）。"
        )
    earliest = deadlines.earliest_hearing_day(today()).date
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
    event(
        case,
        actor,
        "schedule_hearing",
        f"安排听证：{scheduled_at.astimezone():%Y-%m-%d %H:%M}，主持人{presiding.name}",
    )
    issue(
        case,
        actor,
        "hearing_notice",
        hearing_at=scheduled_at,
        place=hearing.place,
        presiding=presiding.name,
        members=hearing.members,
        recorder=hearing.recorder,
        is_public=is_public,
    )
    return hearing


@transaction.atomic
def case_hold_hearing(
    *,
    actor: User,
    case: Case,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    attendees: str,
    proceedings: str,
) -> Hearing:
    """听证笔录 (第六十四条第（八）项); the hearing is held no earlier than 7 working days after notice."""
    workflow.ensure("hold_hearing", case, actor)
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
        created_by=actor,
    )
    record.officers.set([h.officer for h in case.handlers.filter(active=True)])
    hearing.held_on = held_on
    hearing.save()
    event(case, actor, "hold_hearing", f"举行听证（主持人{hearing.presiding.name}）", record=record.pk)
    issue(case, actor, "hearing_record", record=record_block(record))
    return hearing


@transaction.atomic
def case_withdraw_hearing(*, actor: User, case: Case, withdrawn_on: dt.date, note: str) -> Hearing:
    workflow.ensure("withdraw_hearing", case, actor)
    hearing = case.hearing
    not_in_future(withdrawn_on, "撤回日期", today())
    hearing.withdrawn_on = withdrawn_on
    hearing.save()
    event(case, actor, "withdraw_hearing", "当事人撤回听证申请", reason=require_text(note, "撤回说明"))
    return hearing


@transaction.atomic
def case_review_defence(*, actor: User, case: Case, adoption: str, review: str) -> Case:
    """复核: the facts, reasons and evidence the party put forward are checked (第四十五条第一款)."""
    workflow.ensure("review_defence", case, actor)
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
    event(
        case, actor, "review_defence", f"复核陈述申辩：{case.get_defence_adoption_display()}", reason=review
    )
    return case
