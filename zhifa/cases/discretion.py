"""The case's discretion assessment (裁量): benchmark version, tier, factors, range and departures.

The handler records the tier and factors (`case_assess`); the range is computed from the stored
benchmark version when read (zhifa.catalog.discretion). The steps that set the intended penalty
(调查终结报告, 重新告知) call `ensure_reason`: outside the range they need a written reason, and
`assessment_for(case).deviates` flags the case to the legal reviewer. Rules: docs/discretion.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from zhifa.cases import policies
from zhifa.cases.models import OPEN_BEFORE_DECISION, Case, CaseAssessment, Outcome, Procedure
from zhifa.cases.money import yuan
from zhifa.catalog import benchmarks, discretion
from zhifa.catalog.models import Benchmark, Circumstance, DiscretionFactor
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted

if TYPE_CHECKING:
    from zhifa.accounts.models import User

ASSESSABLE = OPEN_BEFORE_DECISION
# 石嘴山市人社局“三项制度”实施方案: 案卷中应记录说明裁量基准适用情况和理由.
REASON_RULE = "拟处罚超出裁量基准确定的幅度，应当书面说明理由（《行政处罚法》第三十四条；裁量基准适用情况和理由应当记入案卷）"


@dataclass(frozen=True)
class FactorUse:
    code: str
    label: str
    effect: str
    effect_label: str
    basis: str


@dataclass(frozen=True)
class Assessment:
    """What the reviewer and the case page show: the range, how it was reached, and any departure."""

    benchmark_id: int
    benchmark: str
    matter_id: int
    version: int
    version_note: str
    violation_on: dt.date
    circumstance: str
    circumstance_label: str
    illegal_gains: Decimal
    goods_value: Decimal
    affected_persons: int
    range: discretion.Range
    range_text: str
    factors: tuple[FactorUse, ...]
    clauses: tuple[str, ...]
    notes: tuple[str, ...]
    rationale: str
    intended: str
    deviates: bool
    deviation_points: tuple[str, ...]
    deviation_reason: str
    assessed_by: str
    assessed_at: dt.datetime


def _intended_text(case: Case) -> str:
    if not case.outcome:
        return "尚未提出处理意见"
    if case.outcome != Outcome.PENALTY:
        return case.get_outcome_display()
    text = discretion.kind_names(case.intended_kinds)
    if case.intended_fine > 0:
        text += f"；罚款 {yuan(case.intended_fine)} 元"
    return text


def _applicable(case: Case) -> bool:
    """Only a proposal to penalise or to exempt is measured against the benchmark."""
    return case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY)


def _compute(row: CaseAssessment) -> discretion.Range:
    rules = benchmarks.rules_of(row.benchmark)
    factors = [benchmarks.factor_terms(f) for f in row.factors.all()]
    return discretion.calculate(
        rules, row.circumstance, factors, row.illegal_gains, row.goods_value, row.affected_persons
    )


def _points(case: Case, rng: discretion.Range) -> tuple[str, ...]:
    if not _applicable(case):
        return ()
    return discretion.deviations(
        rng,
        penalised=case.outcome == Outcome.PENALTY,
        kinds=list(case.intended_kinds),
        fine=case.intended_fine,
    )


def assessment_for(case: Case) -> Assessment | None:
    """The case's assessment with its range and departure, or None when none was recorded."""
    row = CaseAssessment.objects.filter(case=case).select_related("benchmark", "assessed_by").first()
    if row is None:
        return None
    rng = _compute(row)
    points = _points(case, rng)
    return Assessment(
        benchmark_id=row.benchmark_id,
        benchmark=str(row.benchmark),
        matter_id=row.benchmark.matter_id,
        version=row.benchmark.version,
        version_note=row.version_note,
        violation_on=row.violation_on,
        circumstance=row.circumstance,
        circumstance_label=Circumstance(row.circumstance).label,
        illegal_gains=row.illegal_gains,
        goods_value=row.goods_value,
        affected_persons=row.affected_persons,
        range=rng,
        range_text=discretion.describe(rng),
        factors=tuple(
            FactorUse(f.code, f.label, f.effect, discretion.EFFECT_LABELS[f.effect], f.basis)
            for f in rng.factors
        ),
        clauses=rng.clauses,
        notes=rng.notes,
        rationale=row.rationale,
        intended=_intended_text(case),
        deviates=bool(points),
        deviation_points=points,
        deviation_reason=row.deviation_reason,
        assessed_by=row.assessed_by.display_name,
        assessed_at=row.updated_at,
    )


def can_assess(user: User, case: Case) -> bool:
    return policies.is_handler(user, case)


