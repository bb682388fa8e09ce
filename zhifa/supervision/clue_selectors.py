"""Every read of 监督线索 for a user: the inbox, one clue, the complainant's status by code, the
deadlines' colours, and the handling times for the cockpit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.http import Http404

from zhifa.core import jurisdiction
from zhifa.core.calendar import today, workdays_between
from zhifa.org.models import Agency
from zhifa.supervision import clue_policies, clue_services, policies
from zhifa.supervision.models_clues import Clue, ClueAttachment, ClueNotice, ClueStatus, NoticeStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case

OVERDUE, DUE_SOON = "overdue", "due_soon"


def clue_list_visible_to(*, user: User, status: str = "") -> QuerySet[Clue]:
    rows = clue_policies.visible(user).select_related("agency", "bureau")
    if status == OVERDUE:
        rows = rows.filter(status=ClueStatus.ASSIGNED, due_on__lt=today())
    elif status:
        rows = rows.filter(status=status)
    return rows


def clue_get_for(*, user: User, pk: int) -> Clue:
    """One clue the user may see; "not found" and "not yours" look the same."""
    clue = (
        clue_policies.visible(user)
        .select_related("agency", "bureau", "case", "feedback")
        .filter(pk=pk)
        .first()
    )
    if clue is None:
        raise Http404("未找到该监督线索。")
    return clue


def clues_of_case(*, user: User, case: Any) -> QuerySet[Clue]:
    """The supervision clues tied to a case (个案监督), among those the user may read."""
    return clue_list_visible_to(user=user).filter(case=case).order_by("-pk")


def clue_for_code(code: str) -> Clue | None:
    """The complainant's own clue, by its query code (only the hash is stored)."""
    normalized = clue_services.normalized_code(code)
    if len(normalized) != clue_services.CODE_LENGTH:
        return None
    return Clue.objects.filter(code_hash=clue_services.code_hash(normalized)).first()


def _warning_days() -> int:
    # 本平台默认：期限届满前3日黄色预警 (the same yellow as the cases' deadlines).
    return int(jurisdiction.value("deadline_warning_days"))


def due_state(due: dt.date | None, *, on: dt.date | None = None) -> str:
    """ "overdue" (red) after the due date, "due_soon" (yellow) within the warning days, else ""."""
    if due is None:
        return ""
    on = on or today()
    if on > due:
        return OVERDUE
    return DUE_SOON if workdays_between(on, due) <= _warning_days() else ""


def deadline_state(clue: Clue, *, on: dt.date | None = None) -> str:
    """The 办理期限's colour while the agency has it (办理中)."""
    return due_state(clue.due_on, on=on) if clue.status == ClueStatus.ASSIGNED else ""


def notice_state(notice: ClueNotice, *, on: dt.date | None = None) -> str:
    """The 整改报告期限's colour while the report is awaited."""
    return due_state(notice.report_due, on=on) if notice.status == NoticeStatus.ISSUED else ""


def notices_open_for(*, user: User) -> QuerySet[ClueNotice]:
    """督办 and 监督意见 whose 整改报告 is awaited, among the clues the user sees."""
    return (
        ClueNotice.objects.filter(clue__in=clue_policies.visible(user), status=NoticeStatus.ISSUED)
        .select_related("clue", "agency", "document")
        .order_by("report_due", "pk")
    )


def counts_for(*, user: User) -> dict[str, int]:
    """The inbox's figures (for /supervision/ and the agency's 待办)."""
    on = today()
    rows = clue_policies.visible(user)
    figures = rows.aggregate(
        registered=Count("pk", filter=Q(status=ClueStatus.REGISTERED)),
        assigned=Count("pk", filter=Q(status=ClueStatus.ASSIGNED)),
        replied=Count("pk", filter=Q(status=ClueStatus.REPLIED)),
        accepted=Count("pk", filter=Q(status=ClueStatus.ACCEPTED)),
        closed=Count("pk", filter=Q(status=ClueStatus.CLOSED)),
        overdue=Count("pk", filter=Q(status=ClueStatus.ASSIGNED, due_on__lt=on)),
    )
    figures["notices_overdue"] = notices_open_for(user=user).filter(report_due__lt=on).count()
    return {k: int(v or 0) for k, v in figures.items()}


@dataclass(frozen=True)
class HandlingTime:
    agency_id: int
    closed: int
    average_workdays: float | None
    longest_workdays: int | None
    # Of those closed, answered by the agency on or before the 办理期限 (its last answer counts).
    on_time: int = 0


def handling_times(agencies: Iterable[Agency], period: tuple[dt.date, dt.date]) -> dict[int, HandlingTime]:
    """Clue handling times (登记 → 办结, in working days) of the clues closed in `period`
    (inclusive), by the agency they were assigned to, and how many were answered within their
    办理期限; one aggregate query (for the cockpit and the yearly assessment)."""
    pks = [a.pk for a in agencies]
    start, end = period
    rows = (
        Clue.objects.filter(agency_id__in=pks, status=ClueStatus.CLOSED, closed_on__range=(start, end))
        .values("agency_id")
        .annotate(
            n=Count("pk"),
            avg=Avg("handling_workdays"),
            longest=Max("handling_workdays"),
            on_time=Count("pk", filter=Q(replied_on__lte=F("due_on"))),
        )
        .order_by()
    )
    found = {r["agency_id"]: r for r in rows}
    result = {}
    for pk in pks:
        row = found.get(pk)
        result[pk] = HandlingTime(
            pk,
            int(row["n"]) if row else 0,
            round(float(row["avg"]), 1) if row and row["avg"] is not None else None,
            int(row["longest"]) if row and row["longest"] is not None else None,
            int(row["on_time"]) if row else 0,
        )
    return result


def case_open_for_supervision(*, reader: Any, pk: int) -> Case:
    """个案监督: a case of the region opened by its supervisor, logged as 调阅 with the purpose 监督检查.

    Opening from the clue pages states the purpose for the case (for the rest of the session, like
    the web prompt); every opening is one AccessLog row.
    """
    from zhifa.cases.models import Case
    from zhifa.core.access import Target, access_record
    from zhifa.core.models import AccessAction, AccessPurpose

    user = reader.user
    policies.ensure_supervisor(user)
    case = (
        Case.objects.filter(policies.supervised_filter(user))
        .select_related("agency", "matter")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("案件不存在或不在您的监督范围内。")
    target = Target(
        ref=case.subject_ref,
        label=f"{case.number} 案件（个案监督）",
        case_ref=case.subject_ref,
        case_number=case.number,
        agency_id=case.agency_id,
    )
    if reader.purpose_stated(target.scope) is None:
        reader.purpose_state(target.scope, AccessPurpose.SUPERVISION, "个案监督")
    access_record(reader=reader, action=AccessAction.VIEW, target=target)
    return case


def attachment_open(*, user: User, pk: int) -> tuple[ClueAttachment, IO[bytes]]:
    """An attachment of a clue the user sees, with its stored file opened for reading."""
    from zhifa.evidence import storage

    found = (
        ClueAttachment.objects.filter(pk=pk, clue__in=clue_policies.visible(user))
        .select_related("blob")
        .first()
    )
    if found is None or found.blob.purged_at is not None:
        raise Http404("附件不存在或您无权查看。")
    return found, storage.open_blob(found.blob.name)
