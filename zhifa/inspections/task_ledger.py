"""What the ledger records of an inspection task: each event, and the task as served after each
step (so `zhifa ledger verify` names a field changed behind the application's back)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.inspections.models import InspectionTask, TaskAttachment, TaskEvent

EVENT_KIND = "inspection_task_event"
TASK_KIND = "inspection_task"
ATTACHMENT_KIND = "inspection_attachment"

SERVED_FIELDS = (
    "number",
    "kind",
    "agency_id",
    "subject_id",
    "assignment_id",
    "inspector_a_id",
    "inspector_b_id",
    "code",
    "valid_from",
    "valid_until",
    "status",
    "code_shown",
    "place",
    "findings",
    "signature",
    "result",
    "result_note",
    "concluded_on",
    "rectification_document_id",
    "follow_up_on",
    "followed_up_on",
    "case_id",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def event_ref(pk: int) -> str:
    return f"inspections.taskevent:{pk}"


def event_payload(event: TaskEvent) -> dict[str, Any]:
    return {
        "task": event.task_id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    return {event_ref(e.pk): event_payload(e) for e in TaskEvent.objects.filter(pk__in=pks)}


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in TaskEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(chunk_size=2000):
        yield at, event_ref(pk)


def task_ref(pk: int) -> str:
    return f"inspections.inspectiontask:{pk}"


def task_payload(task: InspectionTask, items: Sequence[int] | None = None) -> dict[str, Any]:
    """The task as served; `items` are its item ids when the caller knows them (a draw's bulk)."""
    payload = {name: _plain(getattr(task, name)) for name in SERVED_FIELDS}
    payload["items"] = sorted(task.items.values_list("pk", flat=True) if items is None else items)
    return payload


def task_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    return {task_ref(t.pk): task_payload(t) for t in InspectionTask.objects.filter(pk__in=pks)}


def existing_tasks() -> Iterator[tuple[dt.datetime, str]]:
    rows = InspectionTask.objects.order_by("created_at", "pk").values_list("pk", "created_at")
    for pk, at in rows.iterator(chunk_size=2000):
        yield at, task_ref(pk)


def task_append(task: InspectionTask) -> None:
    from zhifa.ledger.services import ledger_append

    ledger_append(kind=TASK_KIND, ref=task_ref(task.pk), payload=task_payload(task))


def attachment_payload(item: TaskAttachment) -> dict[str, Any]:
    def at(value: dt.datetime | None) -> str | None:
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None

    return {
        "task": item.task_id,
        "kind": item.kind,
        "title": item.title,
        "sha256": item.blob.sha256,
        "sm3": item.blob.sm3,
        "size": item.blob.size,
        "collected_at": at(item.collected_at),
        "collector": item.collector_id,
        "stage": item.stage,
        "recording_started_at": at(item.recording_started_at),
        "recording_ended_at": at(item.recording_ended_at),
    }


def attachment_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    rows = TaskAttachment.objects.filter(pk__in=pks).select_related("blob")
    return {item.ref: attachment_payload(item) for item in rows}


def existing_attachments() -> Iterator[tuple[dt.datetime, str]]:
    rows = TaskAttachment.objects.order_by("added_at", "pk").values_list("pk", "added_at")
    for pk, at in rows.iterator(chunk_size=2000):
        yield at, f"inspections.taskattachment:{pk}"


def register() -> None:
    """Called from the app's ready(): how `zhifa ledger verify` rebuilds these leaves."""
    from zhifa.ledger.registry import register as add

    add(EVENT_KIND, event_payloads, existing=existing_events)
    add(TASK_KIND, task_payloads, existing=existing_tasks)
    add(ATTACHMENT_KIND, attachment_payloads, existing=existing_attachments)
