"""The public document of a draw, built once per version of the draw and answered from the cache.

A draw's document (selectors.draw_document: every population, pool and task) is the same for
every reader until the draw's record changes, which happens only through a service: a recusal
after the draw replaces an inspector (services._replace) and the draw itself writes its outputs.
Such a service calls `changed_at_commit(draw_pk)`. As for the portal pages (zhifa.disclosure.
portal_cache), the key carries a version number kept in the cache per draw, bumped when the
service runs and again when its transaction commits, so a document built in between (still
without the change) is never answered after the commit; a lost version (cache restart, eviction)
starts a new one.

The cache is Django's (settings.CACHES): local memory per process, or Redis shared by the
workers. `ZHIFA_PORTAL_CACHE = False` turns it off with the portal's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.cache import cache

from zhifa.core.tasks import after_commit
from zhifa.disclosure import portal_cache

PREFIX = "zhifa:inspections:draw"
# The key names the version: an entry is never stale, the timeout only frees memory.
TIMEOUT = 24 * 3600


def _version_key(pk: int) -> str:
    return f"{PREFIX}:{pk}:version"


def version(pk: int) -> int:
    return portal_cache.version(_version_key(pk))


def changed(pk: int) -> None:
    """Every cached document of the draw is stale from now on (a newer version, never older)."""
    portal_cache.bump(_version_key(pk))


def changed_at_commit(pk: int) -> None:
    changed(pk)
    after_commit(changed, pk)


def document(pk: int, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The draw's document from the cache, or `build()` stored under the current version.

    A hit needs no query at all: draws are never deleted, so a stored document's draw exists."""
    if not portal_cache.enabled():
        return build()
    key = f"{PREFIX}:{pk}:{version(pk)}"
    hit = cache.get(key)
    if hit is None:
        hit = build()
        cache.set(key, hit, timeout=TIMEOUT)
    return cast(dict[str, Any], hit)
