"""Full-text search over published decisions, with Chinese word segmentation (jieba).

Index side: `tokens_for(content)` turns a version's redacted content into space-separated words
(jieba's search mode, NFKC-normalised, lower-cased, punctuation dropped) and adds the document
number and the agency / party names as whole words; the lifecycle service stores it in
Publication.search_text when a version is approved. Only redacted content reaches it, so the
index holds nothing a public page could not show.

Query side: `search(queryset, query)` cuts the query with jieba's precise mode (each of its words
is also emitted by the search mode on the same text) and requires every word (AND):
- SQLite: the FTS5 external-content table `disclosure_publication_fts` (migration 0002, kept in
  sync by triggers), ranked by bm25;
- PostgreSQL: `search_vector @@ plainto_tsquery('simple', …)`, where search_vector is a stored
  generated column to_tsvector('simple', search_text) with a GIN index (migration 0002), ranked
  by ts_rank.
Words are quoted (SQLite) or passed to plainto_tsquery (PostgreSQL), so operators and special
characters typed by the public (quotes, *, -, NEAR, AND, OR) are only text.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jieba
from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from zhifa.cases.penalties import PenaltyKind
from zhifa.disclosure.search_index import FTS_TABLE

# The expression of the PostgreSQL GIN index: a query must use exactly this to use the index.
PG_VECTOR = '"disclosure_publication"."search_vector"'
PG_ID = '"disclosure_publication"."id"'

# Content fields whose whole value is also one word (exact look-up of a 文号 or a name).
WHOLE_WORD_FIELDS = frozenset({"document_number", "agency", "party", "party_credit_code"})
# A longer query adds nothing but work for the database.
MAX_TERMS = 16
# Relevance is computed when at most this many documents hold every word of the query; a larger
# match set is listed newest first (ranking it all is what made a common word take 0.5 s at 1 M).
RANK_LIMIT = 2_000
# A longer whole word is noise (a paragraph, not a name or a number).
WHOLE_WORD_MAX = 60

_jieba_lock = threading.Lock()
_jieba_ready = False


def _segmenter() -> Any:
    """jieba with its default dictionary, loaded once per process; its log lines silenced."""
    global _jieba_ready
    if not _jieba_ready:
        with _jieba_lock:
            if not _jieba_ready:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba_ready = True
    return jieba


_DIGIT_GROUPS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def _normalise(text: str) -> str:
    # 12,000.50 and 12000.50 are the same amount: drop thousands separators before cutting.
    return _DIGIT_GROUPS.sub("", unicodedata.normalize("NFKC", text).lower())


def _clean(word: str) -> list[str]:
    """A segment split at every non-letter, non-digit character (what both back ends index)."""
    parts, current = [], []
    for char in word:
        if char.isalnum():
            current.append(char)
        elif current:
            parts.append("".join(current))
            current = []
    if current:
        parts.append("".join(current))
    return parts


def _strings(value: Any) -> Iterable[str]:
    """Every string in a content value (text, numbers, lists and tables of a prior list)."""
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, int | float | Decimal):
        yield str(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _strings(item)


def words(text: str) -> list[str]:
    """The index words of one text: jieba's search mode, normalised and cleaned."""
    seg = _segmenter()
    out: list[str] = []
    for piece in seg.cut_for_search(_normalise(text)):
        out.extend(_clean(piece))
    return out


def whole_word(text: str) -> str:
    return "".join(_clean(_normalise(text)))


# A 文号 as agencies write it: 机关代字, the year in 〔〕 (or [] () 【】, full-width ones being ASCII
# after NFKC), the serial, 号. tokens_for indexes a decision's own 文号 as one whole word; a query
# holding one looks that word up, not its pieces (罚, 2026, 号 are in nearly every decision, and
# intersecting those lists took 0.3 s at a million).
_DOCUMENT_NUMBER = re.compile(r"[^\W_]+\s*[〔\[(【]\s*\d{4}\s*[〕\])】]\s*第?\s*\d+\s*号")


