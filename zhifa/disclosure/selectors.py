"""Every read of 公示: what the public sees, and what the disclosure administrator's queue shows.

Public reads return published, redacted projections only. "Still on display" is a database
filter (periods.on_display), so the portal pages and the feeds scale with the table.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.http import Http404

from zhifa.disclosure import periods, policies, projection
from zhifa.disclosure.models import Kind, Publication, PublicationVersion, State

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.org.models import Agency


def _public(on: dt.date | None) -> QuerySet[Publication]:
    return Publication.objects.filter(periods.on_display(on)).select_related("agency")


def public_publications(
    *, kind: str | None = None, agency: Agency | int | None = None, on: dt.date | None = None
) -> QuerySet[Publication]:
    """Published, not withdrawn, display period not over (withdrawn ones: withdrawn_publications)."""
    rows = _public(on).filter(state=State.PUBLISHED)
    if kind:
        rows = rows.filter(kind=kind)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows


def withdrawn_publications(
    *, kind: str | None = None, agency: Agency | int | None = None, on: dt.date | None = None
) -> QuerySet[Publication]:
    """Withdrawn after publication and still within their display period: shown with the reason."""
    rows = _public(on).filter(state=State.WITHDRAWN)
    if kind:
        rows = rows.filter(kind=kind)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return rows.order_by("-withdrawn_at", "-pk")


def publication_get_public(*, pk: int, on: dt.date | None = None) -> Publication:
    """A publication the public may open (published or withdrawn); Http404 otherwise."""
    publication = _public(on).filter(pk=pk, state__in=[State.PUBLISHED, State.WITHDRAWN]).first()
    if publication is None:
        raise Http404("公示信息不存在或已停止公示。")
    return publication


def current_version(publication: Publication) -> PublicationVersion | None:
    """The latest approved version: what the portal shows."""
    return publication.versions.filter(approved_at__isnull=False).order_by("-number").first()


def version_history(publication: Publication) -> list[PublicationVersion]:
    """Every approved version, newest first (corrections keep their history)."""
    return list(publication.versions.filter(approved_at__isnull=False).order_by("-number"))


def version_fields(version: PublicationVersion | None) -> list[dict[str, Any]]:
    """A version's content as labelled fields for the staff pages. A 事前公开 list's rows
    (`items`, each a dict that may nest lists) become one numbered line per row of its plain
    fields; only a decision's free text carries the masked spans to highlight."""
    if version is None:
        return []
    fields = []
    for key, value in version.content.items():
        marks = version.marks.get(key, []) if isinstance(value, str) else []
        fields.append(
            {"key": key, "label": projection.field_label(key), "value": _text(value), "marks": marks}
        )
    return fields


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(f"{i}. {_text(row)}" for i, row in enumerate(value, 1)) or "（无）"
    if isinstance(value, dict):
        return "；".join(
            f"{projection.field_label(k)}：{v}"
            for k, v in value.items()
            if not isinstance(v, list | dict) and v != ""
        )
    return "" if value is None else str(value)


def draft_version(publication: Publication) -> PublicationVersion | None:
    return publication.versions.filter(approved_at__isnull=True).first()


# ── staff ─────────────────────────────────────────────────────────────────────────────────────


def publications_visible_to(*, user: User) -> QuerySet[Publication]:
    return Publication.objects.filter(policies.readable_filter(user)).select_related("agency", "case")


def publication_get_for(*, user: User, pk: int) -> Publication:
    """Not found and not yours look the same."""
    publication = publications_visible_to(user=user).filter(pk=pk).first()
    if publication is None:
        raise Http404("公示信息不存在。")
    return publication


def with_drafts(rows: QuerySet[Publication]) -> QuerySet[Publication]:
    """Those with a version awaiting approval (a first draft or a correction)."""
    drafts = PublicationVersion.objects.filter(publication=OuterRef("pk"), approved_at__isnull=True)
    return rows.filter(Exists(drafts))


@dataclass(frozen=True)
class DueItem:
    """A decided case whose decision is to be published, or a publication to be withdrawn."""

    case: Case
    publication: Publication | None
    due_on: dt.date
    urgency: str  # "late", "soon" or ""
    cause: str = ""


