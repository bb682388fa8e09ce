"""年报 figures on 公示 itself: decisions published on time or late, overdue, withdrawals."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from zhifa.cases.models import WITHDRAWING_RESULTS, Case, Remedy
from zhifa.catalog.models import MatterVersion
from zhifa.core import jurisdiction
from zhifa.core.calendar import add_workdays
from zhifa.disclosure import periods
from zhifa.disclosure.annual.period import (
    DECIDED_OUTCOMES,
    ENDED_BEFORE_DECISION,
    SHANGHAI,
    Figures,
    Period,
    add,
    grouped,
)
from zhifa.disclosure.models import Kind, Publication


def publication_figures(out: dict[int, Figures], period: Period) -> None:
    _publications(out, period)
    _unprepared_overdue(out, period)


def _publications(out: dict[int, Figures], period: Period) -> None:
    """Decisions published in the year (on time or late) and those overdue at the cutoff."""
    cutoff, cutoff_day = period.cutoff, period.cutoff_day
    published = period.moments("published_at")
    late = published & Q(due_on__isnull=False) & Q(published_day__gt=F("due_on"))
    withdrawn = period.moments("withdrawn_at")
    withdrawn_late = (
        withdrawn & Q(withdrawal_due_on__isnull=False) & Q(withdrawn_day__gt=F("withdrawal_due_on"))
    )
    withdrawn_on_time = (
        withdrawn & Q(withdrawal_due_on__isnull=False) & Q(withdrawn_day__lte=F("withdrawal_due_on"))
    )
    not_published = Q(published_at__isnull=True) | Q(published_at__gte=cutoff)
    rows = grouped(
        Publication.objects.filter(agency_id__in=out, kind=Kind.DECISION).annotate(
            published_day=TruncDate("published_at", tzinfo=SHANGHAI),
            withdrawn_day=TruncDate("withdrawn_at", tzinfo=SHANGHAI),
        ),
        published=Count("pk", filter=published),
        late=Count("pk", filter=late),
        overdue=Count("pk", filter=Q(due_on__gte=period.first, due_on__lt=cutoff_day) & not_published),
        withdrawn=Count("pk", filter=withdrawn),
        withdrawn_on_time=Count("pk", filter=withdrawn_on_time),
        withdrawn_late=Count("pk", filter=withdrawn_late),
    )
    for row in rows:
        pk = row["agency_id"]
        add(out, pk, "publication.published", row["published"])
        add(out, pk, "publication.on_time", row["published"] - row["late"])
        add(out, pk, "publication.late", row["late"])
        add(out, pk, "publication.overdue_unpublished", row["overdue"])
        add(out, pk, "publication.withdrawn", row["withdrawn"])
        add(out, pk, "publication.withdrawn_on_time", row["withdrawn_on_time"])
        add(out, pk, "publication.withdrawn_late", row["withdrawn_late"])
    _withdrawal_overdue(out, period)


def _withdrawal_overdue(out: dict[int, Figures], period: Period) -> None:
    """Published decisions still on the portal at the cutoff although their withdrawal fell due
    in the year (result date + 3 working days, 《行政处罚法》第四十八条第二款)."""
    workdays = int(jurisdiction.value("withdrawal_workdays"))
    after = _latest_start(period.first, workdays)
    until = _latest_start(period.cutoff_day, workdays)
    if until <= after:
        return
    due = Remedy.objects.filter(
        case=OuterRef("case"),
        result__in=WITHDRAWING_RESULTS,
        concluded_on__gt=after,
        concluded_on__lte=until,
    )
    cutoff = period.cutoff
    rows = grouped(
        Publication.objects.filter(agency_id__in=out, kind=Kind.DECISION, published_at__lt=cutoff)
        .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=cutoff))
        .annotate(due=Exists(due))
        .filter(due=True),
        n=Count("pk"),
    )
    for row in rows:
        add(out, row["agency_id"], "publication.withdrawal_overdue", row["n"])


def _latest_start(day: dt.date, workdays: int) -> dt.date:
    """The last start date whose period of N working days ended before `day`.

    add_workdays is monotonic in its start, so a short walk back from day − N finds it; the
    number of steps is bounded by the rest days in the window, not by the number of cases.
    """
    decided = day - dt.timedelta(days=workdays)
    while add_workdays(decided, workdays).date >= day:
        decided -= dt.timedelta(days=1)
    return decided


def _unprepared_overdue(out: dict[int, Figures], period: Period) -> None:
    """Decisions due in the year that have no publication row at all, counted as overdue too.

    The due date follows zhifa.disclosure.periods (7 or 20 working days, capped by the matter);
    for each distinct matter version the decision dates that fall due in [1 January, cutoff)
    form one date range, so the count is one query per version, whatever the number of cases.
    """
    has_row = Publication.objects.filter(case=OuterRef("pk"), kind=Kind.DECISION)
    unprepared = (
        Case.objects.filter(agency_id__in=out, outcome__in=DECIDED_OUTCOMES, decided_on__isnull=False)
        .exclude(status__in=ENDED_BEFORE_DECISION)
        .annotate(has_row=Exists(has_row))
        .filter(has_row=False)
    )
    version_ids = set(unprepared.values_list("matter_version_id", flat=True).order_by())
    versions = MatterVersion.objects.in_bulk([v for v in version_ids if v is not None])
    for version_id in version_ids:
        workdays = periods.disclosure_workdays(versions[version_id] if version_id else None)
        if workdays is None:  # 依法不主动公开
            continue
        after = _latest_start(period.first, workdays)
        until = _latest_start(period.cutoff_day, workdays)
        if until <= after:
            continue
        rows = grouped(
            unprepared.filter(matter_version_id=version_id, decided_on__gt=after, decided_on__lte=until),
            n=Count("pk"),
        )
        for row in rows:
            add(out, row["agency_id"], "publication.overdue_unpublished", row["n"])
