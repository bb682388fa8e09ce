"""Money rules: yuan amounts, the late-payment surcharge (第七十二条), hearing right (第六十三条),
on-the-spot limits (第五十一条), no heavier penalty after a defence (第四十五条)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.cases import money
from zhifa.cases.money import (
    FEN,
    SURCHARGE_RATE,
    Instalment,
    Payment,
    PenaltyTerms,
    SurchargeResult,
    penalty_not_heavier,
    surcharge,
    yuan,
)
from zhifa.cases.penalties import (
    HEARING_KINDS,
    ON_THE_SPOT_FINE_CITIZEN,
    ON_THE_SPOT_FINE_ORGANISATION,
    PenaltyKind,
    hearing_right,
    heavier_refusal,
    on_the_spot_allowed,
)
from zhifa.core.errors import InvalidInput
from zhifa.core.models import JurisdictionSetting

D = dt.date.fromisoformat
Y = Decimal


class TestYuan:
    @pytest.mark.parametrize(
        ("raw", "amount"),
        [
            ("200", Y("200.00")),
            (" 200.5 ", Y("200.50")),
            ("0.01", Y("0.01")),
            ("1.000", Y("1.00")),  # trailing zeros are still whole fen
            ("-0", Y("0.00")),
            (3000, Y("3000.00")),
            (Y("12.34"), Y("12.34")),
            ("999999999999.99", money.MAX_YUAN),
        ],
    )
    def test_accepted(self, raw, amount):
        result = yuan(raw)
        assert result == amount
        assert result.as_tuple().exponent == -2
        assert not result.is_signed()

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ("-1", "不能为负数"),
            ("NaN", "不是有效的数字"),
            ("Infinity", "不是有效的数字"),
            ("1.005", "最多保留两位小数"),
            ("十元", "不是数字"),
            ("", "不是数字"),
            ("1000000000000", "超出系统可记录的上限"),
            (1.5, "应以元为单位"),
            (True, "应以元为单位"),
        ],
    )
    def test_refused(self, raw, message):
        with pytest.raises(InvalidInput, match=message):
            yuan(raw)

    def test_the_message_names_what_the_amount_is(self):
        with pytest.raises(InvalidInput, match="罚款数额不能为负数"):
            yuan("-5", what="罚款数额")


def one(due: str, amount: str) -> list[Instalment]:
    return [Instalment(D(due), Y(amount))]


def unpaid(fine: str, *, due: str, as_of: str) -> SurchargeResult:
    """A one-instalment fine on which nothing has been paid."""
    return surcharge(fine=Y(fine), schedule=one(due, fine), payments=[], as_of=D(as_of))


class TestSurcharge:
    def test_paid_on_time_accrues_nothing(self):
        result = surcharge(
            fine=Y("1000.00"),
            schedule=one("2025-03-18", "1000.00"),
            payments=[Payment(D("2025-03-18"), Y("1000.00"))],
            as_of=D("2025-04-30"),
        )
        assert result == SurchargeResult(Y("0.00"), 0, False, Y("0.00"))

    def test_not_yet_due_accrues_nothing(self):
        result = unpaid("1000.00", due="2025-03-18", as_of="2025-03-18")
        assert result == SurchargeResult(Y("0.00"), 0, False, Y("1000.00"))

    def test_simple_lateness_three_percent_a_day(self):
        result = unpaid("1000.00", due="2025-03-18", as_of="2025-03-23")
        assert result == SurchargeResult(Y("150.00"), 5, False, Y("1000.00"))  # 03-19..03-23

    def test_the_day_of_payment_accrues_nothing_for_the_paid_part(self):
        result = surcharge(
            fine=Y("1000.00"),
            schedule=one("2025-03-18", "1000.00"),
            payments=[Payment(D("2025-03-21"), Y("1000.00"))],
            as_of=D("2025-04-30"),
        )
        assert result == SurchargeResult(Y("60.00"), 2, False, Y("0.00"))  # 03-19, 03-20

    def test_partial_payment_reduces_what_accrues(self):
        result = surcharge(
            fine=Y("1000.00"),
            schedule=one("2025-03-18", "1000.00"),
            payments=[Payment(D("2025-03-20"), Y("400.00")), Payment(D("2025-03-22"), Y("600.00"))],
            as_of=D("2025-04-30"),
        )
        # 03-19: 1000 x 3% = 30; 03-20, 03-21: 600 x 3% x 2 = 36.
        assert result == SurchargeResult(Y("66.00"), 3, False, Y("0.00"))

    def test_payments_after_as_of_have_not_happened_yet(self):
        result = surcharge(
            fine=Y("1000.00"),
            schedule=one("2025-03-18", "1000.00"),
            payments=[Payment(D("2025-03-25"), Y("1000.00"))],
            as_of=D("2025-03-20"),
        )
        assert result == SurchargeResult(Y("60.00"), 2, False, Y("1000.00"))

    def test_instalments_each_accrue_from_their_own_due_date(self):
        schedule = [Instalment(D("2025-04-30"), Y("500.00")), Instalment(D("2025-03-31"), Y("500.00"))]
        payments = [Payment(D("2025-04-02"), Y("500.00"))]  # pays the earlier instalment late
        result = surcharge(fine=Y("1000.00"), schedule=schedule, payments=payments, as_of=D("2025-05-02"))
        # First: 04-01 (1 day x 15). Second: 05-01, 05-02 (2 days x 15).
        assert result == SurchargeResult(Y("45.00"), 3, False, Y("500.00"))

    def test_an_early_payment_goes_to_the_earliest_instalment(self):
        schedule = [Instalment(D("2025-03-31"), Y("500.00")), Instalment(D("2025-04-30"), Y("500.00"))]
        payments = [Payment(D("2025-03-01"), Y("700.00"))]
        result = surcharge(fine=Y("1000.00"), schedule=schedule, payments=payments, as_of=D("2025-05-02"))
        assert result == SurchargeResult(Y("18.00"), 2, False, Y("300.00"))  # 300 x 3% x 2

    def test_overlapping_instalment_days_are_counted_once(self):
        schedule = [Instalment(D("2025-03-31"), Y("500.00")), Instalment(D("2025-04-02"), Y("500.00"))]
        result = surcharge(fine=Y("1000.00"), schedule=schedule, payments=[], as_of=D("2025-04-03"))
        assert result.days == 3  # 04-01, 04-02, 04-03
        assert result.amount == Y("60.00")  # 15 x 3 + 15 x 1

    def test_the_surcharge_never_exceeds_the_fine(self):
        result = unpaid("1000.00", due="2025-03-18", as_of="2025-06-30")
        assert result.amount == Y("1000.00")
        assert result.capped
        assert result.days == 104

    def test_exactly_the_fine_is_not_capped(self):
        # 34 days x 3% = 102%; 33 days = 99%; the cap applies only beyond the fine.
        at_33 = unpaid("100.00", due="2025-01-01", as_of="2025-02-03")
        assert at_33 == SurchargeResult(Y("99.00"), 33, False, Y("100.00"))
        at_34 = unpaid("100.00", due="2025-01-01", as_of="2025-02-04")
        assert at_34.amount == Y("100.00") and at_34.capped

    def test_rounded_once_half_up_after_summing_exactly(self):
        # 0.15 x 3% = 0.0045 a day: per-day rounding would give 0.00 each day, never anything.
        one_day = unpaid("0.15", due="2025-01-01", as_of="2025-01-02")
        assert one_day.amount == Y("0.00")
        assert one_day.days == 1
        two_days = unpaid("0.15", due="2025-01-01", as_of="2025-01-03")
        assert two_days.amount == Y("0.01")  # 0.009 → 0.01
        # 0.0045 x 5 = 0.0225 → 0.02; 0.0045 x 10 = 0.045 → 0.05 (half up, not half even).
        five = unpaid("0.15", due="2025-01-01", as_of="2025-01-06")
        ten = unpaid("0.15", due="2025-01-01", as_of="2025-01-11")
        assert (five.amount, ten.amount) == (Y("0.02"), Y("0.05"))

    def test_an_overpayment_pays_surcharge_and_leaves_no_negative_principal(self):
        result = surcharge(
            fine=Y("1000.00"),
            schedule=one("2025-03-18", "1000.00"),
            payments=[Payment(D("2025-03-20"), Y("1030.00"))],
            as_of=D("2025-04-30"),
        )
        assert result == SurchargeResult(Y("30.00"), 1, False, Y("0.00"))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"schedule": one("2025-03-18", "900.00")}, "与罚款数额 1000.00 元不一致"),
            ({"schedule": []}, "缴纳计划不能为空"),
            ({"fine": Y("0")}, "罚款数额应大于零"),
            ({"payments": [Payment(D("2025-03-20"), Y("-5"))]}, "缴款金额不能为负数"),
            ({"payments": [Payment(D("2025-03-20"), Y("0"))]}, "缴款金额应大于零"),
            ({"schedule": [*one("2025-03-18", "1000.005")]}, "最多保留两位小数"),
        ],
    )
    def test_refused_inputs(self, kwargs, message):
        arguments = {
            "fine": Y("1000.00"),
            "schedule": one("2025-03-18", "1000.00"),
            "payments": [],
            "as_of": D("2025-04-30"),
            **kwargs,
        }
        with pytest.raises(InvalidInput, match=message):
            surcharge(**arguments)

    def test_old_debts_cost_no_more_than_new_ones(self):
        # Interval arithmetic: a century overdue is one interval, not 36525 days (and no DB:
        # this class has no django_db mark, so a query would fail the test).
        result = unpaid("5.00", due="1925-01-01", as_of="2025-01-01")
        assert result.capped and result.days == 36525


def naive_surcharge(fine, schedule, payments, as_of) -> SurchargeResult:
    """The rule read literally: walk every day, recompute what is unpaid, add 3 % of it."""
    instalments = sorted(schedule, key=lambda i: i.due_on)
    made = [p for p in payments if p.paid_on <= as_of]
    total, days = Decimal(0), 0
    day = min(i.due_on for i in instalments) + dt.timedelta(days=1)
    while day <= as_of:
        paid = sum((p.amount for p in made if p.paid_on <= day), Decimal(0))
        accrued = Decimal(0)
        for instalment in instalments:
            applied = min(paid, instalment.amount)
            paid -= applied
            if instalment.due_on < day:
                accrued += (instalment.amount - applied) * SURCHARGE_RATE
        total += accrued
        days += accrued > 0
        day += dt.timedelta(days=1)
    amount = total.quantize(FEN, rounding=ROUND_HALF_UP)
    outstanding = max(fine - sum((p.amount for p in made), Decimal(0)), Decimal(0))
    return SurchargeResult(min(amount, fine), days, amount > fine, outstanding.quantize(FEN))


BASE = dt.date(2025, 1, 1)
fen_amounts = st.integers(min_value=1, max_value=2_000_000).map(lambda n: Decimal(n) / 100)


@st.composite
def cases(draw):
    amounts = draw(st.lists(fen_amounts, min_size=1, max_size=5))
    schedule = [Instalment(BASE + dt.timedelta(days=draw(st.integers(0, 60))), amount) for amount in amounts]
    payments = draw(
        st.lists(
            st.builds(Payment, st.integers(-10, 100).map(lambda n: BASE + dt.timedelta(days=n)), fen_amounts),
            max_size=6,
        )
    )
    as_of = BASE + dt.timedelta(days=draw(st.integers(-5, 120)))
    return sum(amounts, Decimal(0)), schedule, payments, as_of


@settings(max_examples=300, deadline=None)
@given(cases())
def test_surcharge_equals_the_day_by_day_reading(case):
    fine, schedule, payments, as_of = case
    assert surcharge(fine=fine, schedule=schedule, payments=payments, as_of=as_of) == naive_surcharge(
        fine, schedule, payments, as_of
    )


# --- penalties: 第四十五条 -----------------------------------------------------------------

INTENDED = PenaltyTerms(frozenset({"warning", "fine", "confiscate_gains"}), Y("5000.00"), Y("2000.00"))


@pytest.mark.parametrize(
    "final",
    [
        INTENDED,
        PenaltyTerms(frozenset({"warning", "fine"}), Y("3000.00"), Y("0.00")),
        PenaltyTerms(frozenset({"warning"})),
        PenaltyTerms(frozenset()),
    ],
)
def test_same_or_lighter_penalty_is_not_heavier(final):
    assert penalty_not_heavier(intended=INTENDED, final=final)
    assert heavier_refusal(intended=INTENDED, final=final) is None


@pytest.mark.parametrize(
    ("final", "said"),
    [
        (
            PenaltyTerms(frozenset({"fine", "revoke_licence"}), Y("5000.00")),
            "增加了告知书中没有的吊销许可证件",
        ),
        (PenaltyTerms(frozenset({"fine"}), Y("5000.01")), "罚款由 5000.00 元提高到 5000.01 元"),
        (
            PenaltyTerms(frozenset({"confiscate_gains"}), Y("0"), Y("2500")),
            "没收金额由 2000.00 元提高到 2500.00 元",
        ),
    ],
)
def test_heavier_penalty_is_refused_naming_article_45(final, said):
    assert not penalty_not_heavier(intended=INTENDED, final=final)
    message = heavier_refusal(intended=INTENDED, final=final)
    assert message is not None
    assert said in message
    assert message.endswith("（《行政处罚法》第四十五条）。")


def test_not_heavier_refuses_malformed_amounts():
    with pytest.raises(InvalidInput, match="罚款数额不能为负数"):
        penalty_not_heavier(intended=INTENDED, final=PenaltyTerms(frozenset({"fine"}), Y("-1")))


# --- penalties: kinds, hearing right (第六十三条) -------------------------------------------


def test_penalty_kinds_follow_article_9():
    assert len(PenaltyKind.choices) == 13
    assert PenaltyKind.RESTRICT_ACTIVITY.label == "限制开展生产经营活动"
    assert {"warning", "criticism", "fine"}.isdisjoint(HEARING_KINDS)
    assert {
        "downgrade",
        "revoke_licence",
        "suspend_business",
        "order_closure",
        "restrict_practice",
    } <= HEARING_KINDS


@pytest.mark.django_db
class TestHearingRight:
    @pytest.mark.parametrize(
        ("organisation", "fine", "right"),
        [
            (False, "9999.99", False),
            (False, "10000.00", True),  # at the threshold
            (True, "99999.99", False),
            (True, "100000.00", True),
        ],
    )
    def test_fine_thresholds(self, organisation, fine, right):
        ok, reason = hearing_right(
            kinds=frozenset({"fine"}), fine=Y(fine), confiscation=Y(0), party_is_organisation=organisation
        )
        assert ok is right
        assert "《行政处罚法》第六十三条" in reason
        assert reason.endswith("。")
        if right:
            assert "第（一）项" in reason and "较大数额" in reason
        else:
            assert "低于" in reason

    def test_confiscation_threshold(self):
        ok, reason = hearing_right(
            kinds=frozenset({"confiscate_gains"}),
            fine=Y(0),
            confiscation=Y("10000"),
            party_is_organisation=False,
        )
        assert ok and "第（二）项" in reason
        ok, reason = hearing_right(
            kinds=frozenset({"confiscate_property"}),
            fine=Y(0),
            confiscation=Y("9999.99"),
            party_is_organisation=False,
        )
        assert not ok and "没收金额 9999.99 元低于" in reason

    @pytest.mark.parametrize(
        ("kind", "item"),
        [
            ("revoke_licence", "第（三）项"),
            ("downgrade", "第（三）项"),
            ("suspend_business", "第（四）项"),
            ("order_closure", "第（四）项"),
            ("restrict_practice", "第（四）项"),
            ("suspend_licence", "第（五）项"),
            ("restrict_activity", "第（五）项"),
            ("detention", "第（五）项"),
        ],
    )
    def test_serious_kinds_give_the_right_whatever_the_amount(self, kind, item):
        ok, reason = hearing_right(
            kinds=frozenset({kind}), fine=Y(0), confiscation=Y(0), party_is_organisation=True
        )
        assert ok
        assert PenaltyKind(kind).label in reason and item in reason

    def test_warning_alone_gives_no_right(self):
        ok, reason = hearing_right(
            kinds=frozenset({"warning"}), fine=Y(0), confiscation=Y(0), party_is_organisation=False
        )
        assert not ok
        assert reason.startswith("拟作出的处罚不属于《行政处罚法》第六十三条规定的听证范围")

    def test_all_grounds_are_given(self):
        ok, reason = hearing_right(
            kinds=frozenset({"fine", "confiscate_gains", "revoke_licence"}),
            fine=Y("200000"),
            confiscation=Y("150000"),
            party_is_organisation=True,
        )
        assert ok
        assert reason.count("；") == 2

    def test_thresholds_come_from_jurisdiction_settings(self):
        JurisdictionSetting.objects.create(key="hearing_fine_citizen", value="5000", note="本省规定")
        JurisdictionSetting.objects.create(key="hearing_confiscation_organisation", value="50000")
        ok, reason = hearing_right(
            kinds=frozenset({"fine"}), fine=Y("5000"), confiscation=Y(0), party_is_organisation=False
        )
        assert ok and "5000 元以上" in reason
        ok, _ = hearing_right(
            kinds=frozenset({"confiscate_gains"}),
            fine=Y(0),
            confiscation=Y("50000"),
            party_is_organisation=True,
        )
        assert ok
        ok, _ = hearing_right(  # the organisation fine threshold is untouched
            kinds=frozenset({"fine"}), fine=Y("50000"), confiscation=Y(0), party_is_organisation=True
        )
        assert not ok

    @pytest.mark.parametrize(
        ("kinds", "fine", "confiscation", "message"),
        [
            ({"fine", "flogging"}, "100", "0", "不是《行政处罚法》第九条规定的种类"),
            ({"warning"}, "100", "0", "未含“罚款”时罚款数额应为零"),
            ({"fine"}, "0", "0", "应填写大于零的罚款数额"),
            ({"warning"}, "0", "100", "未含“没收违法所得”或“没收非法财物”"),
            ({"fine"}, "-1", "0", "不能为负数"),
        ],
    )
    def test_muddled_terms_are_refused(self, kinds, fine, confiscation, message):
        with pytest.raises(InvalidInput, match=message):
            hearing_right(
                kinds=frozenset(kinds),
                fine=Y(fine),
                confiscation=Y(confiscation),
                party_is_organisation=False,
            )


# --- penalties: on the spot (第五十一条) ----------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "fine", "organisation"),
    [
        ({"warning"}, "0", False),
        ({"fine"}, "200", False),
        ({"warning", "fine"}, "200.00", False),
        ({"fine"}, "3000", True),
    ],
)
def test_on_the_spot_allowed_within_the_limits(kinds, fine, organisation):
    ok, reason = on_the_spot_allowed(kinds=frozenset(kinds), fine=Y(fine), party_is_organisation=organisation)
    assert ok
    assert "《行政处罚法》第五十一条" in reason and "违法事实确凿" in reason


@pytest.mark.parametrize(
    ("kinds", "fine", "organisation", "said"),
    [
        ({"fine"}, "200.01", False, "对自然人当场罚款不得超过 200 元，拟罚款 200.01 元"),
        ({"fine"}, "3000.01", True, "对法人或者其他组织当场罚款不得超过 3000 元"),
        ({"warning", "confiscate_gains"}, "0", False, "拟作出的没收违法所得应当适用普通程序"),
        ({"criticism"}, "0", True, "仅限警告或者罚款"),
        (set(), "0", False, "尚未确定处罚种类"),
    ],
)
def test_on_the_spot_refused(kinds, fine, organisation, said):
    ok, reason = on_the_spot_allowed(kinds=frozenset(kinds), fine=Y(fine), party_is_organisation=organisation)
    assert not ok
    assert said in reason
    assert reason.endswith("（《行政处罚法》第五十一条）。")


def test_on_the_spot_limits_are_statutory():
    assert Y(200) == ON_THE_SPOT_FINE_CITIZEN
    assert Y(3000) == ON_THE_SPOT_FINE_ORGANISATION
