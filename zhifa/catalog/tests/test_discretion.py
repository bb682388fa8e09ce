"""The pure discretion calculator: fixed examples and properties (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog import discretion as calc
from zhifa.catalog.discretion import Factor, Rules, Tier

MINOR = Tier("minor", "轻微", frozenset({"warning", "fine"}), "c1", D(2000), D(5000))
GENERAL = Tier("general", "一般", frozenset({"warning", "fine"}), "c2", D(5000), D(10000))
FOOD = Tier(
    "general",
    "一般",
    frozenset({"confiscate_gains", "fine"}),
    "c3",
    D(50000),
    D(75000),
    calc.GOODS_VALUE,
    D(10),
    D(15),
    D(10000),
)
RULES = Rules((MINOR, GENERAL))
EXEMPT = Factor("first", "首违", calc.EXEMPT, "第三十三条")
MITIGATE = Factor("coerced", "胁迫", calc.MITIGATE, "第三十二条")
LENIENT = Factor("remedied", "消除后果", calc.LENIENT, "第三十二条")
AGGRAVATE = Factor("repeat", "再犯", calc.AGGRAVATE, "第五条")
NO_COERCION = Factor("slight", "显著轻微", calc.NO_COERCION, "行政强制法第十六条")


def test_plain_tier_range():
    rng = calc.calculate(RULES, "general")
    assert (rng.fine_min, rng.fine_max, rng.exempt) == (D(5000), D(10000), False)
    assert rng.clauses[0] == "一般：c2"


def test_exempt_factor_means_no_penalty():
    rng = calc.calculate(RULES, "general", [EXEMPT, AGGRAVATE])
    assert rng.exempt and not rng.kinds and rng.fine_min is None
    assert calc.deviations(rng, penalised=True, kinds=["warning"], fine=D(0))
    assert calc.deviations(rng, penalised=False, kinds=[], fine=D(0)) == ()


def test_lenient_is_lower_half_and_aggravate_upper_half():
    low = calc.calculate(RULES, "general", [LENIENT])
    assert (low.fine_min, low.fine_max) == (D(5000), D(7500))
    rng = calc.calculate(RULES, "general", [AGGRAVATE])
    assert (rng.fine_min, rng.fine_max) == (D(7500), D(10000))


def test_share_is_a_benchmark_setting():
    rules = Rules((MINOR, GENERAL), leniency_share=D("0.3"))
    rng = calc.calculate(rules, "general", [LENIENT])
    assert (rng.fine_min, rng.fine_max) == (D(5000), D(6500))


@pytest.mark.parametrize(
    ("rule", "expected"),
    [(calc.OFFSET, (D(5000), D(10000))), ("lenient", (D(5000), D(7500))), ("aggravate", (D(7500), D(10000)))],
)
def test_lenient_and_aggravate_together_follow_the_benchmark_rule(rule, expected):
    rng = calc.calculate(Rules((MINOR, GENERAL), conflict_rule=rule), "general", [LENIENT, AGGRAVATE])
    assert (rng.fine_min, rng.fine_max) == expected


def test_mitigation_goes_below_the_statutory_minimum():
    rng = calc.calculate(RULES, "general", [MITIGATE])
    # The statutory minimum is the lowest tier's minimum (2000), not this tier's (5000).
    assert (rng.fine_min, rng.fine_max) == (D(0), D(2000))
    assert {"warning", "criticism"} <= rng.kinds
    floor = calc.calculate(Rules((MINOR, GENERAL), mitigation_floor=D(500)), "general", [MITIGATE])
    assert floor.fine_min == D(500)


def test_no_coercion_factor_does_not_move_the_range():
    rng = calc.calculate(RULES, "general", [NO_COERCION])
    assert (rng.fine_min, rng.fine_max) == (D(5000), D(10000))


def test_multiples_apply_from_the_threshold():
    rules = Rules((FOOD,))
    below = calc.calculate(rules, "general", goods_value=D(9999))
    assert (below.fine_min, below.fine_max) == (D(50000), D(75000))
    above = calc.calculate(rules, "general", goods_value=D(12000))
    assert (above.fine_min, above.fine_max) == (D(120000), D(180000))
    assert "10–15 倍" in above.clauses[1]


def test_per_person_amounts():
    tier = Tier(
        "general",
        "一般",
        frozenset({"warning", "fine"}),
        "c",
        multiple_of=calc.PERSONS,
        multiple_min=D(200),
        multiple_max=D(300),
    )
    rng = calc.calculate(Rules((tier,)), "general", persons=36)
    assert (rng.fine_min, rng.fine_max) == (D(7200), D(10800))
    nobody = calc.calculate(Rules((tier,)), "general")
    assert not nobody.has_fine and nobody.kinds == {"warning"}


def test_deviations_name_what_is_outside():
    rng = calc.calculate(RULES, "general")
    assert calc.deviations(rng, penalised=True, kinds=["warning", "fine"], fine=D(8000)) == ()
    assert "高于" in calc.deviations(rng, penalised=True, kinds=["fine"], fine=D(12000))[0]
    assert "低于" in calc.deviations(rng, penalised=True, kinds=["fine"], fine=D(100))[0]
    assert "种类" in calc.deviations(rng, penalised=True, kinds=["revoke_licence"], fine=D(0))[0]
    assert calc.deviations(rng, penalised=False, kinds=[], fine=D(0))


def test_negative_inputs_are_refused():
    with pytest.raises(ValueError):
        calc.calculate(RULES, "general", illegal_gains=D(-1))


def test_kind_labels_match_the_case_app():
    from zhifa.cases.penalties import PenaltyKind

    assert {k.value: str(k.label) for k in PenaltyKind} == calc.KIND_LABELS


amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=D("0.01"), max_value=1, places=2)
effects = st.lists(st.sampled_from([LENIENT, AGGRAVATE, NO_COERCION]), max_size=3)


@st.composite
def tiers(draw):
    low = draw(amounts)
    high = low + draw(amounts)
    return Tier("general", "一般", frozenset({"warning", "fine"}), "c", low, high)


@given(tiers(), effects, shares, st.sampled_from([calc.OFFSET, "lenient", "aggravate"]))
def test_range_stays_within_the_tier(tier, factors, share, rule):
    rng = calc.calculate(Rules((tier,), share, rule), "general", factors)
    assert tier.fine_min <= rng.fine_min <= rng.fine_max <= tier.fine_max


@given(tiers(), shares)
def test_lenient_never_above_aggravated(tier, share):
    rules = Rules((tier,), share)
    low = calc.calculate(rules, "general", [LENIENT])
    high = calc.calculate(rules, "general", [AGGRAVATE])
    assert low.fine_min <= high.fine_min and low.fine_max <= high.fine_max
    if share <= D("0.5"):
        assert low.fine_max <= high.fine_min


@given(tiers(), amounts)
def test_mitigated_never_above_the_plain_range(tier, floor):
    rules = Rules((tier,), mitigation_floor=floor)
    plain = calc.calculate(rules, "general")
    mitigated = calc.calculate(rules, "general", [MITIGATE])
    assert mitigated.fine_max <= plain.fine_min and mitigated.fine_min <= mitigated.fine_max


@given(amounts, amounts)
def test_multiple_fine_grows_with_the_goods_value(a, b):
    rules = Rules((FOOD,))
    small, large = sorted([a, b])
    r1 = calc.calculate(rules, "general", goods_value=small)
    r2 = calc.calculate(rules, "general", goods_value=large)
    if small >= 10000:
        assert r1.fine_max <= r2.fine_max and r1.fine_min <= r2.fine_min
    for rng in (r1, r2):
        assert rng.fine_min is not None and rng.fine_min >= D(50000)
