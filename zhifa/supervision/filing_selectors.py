"""Reads of 备案审查 and 预警 for a user: "not found" and "not yours" look the same (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.core.calendar import today
from zhifa.org.policies import agency_of
from zhifa.supervision import filing_policies
from zhifa.supervision.models_filings import Filing, FilingStatus
from zhifa.supervision.models_warnings import HitStatus, WarningHit
from zhifa.supervision.policies import bureau_of, supervised_filter

if TYPE_CHECKING:
    from zhifa.accounts.models import User

OPEN_STATUSES = (FilingStatus.DUE, FilingStatus.SUBMITTED, FilingStatus.CORRECTING)


def filing_list_visible_to(*, user: User, status: str = "") -> QuerySet[Filing]:
    rows = Filing.objects.filter(filing_policies.visible_filter(user)).select_related(
        "agency", "bureau", "case"
    )
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == "pending":  # the agency's part: to file, or to report the correction
        rows = rows.filter(status__in=[FilingStatus.DUE, FilingStatus.CORRECTING])
    elif status in FilingStatus.values:
        rows = rows.filter(status=status)
    return rows


def filing_get_for(*, user: User, pk: int) -> Filing:
    found = (
        Filing.objects.filter(filing_policies.visible_filter(user), pk=pk)
        .select_related("agency", "bureau", "case", "document", "correction_document")
        .first()
    )
    if found is None:
        raise Http404("未找到该备案事项，或您无权查看。")
    return found


def due_level(due: dt.date | None, on: dt.date, *, done: bool = False, soon_days: int = 3) -> str:
    """The badge class of a due day: red when past, yellow when within `soon_days`."""
    if due is None or done:
        return ""
    if due < on:
        return "badge-danger"
    return "badge-warn" if (due - on).days <= soon_days else "badge-ok"


@dataclass(frozen=True)
class FilingRow:
    filing: Filing
    # The running time limit of the current stage and its badge.
    limit_label: str
    limit: dt.date | None
    level: str


def filing_rows(filings: QuerySet[Filing] | list[Filing], on: dt.date | None = None) -> list[FilingRow]:
    on = on or today()
    rows = []
    for f in filings:
        if f.status == FilingStatus.DUE:
            rows.append(FilingRow(f, "报备期限", f.due_on, due_level(f.due_on, on)))
        elif f.status == FilingStatus.SUBMITTED:
            rows.append(FilingRow(f, "审查期限", f.review_due_on, due_level(f.review_due_on, on)))
        elif f.status == FilingStatus.CORRECTING:
            rows.append(FilingRow(f, "整改报告期限", f.correction_due_on, due_level(f.correction_due_on, on)))
        else:
            rows.append(FilingRow(f, "", None, ""))
    return rows


def hits_visible_filter(user: User) -> Q:
    """Supervisors see their region's hits; an agency's staff see their own agency's."""
    if bureau_of(user) is not None:
        return supervised_filter(user)
    own = agency_of(user) if user.is_authenticated else None
    return Q(agency=own) if own is not None else Q(pk__in=[])


def hit_list_visible_to(*, user: User, status: str = HitStatus.OPEN, rule: str = "") -> QuerySet[WarningHit]:
    rows = WarningHit.objects.filter(hits_visible_filter(user)).select_related("rule", "agency")
    if status in HitStatus.values:
        rows = rows.filter(status=status)
    if rule:
        rows = rows.filter(rule__code=rule)
    return rows


def hit_get_for(*, user: User, pk: int) -> WarningHit:
    found = (
        WarningHit.objects.filter(hits_visible_filter(user), pk=pk)
        .select_related("rule", "agency", "closed_by")
        .first()
    )
    if found is None:
        raise Http404("未找到该预警，或您无权查看。")
    return found


def open_hits_for_agency(agency_id: int) -> QuerySet[WarningHit]:
    """An agency head's 待办: the agency's open warnings."""
    return WarningHit.objects.filter(agency_id=agency_id, status=HitStatus.OPEN).select_related("rule")
