"""Which cases need attention: each case's most urgent deadline, the ok/warning/danger tally of
open cases, and the queues the workbench shows per role. Reads only, computed from stored dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zhifa.cases import policies
from zhifa.cases.deadlines import Deadline, warning_window
from zhifa.cases.models import Case, Measure, Procedure, Status
from zhifa.cases.selectors import case_deadlines, case_list_visible_to, with_deadline_data
from zhifa.core.steady import steady_reads
from zhifa.org.certificates import Level
from zhifa.org.policies import agency_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User

_RANK = {Level.OK: 0, Level.WARNING: 1, Level.DANGER: 2}


@dataclass(frozen=True)
class CaseRow:
    case: Case
    level: str
    # The open deadline with the fewest days left (None when nothing is running).
    deadline: Deadline | None


@dataclass(frozen=True)
class Tally:
    ok: int
    warning: int
    danger: int

    @property
    def total(self) -> int:
        return self.ok + self.warning + self.danger


def case_row(case: Case, on: dt.date, warning_days: int | None = None) -> CaseRow:
    if warning_days is None:
        warning_days = warning_window()
    level, urgent = Level.OK, None
    if case.is_open:
        for deadline in case_deadlines(case, on):
            this = deadline.level(on, warning_days=warning_days)
            if _RANK[this] > _RANK[level]:
                level = this
            left = deadline.days_left(on)
            if deadline.met_on is not None or left is None:
                continue
            if urgent is None or left < (urgent.days_left(on) or 0):
                urgent = deadline
    return CaseRow(case, level, urgent)


def case_rows(cases: Iterable[Case], on: dt.date) -> list[CaseRow]:
    """Rows for a list: a queryset is read with its deadline data, and the calendar and settings
    once, so the list costs a fixed number of queries however many cases it holds."""
    if isinstance(cases, QuerySet):
        cases = with_deadline_data(cases)
    with steady_reads():
        warning_days = warning_window()
        return [case_row(case, on, warning_days) for case in cases]


def tally(rows: Iterable[CaseRow]) -> Tally:
    counts = {Level.OK: 0, Level.WARNING: 0, Level.DANGER: 0}
    for row in rows:
        counts[row.level] += 1
    return Tally(counts[Level.OK], counts[Level.WARNING], counts[Level.DANGER])


def by_urgency(rows: Iterable[CaseRow], on: dt.date) -> list[CaseRow]:
    def key(row: CaseRow) -> tuple[int, int]:
        left = row.deadline.days_left(on) if row.deadline else None
        return (-_RANK[row.level], left if left is not None else 10**6)

    return sorted(rows, key=key)


def open_cases(*, user: User, mine: bool = False) -> QuerySet[Case]:
    return case_list_visible_to(user=user, status="open", mine=mine)


@dataclass(frozen=True)
class Pending:
    case: Case
    what: str


def awaiting_approval(*, user: User) -> list[Pending]:
    """For a 机关负责人: the cases of the agency waiting for the head's decision or approval."""
    agency = agency_of(user)
    if agency is None or not policies.is_head_of(user, agency):
        return []
    cases = open_cases(user=user).filter(agency=agency)
    pending: list[Pending] = []
    for case in cases.filter(status=Status.FILING):
        pending.append(Pending(case, "立案待审批"))
    requested = Measure.objects.filter(approved_by__isnull=True, ended_on__isnull=True).values("case")
    for case in cases.filter(pk__in=requested):
        pending.append(Pending(case, "保全或强制措施待批准"))
    for case in cases.filter(
        hearing__isnull=False,
        hearing__scheduled_at__isnull=True,
        hearing__held_on__isnull=True,
        hearing__withdrawn_on__isnull=True,
    ):
        pending.append(Pending(case, "听证待安排"))
    for case in cases.filter(status=Status.CLOSING):
        pending.append(Pending(case, "结案待审批"))
    spot = case_list_visible_to(user=user, procedure=Procedure.ON_THE_SPOT).filter(
        agency=agency, decided_on__isnull=False, on_the_spot_filed_on__isnull=True
    )
    for case in spot:
        pending.append(Pending(case, "当场处罚决定待备案"))
    return pending