def ensure_can_assess(user: User, case: Case) -> None:
    if not can_assess(user, case):
        raise NotPermitted("裁量基准的适用应由本案承办人办理。")
    if case.procedure != Procedure.GENERAL or case.status not in ASSESSABLE:
        raise DomainError(
            f"案件当前处于“{case.get_status_display()}”阶段，不能适用裁量基准（应在作出决定前）。"
        )
    if case.matter is None:
        raise DomainError("案件尚未确定执法事项，不能适用裁量基准。")


def available_factors(benchmark: Benchmark) -> list[DiscretionFactor]:
    return benchmarks.factors_of(benchmark)


@transaction.atomic
def case_assess(
    *,
    actor: User,
    case: Case,
    violation_on: dt.date,
    circumstance: str,
    factor_codes: Sequence[str] = (),
    illegal_gains: Decimal = Decimal(0),
    goods_value: Decimal = Decimal(0),
    affected_persons: int = 0,
    rationale: str = "",
    deviation_reason: str = "",
    on: dt.date | None = None,
) -> Assessment:
    """Apply the matter's benchmark: version by 从旧兼从轻 (第三十七条), tier, factors; record it."""
    from zhifa.cases.timeline import event

    ensure_can_assess(actor, case)
    assert case.matter is not None
    day = on or today()
    if violation_on > day:
        raise InvalidInput("违法行为发生日期不能晚于今天。")
    if affected_persons < 0:
        raise InvalidInput("受侵害人数不能为负数。")
    if circumstance not in Circumstance.values:
        raise InvalidInput("请选择情节档次（轻微、一般、较重、严重）。")
    gains = yuan(illegal_gains, what="违法所得")
    value = yuan(goods_value, what="货值金额")
    codes = frozenset(factor_codes)
    choice = benchmarks.benchmark_for_case(
        case.matter,
        violation_on=violation_on,
        circumstance=circumstance,
        factor_codes=codes,
        illegal_gains=gains,
        goods_value=value,
        persons=affected_persons,
        on=day,
    )
    if choice is None:
        raise DomainError(
            "该执法事项在违法行为发生时和现在均没有施行的裁量基准，请先制定并公布（《行政处罚法》第三十四条）。"
        )
    benchmark = choice.benchmark
    if circumstance not in {t.circumstance for t in benchmark.tiers.all()}:
        raise InvalidInput(f"{benchmark}没有“{Circumstance(circumstance).label}”档次。")
    factors = [f for f in benchmarks.factors_of(benchmark) if f.code in codes]
    unknown = codes - {f.code for f in factors}
    if unknown:
        raise InvalidInput(f"裁量情节“{'、'.join(sorted(unknown))}”不在{benchmark}适用的清单中。")

    row, _ = CaseAssessment.objects.update_or_create(
        case=case,
        defaults={
            "benchmark": benchmark,
            "version_note": choice.note,
            "violation_on": violation_on,
            "circumstance": circumstance,
            "illegal_gains": gains,
            "goods_value": value,
            "affected_persons": affected_persons,
            "rationale": rationale.strip(),
            "deviation_reason": deviation_reason.strip(),
            "assessed_by": actor,
        },
    )
    row.factors.set(factors)
    rng = _compute(row)
    if _points(case, rng) and not row.deviation_reason:
        raise InvalidInput(f"{REASON_RULE}：{'；'.join(_points(case, rng))}。")
    result = assessment_for(case)
    assert result is not None
    event(
        case,
        actor,
        "assess",
        f"适用裁量基准：{result.circumstance_label}，{result.range_text}",
        reason=row.rationale,
        benchmark=benchmark.pk,
        version=benchmark.version,
        circumstance=circumstance,
        factors=sorted(codes),
        illegal_gains=gains,
        goods_value=value,
        affected_persons=affected_persons,
        fine_min=rng.fine_min,
        fine_max=rng.fine_max,
        exempt=rng.exempt,
        deviates=result.deviates,
    )
    return result


def ensure_reason(case: Case, reason: str = "") -> None:
    """At a step that sets the intended penalty: outside the range, a written reason or a refusal.

    A reason given now replaces the one on record; without one, the one on record stands.
    """
    row = CaseAssessment.objects.filter(case=case).select_related("benchmark").first()
    if row is None:
        return
    if reason.strip():
        row.deviation_reason = reason.strip()
        row.save(update_fields=["deviation_reason", "updated_at"])
    points = _points(case, _compute(row))
    if points and not row.deviation_reason:
        raise InvalidInput(f"{REASON_RULE}：{'；'.join(points)}。")
