"""Test helpers shared by the app test suites (factories live in zhifa.testing.factories)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def db_snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every zhifa table (including many-to-many tables), ordered by key.

    Timestamps are included, so a save that rewrites a row with the same values still shows.
    """
    from django.apps import apps

    rows: dict[str, list[dict[str, Any]]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("zhifa."):
            continue
        for model in config.get_models(include_auto_created=True):
            rows[model._meta.label] = list(model._default_manager.order_by("pk").values())
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
