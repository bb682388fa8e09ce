"""INSERT of many rows with executemany, for the few writes that make tens of thousands at once
(a draw's tasks and their ledger leaves). bulk_create compiles every value through the SQL
compiler, which was most of a large draw's time; this prepares only what needs preparing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models, transaction

PLAIN = (int, str, type(None))


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[tuple[Any, ...]], batch: int = 5000
) -> None:
    """INSERT rows of values for the fields `names` (ids for foreign keys), in the caller's transaction."""
    connection = transaction.get_connection()
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[union-attr]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    prepare = [f.get_db_prep_save for f in fields]  # type: ignore[union-attr]

    def prepared(row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(v if type(v) in PLAIN else p(v, connection) for p, v in zip(prepare, row, strict=True))

    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [prepared(row) for row in rows[start : start + batch]])


def insert(objects: Sequence[models.Model], batch: int = 5000) -> None:
    """INSERT unsaved instances of one model (defaults and auto_now_add applied, as save() would);
    their generated keys are not read back: select them by a natural key if needed."""
    if not objects:
        return
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
    rows = [tuple(f.pre_save(obj, True) for f in fields) for obj in objects]
    insert_rows(model, [f.name for f in fields], rows, batch)
