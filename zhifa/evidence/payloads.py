"""What the ledger holds for evidence: hashes and identifiers, never personal data.

`payload_of` builds a leaf's payload both when the item is appended and when `zhifa ledger
verify` rebuilds it (`payloads`, registered with the ledger in EvidenceConfig.ready()): at
verification the file hashes are recomputed from the stored file, so a file changed behind
the application's back shows as a divergence of that item's leaf.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceItem, RecordingException

ITEM = "evidence.evidenceitem"
EXCEPTION = "evidence.recordingexception"
DISPOSAL = "evidence.disposal"


def _time(value: Any) -> str | None:
    # In UTC: a time read back from the database has lost the zone it was written with.
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def payload_of(item: EvidenceItem, *, sha256: str, sm3: str, size: int) -> dict[str, Any]:
    return {
        "case": item.case.number,
        "item": item.pk,
        "kind": item.kind,
        "record": item.record_id,
        "stage": item.stage,
        "sha256": sha256,
        "sm3": sm3,
        "size": size,
        "collected_at": _time(item.collected_at),
        "collector": item.collector_id,
        "recording_started_at": _time(item.recording_started_at),
        "recording_ended_at": _time(item.recording_ended_at),
    }


def exception_payload(exception: RecordingException) -> dict[str, Any]:
    return {
        "case": exception.case.number,
        "stage": exception.stage,
        "reason_sha256": hashlib.sha256(exception.reason.encode()).hexdigest(),
        "approved_by": exception.approved_by_id,
        "approved_at": _time(exception.approved_at),
    }


def disposal_payload(item: EvidenceItem) -> dict[str, Any]:
    return {
        "case": item.case.number,
        "item": item.pk,
        "disposed_by": item.disposed_by_id,
        "disposed_at": _time(item.disposed_at),
        "reason_sha256": hashlib.sha256(item.disposal_reason.encode()).hexdigest(),
    }


def stored_hashes(item: EvidenceItem) -> tuple[str, str, int]:
    """The file's hashes recomputed from storage; a lawfully purged file keeps its recorded ones."""
    blob = item.blob
    if blob.purged_at is not None:
        return blob.sha256, blob.sm3, blob.size
    try:
        with storage.open_blob(blob.name) as handle:
            return storage.hash_stream(handle)
    except OSError:
        return "unreadable", "unreadable", -1


def _pks(refs: Sequence[str], prefix: str) -> dict[int, str]:
    found = {}
    for ref in refs:
        head, _, pk = ref.partition(":")
        if head == prefix and pk.isdigit():
            found[int(pk)] = ref
    return found


def payloads(refs: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{ref: payload} rebuilt from the records as stored now (missing records are left out)."""
    result: dict[str, dict[str, Any]] = {}
    items = _pks(refs, ITEM)
    for item in EvidenceItem.objects.filter(pk__in=items).select_related("case", "blob"):
        sha256, sm3, size = stored_hashes(item)
        result[items[item.pk]] = payload_of(item, sha256=sha256, sm3=sm3, size=size)
    exceptions = _pks(refs, EXCEPTION)
    for exception in RecordingException.objects.filter(pk__in=exceptions).select_related("case"):
        result[exceptions[exception.pk]] = exception_payload(exception)
    disposals = _pks(refs, DISPOSAL)
    for item in EvidenceItem.objects.filter(pk__in=disposals, disposed_at__isnull=False).select_related(
        "case"
    ):
        result[disposals[item.pk]] = disposal_payload(item)
    return result


def existing() -> Iterator[tuple[dt.datetime, str]]:
    """Every evidence record that should have a leaf, oldest first (for `zhifa ledger verify`)."""
    rows: list[tuple[dt.datetime, str]] = []
    for pk, at in EvidenceItem.objects.values_list("pk", "added_at"):
        rows.append((at, f"{ITEM}:{pk}"))
    for pk, at in RecordingException.objects.values_list("pk", "approved_at"):
        rows.append((at, f"{EXCEPTION}:{pk}"))
    for pk, disposed in EvidenceItem.objects.filter(disposed_at__isnull=False).values_list(
        "pk", "disposed_at"
    ):
        assert disposed is not None
        rows.append((disposed, f"{DISPOSAL}:{pk}"))
    rows.sort()
    yield from rows
