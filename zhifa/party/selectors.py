"""Every read of the party page (by access) and of the staff's queue (by user).

A party reads only the case its access opens: the documents served to them (and, with consent to
electronic service, those waiting to be served by their opening), the periods running for them
and what they sent. "Not found" and "not yours" look the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from zhifa.cases import deadlines
from zhifa.cases.models import Case, Status
from zhifa.cases.selectors import case_domain, unserved_documents
from zhifa.core.calendar import workdays_between
from zhifa.documents.models import Document
from zhifa.documents.rendering import verification_url
from zhifa.party import policies, windows
from zhifa.party.access import revoked_reason
from zhifa.party.models import DECIDED_KINDS, Attachment, PartyAccess, Submission, SubmissionStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

RECONSIDERATION_DAYS = 60  # 《行政复议法》第二十条第一款
LITIGATION_MONTHS = deadlines.LITIGATION_MONTHS  # 《行政诉讼法》第四十六条第一款


def access_get(pk: int | None) -> PartyAccess | None:
    """The access a session holds, while it still opens its case."""
    if pk is None:
        return None
    access = PartyAccess.objects.select_related("case", "case__agency").filter(pk=pk).first()
    if access is None or revoked_reason(access):
        return None
    return access


@dataclass(frozen=True)
class Period:
    """A period running for the party, with its countdown in working days and a bar."""

    key: str
    label: str
    starts: dt.date
    due: dt.date
    basis: str
    workdays_left: int
    total_days: int
    elapsed_days: int
    met: str = ""

    @property
    def overdue(self) -> bool:
        return not self.met and self.workdays_left < 0

    @property
    def level(self) -> str:
        """The bar's colour class (app.css): ok, warning within three working days, danger past."""
        if self.met:
            return "ok"
        if self.overdue:
            return "danger"
        return "warning" if self.workdays_left <= 3 else "ok"

    @property
    def width(self) -> int:
        """How much of the period has run, in whole percent (a widths.css class, no style=)."""
        return round(100 * self.elapsed_days / self.total_days)


def _period(
    key: str, label: str, starts: dt.date, due: dt.date | None, basis: str, on: dt.date, met: str = ""
) -> Period | None:
    if due is None:
        return None
    left = workdays_between(on, due) if on <= due else -workdays_between(due, on)
    total = max((due - starts).days, 1)
    elapsed = min(max((on - starts).days, 0), total)
    return Period(key, label, starts, due, basis, left, total, elapsed, met)


def periods_for(case: Case, on: dt.date) -> list[Period]:
    """陈述申辩, 听证申请, 缴纳罚款, 行政复议 (60 days) and 行政诉讼 (6 months) as they run now."""
    rows: list[Period | None] = []
    served = case.notice_served_on
    if served is not None and case.status == Status.NOTICE:
        statement = deadlines.statement_due(served, domain=case_domain(case))
        rows.append(_period("statement", "陈述、申辩", served, statement.due, statement.basis, on))
        if case.hearing_right:
            hearing = deadlines.hearing_request_due(served)
            met = f"已于 {case.hearing.requested_on:%Y-%m-%d} 申请" if hasattr(case, "hearing") else ""
            rows.append(_period("hearing", "申请听证", served, hearing.due, hearing.basis, on, met))
    decided = case.decision_served_on
    if decided is not None:
        if case.final_fine > 0:
            due = windows.payment_due(case)
            plan = getattr(case, "payment_plan", None)
            if plan is not None and plan.schedule:
                due = dt.date.fromisoformat(plan.schedule[-1]["due_on"])
            met = f"已于 {case.fine_paid_on:%Y-%m-%d} 缴清" if case.fine_paid_on else ""
            basis = (
                "《行政处罚法》第六十六条第二款、第六十七条" if plan else deadlines.payment_due(decided).basis
            )
            rows.append(_period("payment", "缴纳罚款", decided, due, basis, on, met))
        rows.append(
            _period(
                "reconsideration",
                "申请行政复议",
                decided,
                decided + dt.timedelta(days=RECONSIDERATION_DAYS),
                "《行政复议法》第二十条第一款：自知道该行政行为之日起六十日内",
                on,
            )
        )
        rows.append(
            _period(
                "litigation",
                "提起行政诉讼",
                decided,
                deadlines.add_months(decided, LITIGATION_MONTHS),
                "《行政诉讼法》第四十六条第一款：自知道作出行政行为之日起六个月内",
                on,
            )
        )
    return [r for r in rows if r is not None]


@dataclass(frozen=True)
class ServedDocument:
    document: Document
    served_on: dt.date | None
    method: str
    verification_url: str

    @property
    def waiting(self) -> bool:
        """Waiting for the party's first opening, which serves it electronically."""
        return self.served_on is None


