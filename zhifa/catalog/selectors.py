"""Reads of the matter catalog and the law library for a user."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from zhifa.catalog import policies
from zhifa.catalog.models import Law, LawArticle, LegalBasis, Matter, MatterVersion
from zhifa.core.calendar import today
from zhifa.org import policies as org_policies

if TYPE_CHECKING:
    from zhifa.accounts.models import User

ARTICLE_HEAD = re.compile(r"第[〇零一二两三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?")


def version_in_force(versions: list[MatterVersion], on: dt.date) -> MatterVersion | None:
    for version in versions:
        if version.effective_from <= on and (version.effective_to is None or on <= version.effective_to):
            return version
    return None


def matter_version_on(matter: Matter, on: dt.date | None = None) -> MatterVersion | None:
    """The version in force on a day (None before the first or after repeal)."""
    return version_in_force(list(matter.versions.all()), on or today())


def _versions_prefetch() -> Prefetch:
    return Prefetch(
        "versions",
        queryset=MatterVersion.objects.select_related("domain").prefetch_related(
            Prefetch("bases", queryset=LegalBasis.objects.select_related("article__law"))
        ),
    )


def matter_list_visible_to(*, user: User, agency_id: int | None = None, query: str = "") -> QuerySet[Matter]:
    qs = Matter.objects.filter(org_policies.readable_agency_filter(user)).select_related("agency")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(versions__name__icontains=query)).distinct()
    return qs.prefetch_related(_versions_prefetch())


def matter_get_for(*, user: User, pk: int) -> Matter:
    matter = matter_list_visible_to(user=user).filter(pk=pk).first()
    if matter is None:
        raise Http404("未找到该执法事项，或您无权查看。")
    return matter


def law_list(*, user: User, query: str = "") -> QuerySet[Law]:
    if not policies.can_read_laws(user):
        return Law.objects.none()
    qs = Law.objects.all()
    if query:
        matching = LawArticle.objects.filter(text__icontains=query).values("law")
        qs = qs.filter(Q(title__icontains=query) | Q(pk__in=matching))
    return qs.annotate(article_count=Count("articles"))


def law_get_for(*, user: User, pk: int) -> Law:
    law = law_list(user=user).filter(pk=pk).first()
    if law is None:
        raise Http404("未找到该法律法规。")
    return law


def law_article_lookup(law_title: str, article_label: str) -> LawArticle | None:
    """The article a citation names, in the newest imported version of that law.

    A label like 第四十二条第一款 resolves to its article (第四十二条).
    """
    title = law_title.strip().strip("《》")
    match = ARTICLE_HEAD.match(article_label.strip())
    if match is None:
        return None
    head = match.group(0)
    return (
        LawArticle.objects.filter(Q(law__title=title) | Q(law__short_title=title), label=head)
        .select_related("law")
        .order_by("-law__version_date")
        .first()
    )
