"""What the ledger records of plans and draws, built by one function at append time and at verify
time (zhifa.ledger.registry).

- "inspection_plan_event": each step of a plan (ref inspections.planevent:<pk>).
- "inspection_lock": the frozen population (ref inspections.plansnapshot:<pk>): the plan number,
  the count and snapshot_sha256. The draw's seed takes the first signed checkpoint that
  includes this leaf.
- "inspection_draw": the draw's inputs and outputs as first drawn (ref inspections.draw:<pk>).
- "inspection_recusal_change": an inspector replaced after the draw, with the reason and the next
  in rank (ref inspections.drawinspector:<pk>).

Draws are public (only credit codes and certificate numbers), so the leaves hold plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.inspections.models import Draw, DrawInspector, InspectorStatus, PlanEvent, PlanSnapshot
from zhifa.ledger.registry import ref_pk

EVENT = "inspection_plan_event"
LOCK = "inspection_lock"
DRAW = "inspection_draw"
CHANGE = "inspection_recusal_change"


def event_ref(pk: int) -> str:
    return f"inspections.planevent:{pk}"


def lock_ref(pk: int) -> str:
    return f"inspections.plansnapshot:{pk}"


def draw_ref(pk: int) -> str:
    return f"inspections.draw:{pk}"


def change_ref(pk: int) -> str:
    return f"inspections.drawinspector:{pk}"


def _at(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def event_payload(event: PlanEvent) -> dict[str, Any]:
    return {
        "plan": event.plan_id,
        "at": _at(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def lock_payload(snapshot: PlanSnapshot) -> dict[str, Any]:
    return {
        "plan": snapshot.plan.number,
        "count": snapshot.count,
        "snapshot_sha256": snapshot.sha256,
        "locked_at": _at(snapshot.locked_at),
    }


def draw_payload(draw: Draw) -> dict[str, Any]:
    return {
        "plan": draw.plan.number,
        "seed": draw.seed,
        "inputs": {
            "snapshot_sha256": draw.plan.snapshot.sha256,
            "checkpoint": {"size": draw.checkpoint_size, "root": draw.checkpoint_root},
            "witness": draw.witness_value,
        },
        "strata": draw.strata,
        "pools": draw.pools,
        "tasks": draw.outputs,
        "drawn_at": _at(draw.drawn_at),
    }


def change_payload(slot: DrawInspector) -> dict[str, Any]:
    return {
        "draw": slot.assignment.draw_id,
        "subject": slot.assignment.uscc,
        "certificate": slot.certificate_number,
        "reason": slot.reason,
        "replaced_by": slot.replaced_by.certificate_number if slot.replaced_by else None,
        "at": _at(slot.changed_at),
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = PlanEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {event_ref(e.pk): event_payload(e) for e in rows}


def lock_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = (
        PlanSnapshot.objects.filter(pk__in=[ref_pk(r) for r in refs])
        .select_related("plan")
        .defer("codes", "classes")
    )
    return {lock_ref(s.pk): lock_payload(s) for s in rows}


def draw_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = (
        Draw.objects.filter(pk__in=[ref_pk(r) for r in refs])
        .select_related("plan__snapshot")
        .defer("plan__snapshot__codes", "plan__snapshot__classes")
    )
    return {draw_ref(d.pk): draw_payload(d) for d in rows}


def change_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = DrawInspector.objects.filter(
        pk__in=[ref_pk(r) for r in refs], status=InspectorStatus.REPLACED
    ).select_related("assignment", "replaced_by")
    return {change_ref(s.pk): change_payload(s) for s in rows}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in PlanEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000):
        yield at, event_ref(pk)


def existing_locks() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in PlanSnapshot.objects.order_by("locked_at", "pk").values_list("pk", "locked_at"):
        yield at, lock_ref(pk)


def existing_draws() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in Draw.objects.order_by("drawn_at", "pk").values_list("pk", "drawn_at"):
        yield at, draw_ref(pk)


def existing_changes() -> Iterator[tuple[dt.datetime, str]]:
    rows = DrawInspector.objects.filter(status=InspectorStatus.REPLACED).order_by("changed_at", "pk")
    for pk, at in rows.values_list("pk", "changed_at"):
        if at is not None:
            yield at, change_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(EVENT, event_payloads, existing=existing_events)
    add(LOCK, lock_payloads, existing=existing_locks)
    add(DRAW, draw_payloads, existing=existing_draws)
    add(CHANGE, change_payloads, existing=existing_changes)
