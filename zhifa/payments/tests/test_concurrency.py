"""Two workers importing the same transaction at the same moment: the case is paid once.

Four threads, each with its own database connection, ingest the same receipt under four
imports. The unique transaction number is claimed in the transaction that pays the case (under
the case's lock), so one thread pays and the others find the line taken."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from zhifa.cases.tests.steps import d, travel
from zhifa.ledger.integrity import verify_log
from zhifa.payments import services
from zhifa.payments.models import ReceiptImport, ReceiptLine
from zhifa.payments.sources import FileSource
from zhifa.payments.tests.helpers import DAY0, paying, receipt_file, unpaid_case

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 4


def test_the_same_transaction_imported_at_once_pays_once(world):
    with travel(DAY0):
        case = unpaid_case(world)
    content = receipt_file([paying(case, d("2026-03-09"))])
    sources = [
        services.receipt_import_create(actor=world.head, file_name=f"{n}.csv", content=content, queue=False)
        for n in range(THREADS)
    ]
    receipts = FileSource("a.csv", content).receipts()
    barrier = threading.Barrier(THREADS)
    tallies: list[services.Tally] = []
    lock = threading.Lock()

    def worker(source: ReceiptImport) -> None:
        try:
            fresh = ReceiptImport.objects.select_related("agency", "imported_by").get(pk=source.pk)
            barrier.wait(timeout=30)
            tally = services.receipts_ingest(source=fresh, receipts=receipts)
            with lock:
                tallies.append(tally)
        finally:
            connections.close_all()

    with travel("2026-03-10"):
        threads = [threading.Thread(target=worker, args=(s,)) for s in sources]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert len(tallies) == THREADS
    assert sorted(t.applied for t in tallies) == [0] * (THREADS - 1) + [1]
    assert sum(t.duplicates for t in tallies) == THREADS - 1
    assert case.payments.filter(is_surcharge=False).count() == 1 and ReceiptLine.objects.count() == 1
    verify_log()
