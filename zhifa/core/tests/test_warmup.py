"""A new web worker is warmed when zhifa.wsgi is imported (issue 15): its first page no longer
imports the views, loads the translations and compiles the templates."""

from __future__ import annotations

from django.template import engines
from django.urls import get_resolver

from zhifa.core import warmup


def test_warm_compiles_our_templates_and_loads_the_urls_without_the_database():
    # No database mark: a query fails the test. A connection opened at import (before gunicorn
    # --preload forks its workers) would be shared by them.
    compiled = warmup.warm()
    assert compiled > 150
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    assert "supervision/cockpit/cockpit.html" in loader.get_template_cache
    assert "base.html" in loader.get_template_cache
    assert get_resolver()._populated
