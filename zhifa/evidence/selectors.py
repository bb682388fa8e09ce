"""Every read of evidence and of the access log for a user; not found and not yours look the same.

The bodies — an item's page and metadata, its file, its thumbnail or poster frame, a 笔录's
text — come only from the `*_for(reader=...)` selectors below, which write the AccessLog row
(zhifa.core.access) before they return what the view sends.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.cases import policies as case_policies
from zhifa.cases.models import Case, Record
from zhifa.core.access import Reader, Target, access_purpose, access_record
from zhifa.core.models import AccessAction, AccessLog
from zhifa.evidence import policies, storage
from zhifa.evidence.models import DerivativeKind, EvidenceItem

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


def _target(item: EvidenceItem, label: str = "") -> Target:
    case = item.case
    return Target(
        ref=item.ref,
        label=f"{case.number} {item}{label}",
        case_ref=case.subject_ref,
        case_number=case.number,
        agency_id=case.agency_id,
    )


def item_detail_for(*, reader: Reader, pk: int) -> EvidenceItem:
    """The item with its metadata and hashes (the item page, the API), logged as a view."""
    item = item_get_for(user=reader.user, pk=pk)
    access_record(
        reader=reader,
        action=AccessAction.VIEW,
        target=_target(item),
        handles=case_policies.is_handler(reader.user, item.case),
    )
    return item


# ── 文件 ──────────────────────────────────────────────────────────────────────────────

INLINE_TYPES = ("image/", "video/", "audio/", "application/pdf")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# A player's probe and its real request both start at byte 0 within a moment (Safari asks for
# bytes 0-1 first): one playback, one row. Played again later from the start: a new row.
PLAYBACK_PROBE_SECONDS = 60


class RangeNotSatisfiable(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"range not satisfiable for {size} bytes")
        self.size = size


@dataclass(frozen=True)
class FileBody:
    """What a view streams of a stored file: handed out only after the look was logged."""

    _name: str
    content_type: str
    filename: str
    size: int
    start: int = 0
    end: int = -1  # inclusive; -1 for an empty file
    partial: bool = False  # the answer to a Range request (206)
    download: bool = False
    ranged: bool = False  # whether Range requests are honoured (the original file only)

    @property
    def length(self) -> int:
        return self.end - self.start + 1 if self.size else 0

    def chunks(self) -> Iterator[bytes]:
        return storage.iter_range(self._name, self.start, self.length)


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single "bytes=" range; None when it cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:
        length = int(last)
        if length == 0:
            return None
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


def _is_new_look(reader: Reader, action: str, ref: str, start: int) -> bool:
    """Whether this request starts a look to log, not one more range of a look already logged.

    From byte 0 (or without Range) a look starts: a download every time, an inline playback or
    view unless the same session logged one a moment ago (the player's probe). A range from a
    later byte continues one (a seek, a resumed download): logged only when the session has
    logged none, so a client cannot fetch the file from byte 1 unseen.
    """
    last = reader.last_logged(action, ref)
    if start > 0:
        return last is None
    if action == AccessAction.DOWNLOAD or last is None:
        return True
    return timezone.now().timestamp() - last >= PLAYBACK_PROBE_SECONDS


def item_file_for(
    *, reader: Reader, pk: int, download: bool = False, byte_range_header: str = ""
) -> FileBody:
    """The original file, whole or the one range asked for; logged as a download (下载), a
    playback of audio/video (播放) or a view of an image/PDF (查看), once per look."""
    item = item_get_for(user=reader.user, pk=pk)
    blob = item.blob
    if blob.purged_at is not None or item.disposed_at is not None:
        raise Http404("该证据文件已依法销毁。")
    target = _target(item)
    handles = case_policies.is_handler(reader.user, item.case)
    access_purpose(reader=reader, target=target, handles=handles)  # a supervisor says why first
    download = download or not item.content_type.startswith(INLINE_TYPES)
    size = blob.size
    start, end, partial = 0, size - 1, False
    if byte_range_header and size > 0:
        wanted = byte_range(byte_range_header, size)
        if wanted is None:
            raise RangeNotSatisfiable(size)
        (start, end), partial = wanted, True
    if download:
        action = AccessAction.DOWNLOAD
    else:
        action = AccessAction.PLAY if item.media in ("video", "audio") else AccessAction.VIEW
    if _is_new_look(reader, action, item.ref, start):
        access_record(reader=reader, action=action, target=target, handles=handles)
    return FileBody(
        blob.name,
        item.content_type,
        item.original_name,
        size,
        start,
        end,
        partial=partial,
        download=download,
        ranged=True,
    )


def item_thumbnail_for(*, reader: Reader, pk: int) -> FileBody:
    """A photo's thumbnail or a video's poster frame, shown on the item page: logged as a view."""
    item = item_get_for(user=reader.user, pk=pk)
    derivative = item.blob.derivatives.filter(kind=DerivativeKind.THUMBNAIL).first()
    if derivative is None or item.disposed_at is not None or item.blob.purged_at is not None:
        raise Http404("没有缩略图。")
    label = "（视频封面）" if item.media == "video" else "（缩略图）"
    access_record(
        reader=reader,
        action=AccessAction.VIEW,
        target=_target(item, label),
        handles=case_policies.is_handler(reader.user, item.case),
    )
    return FileBody(derivative.name, "image/jpeg", "thumbnail.jpg", derivative.size, 0, derivative.size - 1)


def case_items(case: Case) -> QuerySet[EvidenceItem]:
    return case.evidence_items.select_related("collector", "blob", "record").prefetch_related(
        "blob__derivatives"
    )


def _record_get(*, user: User, pk: int) -> Record:
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


def record_text_for(*, reader: Reader, pk: int) -> Record:
    """A 笔录 with its text (shown beside its recording), logged as a view."""
    record = _record_get(user=reader.user, pk=pk)
    case = record.case
    access_record(
        reader=reader,
        action=AccessAction.VIEW,
        target=Target(
            ref=f"cases.record:{record.pk}",
            label=f"{case.number} {record}",
            case_ref=case.subject_ref,
            case_number=case.number,
            agency_id=case.agency_id,
        ),
        handles=case_policies.is_handler(reader.user, case),
    )
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
