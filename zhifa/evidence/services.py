"""Every write to evidence: adding an item, approving an exception to the AV-recording list,
disposing of an item whose retention is over.

Adding runs in two phases. The file is already staged and hashed (zhifa.evidence.storage);
the metadata is checked, the file is moved to its content address, and only then are the
item, the case event and the ledger leaf written, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import Case, Record, Status
from zhifa.cases.recording_gate import level_for
from zhifa.cases.timeline import event
from zhifa.catalog.models import AVLevel, Stage
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tasks import after_commit
from zhifa.evidence import payloads, policies, storage, tasks
from zhifa.evidence.models import (
    RETENTION_YEARS,
    Blob,
    EvidenceItem,
    EvidenceKind,
    RecordingException,
    Retention,
)
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User

LEDGER_KIND = "evidence"
# 《行政处罚法》第四十七条: the record of each step is complete; these make an item traceable.
ARTICLE = "《行政处罚法》第四十六条、第四十七条"


@dataclass(frozen=True)
class Metadata:
    """What the officer states about an item; the file comes separately, staged."""

    kind: str
    title: str
    proves: str
    collected_at: dt.datetime | None
    place: str
    collector: Officer | None
    record: Record | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    device: str = ""
    source: str = ""
    stage: str = ""
    recording_started_at: dt.datetime | None = None
    recording_ended_at: dt.datetime | None = None


def retention_for(case: Case) -> str:
    """The case file's category (docs/evidence.md): major or heard cases are kept permanently."""
    if case.is_major or getattr(case, "hearing", None) is not None:
        return Retention.PERMANENT
    if case.procedure == "on_the_spot":
        return Retention.Y10
    return Retention.Y30


def _check(case: Case | None, meta: Metadata) -> None:
    missing = [
        label
        for label, value in (
            ("案件编号", case),
            ("证据种类", meta.kind),
            ("证据名称", meta.title.strip()),
            ("采集时间", meta.collected_at),
            ("采集地点", meta.place.strip()),
            ("采集人", meta.collector),
            ("证明对象", meta.proves.strip()),
        )
        if not value
    ]
    if missing:
        raise InvalidInput(f"证据缺少{'、'.join(missing)}，不能入库。请补充后重新提交（{ARTICLE}）。")
    assert case is not None and meta.collected_at is not None and meta.collector is not None
    if meta.kind not in EvidenceKind.values:
        raise InvalidInput("证据种类应为《行政处罚法》第四十六条规定的八类证据之一。")
    if meta.collected_at > timezone.now():
        raise InvalidInput("采集时间不能晚于现在。")
    if meta.collector.agency_id != case.agency_id:
        raise InvalidInput(f"采集人{meta.collector.name}不是本案执法主体的执法人员。")
    if meta.record is not None and meta.record.case_id != case.pk:
        raise InvalidInput("所选笔录不属于本案。")
    if meta.stage and meta.kind != EvidenceKind.AUDIOVISUAL:
        raise InvalidInput("只有视听资料需要填写所属执法环节。")
    if meta.stage and meta.stage not in Stage.values:
        raise InvalidInput("执法环节不正确。")
    if (meta.recording_started_at is None) != (meta.recording_ended_at is None):
        raise InvalidInput("录制开始时间和结束时间应当同时填写。")
    if meta.recording_started_at and meta.recording_ended_at:
        if meta.recording_ended_at < meta.recording_started_at:
            raise InvalidInput("录制结束时间不能早于开始时间。")
        if meta.recording_ended_at > timezone.now():
            raise InvalidInput("录制结束时间不能晚于现在。")
    for value, low, high, what in (
        (meta.latitude, -90, 90, "纬度"),
        (meta.longitude, -180, 180, "经度"),
    ):
        if value is not None and not (low <= value <= high):
            raise InvalidInput(f"{what}超出范围。")


def ensure_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError(f"案件已{case.get_status_display()}，不能再添加证据或者办理音像记录例外。")


def _blob_for(staged: storage.Staged, name: str) -> Blob:
    blob, _ = Blob.objects.get_or_create(
        sha256=staged.sha256, defaults={"sm3": staged.sm3, "size": staged.size, "name": name}
    )
    if blob.purged_at is not None:  # the same bytes again, after the earlier copy was destroyed
        Blob.objects.filter(pk=blob.pk).update(purged_at=None, name=name)
        blob.refresh_from_db()
    return blob


