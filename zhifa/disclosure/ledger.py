"""What the ledger records of 公示, built by one function at append time and at verify time.

- "publication": one leaf per approved version (ref disclosure.publicationversion:<pk>). The
  content hash is recomputed from the stored content, so text changed behind the application's
  back no longer matches its leaf.
- "publication_state": the publication as the portal, the exports and the API serve it (ref
  disclosure.publication:<pk>), appended at every approval and at the withdrawal: its state,
  the columns its lists and filters show (title, 文号, date, fine, display class, …) and the
  withdrawal, and at an early end of its display (信用修复). A column changed in the database is
  named by `zhifa ledger verify`.
- "withdrawal": the same record's leaf as databases before publication_state wrote it at a
  withdrawal; still rebuilt, for the fields it carries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from zhifa.disclosure.models import Publication, PublicationVersion
from zhifa.ledger.registry import ref_pk
from zhifa.ledger.services import canonical

PUBLICATION = "publication"
STATE = "publication_state"
WITHDRAWAL = "withdrawal"
# The columns of a publication that pages, feeds, exports and the API show besides its text.
SERVED_COLUMNS = (
    "agency_id",
    "kind",
    "subject",
    "case_id",
    "published_at",
    "display_class",
    "party_is_natural_person",
    "title",
    "document_number",
    "decided_on",
    "category",
    "matter_kind",
    "outcome",
    "fine",
    "penalty_kinds",
    "withdrawal_due_on",
    "withdrawal_cause",
    "revision",
)


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


def _served(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def state_payload(publication: Publication) -> dict[str, Any]:
    return {
        "publication": publication.pk,
        "state": publication.state,
        "reason": publication.withdrawal_reason,
        "at": _time(publication.withdrawn_at),
        "by": publication.withdrawn_by_id,
        **{column: _served(getattr(publication, column)) for column in SERVED_COLUMNS},
        # Only once a display was ended early (信用修复), so the leaves written before keep matching.
        **(
            {
                "display_ended_on": _served(publication.display_ended_on),
                "display_end_reason": publication.display_end_reason,
                "display_ended_by": publication.display_ended_by_id,
            }
            if publication.display_ended_on is not None
            else {}
        ),
    }


def version_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = PublicationVersion.objects.filter(pk__in=[ref_pk(r) for r in refs]).select_related("publication")
    return {version_ref(v.pk): version_payload(v) for v in rows}


def state_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    rows = Publication.objects.filter(pk__in=[ref_pk(r) for r in refs])
    return {publication_ref(p.pk): state_payload(p) for p in rows}


def existing_versions() -> Iterator[tuple[dt.datetime, str]]:
    rows = PublicationVersion.objects.filter(approved_at__isnull=False).order_by("approved_at", "pk")
    for pk, at in rows.values_list("pk", "approved_at").iterator(chunk_size=2000):
        assert at is not None
        yield at, version_ref(pk)


def existing_states() -> Iterator[tuple[dt.datetime, str]]:
    """Every publication that was ever public (its first approval appended its state)."""
    rows = Publication.objects.filter(published_at__isnull=False).order_by("published_at", "pk")
    for pk, at in rows.values_list("pk", "published_at").iterator(chunk_size=2000):
        assert at is not None
        yield at, publication_ref(pk)


def register() -> None:
    from zhifa.ledger.registry import register as register_kind

    register_kind(PUBLICATION, version_payloads, existing=existing_versions)
    register_kind(STATE, state_payloads, existing=existing_states)
    register_kind(WITHDRAWAL, state_payloads)
