"""Every read of evidence and of the access log for a user; not found and not yours look the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from zhifa.cases import policies as case_policies
from zhifa.cases.models import Case, Record
from zhifa.core.models import AccessLog
from zhifa.evidence import policies
from zhifa.evidence.models import EvidenceItem

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def items_visible_to(*, user: User) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(case__in=_readable_cases(user)).select_related(
        "case", "case__agency", "blob", "collector", "record"
    )


def _readable_cases(user: User) -> QuerySet:
    return Case.objects.filter(case_policies.readable_case_filter(user)).values("pk")


def item_get_for(*, user: User, pk: int) -> EvidenceItem:
    item = items_visible_to(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404("证据不存在或您无权查看。")
    return item


def case_items(case: Case) -> QuerySet[EvidenceItem]:
    return case.evidence_items.select_related("collector", "blob", "record").prefetch_related(
        "blob__derivatives"
    )


def record_get_for(*, user: User, pk: int) -> Record:
    record = (
        Record.objects.filter(case__in=_readable_cases(user))
        .select_related("case", "case__agency")
        .prefetch_related("officers")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("笔录不存在或您无权查看。")
    return record


def record_recordings(record: Record) -> list[EvidenceItem]:
    """The AV items to play beside a 笔录: those attached to it, else the case's AV items of its day."""
    items = list(
        record.evidence_items.filter(kind="audiovisual", disposed_at__isnull=True).select_related("blob")
    )
    if items:
        return items
    day = record.started_at.astimezone().date()
    return [
        item
        for item in record.case.evidence_items.filter(
            kind="audiovisual", disposed_at__isnull=True
        ).select_related("blob")
        if item.collected_at.astimezone().date() == day
    ]


@dataclass(frozen=True)
class AccessFilter:
    person: str = ""
    case_number: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def access_log_for(*, user: User, filters: AccessFilter) -> QuerySet[AccessLog]:
    if not policies.can_query_access(user):
        return AccessLog.objects.none()
    rows = AccessLog.objects.all()
    if user.role != "sysadmin":
        rows = rows.filter(agency_id__in=policies.access_agency_ids(user))
    if filters.person.strip():
        rows = rows.filter(user_label__icontains=filters.person.strip())
    if filters.case_number.strip():
        rows = rows.filter(case_number__icontains=filters.case_number.strip())
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.since:
        rows = rows.filter(at__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(at__date__lte=filters.until)
    return rows.order_by("-at", "-pk")