def blob_store(*, staged: storage.Staged) -> Blob:
    """Put a staged file in the content-addressed store (SHA-256 and SM3 computed while staging)
    before any case exists, e.g. a monitoring device's record (《行政处罚法》第四十一条); the
    caller records it. `evidence_add` makes it an item of a case later. The staged file is consumed."""
    try:
        name = storage.put_in_place(staged)
    finally:
        staged.path.unlink(missing_ok=True)
    return _blob_for(staged, name)


def blob_stage(blob: Blob) -> storage.Staged:
    """A stored file staged again (re-hashed on the way), to be added to a case with `evidence_add`."""
    with storage.open_blob(blob.name) as stream:
        staged = storage.stage_stream(stream)
    if staged.sha256 != blob.sha256:
        staged.path.unlink(missing_ok=True)
        raise DomainError(f"存储的文件与入库时的哈希值不一致（SHA-256 {blob.sha256}），不能作为证据使用。")
    return staged


def evidence_add(
    *,
    actor: User,
    case: Case | None,
    staged: storage.Staged,
    meta: Metadata,
    original_name: str,
    content_type: str = "",
) -> EvidenceItem:
    """Check, put the staged file in place, then write the item and its ledger leaf together.

    The staged file is consumed: moved into the store, or removed when the item is refused.
    """
    try:
        _check(case, meta)
        assert case is not None
        policies.ensure_can_add(actor, case)
        ensure_open(case)
        assert meta.collected_at is not None and meta.collector is not None
        name = storage.put_in_place(staged)
    finally:
        staged.path.unlink(missing_ok=True)
    content_type = content_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    with transaction.atomic():
        blob = _blob_for(staged, name)
        item = _write(
            actor=actor,
            case=case,
            blob=blob,
            meta=meta,
            original_name=original_name,
            content_type=content_type,
        )
    after_commit(tasks.evidence_derivatives, blob.pk, content_type)
    return item


def _write(
    *, actor: User, case: Case, blob: Blob, meta: Metadata, original_name: str, content_type: str
) -> EvidenceItem:
    """The item, its case event and its ledger leaf (in the caller's transaction)."""
    assert meta.collected_at is not None and meta.collector is not None  # checked by _check
    item = EvidenceItem.objects.create(
        case=case,
        record=meta.record,
        kind=meta.kind,
        title=meta.title.strip()[:200],
        proves=meta.proves.strip(),
        collected_at=meta.collected_at,
        place=meta.place.strip()[:200],
        latitude=meta.latitude,
        longitude=meta.longitude,
        collector=meta.collector,
        device=meta.device.strip()[:100],
        source=meta.source.strip()[:200],
        stage=meta.stage,
        recording_started_at=meta.recording_started_at,
        recording_ended_at=meta.recording_ended_at,
        blob=blob,
        original_name=original_name[-200:],
        content_type=content_type[:100],
        retention=retention_for(case),
        added_by=actor,
    )
    event(
        case,
        actor,
        "add_evidence",
        f"收集证据：{item.get_kind_display()}《{item.title}》",
        item=item.pk,
        sha256=blob.sha256,
        sm3=blob.sm3,
    )
    ledger_append(
        kind=LEDGER_KIND,
        ref=item.ref,
        payload=payloads.payload_of(item, sha256=blob.sha256, sm3=blob.sm3, size=blob.size),
    )
    return item


@transaction.atomic
def evidence_carry(
    *, actor: User, case: Case, blob: Blob, meta: Metadata, original_name: str, content_type: str
) -> EvidenceItem:
    """An item already stored elsewhere on the platform (a photo or video of an inspection) joins a
    case: the same file, its metadata as taken, a new item of the case with its ledger leaf.

    Whoever may add evidence to the case may carry it, and so may the officer who registered the
    case's clue while it is still a clue (the inspector who transferred the inspection).
    """
    _check(case, meta)
    carrier = case.status == Status.CLUE and case.registered_by_id == getattr(actor, "pk", None)
    if not carrier:
        policies.ensure_can_add(actor, case)
    ensure_open(case)
    if blob.purged_at is not None:
        raise DomainError("该文件已依法销毁，不能作为证据移送。")
    return _write(
        actor=actor, case=case, blob=blob, meta=meta, original_name=original_name, content_type=content_type
    )


