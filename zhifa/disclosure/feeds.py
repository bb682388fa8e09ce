"""Atom feed of the latest published decisions and prior-disclosure list versions (/public/feed.atom).

Built from Publication and its current approved version only (the redacted projection). A
correction or a new list version takes a new revision, so it comes back to the top of the feed
with the same entry id and a new <updated>. `?agency=<id>` narrows it to one agency's 公示专栏.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from zhifa.disclosure import opendata, selectors
from zhifa.disclosure.models import PRIOR_KINDS, Kind, Publication, PublicationVersion

FEED_SIZE = 50
FEED_KINDS = (Kind.DECISION, *PRIOR_KINDS)


class TextSummaryAtomFeed(Atom1Feed):
    """Atom whose <summary> is text (RFC 4287 §3.1.1): the content is plain text, and Django's
    type="html" would make readers parse it as markup."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        summary = item.get("description")
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary)


def entry_id(publication: Publication) -> str:
    """A tag: URI (RFC 4151), absolute and stable: the portal's host, the day the publication was
    first published, and its number. It survives a change of path or of http/https."""
    host = urlsplit(settings.ZHIFA_PUBLIC_URL).hostname or "localhost"
    first = publication.published_at or publication.created_at
    return f"tag:{host},{timezone.localtime(first).date().isoformat()}:publication/{publication.pk}"


class PublicationFeed(Feed):
    feed_type = TextSummaryAtomFeed
    title = "行政执法公示：最新公开的执法决定和公示清单"
    subtitle = (
        "依据《行政处罚法》第三十四条、第三十九条、第四十八条公开的行政执法信息（个人信息已去标识化）。"
    )
    link = "/public/decisions/"
    author_name = "行政执法公示平台"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> int | None:
        raw = request.GET.get("agency", "")
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None

    def items(self, agency: int | None) -> list[tuple[Publication, PublicationVersion | None]]:
        rows = selectors.public_publications(agency=agency).filter(kind__in=FEED_KINDS).order_by("-revision")
        page = list(rows[:FEED_SIZE])
        versions = opendata.current_versions(page)
        return [(p, versions.get(p.pk)) for p in page]

    def item_title(self, item: tuple[Publication, PublicationVersion | None]) -> str:
        publication, _ = item
        return f"【{publication.agency.name}】{publication.title}"

    def item_description(self, item: tuple[Publication, PublicationVersion | None]) -> str:
        _publication, version = item
        text = opendata.labelled_content(dict(version.content) if version else None)
        if version is not None and version.number > 1 and version.note:
            text = f"（第{version.number}版，更正说明：{version.note}）\n{text}"
        return text

    def item_link(self, item: tuple[Publication, PublicationVersion | None]) -> str:
        return opendata.portal_path(item[0])

    def item_guid(self, item: tuple[Publication, PublicationVersion | None]) -> str:
        # Prior lists share their agency page as link; the entry id is the publication's own.
        return entry_id(item[0])

    def item_guid_is_permalink(self, item: tuple[Publication, PublicationVersion | None]) -> bool:
        return False

    def item_pubdate(self, item: tuple[Publication, PublicationVersion | None]) -> dt.datetime | None:
        return item[0].published_at

    def item_updateddate(self, item: tuple[Publication, PublicationVersion | None]) -> dt.datetime | None:
        publication, version = item
        return version.approved_at if version is not None else publication.published_at

    def item_author_name(self, item: tuple[Publication, PublicationVersion | None]) -> str:
        return item[0].agency.name

    def item_categories(self, item: tuple[Publication, PublicationVersion | None]) -> list[str]:
        publication, _ = item
        return [c for c in (Kind(publication.kind).label, publication.category) if c]