def documents_for(case: Case) -> list[ServedDocument]:
    """Every document served to the party; with consent, also those served by opening them."""
    served = (
        Document.objects.filter(subject_ref=case.subject_ref, services__case=case)
        .prefetch_related("services")
        .distinct()
        .order_by("issued_at", "pk")
    )
    rows = []
    for doc in served:
        service = min(doc.services.all(), key=lambda s: (s.served_on, s.pk))
        rows.append(
            ServedDocument(
                doc, service.served_on, service.get_method_display(), verification_url(doc.verification_code)
            )
        )
    if case.electronic_service_consent:
        for doc in unserved_documents(case):
            rows.append(
                ServedDocument(doc, None, "电子送达（打开即送达）", verification_url(doc.verification_code))
            )
    return rows


def document_get(access: PartyAccess, pk: int) -> Document:
    """A document of the access's case the party may open, else 404 (never another case's)."""
    for row in documents_for(access.case):
        if row.document.pk == pk:
            return row.document
    raise Http404("没有这份文书。")


@dataclass(frozen=True)
class PartyFile:
    handle: Any
    filename: str


def document_file(access: PartyAccess, document: Document) -> PartyFile:
    """The signed PDF of a document of the access's case (signed now if the worker has not yet)."""
    from zhifa.documents.services import document_signed

    if document.subject_ref != access.case.subject_ref:
        raise Http404("没有这份文书。")
    signed = document_signed(document)
    return PartyFile(signed.pdf.open("rb"), f"{signed.title}{signed.number}.pdf")


def attachment_file(attachment: Attachment) -> PartyFile:
    return PartyFile(attachment.file.open("rb"), attachment.name)


def submissions_of(case: Case) -> QuerySet[Submission]:
    return Submission.objects.filter(case=case).prefetch_related("attachments").order_by("-created_at", "-pk")


@dataclass
class Windows:
    statement: str
    hearing: str
    consent: str
    payment_plan: str
    credit_repair: str
    repair_opens_on: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def windows_for(case: Case, on: dt.date) -> Windows:
    pending = set(
        Submission.objects.filter(case=case, status=SubmissionStatus.PENDING).values_list("kind", flat=True)
    )
    repair = windows.credit_repair(case, on, pending="credit_repair" in pending)
    return Windows(
        statement=windows.statement(case, on),
        hearing=windows.hearing(case, on),
        consent=windows.consent(case, on),
        payment_plan=windows.payment_plan(case, on, pending=bool(pending & {"deferral", "instalment"})),
        credit_repair=repair.refusal,
        repair_opens_on=repair.opens_on,
    )


def case_for(access: PartyAccess) -> Case:
    case = (
        Case.objects.select_related("agency", "hearing", "payment_plan", "matter_version__domain")
        .filter(pk=access.case_id)
        .first()
    )
    if case is None:
        raise Http404("没有这个案件。")
    return case


# ── staff ─────────────────────────────────────────────────────────────────────────────


def queue_for(*, user: User, pending_only: bool = True) -> QuerySet[Submission]:
    """The requests that need the agency's decision (延期、分期缴纳, 信用修复), of the user's agencies."""
    policies.ensure_can_see_queue(user)
    rows = Submission.objects.filter(policies.queue_filter(user), kind__in=DECIDED_KINDS)
    if pending_only:
        rows = rows.filter(status=SubmissionStatus.PENDING)
    return rows.select_related("case", "case__agency", "publication").order_by("created_at", "pk")


def recent_recorded_for(*, user: User, limit: int = 50) -> QuerySet[Submission]:
    """What the party sent that took effect at once (statements, hearing requests, consents,
    complaints): already on the cases, listed here with their attachments."""
    policies.ensure_can_see_queue(user)
    return (
        Submission.objects.filter(policies.queue_filter(user))
        .exclude(kind__in=DECIDED_KINDS)
        .select_related("case")
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")[:limit]
    )


def submission_get_for(*, user: User, pk: int) -> Submission:
    policies.ensure_can_see_queue(user)
    return get_object_or_404(
        Submission.objects.filter(policies.queue_filter(user), kind__in=DECIDED_KINDS)
        .select_related("case", "case__agency", "publication")
        .prefetch_related("attachments"),
        pk=pk,
    )


def attachment_get_for(*, user: User, pk: int) -> Attachment:
    """A party's attachment, for the staff who may read its case (statements' too)."""
    from zhifa.cases.policies import readable_case_filter

    policies.ensure_can_see_queue(user)
    cases = Case.objects.filter(readable_case_filter(user))
    return get_object_or_404(Attachment.objects.filter(submission__case__in=cases), pk=pk)


def pending_count(*, user: User, on: dt.date | None = None) -> int:
    """What the user may decide now (for the 待办 centre)."""
    if not policies.can_see_queue(user):
        return 0
    return sum(1 for s in queue_for(user=user) if policies.can_decide(user, s))
