"""Reads of the discretion benchmarks (裁量基准) and the four lists, and their calculator terms.

Benchmarks are public (《行政处罚法》第三十四条: "行政处罚裁量基准应当向社会公布"), so the
public reads need no user; they return only the benchmark's own text, never case data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.catalog import discretion
from zhifa.catalog.models import Benchmark, BenchmarkTier, DiscretionFactor, Matter
from zhifa.catalog.selectors import matter_get_for, matter_version_on
from zhifa.core.calendar import today

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def in_force_filter(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}effective_from__lte": on}) & (
        Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": on})
    )


def _with_parts(qs: QuerySet[Benchmark]) -> QuerySet[Benchmark]:
    return qs.select_related("matter__agency").prefetch_related(
        Prefetch("tiers", queryset=BenchmarkTier.objects.order_by("pk")), "factors"
    )


def benchmark_on(matter: Matter, on: dt.date) -> Benchmark | None:
    """The version of the matter's benchmark in force on a day (None if there was none)."""
    return _with_parts(Benchmark.objects.filter(in_force_filter(on), matter=matter)).first()


def factors_of(benchmark: Benchmark) -> list[DiscretionFactor]:
    """The agency-wide lists plus the benchmark's own, in list order (a matter code wins a clash)."""
    own = list(benchmark.factors.all())
    codes = {f.code for f in own}
    common = DiscretionFactor.objects.filter(agency_id=benchmark.matter.agency_id).exclude(code__in=codes)
    order = list(discretion.EFFECT_LABELS)
    return sorted([*own, *common], key=lambda f: (order.index(f.effect), f.code))


def factor_terms(factor: DiscretionFactor) -> discretion.Factor:
    return discretion.Factor(factor.code, factor.label, factor.effect, factor.basis)


def rules_of(benchmark: Benchmark) -> discretion.Rules:
    tiers = tuple(
        discretion.Tier(
            circumstance=t.circumstance,
            label=t.get_circumstance_display(),
            kinds=frozenset(t.kinds),
            clause=t.clause,
            fine_min=t.fine_min,
            fine_max=t.fine_max,
            multiple_of=t.multiple_of,
            multiple_min=t.multiple_min,
            multiple_max=t.multiple_max,
            multiple_threshold=t.multiple_threshold,
        )
        for t in benchmark.tiers.all()
    )
    return discretion.Rules(
        tiers, benchmark.leniency_share, benchmark.conflict_rule, benchmark.mitigation_floor
    )


@dataclass(frozen=True)
class Choice:
    """The version a case applies under 从旧兼从轻 (《行政处罚法》第三十七条), and why."""

    benchmark: Benchmark
    note: str


def _heaviness(rng: discretion.Range) -> tuple[int, Decimal, Decimal, int]:
    if rng.exempt:
        return (0, Decimal(0), Decimal(0), 0)
    return (1, rng.fine_max or Decimal(0), rng.fine_min or Decimal(0), len(rng.kinds))


def benchmark_for_case(
    matter: Matter,
    *,
    violation_on: dt.date,
    circumstance: str,
    factor_codes: frozenset[str],
    illegal_gains: Decimal,
    goods_value: Decimal,
    persons: int = 0,
    on: dt.date | None = None,
) -> Choice | None:
    """The version in force when the violation happened; the one in force now if it is lighter.

    Lighter means: not penalised, else a lower maximum fine, then a lower minimum, then fewer kinds,
    for the same tier and factors. A tier the newer version lacks cannot be compared: the old one stays.
    """
    now = on or today()
    old = benchmark_on(matter, violation_on)
    new = benchmark_on(matter, now)
    if old is None and new is None:
        return None
    if old is None or new is None or old.pk == new.pk:
        chosen = old or new
        assert chosen is not None
        when = "违法行为发生时" if chosen is old else f"作出决定时（{now:%Y年%m月%d日}）"
        return Choice(chosen, f"适用{when}施行的第{chosen.version}版基准。")

    def heaviness(b: Benchmark) -> tuple[int, Decimal, Decimal, int] | None:
        rules = rules_of(b)
        try:
            rules.tier(circumstance)
        except KeyError:
            return None
        factors = [factor_terms(f) for f in factors_of(b) if f.code in factor_codes]
        return _heaviness(
            discretion.calculate(rules, circumstance, factors, illegal_gains, goods_value, persons)
        )

    old_weight, new_weight = heaviness(old), heaviness(new)
    if old_weight is not None and new_weight is not None and new_weight < old_weight:
        return Choice(
            new,
            f"违法行为发生时施行第{old.version}版基准，现行第{new.version}版处罚较轻，"
            "依从旧兼从轻原则适用现行基准（《行政处罚法》第三十七条）。",
        )
    return Choice(
        old,
        f"适用违法行为发生时施行的第{old.version}版基准；现行第{new.version}版处罚不轻于旧版"
        "（《行政处罚法》第三十七条）。",
    )


