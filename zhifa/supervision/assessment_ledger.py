"""What the ledger records of 年度考核: each step of an assessment ("assessment_event",
ref supervision.assessmentevent:<pk>), with the scores' digest in the 草拟 and 发布 events' data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.ledger.registry import ref_pk
from zhifa.supervision.models_assessment import AssessmentEvent

EVENT = "assessment_event"


def event_ref(pk: int) -> str:
    return f"supervision.assessmentevent:{pk}"


def event_payload(event: AssessmentEvent) -> dict[str, Any]:
    return {
        "assessment": event.assessment_id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = AssessmentEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {event_ref(e.pk): event_payload(e) for e in rows}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in (
        AssessmentEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000)
    ):
        yield at, event_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(EVENT, event_payloads, existing=existing_events)
