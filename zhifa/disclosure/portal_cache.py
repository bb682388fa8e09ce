"""Caching of the anonymous portal pages (issue 17): what the public sees is the same for every
visitor until a publication changes, so a page is rendered once and answered from the cache.

- Key: the portal version, the local date, the method-independent path with its query string.
  The version is a number in the cache (`VERSION_KEY`); the disclosure services bump it when
  they change something and again when their transaction commits (`bump_at_commit`): publish, correct (the approval of the new
  version), withdraw, the full-text index of a publication filled or emptied (display end), a
  jurisdiction setting changed (the generation of zhifa.core.process_cache is in the key). The date in the key retires every page at midnight, which is
  when a display period ends (periods.on_display). `ZHIFA_PORTAL_CACHE_SECONDS` bounds what no
  service announces (an agency renamed in the admin).
- Only anonymous requests are answered from or stored in the cache: a request with a session or
  a messages cookie is rendered for itself (the page may show its flash message), and a response
  that set a cookie, used a CSRF token or is not 200/410 is never stored.
- Every page answered here carries ETag, Last-Modified (when the version last changed) and
  Cache-Control: public, max-age; `If-None-Match` / `If-Modified-Since` answer 304.
- `ZHIFA_PORTAL_CACHE = False` turns it off (the "before" run of bench/portal_load.py).

The cache is Django's (settings.CACHES): local memory per process by default, shared by every
worker when ZHIFA_CACHE_URL names a Redis server (docs/configuration.md).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from zhifa.core import process_cache
from zhifa.core.tasks import after_commit

VERSION_KEY = "zhifa:portal:version"
PAGE_PREFIX = "zhifa:portal:page"
STORED_STATUSES = frozenset({200, 410})
# Headers of the rendered response worth keeping with its body.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "X-Robots-Tag")


def enabled() -> bool:
    return bool(getattr(settings, "ZHIFA_PORTAL_CACHE", True))


def max_age() -> int:
    return int(getattr(settings, "ZHIFA_PORTAL_CACHE_SECONDS", 300))


def version(key: str = VERSION_KEY) -> int:
    """The current portal version (or another cache's under `key`, a draw's): the time (µs) of
    the last change; set when the cache lost it."""
    current = cache.get(key)
    if current is None:
        current = time.time_ns() // 1000
        cache.add(key, current, timeout=None)
        current = cache.get(key, current)
    return int(current)


def bump(key: str = VERSION_KEY) -> None:
    """Every page cached under the version is stale from now on (a new version, never an older one)."""
    now = time.time_ns() // 1000
    previous = cache.get(key) or 0
    cache.set(key, max(now, int(previous) + 1), timeout=None)


def bump_at_commit() -> None:
    """bump() now and again when the current transaction commits: a page rendered in between
    (still without the change) is never answered after the commit."""
    bump()
    after_commit(bump)


def _anonymous(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        isinstance(response, HttpResponse)
        and not response.streaming
        and response.status_code in STORED_STATUSES
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def _key(request: HttpRequest, stamp: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    # The settings' generation too: a display period set longer shows an expired decision again.
    settings_generation = process_cache.generation()
    return f"{PAGE_PREFIX}:{stamp}:{settings_generation}:{timezone.localdate().isoformat()}:{digest}"


def _headers(response: HttpResponseBase, etag: str, stamp: int) -> None:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp // 1_000_000)
    response["Cache-Control"] = f"public, max-age={min(60, max_age())}"
    patch_vary_headers(response, ("Cookie",))


def cached_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A public, anonymous page answered from the cache until the portal version changes."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not enabled() or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return view(request, *args, **kwargs)
        stamp = version()
        key = _key(request, stamp)
        hit = cache.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            assert isinstance(response, HttpResponse)
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            kept = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            cache.set(key, (response.status_code, response.content, kept, etag), timeout=max_age())
        else:
            status, content, kept, etag = hit
            response = HttpResponse(content, status=status)
            for header, value in kept.items():
                response[header] = value
        if response.status_code == 200:
            conditional = get_conditional_response(
                request, etag=etag, last_modified=stamp // 1_000_000, response=response
            )
            if conditional is not None and conditional is not response:
                _headers(conditional, etag, stamp)
                return conditional
        _headers(response, etag, stamp)
        return response

    return wrapped
