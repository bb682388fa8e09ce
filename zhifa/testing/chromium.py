"""Headless Chromium for the browser tests: the system's Chromium (`make test` installs it),
driven by Playwright against pytest-django's live server.

A browser test module sets `pytestmark = chromium.MARKS` and takes the `browser` fixture
(zhifa/conftest.py), or calls `chromium.launch()` itself where something must happen first.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

CHROMIUM = os.environ.get("ZHIFA_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

MARKS = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (make test installs it)"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,  # the SQLite pass only (zhifa/conftest.py)
]

# Registered before any page script: the browser reports each refused script, style or fetch.
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@contextmanager
def launch() -> Iterator[Any]:
    """A launched Chromium. Playwright's sync API runs an event loop in this thread; the test's
    own ORM calls come before and after page actions, never concurrently."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                yield launched
            finally:
                launched.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