# ── Reads for users and for the public ────────────────────────────────────────────────


def benchmarks_of_matter(*, user: User, matter_pk: int) -> tuple[Matter, list[Benchmark]]:
    """Every version of a matter's benchmark, newest first, for a user who may read the matter."""
    matter = matter_get_for(user=user, pk=matter_pk)
    return matter, list(_with_parts(Benchmark.objects.filter(matter=matter)).order_by("-version"))


@dataclass(frozen=True)
class PublicBenchmark:
    agency_name: str
    matter_code: str
    matter_name: str
    benchmark: Benchmark
    factors: list[DiscretionFactor]


def public_benchmarks(*, on: dt.date | None = None, agency_id: int | None = None) -> list[PublicBenchmark]:
    """Benchmarks in force on a day, by agency and matter (no login: 第三十四条)."""
    day = on or today()
    qs = _with_parts(Benchmark.objects.filter(in_force_filter(day), matter__repealed_on__isnull=True))
    if agency_id:
        qs = qs.filter(matter__agency_id=agency_id)
    result = []
    for benchmark in qs.order_by("matter__agency__name", "matter__code"):
        version = matter_version_on(benchmark.matter, day)
        result.append(
            PublicBenchmark(
                agency_name=benchmark.matter.agency.name,
                matter_code=benchmark.matter.code,
                matter_name=version.name if version else benchmark.title,
                benchmark=benchmark,
                factors=factors_of(benchmark),
            )
        )
    return result


def public_benchmark_get(*, pk: int, on: dt.date | None = None) -> PublicBenchmark:
    for entry in public_benchmarks(on=on):
        if entry.benchmark.pk == pk:
            return entry
    raise Http404("未找到现行有效的裁量基准。")


@dataclass(frozen=True)
class TierRow:
    tier: BenchmarkTier
    kinds: str
    fine: str


@dataclass(frozen=True)
class FactorGroup:
    effect: str
    label: str
    factors: list[DiscretionFactor]


def tier_rows(benchmark: Benchmark) -> list[TierRow]:
    rules = rules_of(benchmark)
    return [
        TierRow(row, discretion.kind_names(row.kinds), discretion.tier_text(terms))
        for row, terms in zip(benchmark.tiers.all(), rules.tiers, strict=True)
    ]


def factor_groups(factors: list[DiscretionFactor]) -> list[FactorGroup]:
    """The four lists (and 不予强制) in the order the 2024 notice names them."""
    return [
        FactorGroup(effect, label, [f for f in factors if f.effect == effect])
        for effect, label in discretion.EFFECT_LABELS.items()
    ]


def benchmark_overlap(
    matter: Matter, start: dt.date, end: dt.date | None, *, exclude: int | None = None
) -> str:
    """The refusal when a version's period overlaps another version of the same matter, else ''."""
    clash = Benchmark.objects.filter(matter=matter)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    clash = clash.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
    if end is not None:
        clash = clash.filter(effective_from__lte=end)
    other = clash.first()
    if other is None:
        return ""
    return f"施行期间与第{other.version}版重叠：同一事项同一日只能有一个施行的裁量基准版本，请先为其设定失效日期。"
