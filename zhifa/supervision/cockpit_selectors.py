"""The cockpit's (驾驶舱) reads, for a supervisor's jurisdiction: every figure of a drill-down
level is summed from the projection's cells (zhifa.supervision.models_cockpit), never from the
cases themselves; only what depends on today (overdue now, publication overdue now) is counted
from the fact rows, through their date indexes.

Levels: the jurisdiction (rows by agency, grouped by region) → an agency (rows by domain) → a
domain (rows by matter) → a matter (the list of its cases).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from zhifa.cases.deadlines import warning_window
from zhifa.cases.models import CaseEvent, Outcome, Status
from zhifa.catalog.models import MatterVersion
from zhifa.core.calendar import today
from zhifa.org.models import Agency, EnforcementDomain
from zhifa.org.selectors import training_hours_by_agency
from zhifa.supervision import policies
from zhifa.supervision.cockpit_projection import CURSOR, OVERLAP
from zhifa.supervision.models_cockpit import CaseFact, CockpitCell, CockpitCursor

if TYPE_CHECKING:
    from zhifa.accounts.models import User

NO_MATTER = 0  # the matter key of cases registered without a matter yet
CASE_LIST_LIMIT = 200
SUMS = (
    "cases",
    "fines",
    "is_open",
    "decided",
    "decided_late",
    "reviewed",
    "publish_due",
    "published_on_time",
    "published_late",
    "reconsidered",
    "reconsideration_corrected",
    "litigated",
    "litigation_lost",
    "self_corrected",
)


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A percentage with one decimal, None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Tally:
    """The figures of one row (or the whole scope) of a level."""

    key: Any = None
    label: str = ""
    note: str = ""
    cases: int = 0
    fines: Decimal = Decimal("0.00")
    is_open: int = 0
    decided: int = 0
    decided_late: int = 0
    reviewed: int = 0
    publish_due: int = 0
    published_on_time: int = 0
    published_late: int = 0
    reconsidered: int = 0
    reconsideration_corrected: int = 0
    litigated: int = 0
    litigation_lost: int = 0
    self_corrected: int = 0
    overdue: int = 0
    due_soon: int = 0
    unpublished_overdue: int = 0
    href: str = ""

    def add(self, row: dict[str, Any]) -> None:
        for name in SUMS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    @property
    def corrected(self) -> int:
        """纠错: decisions changed, revoked or confirmed illegal or void by reconsideration, by a
        court, or by the agency itself."""
        return self.reconsideration_corrected + self.litigation_lost + self.self_corrected

    @property
    def correction_rate(self) -> Decimal | None:
        return rate(self.corrected, self.decided)

    @property
    def loss_rate(self) -> Decimal | None:
        return rate(self.litigation_lost, self.litigated)

    @property
    def reconsideration_rate(self) -> Decimal | None:
        return rate(self.reconsideration_corrected, self.reconsidered)

    @property
    def late_rate(self) -> Decimal | None:
        return rate(self.decided_late, self.decided)

    @property
    def overdue_rate(self) -> Decimal | None:
        return rate(self.overdue, self.is_open)

    @property
    def review_rate(self) -> Decimal | None:
        return rate(self.reviewed, self.decided)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.published_on_time, self.publish_due)

    @property
    def level(self) -> str:
        """The colour of the row: red with an overdue case, yellow with one due soon."""
        return "danger" if self.overdue or self.unpublished_overdue else "warn" if self.due_soon else "ok"


@dataclass(frozen=True)
class Scope:
    """Where the supervisor stands in the drill-down."""

    year: int
    agency: Agency | None = None
    domain: str | None = None
    matter: int | None = None

    @property
    def depth(self) -> str:
        if self.agency is None:
            return "region"
        if self.domain is None:
            return "agency"
        return "domain" if self.matter is None else "matter"

    def cell_filter(self) -> Q:
        q = Q(year=self.year)
        if self.agency is not None:
            q &= Q(agency_id=self.agency.pk)
        if self.domain is not None:
            q &= Q(domain=self.domain)
        if self.matter is not None:
            q &= Q(matter_id=self.matter or None)
        return q

    def params(self, **more: Any) -> dict[str, Any]:
        values: dict[str, Any] = {"year": self.year}
        if self.agency is not None:
            values["agency"] = self.agency.pk
        if self.domain is not None:
            values["domain"] = self.domain
        if self.matter is not None:
            values["matter"] = self.matter
        values.update(more)
        return values


@dataclass
class Cockpit:
    scope: Scope
    total: Tally
    rows: list[Tally]
    statuses: list[tuple[str, str, int]]
    outcomes: list[tuple[str, str, int]]
    by_domain: list[Tally]
    by_region: list[Tally]
    years: list[int]
    refreshed_at: dt.datetime | None
    crumbs: list[tuple[str, str]] = field(default_factory=list)
    cases: list[CaseFact] = field(default_factory=list)
    cases_more: bool = False


def scope_for(
    *,
    user: User,
    year: int | None = None,
    agency: int | None = None,
    domain: str | None = None,
    matter: int | None = None,
) -> Scope:
    """The drill-down position, refused (403) for anyone but a supervisor, and "not found" for an
    agency outside the supervisor's region (another county's looks the same as none)."""
    policies.ensure_supervisor(user)
    year = year or today().year
    if agency is None:
        return Scope(year)
    found = policies.supervised_agencies(user).filter(pk=agency).first()
    if found is None:
        raise Http404("未找到该执法主体，或它不在您的监督范围内。")
    if domain is None:
        return Scope(year, found)
    return Scope(year, found, domain, matter)


def _cells(user: User, scope: Scope) -> QuerySet[CockpitCell]:
    return CockpitCell.objects.filter(policies.supervised_filter(user)).filter(scope.cell_filter())


def _facts(user: User, scope: Scope) -> QuerySet[CaseFact]:
    q = scope.cell_filter()
    return CaseFact.objects.filter(policies.supervised_filter(user)).filter(q)


def _sum(cells: QuerySet[CockpitCell], group: Iterable[str]) -> list[dict[str, Any]]:
    return list(cells.values(*group).annotate(**{name: Sum(name) for name in SUMS}).order_by())


def _due(facts: QuerySet[CaseFact], on: dt.date) -> tuple[QuerySet[CaseFact], dict[str, Count]]:
    """The open facts past their nearest deadline or within the warning window, and the two
    counts: the case list's 已超期 (a deadline passed) and 即将到期 (due within the window)."""
    soon = on + dt.timedelta(days=warning_window())
    # Counting due_on (never null here), the partial index of the open facts answers alone.
    counts = {
        "overdue": Count("due_on", filter=Q(due_on__lt=on)),
        "due_soon": Count("due_on", filter=Q(due_on__gte=on)),
    }
    return facts.filter(is_open=True, due_on__lte=soon), counts


