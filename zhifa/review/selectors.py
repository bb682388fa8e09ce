"""Reads of the legal review for a user: the queues, the review of one case, reviewer staffing."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from zhifa.accounts.models import Role
from zhifa.cases.deadlines import Deadline, warning_window
from zhifa.cases.policies import is_head_of, is_reviewer_of
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of, readable_agencies
from zhifa.org.selectors import Staffing, staffing_for_many
from zhifa.review import policies
from zhifa.review.catalog import Match, matches
from zhifa.review.gate import latest_round, review_due, round_cleared, working_days_taken
from zhifa.review.models import ReviewRound

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case


@dataclass(frozen=True)
class QueueRow:
    round: ReviewRound
    deadline: Deadline
    level: str
    phrase: str


def _rows(rounds: QuerySet[ReviewRound], on: dt.date) -> list[QueueRow]:
    window = warning_window()
    rows = []
    for round_ in rounds.select_related("case", "reviewer", "submitted_by"):
        deadline = review_due(round_)
        rows.append(QueueRow(round_, deadline, deadline.level(on, warning_days=window), deadline.phrase(on)))
    return sorted(rows, key=lambda r: (r.deadline.due or dt.date.max, r.round.pk))


def open_rounds() -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(opinion="", case__status__in=["reported", "notice"])


def assigned_to(*, user: User, on: dt.date) -> list[QueueRow]:
    """A reviewer's open reviews, earliest deadline first."""
    agency = agency_of(user)
    if agency is None or not is_reviewer_of(user, agency):
        return []
    return _rows(open_rounds().filter(reviewer=user, case__agency=agency), on)


def awaiting_assignment(*, user: User, on: dt.date) -> list[QueueRow] | None:
    """For the head or the review body's lead: submissions nobody reviews yet (None: not theirs)."""
    agency = agency_of(user)
    if agency is None or not policies.may_assign(user, agency):
        return None
    return _rows(open_rounds().filter(reviewer__isnull=True, case__agency=agency), on)


def agency_open(*, user: User, on: dt.date) -> list[QueueRow]:
    agency = agency_of(user)
    if agency is None or not (is_head_of(user, agency) or is_reviewer_of(user, agency)):
        return []
    return _rows(open_rounds().filter(case__agency=agency), on)


@dataclass(frozen=True)
class Responsibility:
    role: str
    names: str
    at: str


@dataclass
class CaseReview:
    """Everything the review page and the case page show about one case's review."""

    case: Case
    matched: list[Match]
    rounds: list[ReviewRound]
    cleared: bool
    latest: ReviewRound | None
    deadline: Deadline | None
    responsibility: list[Responsibility] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return bool(self.matched)


def case_review(case: Case) -> CaseReview:
    matched = matches(case)
    rounds = list(
        case.review_rounds.select_related("reviewer", "submitted_by", "assigned_by", "discussion")
        .prefetch_related("coordinations")
        .order_by("number")
    )
    latest = rounds[-1] if rounds else None
    deadline = review_due(latest) if latest is not None and not latest.opinion else None
    result = CaseReview(case, matched, rounds, round_cleared(latest), latest, deadline)
    result.responsibility = _responsibility(case, rounds)
    return result


def _when(moment: Any) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return f"{moment.astimezone():%Y-%m-%d %H:%M}"
    return f"{moment:%Y-%m-%d}"


def _responsibility(case: Case, rounds: list[ReviewRound]) -> list[Responsibility]:
    """承办 → 审核 → 批准 with names and times (seeds: 明确审核责任)."""
    handlers = "、".join(h.officer.name for h in case.handlers.filter(active=True).select_related("officer"))
    rows = [Responsibility("承办", handlers, _when(case.reported_at))]
    for r in rounds:
        if r.reviewer_id and r.reviewed_at:
            rows.append(
                Responsibility(
                    f"法制审核（第 {r.number} 次，{r.get_opinion_display()}）",
                    r.reviewer.display_name if r.reviewer else "",
                    _when(r.reviewed_at),
                )
            )
        if r.discussion is not None:
            rows.append(Responsibility("集体讨论决定", str(r.discussion.chair), _when(r.discussion.held_at)))
    if case.decided_by_id:
        rows.append(Responsibility("批准决定", str(case.decided_by), _when(case.decided_on)))
    return rows


def rounds_under_review(case: Case) -> ReviewRound | None:
    latest = latest_round(case)
    return latest if latest is not None and not latest.opinion else None


# ── 法制审核人员配备 ────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ReviewerLoad:
    name: str
    qualified: bool
    open: int
    done: int


@dataclass(frozen=True)
class StaffingRow:
    staffing: Staffing
    loads: list[ReviewerLoad]
    median_days: Decimal | None
    average_days: Decimal | None
    completed: int

    @property
    def max_open(self) -> int:
        return max([1, *[load.open for load in self.loads]])


def staffing_agencies(user: User) -> QuerySet[Agency]:
    """Heads see their agency; supervisors the agencies they supervise; the administrator all."""
    if not policies.may_see_staffing(user):
        return Agency.objects.none()
    agencies = readable_agencies(user).filter(is_active=True, is_justice_bureau=False)
    if user.role == Role.HEAD:
        own = agency_of(user)
        return agencies.filter(pk=own.pk) if own is not None else Agency.objects.none()
    return agencies


def staffing(*, user: User, on: dt.date) -> list[StaffingRow]:
    from zhifa.accounts.models import User as UserModel

    agencies = list(staffing_agencies(user).order_by("name"))
    figures = staffing_for_many(agencies)
    rows = []
    for agency in agencies:
        rounds = list(ReviewRound.objects.filter(case__agency=agency, reviewer__isnull=False))
        loads = []
        reviewers = UserModel.objects.filter(
            role=Role.REVIEWER, is_active=True, officer__agency=agency, officer__is_active=True
        ).select_related("officer")
        for reviewer in reviewers.order_by("full_name", "pk"):
            own = [r for r in rounds if r.reviewer_id == reviewer.pk]
            loads.append(
                ReviewerLoad(
                    reviewer.display_name,
                    reviewer.officer.has_legal_qualification,
                    sum(1 for r in own if not r.opinion),
                    sum(1 for r in own if r.opinion),
                )
            )
        days = [working_days_taken(r, on) for r in rounds if r.reviewed_at is not None]
        median = Decimal(str(statistics.median(days))) if days else None
        average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1")) if days else None
        rows.append(StaffingRow(figures[agency.pk], loads, median, average, len(days)))
    return rows
