"""What the ledger records of 案卷评查, built by one function at append time and at verify time.

- "evaluation_event": each step of a campaign, a file (its scores are in the event's data) or a
  rectification (ref supervision.evaluationevent:<pk>);
- "evaluation_snapshot": the population frozen at the lock (ref supervision.campaign-snapshot:<pk>):
  the campaign number, the count and snapshot_sha256. The draw's seed takes the first signed
  checkpoint that includes this leaf;
- "evaluation_draw": the draw's public inputs and the sample (ref supervision.campaign-draw:<pk>).

Only file numbers and agency codes are in these leaves: no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.ledger.registry import ref_pk
from zhifa.supervision.models_evaluation import Campaign, EvaluationEvent, EvaluationFile

EVENT = "evaluation_event"
SNAPSHOT = "evaluation_snapshot"
DRAW = "evaluation_draw"


def event_ref(pk: int) -> str:
    return f"supervision.evaluationevent:{pk}"


def snapshot_ref(pk: int) -> str:
    return f"supervision.campaign-snapshot:{pk}"


def draw_ref(pk: int) -> str:
    return f"supervision.campaign-draw:{pk}"


def _at(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def event_payload(event: EvaluationEvent) -> dict[str, Any]:
    return {
        "campaign": event.campaign_id,
        "file": event.file_id,
        "at": _at(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def snapshot_payload(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign": campaign.number,
        "count": campaign.snapshot_count,
        "snapshot_sha256": campaign.snapshot_sha256,
        "locked_at": _at(campaign.locked_at),
    }


def sample_of(campaign: Campaign) -> list[dict[str, Any]]:
    rows = EvaluationFile.objects.filter(campaign=campaign).order_by("agency_id", "draw_key")
    return [{"agency": f.agency_id, "number": f.number, "key": f.draw_key} for f in rows]


def draw_payload(campaign: Campaign) -> dict[str, Any]:
    return {
        "campaign": campaign.number,
        "seed": campaign.seed,
        "inputs": {
            "snapshot_sha256": campaign.snapshot_sha256,
            "checkpoint": {"size": campaign.checkpoint_size, "root": campaign.checkpoint_root},
            "witness": campaign.witness_value,
            "ratio": None if campaign.ratio is None else str(campaign.ratio.normalize()),
            "count": campaign.count,
        },
        "sample": sample_of(campaign),
        "drawn_at": _at(campaign.drawn_at),
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = EvaluationEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {event_ref(e.pk): event_payload(e) for e in rows}


def snapshot_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = Campaign.objects.filter(pk__in=[ref_pk(r) for r in refs], locked_at__isnull=False)
    return {
        snapshot_ref(c.pk): snapshot_payload(c) for c in rows.defer("snapshot_numbers", "snapshot_agencies")
    }


def draw_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = Campaign.objects.filter(pk__in=[ref_pk(r) for r in refs], drawn_at__isnull=False)
    return {draw_ref(c.pk): draw_payload(c) for c in rows.defer("snapshot_numbers", "snapshot_agencies")}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in (
        EvaluationEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000)
    ):
        yield at, event_ref(pk)


def existing_snapshots() -> Iterator[tuple[dt.datetime, str]]:
    rows = Campaign.objects.filter(locked_at__isnull=False).order_by("locked_at", "pk")
    for pk, at in rows.values_list("pk", "locked_at"):
        if at is not None:
            yield at, snapshot_ref(pk)


def existing_draws() -> Iterator[tuple[dt.datetime, str]]:
    rows = Campaign.objects.filter(drawn_at__isnull=False).order_by("drawn_at", "pk")
    for pk, at in rows.values_list("pk", "drawn_at"):
        if at is not None:
            yield at, draw_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(EVENT, event_payloads, existing=existing_events)
    add(SNAPSHOT, snapshot_payloads, existing=existing_snapshots)
    add(DRAW, draw_payloads, existing=existing_draws)
