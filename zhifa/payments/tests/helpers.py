"""Cases waiting for payment and receipt files paying them, for the payment tests."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from zhifa.cases import deadlines
from zhifa.cases.models import Case
from zhifa.cases.payment_code import payment_code
from zhifa.cases.tests.steps import on_the_spot_case
from zhifa.payments.sources import Simulated, SimulatedSource

DAY0 = "2026-03-02"


def unpaid_case(w, fine: Decimal | int = 150) -> Case:
    """An on-the-spot decision with a fine not collected on the spot: in execution, served today."""
    return on_the_spot_case(w, fine=Decimal(fine))


def due_on(case: Case) -> dt.date:
    result = deadlines.payment_due(case.decision_served_on).due
    assert result is not None
    return result


def day_by_day_surcharge(fine: Decimal, due: dt.date, paid_on: dt.date) -> Decimal:
    """第七十二条 the slow way: every day after the due date and before the day of payment adds
    3 % of the fine; the total is rounded to fen once and never exceeds the fine."""
    total = Decimal(0)
    day = due + dt.timedelta(days=1)
    while day < paid_on:
        total += fine * Decimal(3) / Decimal(100)
        day += dt.timedelta(days=1)
    return min(total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), fine)


def owed_by_hand(case: Case, paid_on: dt.date) -> Decimal:
    return case.final_fine + day_by_day_surcharge(case.final_fine, due_on(case), paid_on)


def receipt_file(payments: list[tuple[str, dt.date, Decimal]], *, prefix: str = "BK") -> bytes:
    return SimulatedSource(
        [Simulated(code, day, amount) for code, day, amount in payments], prefix=prefix
    ).as_csv()


def paying(case: Case, paid_on: dt.date, amount: Decimal | None = None) -> tuple[str, dt.date, Decimal]:
    return (payment_code(case), paid_on, owed_by_hand(case, paid_on) if amount is None else amount)
