"""Every read of cases for a user, and the state derived from stored dates (deadlines, payment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.cases import deadlines, policies
from zhifa.cases.deadlines import Deadline
from zhifa.cases.documents import SERVED_KINDS
from zhifa.cases.models import (
    DECIDED,
    OPEN_BEFORE_DECISION,
    TERMINAL,
    Case,
    LimitKind,
    MeasureKind,
    PartyKind,
    Status,
)
from zhifa.cases.money import Instalment, Payment, SurchargeResult, surcharge
from zhifa.core.calendar import today
from zhifa.org.certificates import Level

if TYPE_CHECKING:
    from collections.abc import Iterable

    from zhifa.accounts.models import User
    from zhifa.cases.models import Payment as PaymentRow
    from zhifa.documents.models import Document


# The archive filter of the case list: ended and not yet handed over, or handed over (第四十七条).
ARCHIVE_FILTERS = {"pending": "已结案待移交归档", "handed": "已移交归档"}


def case_list_visible_to(
    *,
    user: User,
    status: str = "",
    procedure: str = "",
    query: str = "",
    mine: bool = False,
    agency: int | None = None,
    archive: str = "",
) -> QuerySet[Case]:
    cases = Case.objects.filter(policies.readable_case_filter(user)).select_related(
        "agency", "matter_version"
    )
    if agency is not None:
        cases = cases.filter(agency_id=agency)
    if archive == "pending":
        cases = cases.filter(status__in=TERMINAL, archived_at__isnull=True)
    elif archive == "handed":
        cases = cases.filter(archived_at__isnull=False)
    if status in Status.values:
        cases = cases.filter(status=status)
    elif status == "open":
        cases = cases.exclude(status__in=TERMINAL)
    if procedure:
        cases = cases.filter(procedure=procedure)
    if query.strip():
        q = query.strip()
        cases = cases.filter(
            Q(number__icontains=q)
            | Q(cause__icontains=q)
            | Q(party_name__icontains=q)
            | Q(matter_version__name__icontains=q)
            | Q(matter_version__matter__code__icontains=q)
        )
    if mine:
        officer = policies.officer_of(user)
        cases = cases.filter(handlers__officer=officer, handlers__active=True) if officer else cases.none()
    return cases.distinct()


def decided_filter() -> Q:
    """Cases that have a decision, as a query (the same rule as Case.has_decision)."""
    return Q(status__in=DECIDED, decided_on__isnull=False)


def case_get_for(*, user: User, pk: int) -> Case:
    case = (
        Case.objects.filter(policies.readable_case_filter(user))
        .select_related("agency", "matter", "matter_version", "registered_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("案件不存在或您无权查看。")
    return case


@dataclass(frozen=True)
class Party:
    kind: str
    kind_label: str
    name: str
    id_number: str
    address: str
    phone: str
    representative: str


def _masked(id_number: str) -> str:
    if len(id_number) <= 10:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def party_for(*, user: User, case: Case) -> Party:
    """The party as this user may see it (policies.sees_party_identity)."""
    full = policies.sees_party_identity(user, case)
    citizen = case.party_kind == PartyKind.CITIZEN
    return Party(
        kind=case.party_kind,
        kind_label=case.get_party_kind_display() if case.party_kind else "",
        name=case.party_name,
        id_number=case.party_id_number if full or not citizen else _masked(case.party_id_number),
        address=case.party_address if full else "",
        phone=case.party_phone if full else "",
        representative=case.party_representative,
    )


@dataclass(frozen=True)
class PaymentStatus:
    schedule: list[Instalment]
    paid: Decimal
    outstanding: Decimal
    surcharge: SurchargeResult
    surcharge_paid: Decimal
    overdue: bool
    next_due: dt.date | None


def _schedule(case: Case) -> list[Instalment]:
    plan = getattr(case, "payment_plan", None)
    if plan is not None:
        return [Instalment(dt.date.fromisoformat(i["due_on"]), Decimal(i["amount"])) for i in plan.schedule]
    assert case.decision_served_on is not None
    due = deadlines.payment_due(case.decision_served_on).due
    assert due is not None
    return [Instalment(due, case.final_fine)]


def payment_status(
    case: Case,
    on: dt.date | None = None,
    *,
    payments: Iterable[PaymentRow] | None = None,
    schedule: list[Instalment] | None = None,
) -> PaymentStatus:
    """The fine, what was paid, and the late-payment surcharge as of a day (第七十二条).

    `payments` and `schedule`, when the caller has them (a step that has just added a payment,
    with the status before it), save reading the payments again and recomputing the due dates."""
    on = on or today()
    schedule = _schedule(case) if schedule is None else schedule
    # .all(): the rows a list prefetched (with_deadline_data), else one query.
    given = case.payments.all() if payments is None else payments
    rows = [(p.paid_on, p.amount, p.is_surcharge) for p in given if p.paid_on <= on]
    principal = [Payment(d, a) for d, a, extra in rows if not extra]
    result = surcharge(fine=case.final_fine, schedule=schedule, payments=principal, as_of=on)
    paid = sum((p.amount for p in principal), Decimal(0))
    surcharge_paid = sum((a for _, a, extra in rows if extra), Decimal(0))
    left = paid
    next_due = None
    for instalment in sorted(schedule, key=lambda i: i.due_on):
        if left >= instalment.amount:
            left -= instalment.amount
            continue
        next_due = instalment.due_on
        break
    overdue = next_due is not None and on > next_due
    return PaymentStatus(schedule, paid, result.outstanding, result, surcharge_paid, overdue, next_due)


def enforcement_window(case: Case) -> tuple[dt.date, dt.date]:
    """When the agency may apply for court enforcement: after the litigation period, or after an
    approved deferral or instalment plan ends (《行政处罚法》第七十二条第二款)."""
    assert case.decision_served_on is not None
    plan = getattr(case, "payment_plan", None)
    deferred_until = max(dt.date.fromisoformat(i["due_on"]) for i in plan.schedule) if plan else None
    return deadlines.enforcement_application_window(case.decision_served_on, deferred_until=deferred_until)


def unserved_documents(case: Case) -> list[Document]:
    """Issued documents of the case that reach the party and have not been served yet."""
    from zhifa.documents.models import Document

    return list(
        Document.objects.filter(subject_ref=case.subject_ref, status="issued", kind__in=SERVED_KINDS)
        .exclude(services__isnull=False)
        .order_by("issued_at", "pk")
    )


def with_deadline_data(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with what case_deadlines reads, so a list computes every deadline in a fixed
    number of queries (the reads below use .all(), which takes the prefetched rows)."""
    return cases.select_related(
        "hearing", "payment_plan", "matter", "matter_version__domain"
    ).prefetch_related("measures", "limit_adjustments", "payments", "matter__versions__domain")


