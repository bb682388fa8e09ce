"""Reads for the public portal pages: only Publication and PublicationVersion rows, never a case.

Built on the lifecycle's selectors (what is on display); the portal adds the per-agency columns,
the version history of a list, and the 410 answer for a decision whose display period is over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zhifa.disclosure import selectors
from zhifa.disclosure.models import PRIOR_KINDS, Kind, Publication, PublicationVersion, State
from zhifa.disclosure.prior import COLUMNS
from zhifa.org.models import Agency, Certificate
from zhifa.org.selectors import officer_list_visible_to

if TYPE_CHECKING:
    from zhifa.accounts.models import User


class DisplayOver(Exception):
    """The publication was public once and its display period has ended (the record stays)."""


def portal_agencies() -> QuerySet[Agency]:
    """Agencies with anything on display, with the number of decisions shown."""
    shown = selectors.public_publications().values("agency")
    decisions = Count(
        "publications", filter=Q(publications__kind=Kind.DECISION, publications__state=State.PUBLISHED)
    )
    return (
        Agency.objects.filter(is_active=True, pk__in=shown)
        .select_related("region")
        .annotate(decision_count=decisions)
        .order_by("region__path", "name")
    )


def portal_agency_get(pk: int) -> Agency:
    agency = portal_agencies().filter(pk=pk).first()
    if agency is None:
        raise Http404("该执法主体尚未公开任何信息。")
    return agency


@dataclass(frozen=True)
class Cell:
    label: str
    text: str = ""
    lines: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


def _cell(key: str, label: str, value: Any) -> Cell:
    if key == "bases":
        return Cell(label, lines=tuple(f"{b['role']}：{b['citation']} {b['excerpt']}".strip() for b in value))
    if key == "tiers":
        return Cell(
            label,
            lines=tuple(
                f"{t['circumstance']}：{t['conditions']}；{t['kinds']} {t['fine']}".strip() for t in value
            ),
        )
    if key == "factors":
        return Cell(label, lines=tuple(f"{f['list']}：{'；'.join(f['entries'])}" for f in value))
    if key == "flowcharts":
        return Cell(label, links=tuple((f["title"], f["path"]) for f in value))
    return Cell(label, text=str(value))


def present(kind: str, content: dict[str, Any]) -> list[list[Cell]]:
    """A list's content as rows of labelled cells for the templates (the agency: one row)."""
    columns = COLUMNS[kind]
    rows = [content] if kind == Kind.AGENCY else list(content.get("items", []))
    return [
        [_cell(k, label, row[k]) for k, label in columns.items() if row.get(k) not in (None, "", [])]
        for row in rows
    ]


@dataclass(frozen=True)
class Section:
    """One 事前公开 list of an agency column: the current text and its history."""

    kind: str
    label: str
    publication: Publication | None
    version: PublicationVersion | None
    history: list[PublicationVersion]
    columns: dict[str, str]

    @property
    def rows(self) -> list[list[Cell]]:
        return present(self.kind, self.version.content) if self.version else []


def agency_sections(agency: Agency, on: dt.date | None = None) -> list[Section]:
    rows = {
        p.kind: p for p in selectors.public_publications(agency=agency, on=on).filter(kind__in=PRIOR_KINDS)
    }
    sections = []
    for kind in PRIOR_KINDS:
        publication = rows.get(kind)
        history = selectors.version_history(publication) if publication else []
        sections.append(
            Section(
                kind, Kind(kind).label, publication, history[0] if history else None, history, COLUMNS[kind]
            )
        )
    return sections


def prior_version_get(agency: Agency, kind: str, number: int) -> tuple[Publication, PublicationVersion]:
    """An approved version of one of the agency's lists (history stays readable)."""
    if kind not in PRIOR_KINDS:
        raise Http404("没有这类公示信息。")
    publication = selectors.public_publications(agency=agency, kind=kind).first()
    version = (
        publication.versions.filter(number=number, approved_at__isnull=False).first() if publication else None
    )
    if publication is None or version is None:
        raise Http404("该版本不存在或尚未公开。")
    return publication, version


def matter_entry(agency: Agency, code: str) -> tuple[Publication, PublicationVersion, dict[str, Any]]:
    """A matter as the published catalog states it."""
    publication = selectors.public_publications(agency=agency, kind=Kind.MATTERS).first()
    version = selectors.current_version(publication) if publication else None
    for item in version.content.get("items", []) if version else []:
        if item.get("code") == code:
            assert publication is not None and version is not None
            return publication, version, item
    raise Http404("未公开该执法事项。")


def latest_decisions(limit: int = 10) -> QuerySet[Publication]:
    return selectors.public_publications(kind=Kind.DECISION).order_by("-published_at", "-pk")[:limit]


def portal_counts(on: dt.date | None = None) -> dict[str, int]:
    shown = selectors.public_publications(on=on)
    return {
        "agencies": portal_agencies().count(),
        "decisions": shown.filter(kind=Kind.DECISION).count(),
        "withdrawn": selectors.withdrawn_publications(kind=Kind.DECISION, on=on).count(),
        "lists": shown.filter(kind__in=PRIOR_KINDS).count(),
    }


def decision_get_public(pk: int, on: dt.date | None = None) -> Publication:
    """A decision on display; DisplayOver when it was public and its period ended; else Http404."""
    try:
        publication = selectors.publication_get_public(pk=pk, on=on)
    except Http404:
        # Published (or withdrawn after publication) and no longer on display: 公示期已满.
        if Publication.objects.filter(
            pk=pk,
            kind=Kind.DECISION,
            state__in=[State.PUBLISHED, State.WITHDRAWN],
            published_at__isnull=False,
        ).exists():
            raise DisplayOver from None
        raise
    if publication.kind != Kind.DECISION:
        raise Http404("公示信息不存在。")
    return publication


def certificate_get_for(*, user: User, pk: int) -> Certificate:
    """A certificate of an officer the user may read (staff: the QR image and the printable card)."""
    certificate = (
        Certificate.objects.filter(officer__in=officer_list_visible_to(user=user))
        .select_related("officer__agency", "area")
        .prefetch_related("domains", "annual_reviews")
        .filter(pk=pk)
        .first()
    )
    if certificate is None:
        raise Http404("未找到该执法证，或您无权查看。")
    return certificate
