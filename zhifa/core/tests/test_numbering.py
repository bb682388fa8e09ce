"""Gap-free numbering: per scope and year, inside the caller's transaction, safe under concurrency."""

import threading

import pytest
from django.db import connection, connections, transaction

from zhifa.core.models import NumberSequence
from zhifa.core.numbering import next_number


def take(scope: str, year: int) -> int:
    with transaction.atomic():
        return next_number(scope, year)


@pytest.mark.django_db
class TestNextNumber:
    def test_counts_from_one_without_gaps(self):
        assert [take("doc:1:penalty_decision", 2026) for _ in range(5)] == [1, 2, 3, 4, 5]
        assert NumberSequence.objects.get(scope="doc:1:penalty_decision", year=2026).last == 5

    def test_a_block_of_numbers_is_reserved_at_once(self):
        assert take("a", 2026) == 1
        with transaction.atomic():
            assert next_number("a", 2026, count=40) == 2
        assert take("a", 2026) == 42
        with pytest.raises(ValueError, match="invalid count"), transaction.atomic():
            next_number("a", 2026, count=0)

    def test_each_scope_and_year_has_its_own_sequence(self):
        assert take("a", 2026) == 1
        assert take("a", 2026) == 2
        assert take("b", 2026) == 1
        assert take("a", 2027) == 1
        assert take("a", 2026) == 3

    def test_a_rollback_gives_the_number_back(self):
        assert take("a", 2026) == 1
        with pytest.raises(RuntimeError, match="boom"), transaction.atomic():
            assert next_number("a", 2026) == 2
            raise RuntimeError("boom")
        assert take("a", 2026) == 2

    def test_the_first_number_of_a_scope_is_also_given_back(self):
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_number("fresh", 2026) == 1
            raise RuntimeError("rolled back")
        assert not NumberSequence.objects.filter(scope="fresh").exists()
        assert take("fresh", 2026) == 1

    def test_must_run_inside_a_transaction(self):
        # pytest-django wraps the test in a transaction; leave it to see autocommit behaviour.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            with pytest.raises(RuntimeError, match="inside the caller's transaction"):
                next_number("a", 2026)
        finally:
            connection.in_atomic_block = saved

    @pytest.mark.parametrize(("scope", "year"), [("", 2026), ("x" * 101, 2026), ("a", 1999), ("a", 10000)])
    def test_rejects_bad_scope_or_year(self, scope, year):
        with pytest.raises(ValueError, match="invalid numbering"), transaction.atomic():
            next_number(scope, year)


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_get_every_number_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip(
            "row-lock concurrency needs PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE "
            "(run with DATABASE_URL=postgresql://...)"
        )
    threads_count, per_thread = 8, 10
    start = threading.Barrier(threads_count)
    results: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait()  # every thread races for the first number, when the row does not exist yet
            for _ in range(per_thread):
                number = take("doc:concurrency", 2026)
                with lock:
                    results.append(number)
        except BaseException as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(results) == list(range(1, threads_count * per_thread + 1))
    assert NumberSequence.objects.get(scope="doc:concurrency", year=2026).last == threads_count * per_thread
