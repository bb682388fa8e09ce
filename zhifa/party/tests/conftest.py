"""The cases' world (agency that signs, head, handlers, reviewer) and helpers for party tests."""

from __future__ import annotations

import pytest

from zhifa.cases.tests.conftest import World, world  # noqa: F401  (the fixture, shared)
from zhifa.party import access as codes


@pytest.fixture(autouse=True)
def _cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def code_of(case) -> str:
    """The code printed on the case's latest document that carries one (as the party reads it)."""
    from zhifa.documents.models import Document

    doc = (
        Document.objects.filter(subject_ref=case.subject_ref, content__has_key="party_access")
        .order_by("-pk")
        .first()
    )
    assert doc is not None, "no document of the case carries a party access code"
    return doc.content["party_access"]["code"]


def factor_of(case) -> str:
    number = codes.normalized(case.party_id_number)
    return number if case.party_kind == "organisation" else number[-6:]


__all__ = ["World", "code_of", "factor_of"]