@transaction.atomic
def recording_exception_approve(*, actor: User, case: Case, stage: str, reason: str) -> RecordingException:
    """The head approves that a step the list names goes without its AV record."""
    policies.ensure_can_approve_exception(actor, case)
    ensure_open(case)
    if stage not in Stage.values:
        raise InvalidInput("执法环节不正确。")
    level = level_for(case, stage)
    if level not in (AVLevel.FULL, AVLevel.AV):
        raise DomainError(f"音像记录事项清单对本案的“{Stage(stage).label}”环节只要求文字记录，无需批准例外。")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请写明不能音像记录的理由。")
    exception = RecordingException.objects.create(case=case, stage=stage, reason=reason, approved_by=actor)
    event(
        case,
        actor,
        "approve_recording_exception",
        f"批准“{Stage(stage).label}”环节不作{AVLevel(level).label}",
        reason=reason,
        exception=exception.pk,
    )
    ledger_append(kind=LEDGER_KIND, ref=exception.ref, payload=payloads.exception_payload(exception))
    return exception


# Younger staging files may belong to an upload still arriving (or paused on a slow phone link).
MIN_STAGING_AGE = dt.timedelta(hours=1)


@dataclass(frozen=True)
class StagingCleaned:
    files: int
    bytes: int


def evidence_staging_clean(*, older_than: dt.timedelta) -> StagingCleaned:
    """Remove the staging files of uploads killed mid-way: those not written for `older_than`.

    Nothing references a staging file (the item is written only after the file is in place), so
    removing a stale one loses nothing; a fresh one is kept, as its upload may still be running.
    """
    if older_than < MIN_STAGING_AGE:
        raise InvalidInput("只能清理至少 1 小时未写入的暂存文件，以免删除仍在上传的文件。")
    cutoff = (timezone.now() - older_than).timestamp()
    files, size = storage.remove_stale_staging(cutoff)
    return StagingCleaned(files=files, bytes=size)


def retention_ends(item: EvidenceItem) -> dt.date | None:
    """The day the retention period is over, counted from closing; None while it never ends."""
    years = RETENTION_YEARS[Retention(item.retention)]
    closed = item.case.closed_on
    if years is None or closed is None:
        return None
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # 29 February
        return closed.replace(year=closed.year + years, day=28)


def evidence_dispose(
    *, actor: User, item: EvidenceItem, reason: str, on: dt.date | None = None
) -> EvidenceItem:
    """销毁 after the retention period of a closed and archived case; the record of it stays."""
    case = item.case
    policies.ensure_can_dispose(actor, case)
    on = on or timezone.localdate()
    if case.is_open or case.status != Status.CLOSED or case.archived_at is None:
        raise DomainError("案件未结案归档，不得销毁其证据（案卷应当完整归档保存）。")
    if item.disposed_at is not None:
        raise DomainError("该证据已经销毁。")
    ends = retention_ends(item)
    if ends is None:
        raise DomainError(f"该证据的保管期限为{item.get_retention_display()}，不得销毁。")
    if on < ends:
        raise DomainError(f"该证据的保管期限至 {ends:%Y-%m-%d} 届满，期满前不得销毁。")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("请写明销毁依据（鉴定销毁的批准文件）。")
    with transaction.atomic():
        item.disposed_at = timezone.now()
        item.disposed_by = actor
        item.disposal_reason = reason[:300]
        item.save(update_fields=["disposed_at", "disposed_by", "disposal_reason"])
        blob = item.blob
        still_kept = blob.items.filter(disposed_at__isnull=True).exists()
        names = []
        if not still_kept:
            names = [blob.name, *blob.derivatives.values_list("name", flat=True)]
            blob.derivatives.all().delete()
            Blob.objects.filter(pk=blob.pk).update(purged_at=item.disposed_at)
        ledger_append(
            kind=LEDGER_KIND, ref=f"{payloads.DISPOSAL}:{item.pk}", payload=payloads.disposal_payload(item)
        )
        transaction.on_commit(lambda: storage.delete(names))
    return item