def _document_numbers(text: str) -> list[str]:
    """The whole words of the 文号 written in `text` (a query), in order."""
    found = (whole_word(match.group()) for match in _DOCUMENT_NUMBER.finditer(_normalise(text)))
    return [word for word in found if 1 < len(word) <= WHOLE_WORD_MAX]


def tokens_for(content: Mapping[str, Any]) -> str:
    """Publication.search_text for a version's redacted content: space-separated words."""
    out: list[str] = []
    for key, value in content.items():
        for text in _strings(value):
            out.extend(words(text))
            if key in WHOLE_WORD_FIELDS:
                word = whole_word(text)
                if 1 < len(word) <= WHOLE_WORD_MAX:
                    out.append(word)
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """The words a query requires, in order, without repeats (jieba's precise mode)."""
    seg = _segmenter()
    terms: list[str] = []
    for piece in seg.cut(_normalise(query or "")):
        for term in _clean(piece):
            if term not in terms:
                terms.append(term)
    return terms[:MAX_TERMS]


def document_number_terms(query: str) -> list[str] | None:
    """The words of a query that holds a 文号, each 文号 one whole word (as tokens_for indexes it,
    so the look-up is one short posting list); None when the query holds no 文号."""
    numbers = _document_numbers(query or "")
    if not numbers:
        return None
    rest = query_terms(_DOCUMENT_NUMBER.sub(" ", _normalise(query)))
    terms = list(dict.fromkeys(numbers))
    return (terms + [term for term in rest if term not in terms])[:MAX_TERMS]


