"""Money rules of the penalty procedure: amounts, the late-payment surcharge, no heavier penalty.

Amounts are Decimal yuan with 2 places (DESIGN §3.3), never float: a fine of 0.10 + 0.20 yuan
must be 0.30 yuan exactly on the decision, the receipt and the enforcement application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, Inexact, InvalidOperation, localcontext

from zhifa.core.errors import InvalidInput

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a DecimalField(max_digits=14, decimal_places=2) holds.
MAX_YUAN = Decimal("999999999999.99")

# 《行政处罚法》第七十二条第一款第（一）项：到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，
# 加处罚款的数额不得超出罚款的数额。
SURCHARGE_RATE = Decimal("0.03")

ONE_DAY = dt.timedelta(days=1)


def yuan(value: str | int | Decimal, *, what: str = "金额") -> Decimal:
    """An amount in yuan with exactly 2 places, or InvalidInput saying what is wrong with it.

    Floats are refused: by the time a float arrives the fen may already be wrong.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidInput(f"{what}“{value}”应以元为单位填写数字，例如 200 或 200.50。")
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"{what}“{value}”不是数字，应以元为单位填写，例如 200 或 200.50。") from None
    if not number.is_finite():
        raise InvalidInput(f"{what}“{value}”不是有效的数字。")
    if number < 0:
        raise InvalidInput(f"{what}不能为负数（填写的是 {value}）。")
    if number > MAX_YUAN:
        raise InvalidInput(f"{what} {value} 元超出系统可记录的上限 {MAX_YUAN} 元。")
    fen = number.quantize(FEN)
    if fen != number:
        raise InvalidInput(f"{what}“{value}”最多保留两位小数（精确到分）。")
    return fen.copy_abs()  # "-0" becomes 0.00


def _positive(value: Decimal, what: str) -> Decimal:
    amount = yuan(value, what=what)
    if amount == 0:
        raise InvalidInput(f"{what}应大于零。")
    return amount


@dataclass(frozen=True)
class Instalment:
    """One instalment of the fine (a plain 15-day payment is a schedule of one)."""

    due_on: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Payment:
    paid_on: dt.date
    amount: Decimal


@dataclass(frozen=True)
class SurchargeResult:
    amount: Decimal  # rounded to fen, at most the fine
    days: int  # days on which any surcharge accrued (before the cap)
    capped: bool  # the cap of 第七十二条 applied
    outstanding: Decimal  # principal still unpaid on as_of


def surcharge(
    *,
    fine: Decimal,
    schedule: Sequence[Instalment],
    payments: Sequence[Payment],
    as_of: dt.date,
) -> SurchargeResult:
    """The late-payment surcharge (加处罚款) accrued up to and including `as_of`.

    Each day after an instalment's due date, 3 % of what is still unpaid of it accrues;
    a payment counts from its own day, so the paid part accrues nothing that day. Payments
    go to the earliest instalment first and to principal before surcharge. The exact sum is
    rounded once to fen and capped at the fine. Computed per interval between due dates and
    payments, not per day, so a decade-old unpaid fine costs no more than a fresh one.
    """
    fine = _positive(fine, "罚款数额")
    if not schedule:
        raise InvalidInput("缴纳计划不能为空；一次缴纳的罚款按一期处理（《行政处罚法》第六十七条）。")
    instalments = sorted(schedule, key=lambda i: i.due_on)
    amounts = [_positive(i.amount, "每期缴纳金额") for i in instalments]
    if sum(amounts, ZERO) != fine:
        raise InvalidInput(
            f"缴纳计划各期金额合计 {sum(amounts, ZERO)} 元，与罚款数额 {fine} 元不一致"
            "（《行政处罚法》第六十六条、第六十七条）。"
        )
    checked = [(p.paid_on, _positive(p.amount, "缴款金额")) for p in payments]
    # A payment after as_of has not happened yet as of that day.
    made = sorted((c for c in checked if c[0] <= as_of), key=lambda c: c[0])

    # Which payment reduced which instalment, on which day.
    remaining = list(amounts)
    cuts: list[list[tuple[dt.date, Decimal]]] = [[] for _ in instalments]
    index = 0
    for paid_on, amount in made:
        while amount > 0 and index < len(remaining):
            take = min(amount, remaining[index])
            remaining[index] -= take
            amount -= take
            cuts[index].append((paid_on, take))
            if remaining[index] == 0:
                index += 1
        # Whatever is left over paid surcharge, which this function does not track.

    # unpaid x days, summed exactly; Inexact is trapped so any rounding here would raise.
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.traps[Inexact] = True
        weighted = Decimal(0)
        spans: list[tuple[dt.date, dt.date]] = []
        for instalment, amount, instalment_cuts in zip(instalments, amounts, cuts, strict=True):
            unpaid = amount
            start = instalment.due_on + ONE_DAY  # first day that can accrue
            for paid_on, take in [*instalment_cuts, (as_of + ONE_DAY, ZERO)]:
                end = min(paid_on - ONE_DAY, as_of)
                if unpaid > 0 and end >= start:
                    weighted += unpaid * ((end - start).days + 1)
                    spans.append((start, end))
                unpaid -= take
                start = max(start, paid_on)
        exact = weighted * SURCHARGE_RATE
    amount = exact.quantize(FEN, rounding=ROUND_HALF_UP)
    capped = amount > fine
    return SurchargeResult(
        amount=fine if capped else amount,
        days=_days_covered(spans),
        capped=capped,
        outstanding=sum(remaining, ZERO),
    )


def _days_covered(spans: list[tuple[dt.date, dt.date]]) -> int:
    """Days in the union of inclusive date spans."""
    total = 0
    reached: dt.date | None = None  # last day already counted
    for start, end in sorted(spans):
        if reached is not None and start <= reached:
            start = reached + ONE_DAY
        if end >= start:
            total += (end - start).days + 1
            reached = end
    return total


@dataclass(frozen=True)
class PenaltyTerms:
    """What a penalty consists of, for comparing the intended and the final penalty.

    kinds are zhifa.cases.penalties.PenaltyKind values; confiscation is the amount of
    illegal gains plus the value of confiscated property, in yuan.
    """

    kinds: frozenset[str]
    fine: Decimal = ZERO
    confiscation: Decimal = ZERO


def penalty_not_heavier(*, intended: PenaltyTerms, final: PenaltyTerms) -> bool:
    """Whether the final penalty is no heavier than the one in the prior notice.

    《行政处罚法》第四十五条第二款: 行政机关不得因当事人陈述、申辩而给予更重的处罚. Heavier
    means a kind not in the notice, a larger fine or a larger confiscation.
    zhifa.cases.penalties.heavier_refusal gives the sentence saying which.
    """
    return (
        final.kinds <= intended.kinds
        and yuan(final.fine, what="罚款数额") <= yuan(intended.fine, what="罚款数额")
        and yuan(final.confiscation, what="没收金额") <= yuan(intended.confiscation, what="没收金额")
    )
