"""What the ledger records of filing review and warnings (zhifa.ledger.registry).

- "supervision_filing_event": each step of a filing (ref supervision.filingevent:<pk>);
- "supervision_warning_close": a warning dismissed or turned into a clue, with who, when and
  why (ref supervision.warninghit:<pk>); a closed hit is never changed again;
- "supervision_warning_rule": a supervisor's change of a warning rule's threshold or enabled
  state, with the reason and what it was before (ref supervision.warningruleevent:<pk>).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.ledger.registry import ref_pk
from zhifa.supervision.models_filings import FilingEvent
from zhifa.supervision.models_warnings import HitStatus, WarningHit, WarningRuleEvent

FILING_EVENT = "supervision_filing_event"
WARNING_CLOSE = "supervision_warning_close"
WARNING_RULE = "supervision_warning_rule"


def filing_event_ref(pk: int) -> str:
    return f"supervision.filingevent:{pk}"


def hit_ref(pk: int) -> str:
    return f"supervision.warninghit:{pk}"


def rule_event_ref(pk: int) -> str:
    return f"supervision.warningruleevent:{pk}"


def _at(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def filing_event_payload(event: FilingEvent) -> dict[str, Any]:
    return {
        "filing": event.filing_id,
        "at": _at(event.at),
        "actor": event.actor_id,
        "action": event.action,
        "summary": event.summary,
        "reason": event.reason,
        "data": event.data,
    }


def hit_close_payload(hit: WarningHit) -> dict[str, Any]:
    return {
        "rule": hit.rule.code,
        "agency": hit.agency_id,
        "object": f"{hit.object_kind}:{hit.object_id}",
        "summary": hit.summary,
        "status": hit.status,
        "closed_at": _at(hit.closed_at),
        "closed_by": hit.closed_by_id,
        "reason": hit.close_reason,
        "clue": hit.clue_ref,
    }


def rule_event_payload(event: WarningRuleEvent) -> dict[str, Any]:
    return {
        "rule": event.rule.code,
        "at": _at(event.at),
        "actor": event.actor_id,
        "enabled": event.enabled,
        "params": event.params,
        "before": event.before,
        "reason": event.reason,
    }


def rule_event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    found = WarningRuleEvent.objects.filter(pk__in=[ref_pk(r) for r in refs]).select_related("rule")
    return {rule_event_ref(e.pk): rule_event_payload(e) for e in found}


def existing_rule_events() -> Iterator[tuple[dt.datetime, str]]:
    for event in WarningRuleEvent.objects.order_by("at", "pk"):
        yield event.at, rule_event_ref(event.pk)


def filing_event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    found = FilingEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {filing_event_ref(e.pk): filing_event_payload(e) for e in found}


def hit_close_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    found = WarningHit.objects.filter(pk__in=[ref_pk(r) for r in refs]).select_related("rule")
    return {hit_ref(h.pk): hit_close_payload(h) for h in found}


def existing_filing_events() -> Iterator[tuple[dt.datetime, str]]:
    for event in FilingEvent.objects.order_by("at", "pk"):
        yield event.at, filing_event_ref(event.pk)


def existing_hit_closes() -> Iterator[tuple[dt.datetime, str]]:
    closed = WarningHit.objects.filter(status__in=[HitStatus.DISMISSED, HitStatus.CONVERTED])
    for hit in closed.order_by("closed_at", "pk"):
        assert hit.closed_at is not None
        yield hit.closed_at, hit_ref(hit.pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(FILING_EVENT, filing_event_payloads, existing=existing_filing_events)
    add(WARNING_CLOSE, hit_close_payloads, existing=existing_hit_closes)
    add(WARNING_RULE, rule_event_payloads, existing=existing_rule_events)
