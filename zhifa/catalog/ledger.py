"""What the ledger records of the discretion benchmarks, built by one function at append time and
at verify time (zhifa.ledger.registry).

- "benchmark": a benchmark version as published and applied — its period, calculator rules, tiers
  and the matter's own list entries (ref catalog.benchmark:<pk>). A leaf after every write that
  changes the version, so a tier edited behind the application's back no longer matches.
- "discretion_factor": an agency-wide entry of the four lists (ref catalog.discretionfactor:<pk>);
  a matter's own entries are inside their benchmark's leaf.
- "discretion_event": each change record (who, when, why; ref catalog.discretionevent:<pk>).

Benchmarks are public (《行政处罚法》第三十四条), so the leaves hold plain values, no digests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from zhifa.catalog.models import Benchmark, BenchmarkTier, DiscretionEvent, DiscretionFactor
from zhifa.ledger.registry import ref_pk

BENCHMARK = "benchmark"
FACTOR = "discretion_factor"
EVENT = "discretion_event"


def benchmark_ref(pk: int) -> str:
    return f"catalog.benchmark:{pk}"


def factor_ref(pk: int) -> str:
    return f"catalog.discretionfactor:{pk}"


def event_ref(pk: int) -> str:
    return f"catalog.discretionevent:{pk}"


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"  # as stored, whether the object holds 0.5 or 0.50


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _factor_fields(factor: DiscretionFactor) -> dict[str, Any]:
    return {
        "effect": factor.effect,
        "code": factor.code,
        "label": factor.label,
        "basis": factor.basis,
        "note": factor.note,
    }


def benchmark_payload(benchmark: Benchmark) -> dict[str, Any]:
    return {
        "matter": benchmark.matter_id,
        "version": benchmark.version,
        "title": benchmark.title,
        "document_ref": benchmark.document_ref,
        "effective_from": _day(benchmark.effective_from),
        "effective_to": _day(benchmark.effective_to),
        "change_note": benchmark.change_note,
        "leniency_share": _amount(benchmark.leniency_share),
        "conflict_rule": benchmark.conflict_rule,
        "mitigation_floor": _amount(benchmark.mitigation_floor),
        "tiers": [
            {
                "circumstance": t.circumstance,
                "conditions": t.conditions,
                "kinds": list(t.kinds),
                "fine_min": _amount(t.fine_min),
                "fine_max": _amount(t.fine_max),
                "multiple_of": t.multiple_of,
                "multiple_min": _amount(t.multiple_min),
                "multiple_max": _amount(t.multiple_max),
                "multiple_threshold": _amount(t.multiple_threshold),
                "clause": t.clause,
            }
            for t in benchmark.tiers.all()
        ],
        "factors": [_factor_fields(f) for f in benchmark.factors.all()],
    }


def factor_payload(factor: DiscretionFactor) -> dict[str, Any]:
    return {"agency": factor.agency_id, **_factor_fields(factor)}


def event_payload(event: DiscretionEvent) -> dict[str, Any]:
    return {
        "benchmark": event.benchmark_id,
        "factor": event.factor_id,
        "action": event.action,
        "actor": event.actor_id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "note": event.note,
        "data": event.data,
    }


def benchmark_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = Benchmark.objects.filter(pk__in=[ref_pk(r) for r in refs]).prefetch_related(
        Prefetch("tiers", queryset=BenchmarkTier.objects.order_by("pk")),
        Prefetch("factors", queryset=DiscretionFactor.objects.order_by("code", "pk")),
    )
    return {benchmark_ref(b.pk): benchmark_payload(b) for b in rows}


def factor_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = DiscretionFactor.objects.filter(pk__in=[ref_pk(r) for r in refs], agency__isnull=False)
    return {factor_ref(f.pk): factor_payload(f) for f in rows}


def event_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = DiscretionEvent.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {event_ref(e.pk): event_payload(e) for e in rows}


def existing_benchmarks() -> Iterator[tuple[dt.datetime, str]]:
    rows = Benchmark.objects.order_by("created_at", "pk").values_list("pk", "created_at")
    for pk, at in rows.iterator(chunk_size=2000):
        yield at, benchmark_ref(pk)


def existing_factors() -> Iterator[tuple[dt.datetime, str]]:
    rows = DiscretionFactor.objects.filter(agency__isnull=False).order_by("created_at", "pk")
    for pk, at in rows.values_list("pk", "created_at").iterator(chunk_size=2000):
        yield at, factor_ref(pk)


def existing_events() -> Iterator[tuple[dt.datetime, str]]:
    for pk, at in DiscretionEvent.objects.order_by("at", "pk").values_list("pk", "at").iterator(2000):
        yield at, event_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as add

    add(BENCHMARK, benchmark_payloads, existing=existing_benchmarks)
    add(FACTOR, factor_payloads, existing=existing_factors)
    add(EVENT, event_payloads, existing=existing_events)


def record(
    event: DiscretionEvent, *, benchmarks: Iterable[Benchmark] = (), factors: Iterable[DiscretionFactor] = ()
) -> None:
    """The leaves of one write, in its transaction: each record as stored now, then the change record."""
    from zhifa.ledger.services import ledger_append

    for kind, refs, build in (
        (BENCHMARK, [benchmark_ref(b.pk) for b in benchmarks], benchmark_payloads),
        (FACTOR, [factor_ref(f.pk) for f in factors], factor_payloads),
        (EVENT, [event_ref(event.pk)], event_payloads),
    ):
        payloads = build(refs)
        for ref in refs:
            ledger_append(kind=kind, ref=ref, payload=payloads[ref])
