"""Reads that stay the same for the length of one page: local calendar adjustments and settings.

Inside `steady_reads()`, `remembered(key, load)` loads once and answers from memory after; the
counts of the 待办 centre compute many deadlines and so cost a fixed number of queries, not one
per row. Outside, every call reads the database, as writes need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_scope: ContextVar[dict[object, object] | None] = ContextVar("zhifa_steady_reads", default=None)


@contextmanager
def steady_reads() -> Iterator[None]:
    if _scope.get() is not None:  # nested: the outer scope keeps what it read
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def active() -> bool:
    return _scope.get() is not None


def remembered(key: object, load: Callable[[], T]) -> T:
    scope = _scope.get()
    if scope is None:
        return load()
    if key not in scope:
        scope[key] = load()
    return scope[key]  # type: ignore[return-value]