def _suspensions(case: Case) -> list[tuple[dt.date, dt.date | None]]:
    periods = [
        (a.starts_on, a.ends_on)
        for a in case.limit_adjustments.all()
        if a.kind == LimitKind.SUSPENSION and a.starts_on is not None
    ]
    return sorted(periods, key=lambda period: period[0])


def decision_deadline(case: Case, on: dt.date | None = None) -> Deadline | None:
    if case.filed_on is None:
        return None
    extension = sum(a.days or 0 for a in case.limit_adjustments.all() if a.kind == LimitKind.EXTENSION)
    deadline = deadlines.decision_due(
        case.filed_on, extension_days=extension, suspensions=_suspensions(case), on=on or today()
    )
    return _met(deadline, case.decided_on or case.transferred_on)


def _met(deadline: Deadline, met_on: dt.date | None) -> Deadline:
    return replace(deadline, met_on=met_on) if met_on else deadline


def case_domain(case: Case) -> str:
    """The 执法类别 code whose rules the case's deadlines cite: its frozen matter version's, else
    its matter's latest version's; "" (the general rules) for a clue with no matter yet."""
    version = case.matter_version
    if version is None and case.matter is not None:
        version = max(case.matter.versions.all(), key=lambda v: v.version, default=None)
    return version.domain.code if version is not None else deadlines.GENERAL


def case_deadlines(case: Case, on: dt.date | None = None) -> list[Deadline]:
    """The deadlines that matter for the case now: open ones, and the met ones of the current stage."""
    on = on or today()
    result: list[Deadline] = []
    if case.status in (Status.CLUE, Status.FILING):
        result.append(
            deadlines.filing_decision_due(
                case.received_on, extended=case.filing_extended, domain=case_domain(case)
            )
        )
    for measure in case.measures.all():
        if measure.approved_by_id is None or measure.ended_on is not None:
            continue
        if measure.kind == MeasureKind.PRESERVATION:
            result.append(deadlines.preservation_decision_due(measure.started_on))
        else:
            result.append(deadlines.seizure_due(measure.started_on, extended=measure.extended))
    if case.status in OPEN_BEFORE_DECISION:
        limit = decision_deadline(case, on)
        if limit is not None:
            result.append(limit)
    if case.status == Status.NOTICE and case.notice_served_on and not case.rights_waived_on:
        result.append(deadlines.statement_due(case.notice_served_on, domain=case_domain(case)))
        if case.hearing_right and not hasattr(case, "hearing"):
            result.append(deadlines.hearing_request_due(case.notice_served_on))
    if case.status == Status.DECIDED and case.decided_on:
        result.append(deadlines.service_due(case.decided_on))
    if case.status == Status.EXECUTION and case.final_fine > 0 and case.fine_paid_on is None:
        status = payment_status(case, on)
        if status.next_due:
            result.append(
                Deadline(
                    "payment", "罚款缴纳期限", status.next_due, "《行政处罚法》第六十七条、第六十六条第二款"
                )
            )
        if case.decision_served_on and not case.enforcement_applied_on and case.reminder_served_on:
            _start, end = enforcement_window(case)
            result.append(
                Deadline(
                    "enforcement",
                    "申请强制执行期限",
                    end,
                    "《行政强制法》第五十三条、《行政处罚法》第七十二条第二款",
                )
            )
    if case.procedure == "on_the_spot" and case.on_the_spot_filed_on is None and case.decided_on:
        result.append(deadlines.on_the_spot_filing_due(case.decided_on))
    return result


def attention_level(case: Case, on: dt.date | None = None) -> str:
    """The worst level among the case's deadlines, for the list page."""
    on = on or today()
    levels = {d.level(on) for d in case_deadlines(case, on)}
    for level in (Level.DANGER, Level.WARNING):
        if level in levels:
            return level
    return Level.OK


def case_documents(case: Case) -> QuerySet:
    from zhifa.documents.models import Document

    return (
        Document.objects.filter(subject_ref=case.subject_ref)
        .exclude(status="reserved")
        .order_by("issued_at", "pk")
    )
