"""What the ledger holds of devices and their records: the register as reviewed and published,
each record's file hashes and review, never the plate or name in clear (a digest)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.devices.models import Device, DeviceEvent
from zhifa.ledger.registry import ref_pk

DEVICE = "device"
EVENT = "device_event"


def _at(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value else None


def device_payload(device: Device) -> dict[str, Any]:
    return {
        "agency": device.agency_id,
        "code": device.code,
        "kind": device.kind,
        "location": device.location,
        "latitude": f"{device.latitude:.6f}",
        "longitude": f"{device.longitude:.6f}",
        "detects": device.detects,
        "legal_basis": device.legal_basis,
        "check_report": device.check_report,
        "checked_on": device.checked_on.isoformat(),
        "published_at": _at(device.published_at),
    }


def event_payload(event: DeviceEvent) -> dict[str, Any]:
    return {
        "device": event.device_id,
        "external_id": event.external_id,
        "occurred_at": _at(event.occurred_at),
        "subject_sha256": hashlib.sha256(event.subject.encode()).hexdigest(),
        "sha256": event.blob.sha256,
        "sm3": event.blob.sm3,
        "review": event.review,
        "reviewed_by": event.reviewed_by_id,
        "case": event.case_id,
        "noticed_at": _at(event.noticed_at),
    }


def device_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    return {d.ref: device_payload(d) for d in Device.objects.filter(pk__in=[ref_pk(r) for r in refs])}


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    found = DeviceEvent.objects.filter(pk__in=[ref_pk(r) for r in refs]).select_related("blob")
    return {e.ref: event_payload(e) for e in found}


def existing_devices() -> Iterator[tuple[dt.datetime, str]]:
    for device in Device.objects.order_by("created_at", "pk"):
        yield device.created_at, device.ref


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for event in DeviceEvent.objects.order_by("imported_at", "pk"):
        yield event.imported_at, event.ref
