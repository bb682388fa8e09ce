"""年报 figures: what a year of enforcement looks like for a set of agencies, counted by queries.

Every figure is a flat key → int or Decimal, computed per agency by grouped queries (never by
looping over cases), so the 司法局's aggregate is the sum of its agencies' figures. Year boundaries
are Asia/Shanghai days: DateFields are already local dates, DateTimeFields are compared with the
local midnight of 1 January. The definitions are in docs/annual-report.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from zhifa.cases.models import (
    WITHDRAWING_RESULTS,
    Case,
    CaseEvent,
    CollectiveDiscussion,
    Hearing,
    Outcome,
    Payment,
    Procedure,
    Remedy,
    RemedyKind,
    RemedyResult,
    Status,
)
from zhifa.catalog.models import MatterKind, MatterVersion
from zhifa.disclosure.annual import extensions
from zhifa.disclosure.annual.period import (
    CONCLUSIONS,
    MONEY_KEYS,
    Figures,
    Period,
    add,
    decided,
    grouped,
    money,
)
from zhifa.disclosure.annual.publications import publication_figures
from zhifa.org.models import AnnualReview, Certificate, CertificateStatus, Officer, Post
from zhifa.review.models import Opinion, ReviewRound

__all__ = ["CONCLUSIONS", "MONEY_KEYS", "Figures", "Period", "empty", "figures_by_agency", "keys", "total"]


def keys() -> list[str]:
    """Every figure, in report order; each agency's figures start at zero for all of them."""
    kinds = MatterKind.values
    result = ["cases.received", "cases.filed", "cases.concluded"]
    result += [f"cases.conclusion.{c}" for c in CONCLUSIONS]
    result += [f"cases.kind.{k}" for k in kinds]
    result += [f"cases.kind_conclusion.{k}.{c}" for k in kinds for c in CONCLUSIONS]
    result += [f"cases.procedure.{p}" for p in Procedure.values]
    result += ["cases.decided_late"]
    result += [
        "money.fine_decisions",
        "money.fine_total",
        "money.confiscation_total",
        "money.fines_paid",
        "money.paid_total",
        "money.surcharge_total",
        "hearings.requested",
        "hearings.held",
        "hearings.withdrawn",
        "review.submitted",
        "review.reviewed",
        "review.passed",
        "review.returned",
        "review.disagreed",
        "review.discussions",
        "review.discussions_after_review",
    ]
    for kind in RemedyKind.values:
        result += [f"remedies.{kind}.filed", f"remedies.{kind}.concluded", f"remedies.{kind}.corrected"]
        result += [f"remedies.{kind}.result.{r}" for r in RemedyResult.values]
    result += [
        "publication.published",
        "publication.on_time",
        "publication.late",
        "publication.overdue_unpublished",
        "publication.withdrawn",
        "publication.withdrawn_on_time",
        "publication.withdrawn_late",
        "publication.withdrawal_overdue",
        "officers.active",
        "officers.certified",
        "officers.reviewers",
    ]
    for extension in extensions.installed():
        result += extension.keys()
    return result


