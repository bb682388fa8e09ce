"""What the ledger records of 公示, built by one function at append time and at verify time.

- "publication": one leaf per approved version (ref disclosure.publicationversion:<pk>). The
  content hash is recomputed from the stored content, so text changed behind the application's
  back no longer matches its leaf.
- "withdrawal": one leaf per withdrawn publication (ref disclosure.publication:<pk>).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.disclosure.models import Publication, PublicationVersion, State
from zhifa.ledger.registry import ref_pk
from zhifa.ledger.services import canonical

PUBLICATION = "publication"
WITHDRAWAL = "withdrawal"


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def version_ref(pk: int) -> str:
    return f"disclosure.publicationversion:{pk}"


def publication_ref(pk: int) -> str:
    return f"disclosure.publication:{pk}"


def version_payload(version: PublicationVersion) -> dict[str, Any]:
    publication = version.publication
    return {
        "publication": publication.pk,
        "agency": publication.agency_id,
        "kind": publication.kind,
        "subject": publication.subject,
        "version": version.number,
        "content_sha256": content_sha256(version.content),
        "approved_at": _time(version.approved_at),
        "approved_by": version.approved_by_id,
    }


def withdrawal_payload(publication: Publication) -> dict[str, Any]:
    return {
        "publication": publication.pk,
        "state": publication.state,
        "reason": publication.withdrawal_reason,
        "at": _time(publication.withdrawn_at),
        "by": publication.withdrawn_by_id,
    }


def version_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = PublicationVersion.objects.filter(pk__in=[ref_pk(r) for r in refs]).select_related("publication")
    return {version_ref(v.pk): version_payload(v) for v in rows}


def withdrawal_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = Publication.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {publication_ref(p.pk): withdrawal_payload(p) for p in rows}


def existing_versions() -> Iterator[tuple[dt.datetime, str]]:
    rows = PublicationVersion.objects.filter(approved_at__isnull=False).order_by("approved_at", "pk")
    for pk, at in rows.values_list("pk", "approved_at").iterator(chunk_size=2000):
        assert at is not None
        yield at, version_ref(pk)


def existing_withdrawals() -> Iterator[tuple[dt.datetime, str]]:
    rows = Publication.objects.filter(state=State.WITHDRAWN).order_by("withdrawn_at", "pk")
    for pk, at in rows.values_list("pk", "withdrawn_at").iterator(chunk_size=2000):
        assert at is not None  # withdrawal sets both in one save
        yield at, publication_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as register_kind

    register_kind(PUBLICATION, version_payloads, existing=existing_versions)
    register_kind(WITHDRAWAL, withdrawal_payloads, existing=existing_withdrawals)
