"""事前公开: an agency's lists (主体、人员、事项、抽查、裁量基准、服务指南) kept current on the portal.

    prior_changed(agency)                 which lists are out of date, and why (a selector)
    prior_publish(actor=, agency=, kind=) a draft of one list for the disclosure administrator
    prior_refresh(actor=, agency=)        drafts of every list whose content changed

Drafting goes through the lifecycle's publication_prepare; approval is the administrator's
(publication_approve), as for every publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max

from zhifa.catalog.models import Law
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.disclosure import ledger, selectors
from zhifa.disclosure.models import PRIOR_KINDS, Kind, Publication, PublicationVersion
from zhifa.disclosure.prior.builders import COLUMNS, Built, build, matters_in_force
from zhifa.disclosure.services import publication_prepare
from zhifa.org.models import Agency

if TYPE_CHECKING:
    from zhifa.accounts.models import User

__all__ = [
    "COLUMNS",
    "Built",
    "LawChange",
    "Staleness",
    "build",
    "law_changes",
    "prior_changed",
    "prior_publish",
    "prior_refresh",
    "prior_title",
]


def prior_title(agency: Agency, kind: str) -> str:
    return f"{agency.name}{Kind(kind).label}"


def _ensure_prior(kind: str) -> None:
    if kind not in PRIOR_KINDS:
        raise InvalidInput(f"“{kind}”不是事前公开的清单类别。")


def _published(agency: Agency, kind: str) -> PublicationVersion | None:
    publication = Publication.objects.filter(agency=agency, kind=kind, subject=kind).first()
    return selectors.current_version(publication) if publication is not None else None


@dataclass(frozen=True)
class LawChange:
    matter_code: str
    matter_name: str
    message: str


def law_changes(agency: Agency, on: dt.date | None = None) -> list[LawChange]:
    """Matters in force whose legal bases were amended after the text the matter relies on.

    Either a basis is linked to an article of an older version of a law than the newest imported
    one, or the newest version of a cited law took effect after the matter's version did: in both
    cases the matter's bases need checking before the catalog is published again
    (《行政处罚法》第三十九条：行政处罚的依据应当公示).
    """
    day = on or today()
    newest = dict(
        Law.objects.values("title").annotate(latest=Max("version_date")).values_list("title", "latest")
    )
    newest.update(
        Law.objects.values("short_title")
        .annotate(latest=Max("version_date"))
        .values_list("short_title", "latest")
    )
    changes = []
    for matter, version in matters_in_force(agency, day):
        notes: list[str] = []
        for basis in version.bases.all():
            cited = f"《{basis.law_title}》{basis.article_label}"
            latest = newest.get(basis.law_title)
            if latest is None:
                continue
            if basis.article is not None and basis.article.law.version_date < latest:
                notes.append(
                    f"{cited}引用的是 {basis.article.law.version_date:%Y-%m-%d} 版本，"
                    f"该法已于 {latest:%Y-%m-%d} 修改"
                )
            elif latest > version.effective_from:
                notes.append(
                    f"《{basis.law_title}》已于 {latest:%Y-%m-%d} 修改，晚于本事项现行版本的施行日期 "
                    f"{version.effective_from:%Y-%m-%d}"
                )
        if notes:
            changes.append(
                LawChange(
                    matter.code,
                    version.name,
                    f"执法事项“{version.name}”（{matter.code}）：{'；'.join(dict.fromkeys(notes))}。"
                    "请核对法律依据并修改事项后重新公开（《行政处罚法》第三十九条）。",
                )
            )
    return changes


@dataclass(frozen=True)
class Staleness:
    kind: str
    label: str
    reasons: list[str]


def prior_changed(agency: Agency, on: dt.date | None = None) -> list[Staleness]:
    """The lists of an agency that are out of date on the portal, each with the reasons."""
    day = on or today()
    result = []
    for kind in PRIOR_KINDS:
        reasons = []
        current = _published(agency, kind)
        digest = ledger.content_sha256(build(agency, kind, day).content)
        if current is None:
            reasons.append("尚未公开")
        elif current.content_sha256 != digest:
            reasons.append(f"内容已有变化（现行公开版本为第{current.number}版）")
        if kind == Kind.MATTERS:
            reasons += [c.message for c in law_changes(agency, day)]
        if reasons:
            result.append(Staleness(kind, Kind(kind).label, reasons))
    return result


@transaction.atomic
def prior_publish(*, actor: User, agency: Agency, kind: str, on: dt.date | None = None) -> PublicationVersion:
    """A draft of one list as it stands today, for the disclosure administrator to approve."""
    _ensure_prior(kind)
    day = on or today()
    built = build(agency, kind, day)
    current = _published(agency, kind)
    if current is not None and current.content_sha256 == ledger.content_sha256(built.content):
        raise DomainError(
            f"“{prior_title(agency, kind)}”与现行公开的第{current.number}版内容相同，无需重新发布。"
        )
    if current is None and kind != Kind.AGENCY and not built.content.get("items"):
        raise DomainError(f"“{prior_title(agency, kind)}”目前没有可公开的条目。")
    note = "首次公开" if current is None else f"依据{day:%Y-%m-%d}的信息更新（替换第{current.number}版）"
    return publication_prepare(
        actor=actor,
        agency=agency,
        kind=kind,
        subject=kind,
        title=prior_title(agency, kind),
        content=built.content,
        marks=built.marks,
        effective_from=day,
        note=note,
        facets={"display_class": "current"},
    )


@transaction.atomic
def prior_refresh(*, actor: User, agency: Agency, on: dt.date | None = None) -> list[PublicationVersion]:
    """Drafts of every list whose built content differs from the published version."""
    day = on or today()
    drafts = []
    for kind in PRIOR_KINDS:
        built = build(agency, kind, day)
        current = _published(agency, kind)
        if current is not None and current.content_sha256 == ledger.content_sha256(built.content):
            continue
        if kind != Kind.AGENCY and not built.content.get("items") and current is None:
            continue
        drafts.append(prior_publish(actor=actor, agency=agency, kind=kind, on=day))
    return drafts
