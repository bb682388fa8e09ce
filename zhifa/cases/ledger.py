"""What the ledger records of a case event, built by one function at append time and at verify time."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from zhifa.cases.models import Case, CaseEvent

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


# ── The case as served ────────────────────────────────────────────────────────────────────
# Every step ends with a leaf of the case's fields that pages, documents, exports and the API
# show, so `zhifa ledger verify` names a field changed behind the application's back. The
# party's identifying fields enter as SHA-256 digests: the leaf data is staff-only, and a digest
# compares as well as the value.
CASE_KIND = "case"
SERVED_FIELDS = (
    "number",
    "agency_id",
    "procedure",
    "status",
    "cause",
    "matter_id",
    "matter_version_id",
    "party_kind",
    "outcome",
    "filed_on",
    "decided_on",
    "decided_late",
    "final_kinds",
    "final_fine",
    "final_confiscation",
    "final_penalty",
    "no_penalty_reason",
    "decision_served_on",
    "fine_paid_on",
    "enforcement_applied_on",
    "closed_on",
    "transferred_on",
)
DIGESTED_FIELDS = (
    "party_name",
    "party_id_number",
    "party_address",
    "party_phone",
    "party_representative",
    "electronic_service_consent",
)


def case_ref(pk: int) -> str:
    return f"cases.case:{pk}"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # as stored, whether the object holds 0 or 0.00
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def case_payload(case: Case) -> dict[str, Any]:
    payload = {name: _plain(getattr(case, name)) for name in SERVED_FIELDS}
    for name in DIGESTED_FIELDS:
        payload[name] = hashlib.sha256(getattr(case, name).encode("utf-8")).hexdigest()
    return payload


def case_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    return {case_ref(c.pk): case_payload(c) for c in Case.objects.filter(pk__in=pks)}


def existing_cases() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in Case.objects.order_by("created_at", "pk").values_list("pk", "created_at").iterator(2000):
        yield at, case_ref(pk)


def case_append(case: Case) -> None:
    """The case's leaf as it stands after a step (in the step's transaction)."""
    from zhifa.ledger.services import ledger_append

    ledger_append(kind=CASE_KIND, ref=case_ref(case.pk), payload=case_payload(case))
