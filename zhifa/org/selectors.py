"""Reads of agencies and their people for a user. "Not found" and "not yours" look the same."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from zhifa.core import jurisdiction
from zhifa.core.calendar import today
from zhifa.org import policies
from zhifa.org.certificates import CertificateState, Level, certificate_state
from zhifa.org.models import Agency, Certificate, Officer, Post, TrainingCategory, TrainingRecord

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def agency_list_visible_to(*, user: User) -> QuerySet[Agency]:
    return policies.readable_agencies(user).select_related("region", "parent", "entrusted_by")


def agency_get_for(*, user: User, pk: int) -> Agency:
    agency = agency_list_visible_to(user=user).prefetch_related("units").filter(pk=pk).first()
    if agency is None:
        raise Http404("未找到该执法主体，或您无权查看。")
    return agency


def supervising_bureau(agency: Agency) -> Agency | None:
    """The 司法局 that supervises an agency: the nearest one at the agency's region or above."""
    bureaus = (
        Agency.objects.filter(is_justice_bureau=True, is_active=True)
        .exclude(pk=agency.pk)
        .select_related("region")
    )
    covering = [b for b in bureaus if agency.region.path.startswith(b.region.path)]
    return max(covering, key=lambda b: len(b.region.path), default=None)


def _certificates_prefetch() -> Prefetch:
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.prefetch_related("domains", "annual_reviews").select_related("area"),
    )


def officer_list_visible_to(*, user: User, agency: Agency | None = None) -> QuerySet[Officer]:
    qs = Officer.objects.filter(policies.readable_agency_filter(user)).select_related("agency", "unit")
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.prefetch_related(_certificates_prefetch())


def officer_get_for(*, user: User, pk: int) -> Officer:
    officer = officer_list_visible_to(user=user).filter(pk=pk).first()
    if officer is None:
        raise Http404("未找到该执法人员，或您无权查看。")
    return officer


def _warning_days() -> int:
    return int(jurisdiction.value("certificate_warning_days"))


def certificate_states(
    officer: Officer, *, on: dt.date | None = None, warning_days: int | None = None
) -> list[tuple[Certificate, CertificateState]]:
    on = on or today()
    days = _warning_days() if warning_days is None else warning_days
    return [(c, certificate_state(c, on=on, warning_days=days)) for c in officer.certificates.all()]


@dataclass(frozen=True)
class OfficerStanding:
    """An officer's fitness to act on a day: the best certificate and what it covers."""

    officer: Officer
    certificate: Certificate | None
    state: CertificateState | None

    @property
    def can_act(self) -> bool:
        return self.officer.is_active and self.state is not None and self.state.can_act

    @property
    def level(self) -> str:
        return self.state.level if self.state else Level.DANGER

    @property
    def label(self) -> str:
        return self.state.label if self.state else "无执法证"


_RANK = {Level.OK: 0, Level.WARNING: 1, Level.DANGER: 2}


def officer_standing(
    officer: Officer, *, on: dt.date | None = None, warning_days: int | None = None
) -> OfficerStanding:
    states = certificate_states(officer, on=on, warning_days=warning_days)
    if not states:
        return OfficerStanding(officer, None, None)
    cert, state = min(states, key=lambda cs: (_RANK[cs[1].level], -cs[0].valid_until.toordinal()))
    return OfficerStanding(officer, cert, state)


def training_hours(officer: Officer, *, year: int) -> Decimal:
    total = TrainingRecord.objects.filter(officer=officer, date__year=year).aggregate(total=Sum("hours"))[
        "total"
    ]
    return _hours(total)


def training_hours_by_officer(
    officers: QuerySet[Officer] | list[Officer], *, year: int
) -> dict[int, Decimal]:
    rows = (
        TrainingRecord.objects.filter(officer__in=officers, date__year=year)
        .values("officer")
        .annotate(total=Sum("hours"))
    )
    return {row["officer"]: _hours(row["total"]) for row in rows}


