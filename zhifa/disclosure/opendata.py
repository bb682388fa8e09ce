"""Open data: one public record per publication, shared by the API, the Atom feed and the exports.

Built only from Publication and its approved PublicationVersion (the redacted projection,
DESIGN §3.6). A withdrawn publication keeps its facts of record (title, 文号, dates) and the
reason, never its content (《行政处罚法》第四十八条第二款); one whose display period is over
is reported as expired, without content, in the change feed only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import MatterKind
from zhifa.disclosure import periods
from zhifa.disclosure.models import Kind, Publication, PublicationVersion, State
from zhifa.disclosure.projection import field_label

# The change feed's page size: the default and the most a client may ask for.
CHANGES_LIMIT = 100
CHANGES_MAX = 500
OUTCOME_LABELS = {
    "penalty": "给予行政处罚",
    "no_penalty": "不予行政处罚",
    "not_established": "违法事实不能成立",
}


class Change:
    PUBLISHED = "published"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


def current_versions(publications: Iterable[Publication]) -> dict[int, PublicationVersion]:
    """The latest approved version of each publication, in one query."""
    ids = [p.pk for p in publications]
    out: dict[int, PublicationVersion] = {}
    rows = (
        PublicationVersion.objects.filter(publication_id__in=ids, approved_at__isnull=False)
        .order_by("publication_id", "-number")
        .only(
            "publication_id", "number", "content", "content_sha256", "effective_from", "note", "approved_at"
        )
    )
    for version in rows:
        out.setdefault(version.publication_id, version)
    return out


def in_batches(
    queryset: QuerySet[Publication], size: int = 1000
) -> Iterator[tuple[Publication, PublicationVersion | None]]:
    """Publications with their current versions, fetched a batch at a time (exports, feeds)."""
    batch: list[Publication] = []
    for publication in queryset.iterator(chunk_size=size):
        batch.append(publication)
        if len(batch) == size:
            yield from _with_versions(batch)
            batch = []
    if batch:
        yield from _with_versions(batch)


def _with_versions(batch: list[Publication]) -> Iterator[tuple[Publication, PublicationVersion | None]]:
    versions = current_versions(batch)
    for publication in batch:
        yield publication, versions.get(publication.pk)


def portal_path(publication: Publication) -> str:
    """Where the public reads it: a decision's page, else the agency's 公示专栏."""
    if publication.kind == Kind.DECISION:
        return reverse("portal:decision", args=[publication.pk])
    return reverse("portal:agency", args=[publication.agency_id])


def is_expired(publication: Publication, *, on: dt.date | None = None) -> bool:
    ends = periods.display_ends_on(publication)
    return ends is not None and ends <= (on or timezone.localdate())


def change_of(
    publication: Publication, version: PublicationVersion | None, *, on: dt.date | None = None
) -> str:
    if publication.state == State.WITHDRAWN:
        return Change.WITHDRAWN
    if is_expired(publication, on=on):
        return Change.EXPIRED
    if version is not None and version.number > 1:
        return Change.CORRECTED
    return Change.PUBLISHED


def record(
    publication: Publication, version: PublicationVersion | None, *, on: dt.date | None = None
) -> dict[str, Any]:
    """The open-data record (docs/opendata.md); content only while it is on public display."""
    change = change_of(publication, version, on=on)
    shows_content = change in (Change.PUBLISHED, Change.CORRECTED) and version is not None
    return {
        "id": publication.pk,
        "kind": publication.kind,
        "kind_label": Kind(publication.kind).label,
        "agency_id": publication.agency_id,
        "agency_name": publication.agency.name,
        "title": publication.title,
        "state": publication.state,
        "change": change,
        "document_number": publication.document_number,
        "decided_on": publication.decided_on,
        "category": publication.category,
        "matter_kind": publication.matter_kind,
        "outcome": publication.outcome,
        "fine": f"{publication.fine:.2f}" if publication.fine is not None else None,
        "penalty_kinds": list(publication.penalty_kinds or []),
        "published_at": publication.published_at,
        "revision": publication.revision,
        "version": version.number if version else None,
        "version_approved_at": version.approved_at if version else None,
        "effective_from": version.effective_from if version else None,
        "correction_note": version.note if version and version.number > 1 else "",
        "content": dict(version.content) if shows_content and version else None,
        "content_sha256": version.content_sha256 if shows_content and version else None,
        "display_until": periods.display_ends_on(publication),
        "withdrawn_at": publication.withdrawn_at,
        "withdrawal_reason": publication.withdrawal_reason if publication.state == State.WITHDRAWN else "",
        "url": portal_path(publication),
    }


def labelled_content(content: dict[str, Any] | None) -> str:
    """The content as "标签：值" lines (exports, feed summaries)."""
    if not content:
        return ""
    lines = []
    for key, value in content.items():
        if isinstance(value, str | int | float):
            text = str(value)
        elif isinstance(value, list):
            text = "；".join(_flat(item) for item in value)
        else:
            text = _flat(value)
        lines.append(f"{field_label(key)}：{text}")
    return "\n".join(lines)


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "，".join(f"{field_label(str(k))}：{_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(_flat(v) for v in value)
    return "" if value is None else str(value)


def penalty_labels(kinds: Iterable[str]) -> str:
    labels = dict(PenaltyKind.choices)
    return "、".join(labels.get(k, k) for k in kinds)


def matter_kind_label(code: str) -> str:
    return dict(MatterKind.choices).get(code, code)


def outcome_label(code: str) -> str:
    return OUTCOME_LABELS.get(code, code)