def _today_counts(user: User, scope: Scope, group: str | None) -> dict[Any, dict[str, int]]:
    """Overdue now and due soon (open cases), and decisions whose publication is overdue now."""
    on = today()
    facts = _facts(user, scope)
    out: dict[Any, dict[str, int]] = defaultdict(
        lambda: {"overdue": 0, "due_soon": 0, "unpublished_overdue": 0}
    )
    fields = [group] if group else []
    due, counts = _due(facts, on)
    for row in due.values(*fields).annotate(**counts).order_by():
        key = row[group] if group else None
        out[key]["overdue"] += row["overdue"]
        out[key]["due_soon"] += row["due_soon"]
    for row in (
        facts.filter(publish_due_on__lt=on, published_on__isnull=True)
        .values(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    ):
        out[row[group] if group else None]["unpublished_overdue"] += row["n"]
    return out


def unread_cases(*, user: User, at_most: int) -> list[int] | None:
    """The region's cases named by case events the projection has not read yet (with the
    refresh's overlap), whose facts may be stale; None when more than `at_most` (the refresh is
    behind: the facts stand as of 数据更新于)."""
    read = CockpitCursor.objects.filter(name=CURSOR).values_list("last_event_id", flat=True).first() or 0
    pks = list(
        CaseEvent.objects.filter(
            policies.supervised_filter(user, "case__agency"), pk__gt=max(read - OVERLAP, 0)
        )
        .values_list("case_id", flat=True)
        .order_by()
        .distinct()[: at_most + 1]
    )
    return None if len(pks) > at_most else pks


def region_deadline_counts(*, user: User, on: dt.date, besides: Iterable[int] = ()) -> dict[str, int]:
    """The supervisor's region: open cases of every year past their nearest deadline ("overdue")
    and due within the warning window ("due_soon"), from the fact rows in one aggregate query,
    leaving out the cases `besides` (those the caller judges from the cases themselves)."""
    facts = CaseFact.objects.filter(policies.supervised_filter(user))
    due, counts = _due(facts.exclude(case_id__in=list(besides)), on)
    return {k: v or 0 for k, v in due.aggregate(**counts).items()}


def _tallies(
    rows: list[dict[str, Any]], key: str, today_counts: dict[Any, dict[str, int]]
) -> dict[Any, Tally]:
    result: dict[Any, Tally] = {}
    for row in rows:
        tally = result.setdefault(row[key], Tally(key=row[key]))
        tally.add(row)
    for k, counts in today_counts.items():
        tally = result.setdefault(k, Tally(key=k))
        for name, n in counts.items():
            setattr(tally, name, n)
    return result


def _domain_names() -> dict[str, str]:
    return {**dict(EnforcementDomain.objects.values_list("code", "name")), "": "未确定执法类别"}


def _matter_names(pks: Iterable[int]) -> dict[int, str]:
    names: dict[int, str] = {NO_MATTER: "未确定执法事项"}
    latest: dict[int, int] = {}
    for matter_id, version, name in MatterVersion.objects.filter(
        matter_id__in=[p for p in pks if p]
    ).values_list("matter_id", "version", "name"):
        if version >= latest.get(matter_id, 0):
            latest[matter_id], names[matter_id] = version, name
    return names


def cockpit_for(
    *,
    user: User,
    year: int | None = None,
    agency: int | None = None,
    domain: str | None = None,
    matter: int | None = None,
) -> Cockpit:
    """The figures of one drill-down level of the supervisor's jurisdiction."""
    scope = scope_for(user=user, year=year, agency=agency, domain=domain, matter=matter)
    cells = _cells(user, scope)
    group = {"region": "agency_id", "agency": "domain", "domain": "matter_id", "matter": "status"}[
        scope.depth
    ]
    summed = _sum(cells, [group])
    today_counts = _today_counts(user, scope, group)
    tallies = _tallies(summed, group, today_counts)

    total = Tally(label="合计")
    for tally in tallies.values():
        total.add(vars(tally))
        total.overdue += tally.overdue
        total.due_soon += tally.due_soon
        total.unpublished_overdue += tally.unpublished_overdue

    domains = _domain_names()
    rows = list(tallies.values())
    by_region: list[Tally] = []
    if scope.depth == "region":
        bureau = policies.ensure_supervisor(user)
        agencies = {a.pk: a for a in policies.supervised_agencies(user).select_related("region")}
        for tally in rows:
            a = agencies[tally.key]
            tally.label, tally.note = a.name, a.region.name
            tally.href = _query(scope.params(agency=a.pk))
        by_region = _regions(bureau, agencies, tallies)
    elif scope.depth == "agency":
        for tally in rows:
            tally.label = domains.get(tally.key, tally.key)
            tally.href = _query(scope.params(domain=tally.key))
    elif scope.depth == "domain":
        names = _matter_names(t.key for t in rows if t.key)
        for tally in rows:
            tally.key = tally.key or NO_MATTER
            tally.label = names.get(tally.key, str(tally.key))
            tally.href = _query(scope.params(matter=tally.key))
    else:
        for tally in rows:
            tally.label = Status(tally.key).label if tally.key in Status.values else tally.key
    rows.sort(key=lambda t: (-t.cases, t.label))

    by_domain = []
    if scope.depth in ("region", "agency"):
        for row in _sum(cells, ["domain"]):
            tally = Tally(key=row["domain"], label=domains.get(row["domain"], row["domain"]))
            tally.add(row)
            by_domain.append(tally)
        by_domain.sort(key=lambda t: (-t.cases, t.label))

    statuses = _counted(cells, "status", dict(Status.choices))
    outcomes = _counted(cells.exclude(outcome=""), "outcome", dict(Outcome.choices))
    cursor = CockpitCursor.objects.filter(name="cases").first()
    result = Cockpit(
        scope=scope,
        total=total,
        rows=rows,
        statuses=statuses,
        outcomes=outcomes,
        by_domain=by_domain,
        by_region=by_region,
        years=_years(user, scope.year),
        refreshed_at=cursor.refreshed_at if cursor else None,
        crumbs=_crumbs(scope, domains),
    )
    if scope.depth == "matter":
        facts = list(
            _facts(user, scope)
            .select_related("case")
            .order_by(F("due_on").asc(nulls_last=True), "-case__received_on", "case_id")[
                : CASE_LIST_LIMIT + 1
            ]
        )
        result.cases, result.cases_more = facts[:CASE_LIST_LIMIT], len(facts) > CASE_LIST_LIMIT
    return result


def _counted(cells: QuerySet[CockpitCell], name: str, labels: dict[str, str]) -> list[tuple[str, str, int]]:
    rows = cells.values(name).annotate(n=Sum("cases")).order_by()
    counts = {row[name]: row["n"] for row in rows if row["n"]}
    return [(code, str(label), counts[code]) for code, label in labels.items() if code in counts]


def _years(user: User, year: int) -> list[int]:
    last = CockpitCell.objects.filter(policies.supervised_filter(user)).aggregate(m=Max("year"))["m"]
    newest = max(year, today().year, last or 0)
    return list(range(newest, newest - 5, -1))


def _regions(bureau: Agency, agencies: dict[int, Agency], tallies: dict[Any, Tally]) -> list[Tally]:
    """The jurisdiction's own region and each region directly below it (a township's agencies are
    counted under it), summed from the agencies' rows."""
    base = bureau.region
    children = {r.path: r for r in base.children.all()}
    result: dict[str, Tally] = {}
    for pk, tally in tallies.items():
        region = agencies[pk].region
        child = next((r for path, r in children.items() if region.path.startswith(path)), None)
        name = child.name if child is not None else base.name
        row = result.setdefault(name, Tally(key=name, label=name))
        row.add(vars(tally))
        row.overdue += tally.overdue
        row.due_soon += tally.due_soon
        row.unpublished_overdue += tally.unpublished_overdue
    return sorted(result.values(), key=lambda t: (-t.cases, t.label))


def _query(params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(params)


def _crumbs(scope: Scope, domains: dict[str, str]) -> list[tuple[str, str]]:
    crumbs = [("本辖区", _query({"year": scope.year}))]
    if scope.agency is not None:
        crumbs.append((scope.agency.name, _query({"year": scope.year, "agency": scope.agency.pk})))
    if scope.domain is not None:
        crumbs.append(
            (
                domains.get(scope.domain, scope.domain),
                _query(
                    {
                        "year": scope.year,
                        "agency": scope.agency.pk if scope.agency else "",
                        "domain": scope.domain,
                    }
                ),
            )
        )
    if scope.matter is not None:
        crumbs.append(
            (_matter_names([scope.matter]).get(scope.matter, str(scope.matter)), _query(scope.params()))
        )
    return crumbs


@dataclass(frozen=True)
class Staff:
    """执法人员: certificate coverage and training hours of the agencies in scope (zhifa.org)."""

    active: int
    certified: int
    hours: Decimal

    @property
    def coverage(self) -> Decimal | None:
        return rate(self.certified, self.active)

    @property
    def hours_each(self) -> Decimal | None:
        if not self.active:
            return None
        return (self.hours / self.active).quantize(Decimal("0.1"))


def staff_for(*, user: User, scope: Scope) -> Staff:
    """Counted from the officers' own tables (a few rows per officer, not per case), with the 年报's
    definition of a valid certificate (zhifa.disclosure.annual.figures)."""
    from zhifa.disclosure.annual import figures as annual
    from zhifa.disclosure.annual.period import Period

    ids = _agency_ids(user, scope)
    period = Period(scope.year, timezone.now())
    out: dict[int, dict[str, int | Decimal]] = {
        pk: {"officers.active": 0, "officers.certified": 0, "officers.reviewers": 0} for pk in ids
    }
    annual._officers(out, period)
    hours = training_hours_by_agency(ids, first=period.first, last=period.last)
    return Staff(
        active=sum(int(v["officers.active"]) for v in out.values()),
        certified=sum(int(v["officers.certified"]) for v in out.values()),
        hours=sum(hours.values(), Decimal(0)),
    )


def _agency_ids(user: User, scope: Scope) -> list[int]:
    if scope.agency is not None:
        return [scope.agency.pk]
    return list(policies.supervised_agencies(user).values_list("pk", flat=True))


def inspections_for(*, user: User, scope: Scope) -> dict[str, int | Decimal | None]:
    """行政检查 of the year, from zhifa.inspections' own figures (task_figures): tasks opened,
    done, with problems found and transferred to cases, over every kind of check."""
    from zhifa.disclosure.annual.period import Period
    from zhifa.inspections import task_figures

    ids = _agency_ids(user, scope)
    out: dict[int, dict[str, Any]] = {pk: dict.fromkeys(task_figures.keys(), 0) for pk in ids}
    task_figures.figures(out, Period(scope.year, timezone.now()))
    total: dict[str, int] = defaultdict(int)
    for figures in out.values():
        for key, value in figures.items():
            total[key] += int(value)
    result: dict[str, int | Decimal | None] = {
        name: sum(total[f"inspections.{group}.{name}"] for group in task_figures.GROUPS)
        for name in ("tasks", "done", "problems", "transferred")
    }
    result["random"] = total["inspections.random.tasks"]
    result["plans"] = total["inspections.plans"]
    result["problem_rate"] = rate(int(result["problems"] or 0), int(result["done"] or 0))
    return result


@dataclass(frozen=True)
class Clues:
    """监督线索 of the year (registered in it): handled, open, past their 办理期限, and how long
    handling took. Read from the clue inbox itself: a bureau's clues are counted in the thousands
    a year, not the millions, so they need no projection."""

    registered: int
    closed: int
    overdue: int
    days_total: int

    @property
    def open(self) -> int:
        return self.registered - self.closed

    @property
    def days_each(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(self.days_total) / self.closed).quantize(Decimal("0.1"))


def clues_for(*, user: User, scope: Scope) -> Clues:
    from zhifa.supervision import clue_policies
    from zhifa.supervision.models_clues import ClueStatus

    clues = clue_policies.visible(user).filter(
        registered_on__gte=dt.date(scope.year, 1, 1), registered_on__lte=dt.date(scope.year, 12, 31)
    )
    if scope.agency is not None:
        clues = clues.filter(agency=scope.agency)
    on = today()
    registered = clues.count()
    overdue = clues.exclude(status=ClueStatus.CLOSED).filter(due_on__lt=on).count()
    closed = list(
        clues.filter(status=ClueStatus.CLOSED, closed_on__isnull=False).values_list(
            "registered_on", "closed_on"
        )
    )
    return Clues(
        registered=registered,
        closed=len(closed),
        overdue=overdue,
        days_total=sum((done - start).days for start, done in closed if done is not None),
    )


@dataclass(frozen=True)
class Filings:
    """备案审查 of the year (the duty arose in it, `basis_on`): opened, still 待报备 now and past
    their due day now, filed late, and 纠错意见 issued. Read from the filings themselves (a few a
    case at most), like the clues."""

    opened: int
    due: int
    overdue: int
    late: int
    corrected: int


def filings_for(*, user: User, scope: Scope) -> Filings:
    from zhifa.supervision.models_filings import Filing, FilingStatus

    rows = Filing.objects.filter(
        agency_id__in=_agency_ids(user, scope),
        basis_on__gte=dt.date(scope.year, 1, 1),
        basis_on__lte=dt.date(scope.year, 12, 31),
    ).aggregate(
        opened=Count("pk"),
        due=Count("pk", filter=Q(status=FilingStatus.DUE)),
        overdue=Count("pk", filter=Q(status=FilingStatus.DUE, due_on__lt=today())),
        late=Count("pk", filter=Q(submitted_late=True)),
        corrected=Count("pk", filter=Q(status__in=(FilingStatus.CORRECTING, FilingStatus.CORRECTED))),
    )
    return Filings(**{name: int(value or 0) for name, value in rows.items()})