def training_hours_by_agency(agency_ids: list[int], *, first: dt.date, last: dt.date) -> dict[int, Decimal]:
    """The training hours of each agency's active officers between two days (inclusive): the
    cockpit's 人均培训学时 and the yearly assessment read the same sum."""
    rows = (
        TrainingRecord.objects.filter(
            officer__agency_id__in=agency_ids, officer__is_active=True, date__gte=first, date__lte=last
        )
        .values("officer__agency_id")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    found = {row["officer__agency_id"]: _hours(row["total"]) for row in rows}
    return {pk: found.get(pk, _hours(None)) for pk in agency_ids}


def _hours(total: Decimal | None) -> Decimal:
    # One decimal place on every back end (SQLite returns 12, PostgreSQL 12.0).
    return Decimal(total or 0).quantize(Decimal("0.1"))


def training_hours_by_category(officer: Officer, *, year: int) -> list[tuple[str, Decimal]]:
    rows = (
        TrainingRecord.objects.filter(officer=officer, date__year=year)
        .values("category")
        .annotate(total=Sum("hours"))
        .order_by("category")
    )
    return [(TrainingCategory(row["category"]).label, _hours(row["total"])) for row in rows]


def training_requirement() -> Decimal:
    return jurisdiction.value("training_hours_per_year")


@dataclass(frozen=True)
class Staffing:
    """Legal reviewers against the officers they serve (法制审核人员不少于执法人员的5%且不少于1人)."""

    agency: Agency
    officers: int
    reviewers: int
    qualified_reviewers: int
    required: int
    percent_required: Decimal

    @property
    def ratio_percent(self) -> Decimal:
        if not self.officers:
            return Decimal(0)
        return (Decimal(self.reviewers) * 100 / self.officers).quantize(Decimal("0.1"))

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.reviewers)


def staffing_for(agency: Agency) -> Staffing:
    return staffing_for_many([agency])[agency.pk]


def staffing_for_many(agencies: list[Agency]) -> dict[int, Staffing]:
    """Reviewer staffing of several agencies in one query."""
    is_reviewer = Q(officers__post=Post.LEGAL_REVIEW, officers__is_active=True)
    counts = (
        Agency.objects.filter(pk__in=[a.pk for a in agencies])
        .annotate(
            n_officers=Count("officers", filter=Q(officers__post=Post.ENFORCEMENT, officers__is_active=True)),
            n_reviewers=Count("officers", filter=is_reviewer),
            n_qualified=Count("officers", filter=is_reviewer & ~Q(officers__legal_qualification_no="")),
        )
        .values_list("pk", "n_officers", "n_reviewers", "n_qualified")
    )
    percent = jurisdiction.value("reviewer_ratio_percent")
    minimum = int(jurisdiction.value("reviewer_minimum"))
    by_pk = {a.pk: a for a in agencies}
    result = {}
    for pk, officers, reviewers, qualified in counts:
        # The ratio serves enforcement work: an agency with no enforcement officers needs no reviewers.
        required = max(minimum, math.ceil(officers * percent / 100)) if officers else 0
        result[pk] = Staffing(by_pk[pk], officers, reviewers, qualified, required, percent)
    return result


@dataclass(frozen=True)
class AgencyOverview:
    """What a head or supervisor needs to see about one agency's people, on one day."""

    agency: Agency
    standings: list[OfficerStanding]
    staffing: Staffing
    hours: dict[int, Decimal]
    required_hours: Decimal

    def _count(self, level: str) -> int:
        return sum(1 for s in self.standings if s.officer.is_active and s.level == level)

    @property
    def ok(self) -> int:
        return self._count(Level.OK)

    @property
    def warning(self) -> int:
        return self._count(Level.WARNING)

    @property
    def danger(self) -> int:
        return self._count(Level.DANGER)

    @property
    def total(self) -> int:
        return self.ok + self.warning + self.danger

    @property
    def attention(self) -> list[OfficerStanding]:
        """Active officers whose certificate needs action, worst first."""
        flagged = [s for s in self.standings if s.officer.is_active and s.level != Level.OK]
        return sorted(flagged, key=lambda s: (-_RANK[s.level], s.officer.name))

    @property
    def rows(self) -> list[tuple[OfficerStanding, Decimal]]:
        return [(s, self.hours.get(s.officer.pk, Decimal(0))) for s in self.standings]

    @property
    def training_short(self) -> list[tuple[Officer, Decimal]]:
        return [
            (s.officer, self.hours.get(s.officer.pk, Decimal(0)))
            for s in self.standings
            if s.officer.is_active and self.hours.get(s.officer.pk, Decimal(0)) < self.required_hours
        ]


def agency_overviews(
    agencies: QuerySet[Agency] | list[Agency], *, on: dt.date | None = None
) -> list[AgencyOverview]:
    on = on or today()
    agencies = list(agencies)
    officers = list(
        Officer.objects.filter(agency__in=agencies)
        .select_related("agency", "unit")
        .prefetch_related(_certificates_prefetch())
    )
    hours = training_hours_by_officer(officers, year=on.year)
    required = training_requirement()
    warning_days = _warning_days()
    staffing = staffing_for_many(agencies)
    by_agency: dict[int, list[OfficerStanding]] = {a.pk: [] for a in agencies}
    for officer in officers:
        by_agency[officer.agency_id].append(officer_standing(officer, on=on, warning_days=warning_days))
    return [AgencyOverview(a, by_agency[a.pk], staffing[a.pk], hours, required) for a in agencies]
