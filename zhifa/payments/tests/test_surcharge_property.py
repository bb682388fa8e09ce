"""Every case a receipt file pays shows the surcharge of 第七十二条 to the day of payment,
checked against the day-by-day computation written out in the test (helpers.day_by_day_surcharge)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.cases import selectors as case_selectors
from zhifa.cases.tests.steps import travel
from zhifa.payments import services
from zhifa.payments.models import LineState, ReceiptLine
from zhifa.payments.tests.helpers import DAY0, day_by_day_surcharge, due_on, paying, receipt_file, unpaid_case

fines = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(200), places=2)
# From well before the due date to well past the cap (100 % after 34 days).
delays = st.integers(min_value=0, max_value=60)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payments=st.lists(st.tuples(fines, delays), min_size=1, max_size=4))
def test_paid_cases_show_the_day_by_day_surcharge(world, payments):
    with travel(DAY0):
        cases = [unpaid_case(world, fine=fine) for fine, _ in payments]
    served = cases[0].decision_served_on
    days = [served + dt.timedelta(days=delay) for _, delay in payments]
    rows = [paying(case, day) for case, day in zip(cases, days, strict=True)]
    before = ReceiptLine.objects.count()
    with travel("2026-06-30"):
        source = services.receipt_import_create(
            actor=world.head, file_name="p.csv", content=receipt_file(rows, prefix=f"P{before}-"), queue=False
        )
        services.receipt_import_run(pk=source.pk)
    for case, day in zip(cases, days, strict=True):
        case.refresh_from_db()
        expected = day_by_day_surcharge(case.final_fine, due_on(case), day)
        line = ReceiptLine.objects.get(case=case)
        assert line.state == LineState.APPLIED, line.reason
        assert line.surcharge == expected
        status = case_selectors.payment_status(case, day)
        assert (status.outstanding, status.surcharge.amount, status.surcharge_paid) == (0, expected, expected)
        assert case.fine_paid_on == day