def decisions_due(*, agencies: QuerySet[Agency], on: dt.date) -> list[DueItem]:
    """Decided cases with a publication deadline and nothing approved yet, soonest first."""
    from zhifa.cases.models import WITHDRAWING_RESULTS, Case, Remedy
    from zhifa.cases.selectors import decided_filter
    from zhifa.disclosure import projection

    done = Publication.objects.filter(case=OuterRef("pk"), kind=Kind.DECISION).exclude(state=State.DRAFT)
    withdrawing = Remedy.objects.filter(case=OuterRef("pk"), result__in=WITHDRAWING_RESULTS)
    cases = (
        Case.objects.filter(decided_filter(), agency__in=agencies, outcome__in=projection.PUBLISHED_OUTCOMES)
        .exclude(Exists(done))
        .exclude(Exists(withdrawing))
        .select_related("agency", "matter_version")
    )
    drafts = {
        p.case_id: p
        for p in Publication.objects.filter(kind=Kind.DECISION, state=State.DRAFT, case__in=cases)
    }
    items = []
    for case in cases:
        due = periods.publication_due_on(case)
        if due is None:
            continue  # 依法不主动公开
        items.append(DueItem(case, drafts.get(case.pk), due, periods.urgency(due, on=on)))
    return sorted(items, key=lambda i: (i.due_on, i.case.pk))


def withdrawals_due(*, agencies: QuerySet[Agency], on: dt.date) -> list[DueItem]:
    """Published decisions whose decision was changed, revoked or confirmed illegal or void."""
    from zhifa.cases.models import WITHDRAWING_RESULTS, Remedy

    rows = Publication.objects.filter(
        agency__in=agencies, kind=Kind.DECISION, state=State.PUBLISHED, case__isnull=False
    ).select_related("case", "agency")
    remedies: dict[int, Remedy] = {}
    for remedy in Remedy.objects.filter(
        case__in=rows.values("case"), result__in=WITHDRAWING_RESULTS, concluded_on__isnull=False
    ).order_by("concluded_on", "pk"):
        remedies.setdefault(remedy.case_id, remedy)  # the first such result starts the period
    items = []
    for publication in rows.filter(case__in=list(remedies)):
        assert publication.case is not None and publication.case_id is not None
        remedy = remedies[publication.case_id]
        assert remedy.concluded_on is not None
        due = periods.withdrawal_due_on(remedy.concluded_on)
        cause = f"{remedy.get_kind_display()}{remedy.get_result_display()}（{remedy.concluded_on:%Y-%m-%d}）"
        items.append(DueItem(publication.case, publication, due, periods.urgency(due, on=on), cause))
    return sorted(items, key=lambda i: (i.due_on, i.publication.pk if i.publication else 0))


def expired_publications(*, agencies: QuerySet[Agency], on: dt.date) -> QuerySet[Publication]:
    """Published once, display period over: off the portal, the rows stay."""
    return (
        Publication.objects.filter(agency__in=agencies, published_at__isnull=False)
        .exclude(periods.on_display(on))
        .select_related("agency")
    )


@dataclass(frozen=True)
class MonthBar:
    month: str
    on_time: int
    late: int

    @property
    def total(self) -> int:
        return self.on_time + self.late


def timeliness_by_month(*, agencies: QuerySet[Agency], months: int = 6) -> list[MonthBar]:
    """Published decisions per month of first publication, on time (by their due date) or late."""
    rows = (
        Publication.objects.filter(
            agency__in=agencies, kind=Kind.DECISION, published_at__isnull=False, due_on__isnull=False
        )
        .annotate(month=TruncMonth("published_at"), day=TruncDate("published_at"))
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(day__lte=F("due_on"))),
            late=Count("pk", filter=Q(day__gt=F("due_on"))),
        )
        .order_by("-month")[:months]
    )
    return [MonthBar(f"{r['month']:%Y-%m}", r["on_time"], r["late"]) for r in reversed(list(rows))]
