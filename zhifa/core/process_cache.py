"""Reads kept in each process: the jurisdiction settings and the calendar overrides (issue 17).

They change a few times a year and are read by every deadline and every portal page, so a
process keeps them in memory (`remembered(name, load)`) instead of asking the database on each
call. A change drops them at once in the process that made it and, through a generation number
in Django's cache (settings.CACHES), in every process that shares that cache (Redis when
ZHIFA_CACHE_URL is set). With the default local-memory cache other worker processes see the
change after at most `ZHIFA_PROCESS_CACHE_SECONDS` (30 s; 0 turns the cache off).

`invalidate()` runs when a JurisdictionSetting or CalendarOverride row is saved or deleted
(signals connected in CoreConfig.ready: the Django admin writes these rows directly), and again
when the transaction commits, so no process keeps a value it read before the commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

GENERATION_KEY = "zhifa:core:process-cache-generation"

_lock = threading.Lock()
_local: dict[str, tuple[int, float, Any]] = {}


def seconds() -> float:
    return float(getattr(settings, "ZHIFA_PROCESS_CACHE_SECONDS", 30))


def generation() -> int:
    """The shared generation; a fresh one when the cache has none (started, evicted or cleared)."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY, 0)
    return int(current)


def remembered(name: str, load: Callable[[], T]) -> T:
    """`load()`'s value, kept in this process until invalidated or `seconds()` old."""
    ttl = seconds()
    if ttl <= 0:
        return load()
    current = generation()
    entry = _local.get(name)
    now = time.monotonic()
    if entry is not None and entry[0] == current and now - entry[1] < ttl:
        return entry[2]
    value = load()
    with _lock:
        _local[name] = (current, now, value)
    return value


def _drop() -> None:
    with _lock:
        _local.clear()
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def invalidate() -> None:
    """Drop the kept values now and once more when the current transaction commits."""
    _drop()
    transaction.on_commit(_drop, robust=True)


def on_change(sender: Any, **kwargs: Any) -> None:
    """post_save / post_delete receiver."""
    invalidate()
