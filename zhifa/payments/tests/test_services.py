from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from zhifa.cases import selectors as case_selectors
from zhifa.cases.models import CaseEvent
from zhifa.cases.payment_code import payment_code
from zhifa.cases.tests.steps import d, travel
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.ledger.integrity import verify_log
from zhifa.payments import services
from zhifa.payments.models import ImportStatus, LineState, ReceiptImport, ReceiptLine
from zhifa.payments.tests.helpers import DAY0, due_on, owed_by_hand, paying, receipt_file, unpaid_case

pytestmark = pytest.mark.django_db


def _import(w, content: bytes, name: str = "bank.csv", actor=None) -> ReceiptImport:
    """Through the task queue: the import task runs when the upload's transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        source = services.receipt_import_create(actor=actor or w.head, file_name=name, content=content)
    source.refresh_from_db()
    return source


def test_exact_payment_pays_the_case_with_the_surcharge_to_the_payment_day(world):
    with travel(DAY0):
        case = unpaid_case(world, fine=200)
    late = due_on(case) + dt.timedelta(days=4)  # 3 days accrue: due+1 .. paid_on-1
    with travel("2026-04-30"):
        source = _import(world, receipt_file([paying(case, late)]))
    assert (source.status, source.applied, source.queued) == (ImportStatus.DONE, 1, 0)
    case.refresh_from_db()
    assert case.fine_paid_on == late
    paid = list(case.payments.values_list("amount", "is_surcharge", "receipt_number"))
    assert paid == [(Decimal("200.00"), False, "BK00000002"), (Decimal("18.00"), True, "BK00000002")]
    status = case_selectors.payment_status(case, late)
    assert (status.outstanding, status.surcharge.amount, status.surcharge_paid) == (
        0,
        Decimal("18.00"),
        Decimal("18.00"),
    )
    line = ReceiptLine.objects.get()
    assert (line.state, line.case, line.principal, line.surcharge) == (LineState.APPLIED, case, 200, 18)
    # Paid through the cases' own step: its events, by the head who imported.
    assert (
        list(case.events.filter(action="record_payment").values_list("actor", flat=True))
        == [world.head.pk] * 2
    )
    verify_log()  # raises on any divergence


def test_partial_unmatched_and_foreign_lines_wait_in_the_queue(world):
    with travel(DAY0):
        partial, other = unpaid_case(world), unpaid_case(world)
    code = payment_code(other)
    typo = code[:-1] + str((int(code[-1]) + 1) % 10)
    with travel("2026-03-10"):
        source = _import(
            world,
            receipt_file(
                [
                    paying(partial, d("2026-03-09"), Decimal("100.00")),
                    (typo, d("2026-03-09"), Decimal("150.00")),
                    ("99999900000099999990", d("2026-03-09"), Decimal("150.00")),
                ]
            ),
        )
    assert (source.applied, source.queued) == (0, 3)
    lines = {line.line_number: line for line in ReceiptLine.objects.all()}
    assert lines[2].state == LineState.MISMATCH and "部分缴款" in lines[2].reason and lines[2].case == partial
    assert lines[3].state == LineState.UNMATCHED and "校验" in lines[3].reason
    assert lines[4].state == LineState.UNMATCHED
    partial.refresh_from_db()
    assert partial.fine_paid_on is None and not partial.payments.exists()


def test_another_agencys_case_is_not_matched(world):
    with travel(DAY0):
        case = unpaid_case(world)
    from zhifa.accounts.models import Role
    from zhifa.testing.factories import make_user

    other_head = make_user(Role.HEAD, full_name="外单位局长")
    with travel("2026-03-10"):
        source = _import(world, receipt_file([paying(case, d("2026-03-09"))]), actor=other_head)
    assert (source.applied, source.queued) == (0, 1)
    assert ReceiptLine.objects.get().state == LineState.UNMATCHED
    assert not case.payments.exists()


def test_the_same_file_or_line_twice_pays_once(world):
    with travel(DAY0):
        case = unpaid_case(world)
    content = receipt_file([paying(case, d("2026-03-09"))])
    with travel("2026-03-10"):
        first = _import(world, content)
        again = _import(world, content)
        # The same transaction number inside another file.
        third = _import(world, content.replace(b"\n", b"\n", 1), name="other.csv")
    assert (first.applied, again.applied, again.duplicates, third.duplicates) == (1, 0, 1, 1)
    assert case.payments.count() == 1 and ReceiptLine.objects.count() == 1


def test_a_line_twice_in_one_file_is_counted_once(world):
    with travel(DAY0):
        case = unpaid_case(world)
    line = paying(case, d("2026-03-09"))
    content = receipt_file([line])
    doubled = content + content.split(b"\n", 1)[1]
    with travel("2026-03-10"):
        source = _import(world, doubled)
    assert (source.total, source.applied, source.duplicates) == (2, 1, 1)


def test_two_payments_of_one_case_in_a_file_pay_it_once(world):
    with travel(DAY0):
        case = unpaid_case(world)
    with travel("2026-03-10"):
        source = _import(world, receipt_file([paying(case, d("2026-03-09")), paying(case, d("2026-03-09"))]))
    assert (source.applied, source.queued) == (1, 1)
    second = ReceiptLine.objects.get(state=LineState.MISMATCH)
    assert "已于 2026-03-09 缴清" in second.reason


def test_malformed_files_are_refused_before_anything_is_written(world):
    with pytest.raises(InvalidInput, match="缺少“交易流水号”"):
        services.receipt_import_create(
            actor=world.head, file_name="a.csv", content="缴款码,金额\n1,2\n".encode()
        )
    bad = "交易流水号,缴款码,缴款日期,金额\nT1,1,2026-13-01,10\n".encode()
    with pytest.raises(InvalidInput, match="第 2 行：缴款日期"):
        services.receipt_import_create(actor=world.head, file_name="a.csv", content=bad)
    bad = "交易流水号,缴款码,缴款日期,金额\nT1,1,2026-03-01,1.005\n".encode()
    with pytest.raises(InvalidInput, match="第 2 行：金额"):
        services.receipt_import_create(actor=world.head, file_name="a.csv", content=bad)
    assert not ReceiptImport.objects.exists()


def test_only_the_head_imports(world):
    for user in (world.officer, world.reviewer, world.outsider):
        with pytest.raises(NotPermitted, match="负责人"):
            services.receipt_import_create(actor=user, file_name="a.csv", content=b"x")


def test_xlsx_file(world):
    from io import BytesIO

    from openpyxl import Workbook

    with travel(DAY0):
        case = unpaid_case(world)
    book = Workbook()
    sheet = book.active
    sheet.append(["交易流水号", "缴款码", "缴款日期", "金额", "缴款人"])
    code, _, amount = paying(case, d("2026-03-09"))
    sheet.append(["X1", code, dt.datetime(2026, 3, 9), float(amount), "张三"])
    out = BytesIO()
    book.save(out)
    with travel("2026-03-10"):
        source = _import(world, out.getvalue(), name="bank.xlsx")
    assert source.applied == 1
    case.refresh_from_db()
    assert case.fine_paid_on == d("2026-03-09")


def test_head_resolves_a_partial_payment_and_the_rest_stays_owed(world):
    with travel(DAY0):
        case = unpaid_case(world, fine=200)
    with travel("2026-03-10"):
        _import(world, receipt_file([paying(case, d("2026-03-09"), Decimal("120.00"))]))
        line = ReceiptLine.objects.get()
        with pytest.raises(NotPermitted):
            services.receipt_line_resolve(actor=world.officer, line=line)
        services.receipt_line_resolve(actor=world.head, line=line)
        line.refresh_from_db()
        assert (line.state, line.principal, line.surcharge) == (LineState.RESOLVED, 120, 0)
        with pytest.raises(Conflict, match="已人工入账"):
            services.receipt_line_resolve(actor=world.head, line=line)
    status = case_selectors.payment_status(case, d("2026-03-10"))
    assert status.outstanding == Decimal("80.00")
    case.refresh_from_db()
    assert case.fine_paid_on is None
    verify_log()  # raises on any divergence


def test_an_unmatched_line_is_entered_on_the_case_the_head_names(world):
    with travel(DAY0):
        case = unpaid_case(world)
    with travel("2026-03-10"):
        _import(world, receipt_file([("12345", d("2026-03-09"), owed_by_hand(case, d("2026-03-09")))]))
        line = ReceiptLine.objects.get()
        with pytest.raises(InvalidInput, match="请填写案件编号"):
            services.receipt_line_resolve(actor=world.head, line=line)
        with pytest.raises(InvalidInput, match="没有案件编号"):
            services.receipt_line_resolve(actor=world.head, line=line, case_number="无此案")
        services.receipt_line_resolve(actor=world.head, line=line, case_number=case.number)
    case.refresh_from_db()
    assert case.fine_paid_on == d("2026-03-09")


def test_overpayment_cannot_be_entered_and_is_dismissed_with_a_reason(world):
    with travel(DAY0):
        case = unpaid_case(world)
    with travel("2026-03-10"):
        _import(world, receipt_file([paying(case, d("2026-03-09"), Decimal("999.00"))]))
        line = ReceiptLine.objects.get()
        assert "多缴部分应当退付" in line.reason
        with pytest.raises(DomainError, match="不予入账"):
            services.receipt_line_resolve(actor=world.head, line=line)
        with pytest.raises(InvalidInput, match="理由"):
            services.receipt_line_dismiss(actor=world.head, line=line, reason=" ")
        services.receipt_line_dismiss(actor=world.head, line=line, reason="已原路退付缴款人。")
    line.refresh_from_db()
    assert line.state == LineState.DISMISSED and not case.payments.exists()


def test_ten_thousand_lines_import_in_bulk_with_progress(world):
    """10,000 lines: 40 pay their case exactly (at delays from on time to past the cap), 10 are
    partial, the rest name no case of the agency. The queries grow with the lines that pay a
    case (each through the step runner), not with the file."""
    with travel(DAY0):
        cases = [unpaid_case(world, fine=80 + 2 * n) for n in range(50)]
    paid_on = [due_on(cases[0]) + dt.timedelta(days=n) for n in range(40)]
    rows = [paying(c, day) for c, day in zip(cases[:40], paid_on, strict=True)]
    rows += [paying(c, d("2026-03-09"), Decimal("1.00")) for c in cases[40:]]
    rows += [(f"{n:020d}", d("2026-03-09"), Decimal("10.00")) for n in range(10_000 - len(rows))]
    content = receipt_file(rows)
    seen: list[int] = []
    with travel("2026-05-30"):
        source = services.receipt_import_create(
            actor=world.head, file_name="big.csv", content=content, queue=False
        )
        with CaptureQueriesContext(connection) as queries:
            services.receipt_import_run(pk=source.pk, progress=seen.append)
    source.refresh_from_db()
    assert (source.total, source.processed, source.applied, source.queued) == (10_000, 10_000, 40, 9_960)
    assert sum(seen) == 10_000 and len(seen) == 10_000 // services.CHUNK
    per_payment = (len(queries) - 10 * len(seen)) / source.applied
    assert per_payment < 40, f"{len(queries)} queries for {source.applied} payments"
    for case, day in zip(cases[:40], paid_on, strict=True):
        case.refresh_from_db()
        assert case.fine_paid_on == day
        surcharge = sum(p.amount for p in case.payments.all() if p.is_surcharge)
        assert surcharge + case.final_fine == owed_by_hand(case, day)
    assert CaseEvent.objects.filter(action="record_payment").count() >= 40


def _queries_to_import(world, cases) -> int:
    rows = [paying(c, due_on(c) + dt.timedelta(days=4)) for c in cases]  # fine and surcharge: two steps
    with travel("2026-05-30"):
        source = services.receipt_import_create(
            actor=world.head,
            file_name=f"b{len(cases)}.csv",
            content=receipt_file(rows, prefix=f"Q{len(cases)}"),
            queue=False,
        )
        with CaptureQueriesContext(connection) as queries:
            services.receipt_import_run(pk=source.pk)
    source.refresh_from_db()
    assert source.applied == len(cases)
    return len(queries)


def test_each_payment_costs_a_bounded_number_of_queries(world):
    """What one more paying line costs: the lock with its payments, and per record_payment step the
    runner's lock, the payments and the plan read once, the payment, the event and the ledger
    leaves. 43 before the lock prefetched the payments, the step reused its rows and due dates for
    the status after the payment, and the head was recognised without a query."""
    with travel(DAY0):
        cases = [unpaid_case(world, fine=80 + 2 * n) for n in range(4)]
    one = _queries_to_import(world, cases[:1])
    four = _queries_to_import(world, cases[1:])
    assert (four - one) / 2 <= 36, f"{(four - one) / 2} queries per payment"