def _fts5_match(terms: list[str]) -> str:
    # Every term quoted: FTS5 reads it as a string, never as AND/OR/NOT/NEAR or a prefix *.
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def search(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """The publications of `queryset` matching every word of `query`, best match first, then newest.

    When more than RANK_LIMIT publications hold every word, they are listed newest first
    (highest id first) instead: ranking them all is the cost that grows with the table.
    An empty query (or one with no words) only orders by date: the filters alone apply.
    """
    terms = query_terms(query)
    if not terms:
        return queryset.order_by("-decided_on", "-published_at", "-pk")
    exact = document_number_terms(query)
    if exact and _matches_any(exact):
        # A 文号 is looked up whole; one typed in part (罚〔2026〕119号) matches no whole word and
        # is searched by its pieces, as any other words.
        terms = exact
    if connection.vendor == "postgresql":
        return _pg_search(queryset, " ".join(terms))
    if _fts_matches_more_than(terms, RANK_LIMIT):
        # A word in one decision of eight: bm25 over 100,000 matches costs half a second. The join
        # then walks the index newest first (FTS5 consumes ORDER BY rowid DESC) and stops at the page.
        joined = queryset.extra(
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = disclosure_publication.id", f"{FTS_TABLE} MATCH %s"],
            params=[_fts5_match(terms)],
            select={"search_order": f"{FTS_TABLE}.rowid"},
        )
        return joined.order_by("-search_order")
    # SQLite: join the FTS5 table on rowid; bm25() is smaller for a better match.
    joined = queryset.extra(
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = disclosure_publication.id", f"{FTS_TABLE} MATCH %s"],
        params=[_fts5_match(terms)],
        select={"search_rank": f"bm25({FTS_TABLE})"},
    )
    return joined.order_by("search_rank", "-decided_on", "-published_at", "-pk")


def is_ranked(rows: QuerySet[Any]) -> bool:
    """Whether search() ordered `rows` by relevance (else: newest first, or by date without words)."""
    return "search_rank" in rows.query.annotations or "search_rank" in rows.query.extra


def _pg_search(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """search() on PostgreSQL: ranked by ts_rank through the GIN index when few rows may match,
    else newest first, walking an index in id order and stopping at the page (`_Walk`)."""
    terms = text.split(" ")
    tsquery = "plainto_tsquery('simple', %s)"
    if _pg_matches_more_than(terms, RANK_LIMIT):
        # ts_match_vq is the function behind @@, which no index serves: the planner's estimate of
        # an AND of common words multiplies their shares (62,748 matches of 未取得食品经营许可证
        # estimated at 306), and with @@ it read and sorted every match through the GIN index (1 s).
        walk = queryset.filter(
            RawSQL(f"ts_match_vq({PG_VECTOR}, {tsquery})", [text], output_field=BooleanField())
        ).order_by("-pk")
        walk = _Walk(model=walk.model, query=walk.query, using=walk.db, hints=getattr(walk, "_hints", None))
        found = _walk_count(walk, SEARCH_COUNT_CAP + 1)
        if found is not None:
            walk.found = (found, SEARCH_COUNT_CAP + 1)
            return walk
    # Few matches (or common words seldom together, or filters that leave few): the GIN index.
    matched = queryset.filter(RawSQL(f"{PG_VECTOR} @@ {tsquery}", [text], output_field=BooleanField()))
    ranked = matched.annotate(
        search_rank=RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", [text], output_field=FloatField())
    )
    return ranked.order_by("-search_rank", "-decided_on", "-published_at", "-pk")


# The plan of a newest-first search on PostgreSQL: an index read in id order (the primary key
# backwards, or (agency, id) with an agency filter), no sort, no bitmap of every match, no
# sequential scan, no parallel workers nor JIT (their start-up alone costs what the page does).
# The planner left alone estimates the filters' shares as independent (罚款 with a penalty kind:
# 3 rows estimated, 78,011 matched) and reads the whole table in parallel (1.8 s at 720,000).
WALK_PLANNER = {
    "enable_seqscan": "off",
    "enable_bitmapscan": "off",
    "enable_sort": "off",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
}


# The newest-first walk is taken when the newest PROBE_ROWS publications hold a page of matches
# with the filters: words each common but seldom together (暗管 工资), or a filter that leaves
# few, would make it read the whole table (3.4 s for 暗管 工资 at 720,000).
PROBE_ROWS = 2_000
PROBE_MATCHES = 20


def _walk_count(walk: QuerySet[Any], bound: int) -> int | None:
    """min(rows of the walk, bound), or None when the newest PROBE_ROWS rows hold fewer than
    PROBE_MATCHES: one statement (PostgreSQL runs the count's subquery only when the probe's
    CASE branch is taken), as every round trip costs milliseconds on a loaded server."""
    newest = RawSQL(
        f"{PG_ID} > (SELECT max(id) FROM disclosure_publication) - %s",
        [PROBE_ROWS],
        output_field=BooleanField(),
    )
    probe, probe_params = walk.filter(newest).values("pk")[:PROBE_MATCHES].query.sql_with_params()
    rows, rows_params = walk.values("pk")[:bound].query.sql_with_params()
    with _pg_planner(**WALK_PLANNER), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN (SELECT count(*) FROM ({probe}) p) >= %s"
            f" THEN (SELECT count(*) FROM ({rows}) r) END",
            [*probe_params, PROBE_MATCHES, *rows_params],
        )
        (found,) = cursor.fetchone()
    return None if found is None else int(found)


class _Walk(QuerySet[Any]):
    """A queryset whose page and count run with WALK_PLANNER (slices and clones keep it);
    `found`: its count, made with the probe (rows, the bound it stopped at)."""

    found: tuple[int, int] | None = None

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            with _pg_planner(**WALK_PLANNER):
                super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        with _pg_planner(**WALK_PLANNER):
            return super().count()


@contextmanager
def _pg_planner(**settings: str) -> Iterator[None]:
    """PostgreSQL planner settings for the statements in the block, local to a transaction; inside
    an outer one (ATOMIC_REQUESTS, a test) set back to the session's values after the block.
    One statement each way: under load every round trip to the server costs milliseconds."""
    names = list(settings)
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in names),
            [item for pair in settings.items() for item in pair],
        )
        try:
            yield
        finally:
            if outer:
                cursor.execute(
                    "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)", [names]
                )


