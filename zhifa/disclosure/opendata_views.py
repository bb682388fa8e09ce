"""Public pages of search and open data: the decision list (/public/decisions/) and the
open-data page (/public/opendata/). No login; only published, redacted projections."""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from zhifa.disclosure import opendata, search, selectors
from zhifa.disclosure.models import Kind
from zhifa.disclosure.portal_cache import cached_page
from zhifa.disclosure.projection import field_label
from zhifa.disclosure.search_forms import DecisionFilterForm, categories

PAGE_SIZE = 20
SNIPPET = 90
# Content fields worth a snippet, best first.
SNIPPET_FIELDS = ("facts", "conclusion", "penalty", "basis", "matter", "party")


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (search.count_cap: an exact count of a million costs seconds)."""

    more_than_cap = False

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self.cap = search.COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        found = search.capped_count(self.object_list, self.cap)  # type: ignore[arg-type]
        self.more_than_cap = found > self.cap
        return min(found, self.cap)

    @property
    def max_pages(self) -> int:
        """The public cannot page past the count: a narrower query is the way to older results."""
        return max(1, self.cap // self.per_page)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """The text escaped, with the query's words in <mark>."""
    if pattern is None:
        return escape(text)
    out: list[str] = []
    pos = 0
    for match in pattern.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        pos = match.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def snippet(content: dict[str, Any], pattern: re.Pattern[str] | None) -> SafeString:
    """A window of the content around the first matched word (else the start of the facts)."""
    texts = [
        (k, str(content[k])) for k in SNIPPET_FIELDS if isinstance(content.get(k), str) and content.get(k)
    ]
    if not texts:
        return mark_safe("")
    chosen, start = texts[0], 0
    if pattern is not None:
        for key, text in texts:
            match = pattern.search(text)
            if match:
                chosen, start = (key, text), max(0, match.start() - SNIPPET // 3)
                break
    key, text = chosen
    part = text[start : start + SNIPPET]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + SNIPPET < len(text) else ""
    return mark_safe(f"{escape(field_label(key))}：{prefix}{highlight(part, pattern)}{suffix}")


@require_safe
@cached_page
def decision_list(request: HttpRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET, categories=categories())
    valid = form.is_valid()  # an invalid field is left out of the filters and shown as an error
    filters = form.filters(default_kind=Kind.DECISION)
    query = form.query
    rows = search.search(search.apply_filters(selectors.public_publications(), filters), query)
    paginator = CappedPaginator(rows, PAGE_SIZE, cap=search.count_cap(query))
    page = paginator.get_page(min(_int(request.GET.get("page"), 1), paginator.max_pages))
    items = list(page.object_list)
    versions = opendata.current_versions(items)
    pattern = _pattern(search.query_terms(query))
    results = []
    for publication in items:
        version = versions.get(publication.pk)
        results.append(
            {
                "publication": publication,
                "url": opendata.portal_path(publication),
                "title": highlight(publication.title, pattern),
                "snippet": snippet(dict(version.content) if version else {}, pattern),
                "outcome": opendata.outcome_label(publication.outcome),
                "penalties": opendata.penalty_labels(publication.penalty_kinds or []),
            }
        )
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "disclosure/portal/decisions.html",
        {
            "title": "行政执法决定公示",
            "form": form,
            "valid": valid,
            "query": query,
            "page": page,
            "results": results,
            "querystring": params.urlencode(),
            "max_pages": paginator.max_pages,
            "ranked": search.is_ranked(rows),
        },
    )


@require_safe
@cached_page
def opendata_page(request: HttpRequest) -> HttpResponse:
    from zhifa.disclosure.api import PublicationOut
    from zhifa.disclosure.exports import COLUMNS, MAX_ROWS

    fields = [
        (name, type_in_words(info.annotation), info.description or "")
        for name, info in PublicationOut.model_fields.items()
    ]
    return render(
        request,
        "disclosure/portal/opendata.html",
        {
            "title": "数据开放",
            "fields": fields,
            "columns": [label for label, _ in COLUMNS],
            "max_rows": MAX_ROWS,
            "changes_limit": opendata.CHANGES_LIMIT,
            "changes_max": opendata.CHANGES_MAX,
            "content_labels": _content_labels(),
        },
    )


def _content_labels() -> list[tuple[str, str]]:
    from zhifa.disclosure.projection import FIELD_LABELS

    return list(FIELD_LABELS.items())


_TYPE_WORDS: dict[Any, str] = {
    int: "整数",
    str: "字符串",
    bool: "布尔值（true 或 false）",
    float: "数字",
    dt.date: "日期（YYYY-MM-DD）",
    dt.datetime: "日期时间（ISO 8601，含时区）",
    dict: "对象",
    Any: "任意值",
}


def type_in_words(annotation: Any) -> str:
    """A field's type as a reader of the page says it: 日期（YYYY-MM-DD），可为 null — not
    `datetime.date | None`."""
    args = typing.get_args(annotation)
    if type(None) in args:
        rest = [a for a in args if a is not type(None)]
        inner = type_in_words(rest[0]) if len(rest) == 1 else "或".join(type_in_words(a) for a in rest)
        return f"{inner}，可为 null"
    origin = typing.get_origin(annotation)
    if origin is list:
        return f"{type_in_words(args[0]) if args else '任意值'}数组"
    if origin is dict:
        return "对象"
    return _TYPE_WORDS.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _int(raw: str | None, default: int) -> int:
    try:
        return max(1, int(raw or default))
    except ValueError:
        return default
