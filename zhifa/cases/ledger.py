"""What the ledger records of a case event, built by one function at append time and at verify time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.cases.models import CaseEvent

KIND = "case_event"


def event_ref(pk: int) -> str:
    return f"cases.caseevent:{pk}"


def event_payload(event: CaseEvent) -> dict[str, Any]:
    return {
        "case": event.case_id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    return {event_ref(e.pk): event_payload(e) for e in CaseEvent.objects.filter(pk__in=pks)}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in CaseEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000):
        yield at, event_ref(pk)
