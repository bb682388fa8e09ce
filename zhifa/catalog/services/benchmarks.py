"""Writes to the discretion benchmarks (裁量基准) and the agency-wide four lists (四张清单).

A benchmark is versioned like a matter: 制定 makes version 1, 修改 makes a new version from a day
(the previous one ends the day before and stays as history), 废止 ends the latest version. A
version is never changed in place: it has been published (《行政处罚法》第三十四条) and cases may
have applied it, so what a case file cites must stay what was in force. Each write records a
DiscretionEvent and appends the ledger leaves of what it changed, in its one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.catalog import ledger, policies
from zhifa.catalog.benchmark_changes import benchmark_changed
from zhifa.catalog.benchmarks import benchmark_overlap
from zhifa.catalog.models import (
    Benchmark,
    BenchmarkTier,
    Circumstance,
    ConflictRule,
    DiscretionAction,
    DiscretionEvent,
    DiscretionFactor,
    FactorEffect,
    Matter,
)
from zhifa.core.errors import Conflict, DomainError, InvalidInput
from zhifa.core.validation import clean_or_raise
from zhifa.org.models import Agency

if TYPE_CHECKING:
    from zhifa.accounts.models import User

PUBLISHED = "《行政处罚法》第三十四条：行政处罚裁量基准应当向社会公布"


@dataclass(frozen=True)
class TierInput:
    circumstance: str
    conditions: str
    kinds: Sequence[str]
    clause: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_of: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    multiple_threshold: Decimal | None = None

    @classmethod
    def of(cls, tier: BenchmarkTier) -> TierInput:
        return cls(**{name: getattr(tier, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class FactorInput:
    effect: str
    code: str
    label: str
    basis: str
    note: str = ""

    @classmethod
    def of(cls, factor: DiscretionFactor) -> FactorInput:
        return cls(**{name: getattr(factor, name) for name in cls.__dataclass_fields__})


# What a new version may set besides its period and note; the rest is the matter's.
_FIELDS = {"title", "document_ref", "leniency_share", "conflict_rule", "mitigation_floor"}


def _event(
    *,
    actor: User | None,
    action: str,
    benchmark: Benchmark | None = None,
    factor: DiscretionFactor | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DiscretionEvent:
    return DiscretionEvent.objects.create(
        benchmark=benchmark, factor=factor, action=action, actor=actor, note=note[:300], data=data or {}
    )


def _write_factor(factor: DiscretionFactor) -> DiscretionFactor:
    for name in ("code", "label", "basis", "note"):
        setattr(factor, name, getattr(factor, name).strip())
    if factor.effect not in FactorEffect.values:
        raise InvalidInput(
            f"清单“{factor.effect}”不存在，应为不予处罚、减轻处罚、从轻处罚、从重处罚或不予实施行政强制措施。"
        )
    clean_or_raise(factor)
    factor.save()
    return factor


def _write_version(
    matter: Matter,
    number: int,
    *,
    effective_from: dt.date,
    change_note: str,
    fields: dict[str, Any],
    tiers: Iterable[TierInput],
    factors: Iterable[FactorInput],
) -> Benchmark:
    unknown = set(fields) - _FIELDS
    if unknown:
        raise InvalidInput(f"裁量基准没有这些字段：{'、'.join(sorted(unknown))}。")
    benchmark = Benchmark(
        matter=matter,
        version=number,
        effective_from=effective_from,
        change_note=change_note.strip(),
        **fields,
    )
    benchmark.title = benchmark.title.strip()
    benchmark.document_ref = benchmark.document_ref.strip()
    if not benchmark.document_ref:
        raise InvalidInput(f"裁量基准须写明制定文件及文号，按文件向社会公布后施行（{PUBLISHED}）。")
    clean_or_raise(benchmark)
    benchmark.save()
    tiers = list(tiers)
    if not tiers:
        raise InvalidInput("裁量基准须至少规定一个情节档次（适用情形、处罚种类和幅度），否则无从裁量。")
    seen: set[str] = set()
    for t in tiers:
        if t.circumstance in seen:
            label = (
                Circumstance(t.circumstance).label
                if t.circumstance in Circumstance.values
                else t.circumstance
            )
            raise InvalidInput(f"情节档次“{label}”重复：同一版本中每个档次只能规定一次。")
        seen.add(t.circumstance)
        row = BenchmarkTier(
            benchmark=benchmark,
            circumstance=t.circumstance,
            conditions=t.conditions.strip(),
            kinds=list(t.kinds),
            clause=t.clause.strip(),
            fine_min=t.fine_min,
            fine_max=t.fine_max,
            multiple_of=t.multiple_of or "",
            multiple_min=t.multiple_min,
            multiple_max=t.multiple_max,
            multiple_threshold=t.multiple_threshold,
        )
        clean_or_raise(row)
        row.save()
    codes: set[str] = set()
    for f in factors:
        if f.code.strip() in codes:
            raise InvalidInput(f"事项专用裁量情节的编码“{f.code.strip()}”重复。")
        codes.add(f.code.strip())
        _write_factor(
            DiscretionFactor(
                benchmark=benchmark, effect=f.effect, code=f.code, label=f.label, basis=f.basis, note=f.note
            )
        )
    return benchmark


def _locked_matter(actor: User | None, matter: Matter) -> Matter:
    # The matter's row lock serialises the version numbers of its benchmark.
    matter = Matter.objects.select_related("agency").select_for_update(of=("self",)).get(pk=matter.pk)
    if actor is not None:
        policies.ensure_can_manage_matters(actor, matter.agency)
    return matter


def _ensure_matter_in_force(matter: Matter, action: str) -> None:
    if matter.repealed_on is not None:
        raise DomainError(
            f"执法事项“{matter.code}”已于 {matter.repealed_on:%Y-%m-%d} 废止，不能再{action}其裁量基准。"
        )


def _latest(matter: Matter, benchmark: Benchmark, action: str) -> Benchmark:
    latest = Benchmark.objects.filter(matter=matter).order_by("-version").first()
    assert latest is not None, "the benchmark given belongs to the matter"
    if latest.pk != benchmark.pk:
        raise Conflict(
            f"第{benchmark.version}版裁量基准已被第{latest.version}版取代，是历史版本，"
            f"只能在现行的第{latest.version}版基础上{action}。"
        )
    return latest


@transaction.atomic
def benchmark_create(
    *,
    actor: User | None,
    matter: Matter,
    title: str,
    document_ref: str,
    effective_from: dt.date,
    tiers: Iterable[TierInput],
    factors: Iterable[FactorInput] = (),
    change_note: str = "首次制定。",
    leniency_share: Decimal = Decimal("0.50"),
    conflict_rule: str = ConflictRule.OFFSET,
    mitigation_floor: Decimal = Decimal(0),
) -> Benchmark:
    """制定: version 1 of a matter's benchmark, with its tiers and the matter's own list entries."""
    matter = _locked_matter(actor, matter)
    _ensure_matter_in_force(matter, "制定")
    latest = Benchmark.objects.filter(matter=matter).order_by("-version").first()
    if latest is not None:
        raise Conflict(
            f"执法事项“{matter.code}”已有第{latest.version}版裁量基准；调整基准请修改（制定新版本），"
            "已施行的版本作为历史保留。"
        )
    benchmark = _write_version(
        matter,
        1,
        effective_from=effective_from,
        change_note=change_note or "首次制定。",
        fields={
            "title": title,
            "document_ref": document_ref,
            "leniency_share": leniency_share,
            "conflict_rule": conflict_rule,
            "mitigation_floor": mitigation_floor,
        },
        tiers=tiers,
        factors=factors,
    )
    event = _event(
        actor=actor,
        action=DiscretionAction.CREATE,
        benchmark=benchmark,
        note=benchmark.change_note,
        data={"version": 1, "effective_from": effective_from.isoformat()},
    )
    ledger.record(event, benchmarks=[benchmark])
    benchmark_changed(actor=actor, benchmark=benchmark, action=DiscretionAction.CREATE)
    return benchmark


@transaction.atomic
def benchmark_amend(
    *,
    actor: User | None,
    benchmark: Benchmark,
    effective_from: dt.date,
    change_note: str,
    tiers: Iterable[TierInput] | None = None,
    factors: Iterable[FactorInput] | None = None,
    **changes: Any,
) -> Benchmark:
    """修改: a new version from `effective_from`; the current one ends the day before and is kept.

    Tiers and the matter's own entries not given are those of the current version.
    """
    matter = _locked_matter(actor, benchmark.matter)
    _ensure_matter_in_force(matter, "修改")
    latest = _latest(matter, benchmark, "修改")
    if not change_note.strip():
        raise InvalidInput("修改裁量基准须写明修改说明（如依据的法律法规修改情况或档次、幅度的调整）。")
    if effective_from <= latest.effective_from:
        raise InvalidInput(
            f"新版本的施行日期须晚于第{latest.version}版的施行日期（{latest.effective_from:%Y-%m-%d}）："
            "同一事项同一日只能有一个施行的裁量基准版本，已施行的版本不能被改写。"
        )
    changed = []
    if latest.effective_to is None or latest.effective_to >= effective_from:
        latest.effective_to = effective_from - dt.timedelta(days=1)
        latest.save(update_fields=["effective_to", "updated_at"])
        changed.append(latest)
    fields = {name: getattr(latest, name) for name in _FIELDS} | changes
    if tiers is None:
        tiers = [TierInput.of(t) for t in latest.tiers.order_by("pk")]
    if factors is None:
        factors = [FactorInput.of(f) for f in latest.factors.order_by("code")]
    new = _write_version(
        matter,
        latest.version + 1,
        effective_from=effective_from,
        change_note=change_note,
        fields=fields,
        tiers=tiers,
        factors=factors,
    )
    # By construction the new version starts after every earlier one ends; kept as the guard.
    overlap = benchmark_overlap(matter, new.effective_from, new.effective_to, exclude=new.pk)
    if overlap:
        raise InvalidInput(overlap)
    event = _event(
        actor=actor,
        action=DiscretionAction.AMEND,
        benchmark=new,
        note=new.change_note,
        data={
            "version": new.version,
            "effective_from": effective_from.isoformat(),
            "previous": latest.pk,
            "previous_effective_to": latest.effective_to.isoformat() if latest.effective_to else None,
        },
    )
    ledger.record(event, benchmarks=[*changed, new])
    benchmark_changed(actor=actor, benchmark=new, action=DiscretionAction.AMEND)
    return new


@transaction.atomic
def benchmark_repeal(
    *, actor: User | None, benchmark: Benchmark, effective_on: dt.date, reason: str
) -> Benchmark:
    """废止: the current version no longer applies from `effective_on` (it ends the day before)."""
    matter = _locked_matter(actor, benchmark.matter)
    latest = _latest(matter, benchmark, "废止")
    if not reason.strip():
        raise InvalidInput("废止裁量基准须写明理由。")
    if latest.effective_to is not None:
        raise Conflict(f"第{latest.version}版裁量基准已于 {latest.effective_to:%Y-%m-%d} 失效，不能再废止。")
    if effective_on <= latest.effective_from:
        raise InvalidInput(
            f"废止日期须晚于第{latest.version}版的施行日期（{latest.effective_from:%Y-%m-%d}）；"
            "已公布的版本至少施行到废止日期的前一日。"
        )
    latest.effective_to = effective_on - dt.timedelta(days=1)
    latest.save(update_fields=["effective_to", "updated_at"])
    event = _event(
        actor=actor,
        action=DiscretionAction.REPEAL,
        benchmark=latest,
        note=reason.strip(),
        data={"version": latest.version, "effective_on": effective_on.isoformat()},
    )
    ledger.record(event, benchmarks=[latest])
    benchmark_changed(actor=actor, benchmark=latest, action=DiscretionAction.REPEAL)
    return latest


# ── The agency-wide four lists ───────────────────────────────────────────────────────────


@transaction.atomic
def discretion_factor_create(
    *, actor: User | None, agency: Agency, effect: str, code: str, label: str, basis: str, note: str = ""
) -> DiscretionFactor:
    """An entry of the agency's general lists, valid for every benchmark of the agency."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor is not None:
        policies.ensure_can_manage_matters(actor, agency)
    if DiscretionFactor.objects.filter(agency=agency, code=code.strip()).exists():
        raise InvalidInput(f"“{agency.name}”的裁量情节清单已有编码为“{code.strip()}”的情节。")
    factor = _write_factor(
        DiscretionFactor(agency=agency, effect=effect, code=code, label=label, basis=basis, note=note)
    )
    event = _event(
        actor=actor,
        action=DiscretionAction.FACTOR_CREATE,
        factor=factor,
        note=factor.label,
        data={"code": factor.code, "effect": factor.effect},
    )
    ledger.record(event, factors=[factor])
    return factor


