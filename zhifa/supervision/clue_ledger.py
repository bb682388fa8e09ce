"""What the ledger holds of clues: each step's event (ref supervision.clueevent:<pk>).

The complainant's name, phone and address never enter a leaf; the clue's content enters as its
SHA-256 only (in the 登记 event's data), so the ledger proves the text without disclosing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.ledger.registry import ref_pk
from zhifa.supervision.models_clues import ClueEvent

EVENT = "supervision_clue_event"


def event_ref(pk: int) -> str:
    return f"supervision.clueevent:{pk}"


def _at(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def event_payload(event: ClueEvent) -> dict[str, Any]:
    return {
        "clue": event.clue_id,
        "at": _at(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = ClueEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {event_ref(e.pk): event_payload(e) for e in rows}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in ClueEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000):
        yield at, event_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(EVENT, event_payloads, existing=existing_events)
