"""Test helpers shared by the app test suites (factories live in zhifa.testing.factories)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def db_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every zhifa table (including many-to-many tables), ordered by key.

    Timestamps are included, so a save that rewrites a row with the same values still shows.
    Read with plain SQL, one query a table: a refused step is checked against the whole
    database, hundreds of times in the suite.
    """
    from django.apps import apps
    from django.db import connection

    rows: dict[str, list[tuple[Any, ...]]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for config in apps.get_app_configs():
            if not config.name.startswith("zhifa."):
                continue
            for model in config.get_models(include_auto_created=True):
                meta = model._meta
                cursor.execute(f"SELECT * FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}")
                rows[meta.label] = cursor.fetchall()
    return rows


@contextmanager
def unchanged_db() -> Iterator[None]:
    """Assert that the block leaves the database exactly as it found it (a refused action)."""
    before = db_snapshot()
    yield
    after = db_snapshot()
    changed = sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))
    assert not changed, f"a refused action changed these tables: {', '.join(changed)}"


def password_login(client: Any, *, username: str, password: str) -> bool:
    """`Client.login` through every authentication backend, django-axes included.

    Axes refuses an `authenticate()` without a request (it keys its lockouts on the request's
    address), and `Client.login` passes none: this gives it one from the test client's address.
    """
    from django.http import HttpRequest

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    return bool(client.login(request=request, username=username, password=password))