@transaction.atomic
def discretion_factor_amend(
    *, actor: User | None, factor: DiscretionFactor, **changes: Any
) -> DiscretionFactor:
    """Correct an agency-wide entry that no case has applied yet (its code stays: cases cite it)."""
    unknown = set(changes) - {"effect", "label", "basis", "note"}
    if unknown:
        raise InvalidInput(f"不能修改裁量情节的这些字段：{'、'.join(sorted(unknown))}。")
    factor = (
        DiscretionFactor.objects.select_for_update(of=("self",)).select_related("agency").get(pk=factor.pk)
    )
    if factor.agency is None:
        raise Conflict("事项专用的裁量情节属于裁量基准的一个版本，请以修改裁量基准（制定新版本）的方式调整。")
    if actor is not None:
        policies.ensure_can_manage_matters(actor, factor.agency)
    applied = factor.assessments.count()
    if applied:
        raise Conflict(
            f"裁量情节“{factor.label}”已在 {applied} 件案件的裁量中适用，是案卷记录的一部分，不能修改；"
            "如需调整，请以新的编码新增一项情节。"
        )
    before = FactorInput.of(factor)
    for name, value in changes.items():
        setattr(factor, name, value)
    _write_factor(factor)
    event = _event(
        actor=actor,
        action=DiscretionAction.FACTOR_AMEND,
        factor=factor,
        note=factor.label,
        data={
            "changed": sorted(n for n in changes if getattr(before, n) != getattr(factor, n)),
            "code": factor.code,
        },
    )
    ledger.record(event, factors=[factor])
    return factor
