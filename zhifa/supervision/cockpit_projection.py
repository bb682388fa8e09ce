"""Keeps the cockpit's projection (zhifa.supervision.models_cockpit) current.

Why a cursor over the case events rather than a hook in the case workflow's `settle`: every
change that moves a figure — a step on the runner, a case registered or decided on the spot
(services outside the runner), a legal review, a remedy recorded or concluded — already writes
a CaseEvent in its own transaction, so one cursor sees them all without the cases app knowing
about supervision (apps depend on earlier apps only, DESIGN §2). The decision's publication
is the one figure written without a case event; its rows are read by their `updated_at`.

A refresh costs O(changed cases): each case named by a new event gets its fact row recomputed,
and the cells of the (agency, domain, matter, year) groups it left or joined are summed again
from their facts (a group holds a matter's cases of one year, not the region's). Re-reading an
event is harmless, so the cursor steps back OVERLAP events each time to catch the ones that
committed after a later one had been read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from zhifa.cases.models import DECIDED, WITHDRAWING_RESULTS, Case, CaseEvent, RemedyKind
from zhifa.cases.selectors import case_deadlines, case_domain, with_deadline_data
from zhifa.core.calendar import today
from zhifa.core.steady import steady_reads
from zhifa.supervision.models_cockpit import CELL_KEY, FLAGS, CaseFact, CockpitCell, CockpitCursor

CURSOR = "cases"
# Events re-read behind the cursor, for transactions that committed out of pk order.
OVERLAP = 100
# Publications re-read behind the last refresh (clock skew between workers, long transactions).
PUBLICATION_MARGIN = dt.timedelta(minutes=10)
BATCH = 500

Group = tuple[int, str, int | None, int]  # agency, domain, matter, year


def _cases(pks: Iterable[int]) -> list[Case]:
    return list(
        with_deadline_data(Case.objects.filter(pk__in=list(pks))).prefetch_related(
            "remedies", "review_rounds", "publications"
        )
    )


def fact_values(case: Case, on: dt.date) -> dict[str, Any]:
    """The fact row of a case (without its keys' ids), read from prefetched relations."""
    from zhifa.disclosure.models import Kind

    open_due = [
        d.due for d in case_deadlines(case, on) if d.met_on is None and not d.paused and d.due is not None
    ]
    remedies = [r for r in case.remedies.all() if r.result]

    def concluded(kind: str, corrected: bool = False) -> bool:
        return any(r.kind == kind and (not corrected or r.result in WITHDRAWING_RESULTS) for r in remedies)

    publication = next((p for p in case.publications.all() if p.kind == Kind.DECISION), None)
    published_at = publication.published_at if publication is not None else None
    decided = case.status in DECIDED and case.decided_on is not None
    return {
        "agency_id": case.agency_id,
        "domain": case_domain(case),
        "matter_id": case.matter_id,
        "year": case.received_on.year,
        "status": case.status,
        "outcome": case.outcome,
        "fine": case.final_fine if decided else Decimal(0),
        "is_open": case.is_open,
        "due_on": min(open_due) if case.is_open and open_due else None,
        "decided": decided,
        "decided_late": decided and case.decided_late,
        "reviewed": any(r.opinion for r in case.review_rounds.all()),
        "publish_due_on": publication.due_on if publication is not None else None,
        "published_on": timezone.localdate(published_at) if published_at else None,
        "reconsidered": concluded(RemedyKind.RECONSIDERATION),
        "reconsideration_corrected": concluded(RemedyKind.RECONSIDERATION, corrected=True),
        "litigated": concluded(RemedyKind.LITIGATION),
        "litigation_lost": concluded(RemedyKind.LITIGATION, corrected=True),
        "self_corrected": concluded(RemedyKind.SELF_CORRECTION, corrected=True),
    }


def _group(values: dict[str, Any]) -> Group:
    return (values["agency_id"], values["domain"], values["matter_id"], values["year"])


def _group_q(groups: Iterable[Group]) -> Q:
    q = Q(pk__in=[])
    for agency, domain, matter, year in groups:
        q |= Q(agency_id=agency, domain=domain, matter_id=matter, year=year)
    return q


def cell_aggregates() -> dict[str, Any]:
    """What a cell sums from its facts (the bench and the rebuild use the same)."""
    aggregates: dict[str, Any] = {"cases": Count("pk"), "fines": Sum("fine")}
    for flag in FLAGS:
        aggregates[flag] = Count("pk", filter=Q(**{flag: True}))
    aggregates["publish_due"] = Count("pk", filter=Q(publish_due_on__isnull=False))
    aggregates["published_on_time"] = Count(
        "pk", filter=Q(published_on__isnull=False, published_on__lte=F("publish_due_on"))
    )
    aggregates["published_late"] = Count(
        "pk", filter=Q(published_on__isnull=False, published_on__gt=F("publish_due_on"))
    )
    return aggregates


def _sum_cells(facts: Any) -> list[CockpitCell]:
    rows = facts.values(*CELL_KEY).annotate(**cell_aggregates()).order_by()
    return [CockpitCell(**{**row, "fines": row["fines"] or Decimal(0)}) for row in rows]


def cells_refresh(groups: Iterable[Group]) -> int:
    """Sum the cells of these groups again from their facts; returns the cells written."""
    groups = list(set(groups))
    written = 0
    for start in range(0, len(groups), 50):
        q = _group_q(groups[start : start + 50])
        CockpitCell.objects.filter(q).delete()
        cells = _sum_cells(CaseFact.objects.filter(q))
        CockpitCell.objects.bulk_create(cells)
        written += len(cells)
    return written


def facts_refresh(case_pks: Iterable[int], on: dt.date | None = None) -> int:
    """Recompute the fact rows of these cases and the cells they touch; returns the cases read."""
    on = on or today()
    pks = sorted(set(case_pks))
    done = 0
    with steady_reads():
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            old = {f["case_id"]: f for f in CaseFact.objects.filter(case_id__in=chunk).values(*FACT_GROUP)}
            groups: set[Group] = {
                (f["agency_id"], f["domain"], f["matter_id"], f["year"]) for f in old.values()
            }
            facts = []
            for case in _cases(chunk):
                values = fact_values(case, on)
                groups.add(_group(values))
                facts.append(CaseFact(case_id=case.pk, **values))
            CaseFact.objects.filter(case_id__in=chunk).delete()
            CaseFact.objects.bulk_create(facts)
            cells_refresh(groups)
            done += len(facts)
    return done


FACT_GROUP = ("case_id", "agency_id", "domain", "matter_id", "year")


@dataclass(frozen=True)
class Refreshed:
    events: int
    cases: int
    cursor: int


def _cursor() -> CockpitCursor:
    CockpitCursor.objects.get_or_create(name=CURSOR)
    return CockpitCursor.objects.select_for_update().get(name=CURSOR)


def cockpit_refresh(*, limit: int = 5000) -> Refreshed:
    """Read the case events after the cursor (at most `limit`) and the decisions published since
    the last refresh, and bring their cases' facts and cells up to date."""
    from zhifa.disclosure.models import Publication

    with transaction.atomic():
        cursor = _cursor()
        started = timezone.now()
        rows = list(
            CaseEvent.objects.filter(pk__gt=max(cursor.last_event_id - OVERLAP, 0))
            .order_by("pk")
            .values_list("pk", "case_id")[: limit + OVERLAP]
        )
        pks = {case_id for _pk, case_id in rows}
        if cursor.refreshed_at is not None:
            pks |= set(
                Publication.objects.filter(
                    case__isnull=False, updated_at__gte=cursor.refreshed_at - PUBLICATION_MARGIN
                ).values_list("case_id", flat=True)
            )
        cases = facts_refresh(pks)
        if rows:
            cursor.last_event_id = max(cursor.last_event_id, rows[-1][0])
        cursor.refreshed_at = started
        cursor.save()
        return Refreshed(events=len(rows), cases=cases, cursor=cursor.last_event_id)


def cockpit_rebuild(*, progress: Callable[[int, int], None] | None = None, batch: int = 2000) -> int:
    """Throw the projection away and build it again from every case; returns the cases read.

    The cursor is set first to the last event, so what happens during the rebuild is read by the
    next refresh (reading it twice is harmless)."""
    with transaction.atomic():
        cursor = _cursor()
        cursor.last_event_id = CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0
        cursor.refreshed_at = timezone.now()
        cursor.save()
        CockpitCell.objects.all().delete()
        CaseFact.objects.all().delete()
    pks = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    on = today()
    done = 0
    with steady_reads():
        for start in range(0, len(pks), batch):
            chunk = pks[start : start + batch]
            with transaction.atomic():
                # A refresh running meanwhile may have written a case's fact already: it is current.
                CaseFact.objects.bulk_create(
                    [CaseFact(case_id=case.pk, **fact_values(case, on)) for case in _cases(chunk)],
                    ignore_conflicts=True,
                )
            done += len(chunk)
            if progress is not None:
                progress(done, len(pks))
    with transaction.atomic():
        CockpitCell.objects.all().delete()
        CockpitCell.objects.bulk_create(_sum_cells(CaseFact.objects.all()), batch_size=2000)
    return done
