"""The discretion calculator: a benchmark tier and the case's factors give the applicable range.

Pure functions on plain values (no database), so the rules can be property-tested. The rules,
and why, are in docs/discretion.md:

- a 不予处罚 factor (第三十三条) → no penalty;
- 减轻 (第三十二条) → a fine from the benchmark's floor up to the statutory minimum (the lowest
  minimum of all tiers for the same inputs), and 警告/通报批评 may replace heavier kinds;
- 从轻 → the lower `share` of the tier's fine range, 从重 → the upper `share`;
- 从轻 and 从重 together → the benchmark's conflict rule;
- 不予实施行政强制措施 factors are listed but do not move the penalty range.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")

# Codes as in zhifa.catalog.models (Circumstance, FactorEffect, MultipleBase, ConflictRule) and
# the penalty kinds of zhifa.cases.penalties.PenaltyKind; repeated as strings to stay pure.
EXEMPT, MITIGATE, LENIENT, AGGRAVATE, NO_COERCION = (
    "exempt",
    "mitigate",
    "lenient",
    "aggravate",
    "no_coercion",
)
OFFSET, LENIENT_FIRST, AGGRAVATE_FIRST = "offset", "lenient", "aggravate"
ILLEGAL_GAINS, GOODS_VALUE, PERSONS = "illegal_gains", "goods_value", "persons"
FINE = "fine"
LIGHT_KINDS = frozenset({"warning", "criticism"})
# 《行政处罚法》第九条, in the order of the article (the same codes as cases.penalties.PenaltyKind,
# which depends on this app, not the other way round; a test keeps the two equal).
KIND_LABELS: dict[str, str] = {
    "warning": "警告",
    "criticism": "通报批评",
    "fine": "罚款",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_licence": "暂扣许可证件",
    "downgrade": "降低资质等级",
    "revoke_licence": "吊销许可证件",
    "restrict_activity": "限制开展生产经营活动",
    "suspend_business": "责令停产停业",
    "order_closure": "责令关闭",
    "restrict_practice": "限制从业",
    "detention": "行政拘留",
}
BASE_LABELS = {ILLEGAL_GAINS: "违法所得", GOODS_VALUE: "货值金额", PERSONS: "受侵害人数"}
EFFECT_LABELS = {
    EXEMPT: "不予处罚",
    MITIGATE: "减轻处罚",
    LENIENT: "从轻处罚",
    AGGRAVATE: "从重处罚",
    NO_COERCION: "不予实施行政强制措施",
}


@dataclass(frozen=True)
class Tier:
    circumstance: str
    label: str
    kinds: frozenset[str]
    clause: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_of: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    multiple_threshold: Decimal | None = None


@dataclass(frozen=True)
class Rules:
    tiers: tuple[Tier, ...]
    leniency_share: Decimal = Decimal("0.5")
    conflict_rule: str = OFFSET
    mitigation_floor: Decimal = Decimal(0)

    def tier(self, circumstance: str) -> Tier:
        for tier in self.tiers:
            if tier.circumstance == circumstance:
                return tier
        raise KeyError(circumstance)


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    effect: str
    basis: str


@dataclass(frozen=True)
class Range:
    """What may be imposed: no penalty at all (exempt), or these kinds with a fine in [min, max]."""

    exempt: bool
    kinds: frozenset[str]
    fine_min: Decimal | None
    fine_max: Decimal | None
    factors: tuple[Factor, ...]
    clauses: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def has_fine(self) -> bool:
        return self.fine_min is not None and self.fine_max is not None


def _fen(amount: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    return amount.quantize(FEN, rounding=rounding)


def _base(tier: Tier, illegal_gains: Decimal, goods_value: Decimal, persons: int) -> Decimal:
    return {ILLEGAL_GAINS: illegal_gains, GOODS_VALUE: goods_value, PERSONS: Decimal(persons)}.get(
        tier.multiple_of, Decimal(0)
    )


def base_range(
    tier: Tier, illegal_gains: Decimal, goods_value: Decimal, persons: int = 0
) -> tuple[Decimal, Decimal] | None:
    """The tier's own fine range for these amounts, or None when it imposes no fine.

    A multiple applies when its base is above zero and reaches the threshold; otherwise the fixed
    amounts apply (the statutes' "没有违法所得或者违法所得不足…的，处…元以上…元以下罚款").
    """
    if tier.multiple_of and tier.multiple_min is not None and tier.multiple_max is not None:
        base = _base(tier, illegal_gains, goods_value, persons)
        if base > 0 and (tier.multiple_threshold is None or base >= tier.multiple_threshold):
            return _fen(base * tier.multiple_min), _fen(base * tier.multiple_max)
    if tier.fine_min is not None and tier.fine_max is not None:
        return _fen(tier.fine_min), _fen(tier.fine_max)
    return None


def _base_clause(tier: Tier, illegal_gains: Decimal, goods_value: Decimal, persons: int) -> str:
    if tier.multiple_of and tier.multiple_min is not None and tier.multiple_max is not None:
        base = _base(tier, illegal_gains, goods_value, persons)
        name = BASE_LABELS.get(tier.multiple_of, tier.multiple_of)
        low, high = number(tier.multiple_min), number(tier.multiple_max)
        if tier.multiple_of == PERSONS and base > 0:
            return f"按受侵害 {persons} 人、每人 {low}–{high} 元计罚"
        if base > 0 and (tier.multiple_threshold is None or base >= tier.multiple_threshold):
            return f"按{name} {_fen(base)} 元的 {low}–{high} 倍计罚"
        if tier.fine_min is not None:
            return f"{name} {_fen(base)} 元，未达按倍数计罚的起点，适用固定数额"
        return f"{name}为零，不适用按{name}计算的罚款"
    return "按固定数额计罚" if tier.fine_min is not None else "不处罚款"


def percent(share: Decimal) -> str:
    return number(share * 100) + "%"


def _lower_part(lo: Decimal, hi: Decimal, share: Decimal) -> tuple[Decimal, Decimal]:
    return lo, max(lo, _fen(lo + (hi - lo) * share, ROUND_FLOOR))


def _upper_part(lo: Decimal, hi: Decimal, share: Decimal) -> tuple[Decimal, Decimal]:
    return min(hi, _fen(hi - (hi - lo) * share, ROUND_CEILING)), hi


def calculate(
    rules: Rules,
    circumstance: str,
    factors: Iterable[Factor] = (),
    illegal_gains: Decimal = Decimal(0),
    goods_value: Decimal = Decimal(0),
    persons: int = 0,
) -> Range:
    """The applicable range for a tier of `rules` and the factors found in the case."""
    if illegal_gains < 0 or goods_value < 0 or persons < 0:
        raise ValueError("违法所得、货值金额和人数不能为负数。")
    tier = rules.tier(circumstance)
    chosen = tuple(factors)
    by_effect = {effect: [f for f in chosen if f.effect == effect] for effect in EFFECT_LABELS}
    clauses = [f"{tier.label}：{tier.clause}"]
    coercion = tuple(by_effect[NO_COERCION])
    notes = [f"{f.label}：不予实施行政强制措施（{f.basis}），不影响处罚幅度。" for f in coercion]

    if by_effect[EXEMPT]:
        exempting = tuple(by_effect[EXEMPT]) + coercion
        clauses += [f"{f.label}（{f.basis}）" for f in by_effect[EXEMPT]]
        notes.append(
            "适用不予处罚清单：不予行政处罚，应当对当事人进行教育（《行政处罚法》第三十三条第三款）。"
        )
        return Range(True, frozenset(), None, None, exempting, tuple(clauses), tuple(notes))

    rng = base_range(tier, illegal_gains, goods_value, persons)
    kinds = tier.kinds if rng is not None else tier.kinds - {FINE}
    clauses.append(_base_clause(tier, illegal_gains, goods_value, persons))
    share = rules.leniency_share
    used: tuple[Factor, ...]
    low, high = rng if rng is not None else (None, None)

    if by_effect[MITIGATE]:
        used = tuple(by_effect[MITIGATE])
        clauses += [f"{f.label}（{f.basis}）" for f in used]
        kinds = kinds | LIGHT_KINDS
        if rng is not None:
            floors = [
                r[0]
                for t in rules.tiers
                if (r := base_range(t, illegal_gains, goods_value, persons)) is not None
            ]
            statutory_min = min(floors)
            floor = min(_fen(rules.mitigation_floor), statutory_min)
            rng = (floor, statutory_min)
            notes.append(
                f"减轻处罚：在法定最低罚款数额 {statutory_min} 元以下裁量，不低于 {floor} 元，也可以改处警告或者通报批评。"
            )
        if by_effect[AGGRAVATE]:
            notes.append(
                "同时存在从重情节：减轻处罚系法定应当情形（《行政处罚法》第三十二条），从重情节在幅度内不再适用。"
            )
        used += tuple(by_effect[AGGRAVATE]) + tuple(by_effect[LENIENT]) + coercion
        low, high = rng if rng is not None else (None, None)
        return Range(False, kinds, low, high, used, tuple(clauses), tuple(notes))

    lenient, aggravate = by_effect[LENIENT], by_effect[AGGRAVATE]
    used = tuple(lenient) + tuple(aggravate) + coercion
    clauses += [f"{f.label}（{f.basis}）" for f in (*lenient, *aggravate)]
    direction = ""
    if lenient and aggravate:
        direction = {OFFSET: "", LENIENT_FIRST: LENIENT, AGGRAVATE_FIRST: AGGRAVATE}[rules.conflict_rule]
        notes.append(
            {
                "": "从轻、从重情节并存，依本基准相互抵消，在本档次全幅度内裁量。",
                LENIENT: "从轻、从重情节并存，依本基准从轻优先。",
                AGGRAVATE: "从轻、从重情节并存，依本基准从重优先。",
            }[direction]
        )
    elif lenient:
        direction = LENIENT
    elif aggravate:
        direction = AGGRAVATE
    if rng is not None and direction == LENIENT:
        rng = _lower_part(*rng, share)
        notes.append(f"从轻处罚：在本档次罚款幅度较低的 {percent(share)} 部分内裁量。")
    elif rng is not None and direction == AGGRAVATE:
        rng = _upper_part(*rng, share)
        notes.append(f"从重处罚：在本档次罚款幅度较高的 {percent(share)} 部分内裁量。")
    low, high = rng if rng is not None else (None, None)
    return Range(False, kinds, low, high, used, tuple(clauses), tuple(notes))


def deviations(rng: Range, *, penalised: bool, kinds: Sequence[str], fine: Decimal) -> tuple[str, ...]:
    """How an intended penalty departs from the range (empty when it is inside)."""
    points = []
    if rng.exempt:
        if penalised:
            points.append("适用不予处罚清单，但拟给予行政处罚")
        return tuple(points)
    if not penalised:
        return ("未适用不予处罚清单，但拟不予行政处罚",)
    extra = set(kinds) - rng.kinds
    if extra:
        points.append(f"拟处罚种类超出基准规定的种类（{'、'.join(sorted(extra))}）")
    if fine > 0 and rng.has_fine:
        assert rng.fine_min is not None and rng.fine_max is not None
        if fine < rng.fine_min:
            points.append(f"拟罚款 {_fen(fine)} 元低于适用幅度下限 {rng.fine_min} 元")
        elif fine > rng.fine_max:
            points.append(f"拟罚款 {_fen(fine)} 元高于适用幅度上限 {rng.fine_max} 元")
    return tuple(points)


def kind_names(kinds: Iterable[str]) -> str:
    wanted = set(kinds)
    return "、".join(label for code, label in KIND_LABELS.items() if code in wanted)


def number(value: Decimal) -> str:
    """2.00 → 2, 0.50 → 0.5: multiples and shares read as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def tier_text(tier: Tier) -> str:
    """The tier's fine as the benchmark states it, before any amounts are known."""
    parts = []
    if tier.multiple_of and tier.multiple_min is not None and tier.multiple_max is not None:
        name = BASE_LABELS.get(tier.multiple_of, tier.multiple_of)
        low, high = number(tier.multiple_min), number(tier.multiple_max)
        parts.append(f"每人 {low}–{high} 元" if tier.multiple_of == PERSONS else f"{name} {low}–{high} 倍")
        if tier.fine_min is not None and tier.fine_max is not None:
            below = f"不足 {tier.multiple_threshold} 元" if tier.multiple_threshold else "为零"
            parts.append(f"{name}{below}的，{tier.fine_min}–{tier.fine_max} 元")
    elif tier.fine_min is not None and tier.fine_max is not None:
        parts.append(f"{tier.fine_min}–{tier.fine_max} 元")
    return "；".join(parts) or "不处罚款"


def describe(rng: Range, kind_labels: dict[str, str] = KIND_LABELS) -> str:
    """One line for pages and documents: 不予处罚, or the kinds and the fine range."""
    if rng.exempt:
        return "不予行政处罚"
    names = [kind_labels.get(k, k) for k in kind_labels if k in rng.kinds]
    text = "、".join(names) or "无"
    if rng.has_fine:
        text += f"；罚款 {rng.fine_min}–{rng.fine_max} 元"
    return text