def _pg_matches_more_than(terms: list[str], limit: int) -> bool:
    """Whether more than `limit` rows may hold every word: the planner's estimate from the
    column's lexeme statistics (ANALYZE), no row read, for each word alone — the fewest rows of
    one word bound the rows of all (the planner's own estimate of the AND multiplies the words'
    shares as if they were independent, and the words of a phrase are not: 未取得食品经营许可证
    was estimated at a few rows and matched 62,748). A bounded count measured worse: for a
    common word the planner reads the table in order and checks each row's vector."""
    fewest = float("inf")
    with connection.cursor() as cursor:
        for term in terms:
            cursor.execute(
                f"EXPLAIN (FORMAT JSON) SELECT 1 FROM disclosure_publication WHERE {PG_VECTOR}"
                " @@ plainto_tsquery('simple', %s)",
                [term],
            )
            (plan,) = cursor.fetchone()
            if isinstance(plan, str):
                plan = json.loads(plan)
            fewest = min(fewest, float(plan[0]["Plan"]["Plan Rows"]))
            if fewest <= limit:
                return False
    return fewest > limit


def _matches_any(terms: list[str]) -> bool:
    """Whether any indexed document holds every word (the index alone, public or not)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM disclosure_publication WHERE {PG_VECTOR} @@ plainto_tsquery('simple', %s)"
                " LIMIT 1",
                [" ".join(terms)],
            )
            return cursor.fetchone() is not None
    return _fts_matches_more_than(terms, 0)


def _fts_matches_more_than(terms: list[str], limit: int) -> bool:
    """Whether the FTS5 index holds more than `limit` documents with every word (index only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
            [_fts5_match(terms), limit + 1],
        )
        (found,) = cursor.fetchone()
    return int(found) > limit


# Pages count at most this many results: an exact count of a million rows costs seconds and
# nobody pages that far (the list stops at 500 pages of 20).
COUNT_CAP = 10_000
# A search with words counts at most this many ("超过 1000 件", as search engines do): each counted
# match is a row look-up for the public filters, 10,000 of them cost more than the page itself.
SEARCH_COUNT_CAP = 1_000


def count_cap(query: str) -> int:
    """How far the results of `query` are counted: SEARCH_COUNT_CAP with words, else COUNT_CAP."""
    return SEARCH_COUNT_CAP if query_terms(query) else COUNT_CAP


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> int:
    """min(number of rows, cap + 1): cap + 1 means "more than cap" (cap: COUNT_CAP by default)."""
    cap = COUNT_CAP if cap is None else cap
    if isinstance(queryset, _Walk):
        if queryset.found is not None:
            found, bound = queryset.found
            if found < bound or found >= cap + 1:  # exact, or already more than the cap
                return min(found, cap + 1)
        # Counted along the same walk, newest first: no random reads.
        return int(queryset.all()[: cap + 1].count())
    return int(queryset.order_by()[: cap + 1].count())


@dataclass(frozen=True)
class Filters:
    """The filters of the public list, the open-data API and the exports (all optional)."""

    agency: int | None = None
    kind: str | None = None
    category: str | None = None
    matter_kind: str | None = None
    outcome: str | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    penalty_kind: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


def apply_filters(queryset: QuerySet[Any], filters: Filters) -> QuerySet[Any]:
    f = filters
    if f.agency is not None:
        queryset = queryset.filter(agency_id=f.agency)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.category:
        queryset = queryset.filter(category=f.category)
    if f.matter_kind:
        queryset = queryset.filter(matter_kind=f.matter_kind)
    if f.outcome:
        queryset = queryset.filter(outcome=f.outcome)
    if f.decided_from:
        queryset = queryset.filter(decided_on__gte=f.decided_from)
    if f.decided_to:
        queryset = queryset.filter(decided_on__lte=f.decided_to)
    if f.fine_min is not None:
        queryset = queryset.filter(fine__gte=f.fine_min)
    if f.fine_max is not None:
        queryset = queryset.filter(fine__lte=f.fine_max)
    if f.penalty_kind:
        if f.penalty_kind not in PenaltyKind.values:
            return queryset.none()
        # The JSON list's text holds '"fine"' exactly when "fine" is an element (codes are ASCII
        # words); works the same on SQLite text and PostgreSQL jsonb::text.
        queryset = queryset.filter(penalty_kinds__icontains=f'"{f.penalty_kind}"')
    return queryset
