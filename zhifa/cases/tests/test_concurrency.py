"""Simultaneous requests against real database connections: a step takes effect once.

Eight threads, each with its own connection and its own logged-in client, post the same step
at the same moment through the JSON API (a double click, a retry after a timeout, or two
workers). The runner locks the case (PostgreSQL: SELECT … FOR UPDATE; SQLite: the IMMEDIATE
transaction's write lock), so one request does the work and the others find the case moved on.
The suite runs this on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client

from zhifa.cases.models import Case, CaseEvent, Status
from zhifa.cases.tests.steps import on_the_spot_case
from zhifa.core.models import StepReceipt
from zhifa.documents.models import Document
from zhifa.ledger.integrity import verify_log

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _at_once(
    user, url: str, payload: dict, headers: Callable[[int], dict[str, str]]
) -> list[tuple[int, dict]]:
    """POST the same request from THREADS threads released together; (status, JSON) of each."""
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=30)
            response = client.post(url, payload, content_type="application/json", headers=headers(n))
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == THREADS
    return results


def _closing_case(world) -> Case:
    # Paid on the spot: the case waits for the head's closing approval.
    case = on_the_spot_case(world, fine=Decimal(50), paid_on_spot=True, receipt_number="99012100000001")
    assert case.status == Status.CLOSING
    return case


def _closing_documents(case: Case) -> int:
    return Document.objects.filter(subject_ref=case.subject_ref, kind="closing_approval").count()


def test_eight_simultaneous_closing_approvals_take_effect_once(world):
    case = _closing_case(world)
    url = f"/api/cases/{case.pk}/steps/approve_closing"
    results = _at_once(world.head, url, {"summary": "罚款已当场收缴。"}, lambda n: {})

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: THREADS - 1}, statuses
    refusals = {body["message"] for status, body in results if status == 409}
    assert all("不能进行“批准结案”" in message for message in refusals), refusals
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert _closing_documents(case) == 1
    assert CaseEvent.objects.filter(case=case, action="approve_closing").count() == 1
    verify_log()


def test_eight_retries_with_one_idempotency_key_answer_alike_and_act_once(world):
    case = _closing_case(world)
    url = f"/api/cases/{case.pk}/steps/approve_closing"
    results = _at_once(world.head, url, {"summary": "罚款已当场收缴。"}, lambda n: {"Idempotency-Key": "k-1"})

    assert [status for status, _ in results] == [200] * THREADS
    assert Counter(body["replayed"] for _, body in results) == {False: 1, True: THREADS - 1}
    assert {body["status"] for _, body in results} == {Status.CLOSED}
    assert _closing_documents(case) == 1
    assert StepReceipt.objects.filter(key="k-1").count() == 1
    verify_log()


def test_a_step_that_keeps_the_status_is_not_taken_twice_either(world):
    """Two payments of the whole fine at once: the second finds it paid (the lock, not the status)."""
    case = on_the_spot_case(world, fine=Decimal(200))
    assert case.status == Status.EXECUTION
    url = f"/api/cases/{case.pk}/steps/record_payment"
    payload = {"paid_on": str(case.decided_on), "amount": "200", "receipt_number": "R-1"}
    results = _at_once(world.officer, url, payload, lambda n: {})

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 409: THREADS - 1}, statuses
    assert case.payments.count() == 1
    verify_log()


@pytest.mark.django_db
def test_an_idempotency_key_names_one_step_of_one_case(world):
    case = _closing_case(world)
    other = _closing_case(world)
    client = Client()
    client.force_login(world.head)

    def approve(pk: int, key: str):
        return client.post(
            f"/api/cases/{pk}/steps/approve_closing",
            {"summary": "罚款已当场收缴。"},
            content_type="application/json",
            headers={"Idempotency-Key": key},
        )

    assert approve(case.pk, "k-2").status_code == 200
    reused = approve(other.pk, "k-2")
    assert reused.status_code == 400 and reused.json()["code"] == "idempotency_key_reused"
    other.refresh_from_db()
    assert other.status == Status.CLOSING
    assert approve(other.pk, "x" * 101).status_code == 400
