"""Gap-free numbering (文号 and other serial numbers), one sequence per scope and year.

`next_number` runs inside the caller's transaction: the number it returns is taken only if
that transaction commits, and a rollback gives it back, so the issued numbers of a scope are
exactly 1..n with no gaps and no duplicates.

Concurrency: the sequence row is locked with SELECT ... FOR UPDATE (PostgreSQL row lock) until
the caller's transaction ends, so concurrent callers of the same scope queue behind each other.
SQLite runs every transaction as BEGIN IMMEDIATE (settings.py), which already serialises writers.
The first call of a scope and year creates the row; when two transactions race to create it,
the loser's unique violation is rolled back to a savepoint and it then locks the winner's row.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from zhifa.core.models import NumberSequence

MIN_YEAR = 2000
MAX_YEAR = 9999


def next_number(scope: str, year: int, count: int = 1) -> int:
    """The next number of `scope` in `year` (1 for the first), reserved by the caller's transaction;
    with `count`, that many numbers from the one returned (a draw numbers its tasks at once)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the caller's transaction.atomic() block.")
    if not scope or len(scope) > NumberSequence._meta.get_field("scope").max_length:  # type: ignore[operator]
        raise ValueError(f"invalid numbering scope {scope!r}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"invalid numbering year {year!r}")
    rows = NumberSequence.objects.select_for_update()
    sequence = rows.filter(scope=scope, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():  # a savepoint: a lost race must not spoil the caller's transaction
                NumberSequence.objects.create(scope=scope, year=year, last=0)
        except IntegrityError:
            pass  # another transaction created the row first; lock theirs below
        sequence = rows.get(scope=scope, year=year)
    if count < 1:
        raise ValueError(f"invalid count of numbers {count!r}")
    sequence.last += count
    sequence.save(update_fields=["last", "updated_at"])
    return sequence.last - count + 1