def empty() -> Figures:
    return {k: (Decimal("0.00") if k in MONEY_KEYS else 0) for k in keys()}


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of several agencies' figures (the 司法局's aggregate)."""
    result = empty()
    for one in figures:
        for key, value in one.items():
            result[key] += value
    return result


def figures_by_agency(agency_ids: Sequence[int], period: Period) -> dict[int, Figures]:
    out = {pk: empty() for pk in agency_ids}
    _cases(out, period)
    _conclusions(out, period)
    _payments(out, period)
    _hearings(out, period)
    _reviews(out, period)
    _remedies(out, period)
    publication_figures(out, period)
    _officers(out, period)
    for extension in extensions.installed():
        extension.figures(out, period)
    return out


def _cases(out: dict[int, Figures], period: Period) -> None:
    decided_q = decided(period)
    penalty = decided_q & Q(outcome=Outcome.PENALTY)
    rows = grouped(
        Case.objects.filter(agency_id__in=out),
        received=Count("pk", filter=period.days("received_on")),
        filed=Count("pk", filter=period.days("filed_on")),
        general=Count("pk", filter=decided_q & Q(procedure=Procedure.GENERAL)),
        on_the_spot=Count("pk", filter=decided_q & Q(procedure=Procedure.ON_THE_SPOT)),
        decided_late=Count("pk", filter=decided_q & Q(decided_late=True)),
        fine_decisions=Count("pk", filter=penalty & Q(final_fine__gt=0)),
        fine_total=Sum("final_fine", filter=penalty),
        confiscation_total=Sum("final_confiscation", filter=penalty),
        fines_paid=Count("pk", filter=period.days("fine_paid_on")),
    )
    for row in rows:
        pk = row["agency_id"]
        add(out, pk, "cases.received", row["received"])
        add(out, pk, "cases.filed", row["filed"])
        add(out, pk, f"cases.procedure.{Procedure.GENERAL}", row["general"])
        add(out, pk, f"cases.procedure.{Procedure.ON_THE_SPOT}", row["on_the_spot"])
        add(out, pk, "cases.decided_late", row["decided_late"])
        add(out, pk, "money.fine_decisions", row["fine_decisions"])
        add(out, pk, "money.fine_total", money(row["fine_total"]))
        add(out, pk, "money.confiscation_total", money(row["confiscation_total"]))
        add(out, pk, "money.fines_paid", row["fines_paid"])


def _conclusions(out: dict[int, Figures], period: Period) -> None:
    """Cases that ended in the year, by matter kind and conclusion."""
    ended_event = CaseEvent.objects.filter(
        period.moments("at"), case=OuterRef("pk"), action__in=("decline_filing", "revoke")
    )
    latest_kind = MatterVersion.objects.filter(matter=OuterRef("matter")).order_by("-version").values("kind")
    cases = Case.objects.filter(agency_id__in=out).annotate(
        ended_in_year=Exists(ended_event),
        conclusion=CaseWhen(
            When(status=Status.NOT_FILED, then=Value("not_filed")),
            When(status=Status.REVOKED, then=Value("revoked")),
            When(status=Status.TRANSFERRED, then=Value(Outcome.TRANSFER)),
            default=F("outcome"),
            output_field=CharField(),
        ),
        # Cases without a matter are 行政处罚 (on-the-spot penalties, clues not yet matched).
        enforcement_kind=Coalesce(
            "matter_version__kind",
            Subquery(latest_kind[:1]),
            Value(MatterKind.PENALTY),
            output_field=CharField(),
        ),
    )
    ended = cases.filter(
        (Q(status__in=(Status.NOT_FILED, Status.REVOKED)) & Q(ended_in_year=True))
        | (Q(status=Status.TRANSFERRED) & period.days("transferred_on"))
        | decided(period)
    )
    rows = ended.values("agency_id", "enforcement_kind", "conclusion").annotate(n=Count("pk")).order_by()
    for row in rows:
        pk, kind, conclusion, n = row["agency_id"], row["enforcement_kind"], row["conclusion"], row["n"]
        add(out, pk, "cases.concluded", n)
        add(out, pk, f"cases.conclusion.{conclusion}", n)
        add(out, pk, f"cases.kind.{kind}", n)
        add(out, pk, f"cases.kind_conclusion.{kind}.{conclusion}", n)


def _payments(out: dict[int, Figures], period: Period) -> None:
    rows = grouped(
        Payment.objects.filter(period.days("paid_on"), case__agency_id__in=out),
        "case__agency_id",
        paid=Sum("amount", filter=Q(is_surcharge=False)),
        surcharge=Sum("amount", filter=Q(is_surcharge=True)),
    )
    for row in rows:
        add(out, row["case__agency_id"], "money.paid_total", money(row["paid"]))
        add(out, row["case__agency_id"], "money.surcharge_total", money(row["surcharge"]))


def _hearings(out: dict[int, Figures], period: Period) -> None:
    rows = grouped(
        Hearing.objects.filter(case__agency_id__in=out),
        "case__agency_id",
        requested=Count("pk", filter=period.days("requested_on")),
        held=Count("pk", filter=period.days("held_on")),
        withdrawn=Count("pk", filter=period.days("withdrawn_on")),
    )
    for row in rows:
        for name in ("requested", "held", "withdrawn"):
            add(out, row["case__agency_id"], f"hearings.{name}", row[name])


def _reviews(out: dict[int, Figures], period: Period) -> None:
    reviewed = period.moments("reviewed_at") & ~Q(opinion="")
    rows = grouped(
        ReviewRound.objects.filter(case__agency_id__in=out),
        "case__agency_id",
        submitted=Count("pk", filter=period.moments("submitted_at")),
        reviewed=Count("pk", filter=reviewed),
        passed=Count("pk", filter=reviewed & Q(opinion=Opinion.AGREE)),
        returned=Count("pk", filter=reviewed & Q(opinion=Opinion.PROBLEMS)),
        disagreed=Count("pk", filter=period.moments("disagreed_at")),
    )
    for row in rows:
        for name in ("submitted", "reviewed", "passed", "returned", "disagreed"):
            add(out, row["case__agency_id"], f"review.{name}", row[name])
    rows = grouped(
        CollectiveDiscussion.objects.filter(period.moments("held_at"), case__agency_id__in=out),
        "case__agency_id",
        n=Count("pk"),
        after_review=Count("pk", filter=Q(review_round__isnull=False)),
    )
    for row in rows:
        add(out, row["case__agency_id"], "review.discussions", row["n"])
        add(out, row["case__agency_id"], "review.discussions_after_review", row["after_review"])


def _remedies(out: dict[int, Figures], period: Period) -> None:
    concluded = period.days("concluded_on")
    aggregates: dict[str, Any] = {
        "filed": Count("pk", filter=period.days("filed_on")),
        "concluded": Count("pk", filter=concluded),
        # 纠错: the decision was changed, revoked, confirmed illegal or void (第四十八条第二款).
        "corrected": Count("pk", filter=concluded & Q(result__in=WITHDRAWING_RESULTS)),
    }
    aggregates.update({f"r_{r}": Count("pk", filter=concluded & Q(result=r)) for r in RemedyResult.values})
    remedies: QuerySet = Remedy.objects.filter(case__agency_id__in=out)
    rows = remedies.values("case__agency_id", "kind").annotate(**aggregates).order_by()
    for row in rows:
        pk, kind = row["case__agency_id"], row["kind"]
        for name in ("filed", "concluded", "corrected"):
            add(out, pk, f"remedies.{kind}.{name}", row[name])
        for result in RemedyResult.values:
            add(out, pk, f"remedies.{kind}.result.{result}", row[f"r_{result}"])


def _officers(out: dict[int, Figures], period: Period) -> None:
    """Officers on the roster and those holding a certificate valid on the cutoff day.

    Valid as zhifa.org.certificates reads it: active status, within its dates, and issued or
    passed its annual review within the year before (年审 once a year).
    """
    day = min(period.last, period.cutoff_day)
    year_before = _year_before(day)
    reviewed = AnnualReview.objects.filter(
        certificate=OuterRef("pk"), passed=True, reviewed_on__gte=year_before, reviewed_on__lte=day
    )
    valid = Certificate.objects.filter(
        officer=OuterRef("pk"),
        status=CertificateStatus.ACTIVE,
        issued_on__lte=day,
        valid_until__gte=day,
    ).filter(Q(issued_on__gte=year_before) | Q(Exists(reviewed)))
    rows = grouped(
        Officer.objects.filter(agency_id__in=out, is_active=True).annotate(certified=Exists(valid)),
        active=Count("pk"),
        certified=Count("pk", filter=Q(certified=True)),
        reviewers=Count("pk", filter=Q(post=Post.LEGAL_REVIEW)),
    )
    for row in rows:
        for name in ("active", "certified", "reviewers"):
            add(out, row["agency_id"], f"officers.{name}", row[name])


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
