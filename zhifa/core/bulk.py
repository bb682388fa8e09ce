"""INSERT of many rows with executemany, for the few writes that make tens of thousands at once
(a draw's tasks and their ledger leaves). bulk_create compiles every value through the SQL
compiler, which was most of a large draw's time; this prepares only what needs preparing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

PLAIN = frozenset((int, str, bool, type(None)))
# Values repeated across the rows (the same dates, the one insert time) are prepared once.
REPEATED = (dt.date, dt.datetime)


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

    def column(i: int, values: tuple[Any, ...]) -> Sequence[Any]:
        # Most columns hold only ints and strings, which need nothing: checked per column, not per value.
        if set(map(type, values)) <= PLAIN:
            return values
        seen: dict[Any, Any] = {}
        out = []
        for v in values:
            if type(v) in PLAIN:
                out.append(v)
            elif isinstance(v, REPEATED):
                if v not in seen:
                    seen[v] = prepare[i](v, connection)
                out.append(seen[v])
            else:
                out.append(prepare[i](v, connection))
        return out

    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            prepared = [column(i, values) for i, values in enumerate(zip(*chunk, strict=True))]
            cursor.executemany(sql, list(zip(*prepared, strict=True)))


def insert(objects: Sequence[models.Model], batch: int = 5000) -> None:
    """INSERT unsaved instances of one model (defaults and auto_now_add applied, as save() would);
    their generated keys are not read back: select them by a natural key if needed."""
    if not objects:
        return
    model = type(objects[0])
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            stamp = now if isinstance(f, models.DateTimeField) else timezone.localdate(now)
            for obj in objects:
                setattr(obj, f.attname, stamp)
    names = [f.attname for f in fields]
    rows = [tuple(getattr(obj, name) for name in names) for obj in objects]
    insert_rows(model, [f.name for f in fields], rows, batch)
