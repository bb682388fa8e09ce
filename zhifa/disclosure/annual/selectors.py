"""Reads of the 年报 for staff (due tracking) and for the public (published snapshots only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from zhifa.disclosure import policies, selectors
from zhifa.disclosure.annual.report import DueStatus, Scope, due_on, due_status
from zhifa.disclosure.models import Kind, Publication, PublicationVersion, State
from zhifa.org.models import Agency

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def staff_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose 年报 the user may see: supervisors their bureau's region, heads and
    disclosure administrators their own agency, nobody else."""
    return policies.readable_agencies_for(user).select_related("region").order_by("region__path", "name")


def report_publication(scope: Scope, year: int) -> Publication | None:
    return Publication.objects.filter(
        agency=scope.agency, kind=Kind.ANNUAL_REPORT, subject=scope.subject(year)
    ).first()


@dataclass(frozen=True)
class TrackingRow:
    scope: Scope
    due_on: dt.date
    status: DueStatus
    publication: Publication | None
    draft: bool


def tracking(*, agencies: list[Agency], year: int, on: dt.date) -> list[TrackingRow]:
    """Each agency's report for the year (and each 司法局's aggregate) with its due status."""
    scopes = [Scope(a) for a in agencies if a.is_active]
    scopes += [Scope(a, aggregate=True) for a in agencies if a.is_active and a.is_justice_bureau]
    publications = {
        (p.agency_id, p.subject): p
        for p in Publication.objects.filter(
            kind=Kind.ANNUAL_REPORT,
            agency__in=[s.agency for s in scopes],
            subject__in=[f"annual:{year}", f"annual:{year}:all"],
        ).prefetch_related("versions")
    }
    rows = []
    for scope in scopes:
        publication = publications.get((scope.agency.pk, scope.subject(year)))
        published_on = (
            timezone.localdate(publication.published_at)
            if publication is not None and publication.published_at is not None
            else None
        )
        draft = publication is not None and any(v.approved_at is None for v in publication.versions.all())
        rows.append(
            TrackingRow(
                scope,
                due_on(year),
                due_status(year=year, published_on=published_on, on=on),
                publication,
                draft,
            )
        )
    return rows


def report_year(publication: Publication) -> int | None:
    parts = publication.subject.split(":")
    return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None


@dataclass(frozen=True)
class PublicReport:
    publication: Publication
    year: int | None
    aggregate: bool


def public_reports(*, agency: int | None = None) -> list[PublicReport]:
    rows = selectors.public_publications(kind=Kind.ANNUAL_REPORT, agency=agency).select_related(
        "agency__region"
    )
    reports = [PublicReport(p, report_year(p), p.subject.endswith(":all")) for p in rows]
    return sorted(
        reports, key=lambda r: (-(r.year or 0), r.publication.agency.region.path, r.publication.title)
    )


def public_report(*, pk: int) -> tuple[Publication, PublicationVersion | None]:
    """A published (or withdrawn, with its reason) 年报; Http404 for anything else."""
    publication = selectors.publication_get_public(pk=pk)
    if publication.kind != Kind.ANNUAL_REPORT:
        raise Http404("年报不存在。")
    if publication.state == State.WITHDRAWN:
        return publication, None
    version = selectors.current_version(publication)
    if version is None:
        raise Http404("年报不存在。")
    return publication, version


def snapshot_of(version: PublicationVersion) -> dict[str, Any]:
    content: dict[str, Any] = version.content
    return content
