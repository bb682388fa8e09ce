"""Full-text search over published decisions (zhifa.disclosure.search), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from zhifa.catalog.models import MatterKind
from zhifa.disclosure import search, search_index, selectors
from zhifa.disclosure.models import Kind, Publication
from zhifa.disclosure.services import (
    decision_prepare,
    publication_correct,
    publication_withdraw,
)
from zhifa.disclosure.tests.factories import CITIZEN, ORGANISATION, approve, make_decided_case, publish
from zhifa.testing.factories import make_matter

pytestmark = pytest.mark.django_db

STATISTICS_FACTS = "经查，当事人在国家统计调查中提供不真实的统计资料，拒绝提供原始记录和凭证。"


def found(query: str, **filters) -> list[int]:
    rows = search.apply_filters(selectors.public_publications(kind=Kind.DECISION), search.Filters(**filters))
    return [p.pk for p in search.search(rows, query)]


@pytest.fixture
def three(world):
    """A citizen's wage case (fine 5000), a company's wage case (warning+fine 20000), a statistics case."""
    wages = publish(world, make_decided_case(world, decided_on=dt.date(2025, 9, 26)))
    company = publish(
        world,
        make_decided_case(
            world,
            party=ORGANISATION,
            decided_on=dt.date(2025, 10, 20),
            kinds=["warning", "fine"],
            fine=Decimal(20000),
            report_facts="经查，当事人某某建筑劳务有限公司拖欠农民工工资共计人民币12,000.50元。",
        ),
    )
    stats_domain_matter = make_matter(agency=world.agency, domain=world.domain, kind=MatterKind.OTHER)
    stats = publish(
        world,
        make_decided_case(
            world,
            matter=stats_domain_matter,
            party=ORGANISATION,
            decided_on=dt.date(2025, 11, 3),
            outcome="no_penalty",
            report_facts=STATISTICS_FACTS,
        ),
    )
    return wages, company, stats


def test_tokens_are_segmented_normalised_words_with_whole_numbers_and_names():
    text = search.tokens_for(
        {
            "agency": "测试市人力资源和社会保障局",
            "document_number": "测人社监罚〔２０２５〕12号",
            "party": "张**",
            "facts": "拖欠劳动者工资共计12,000.50元，违反《劳动保障监察条例》第二十六条。ABC",
            "table": [{"name": "统计调查"}, 2],
        }
    )
    words = text.split(" ")
    for word in ("工资", "拖欠", "劳动者", "劳动", "统计", "统计调查", "abc", "12000", "第二十六条"):
        assert word in words
    assert "测人社监罚202512号" in words  # the 文号 whole, full-width digits normalised
    assert "测试市人力资源和社会保障局" in words
    assert all(w.isalnum() for w in words)  # no punctuation, no masking stars


def test_query_terms_are_words_only():
    assert search.query_terms('"工资" AND NEAR(拖欠 -统计*)') == ["工资", "and", "near", "拖欠", "统计"]
    assert search.query_terms("  ") == []


def test_finds_by_segmented_words(three):
    wages, company, stats = three
    assert set(found("工资")) == {wages.pk, company.pk}
    assert set(found("拖欠")) == {wages.pk, company.pk}
    assert found("统计") == [stats.pk]
    assert found("统计资料") == [stats.pk]
    assert found("农民工 工资") == [company.pk]  # every word is required
    assert found("工资 统计") == []
    assert found("12000.50") == [company.pk]  # the amount as typed with or without separators


def test_finds_a_decision_by_its_document_number(three):
    _wages, company, _ = three
    assert found(company.document_number) == [company.pk]
    assert found(company.document_number.replace("〔", "[").replace("〕", "]")) == [company.pk]


def test_empty_query_keeps_filters_and_orders_by_date(three):
    wages, company, stats = three
    assert found("") == [stats.pk, company.pk, wages.pk]
    assert found("   ", outcome="penalty") == [company.pk, wages.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"工资',
        "工资*",
        "*",
        "-工资",
        "工资 -拖欠",
        "NEAR(工资 拖欠)",
        "工资 AND",
        "AND",
        "OR 工资",
        "NOT",
        "工资 OR 拖欠",
        "(",
        ")",
        "^工资",
        "search_text:工资",
        "'; DROP TABLE x; --",
        "\\",
        "%",
        "_",
        "工资:*",
        "!!&|",
    ],
)
def test_special_characters_are_only_text(three, query):
    wages, company, _ = three
    result = found(query)  # never an FTS5/tsquery syntax error
    if search.query_terms(query) == ["工资"]:
        assert set(result) == {wages.pk, company.pk}


def test_filters(world, three):
    wages, company, stats = three
    assert set(found("", agency=world.agency.pk)) == {wages.pk, company.pk, stats.pk}
    assert found("", agency=world.other_agency.pk) == []
    assert set(found("", matter_kind=MatterKind.PENALTY)) == {wages.pk, company.pk}
    assert found("", matter_kind=MatterKind.OTHER) == [stats.pk]
    assert len(found("", category=world.domain.name)) == 3
    assert found("", category="不存在的类别") == []
    assert found("", outcome="no_penalty") == [stats.pk]
    assert found("", decided_from=dt.date(2025, 10, 1), decided_to=dt.date(2025, 10, 31)) == [company.pk]
    assert found("", fine_min=Decimal(10000)) == [company.pk]
    assert found("", fine_max=Decimal(10000)) == [wages.pk]
    assert found("", penalty_kind="warning") == [company.pk]
    assert set(found("", penalty_kind="fine")) == {wages.pk, company.pk}
    assert found("", penalty_kind="war") == []  # only a whole code matches
    assert found("工资", fine_min=Decimal(10000)) == [company.pk]


def test_never_returns_drafts_withdrawn_or_expired(world, three):
    wages, company, stats = three
    draft = decision_prepare(
        actor=world.admin, case=make_decided_case(world, report_facts="拖欠工资的草稿。")
    )
    assert draft.publication.pk not in found("工资")
    publication_withdraw(actor=world.admin, publication=company, reason="复议机关撤销了原处罚决定。")
    assert found("工资") == [wages.pk]
    # Display over: a minor decision (fine ≤ 10000) shown 3 months from its first publication.
    Publication.objects.filter(pk=wages.pk).update(published_at=timezone.now() - dt.timedelta(days=120))
    assert found("工资") == []
    assert found("") == [stats.pk]


def test_a_correction_replaces_the_indexed_text(world, three):
    wages, _, _ = three
    version = selectors.current_version(wages)
    content = {**version.content, "facts": "经查，当事人未依法参加社会保险。"}
    draft = publication_correct(actor=world.admin, publication=wages, content=content, note="更正违法事实。")
    assert wages.pk in found("工资")  # the published text stays until the correction is approved
    approve(world.admin, draft)
    assert wages.pk not in found("工资")
    assert found("社会保险") == [wages.pk]


def test_relevance_first_then_date(world, three):
    wages, company, _ = three
    often = publish(
        world,
        make_decided_case(
            world,
            decided_on=dt.date(2025, 8, 1),
            report_facts="拖欠工资，拖欠加班工资，拖欠工资的情形多次发生，工资清单缺失。",
        ),
    )
    result = found("工资")
    assert result[0] == often.pk
    assert set(result) == {often.pk, wages.pk, company.pk}


def test_no_personal_data_in_the_index(world, three):
    wages, _, _ = three
    text = Publication.objects.get(pk=wages.pk).search_text
    for secret in (
        CITIZEN["party_name"],
        CITIZEN["party_id_number"],
        CITIZEN["party_phone"],
        "13900001111",
        "王五",
    ):
        assert secret not in text.replace(" ", "")
    assert found(CITIZEN["party_id_number"]) == []
    assert found(CITIZEN["party_phone"]) == []
    assert found("张三丰") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_dropped_triggers_are_restored_and_the_index_rebuilt(world, three):
    wages, _, _ = three
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search_index.FTS_TABLE}_au")
    Publication.objects.filter(pk=wages.pk).update(search_text="全新 文本")
    assert search_index.ensure_index(connection) is True
    assert found("全新") == [wages.pk]
    assert search_index.ensure_index(connection) is False


def test_after_migrate_keeps_the_index(world, three):
    search_index.after_migrate(sender=None, using="default")
    assert len(found("工资")) == 2


def _wage_decisions(world, count: int) -> list[Publication]:
    return [
        publish(
            world,
            make_decided_case(
                world,
                decided_on=dt.date(2025, 7, 1 + i),
                report_facts=f"经查，当事人拖欠{i + 2}名劳动者工资。",
            ),
        )
        for i in range(count)
    ]


def test_a_large_match_set_is_listed_newest_first_and_pages_neither_overlap_nor_skip(
    world, three, monkeypatch
):
    wages, company, _stats = three
    more = _wage_decisions(world, 3)
    monkeypatch.setattr(search, "RANK_LIMIT", 0)  # every match set is "large" (PostgreSQL: an estimate ≥ 1)
    monkeypatch.setattr(search, "PROBE_MATCHES", 1)  # PostgreSQL: the newest rows hold "a page"
    rows = search.search(selectors.public_publications(kind=Kind.DECISION), "工资")
    ids = [p.pk for p in rows]
    assert ids == sorted(ids, reverse=True)  # newest publication first
    assert set(ids) == {wages.pk, company.pk, *(p.pk for p in more)}
    paged = [p.pk for start in range(0, 6, 2) for p in rows[start : start + 2]]
    assert paged == ids
    assert search.capped_count(rows, 3) == 4 and search.capped_count(rows) == 5
    # The public rules and the filters hold on this path too.
    assert found("工资", fine_min=Decimal(10000)) == [company.pk]
    publication_withdraw(actor=world.admin, publication=more[0], reason="复议机关撤销了原处罚决定。")
    assert more[0].pk not in found("工资") and len(found("工资")) == 4


def test_a_small_match_set_is_ranked_and_pages_follow_the_ranking(world, three):
    wages, company, _stats = three
    more = _wage_decisions(world, 3)
    rows = search.search(selectors.public_publications(kind=Kind.DECISION), "工资")
    ranked = [p.pk for p in rows]
    assert set(ranked) == {wages.pk, company.pk, *(p.pk for p in more)}
    assert [p.pk for start in range(0, 6, 2) for p in rows[start : start + 2]] == ranked
    assert [p.pk for p in rows[1:3]] == ranked[1:3]
    # Equal relevance (the same facts but the number): the later decision first.
    same = [pk for pk in ranked if pk in {p.pk for p in more}]
    assert same == [p.pk for p in reversed(more)]


def test_a_search_counts_to_its_own_cap(three, monkeypatch):
    monkeypatch.setattr(search, "SEARCH_COUNT_CAP", 1)
    assert search.count_cap("工资") == 1
    assert search.count_cap("  ") == search.COUNT_CAP  # filters alone: the list's cap
    rows = search.search(selectors.public_publications(kind=Kind.DECISION), "工资")
    assert search.capped_count(rows, search.count_cap("工资")) == 2  # "more than 1"


def test_the_list_says_how_it_is_ordered(client, settings, three, monkeypatch):
    settings.ZHIFA_PORTAL_CACHE = False  # the same address is rendered again with another limit

    def said(**query) -> str:
        return client.get("/public/decisions/", query).content.decode()

    assert "按相关程度排列" in said(q="工资")
    assert "按决定日期排列" in said()
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    monkeypatch.setattr(search, "PROBE_MATCHES", 1)
    page = said(q="工资")
    assert "按公开先后排列（新的在前）" in page and "按相关程度排列" not in page


def test_document_number_terms_take_each_number_whole():
    assert search.document_number_terms("测人社监罚［２０２５］12号") == ["测人社监罚202512号"]
    assert search.document_number_terms(" 京市监罚字〔2025〕第3号 工资") == ["京市监罚字2025第3号", "工资"]
    assert search.document_number_terms("临环5罚(2026)119号") == ["临环5罚2026119号"]
    assert search.document_number_terms("拖欠 工资 2025") is None
    assert search.document_number_terms("") is None


def test_a_document_number_is_looked_up_whole_not_by_its_pieces(world, three):
    _wages, company, _stats = three
    serial = re.search(r"〕(\d+)号", company.document_number)[1]
    # Every piece of the company's 文号 (代字, year, 号, serial) is in this decision, not the 文号.
    pieces = publish(
        world,
        make_decided_case(
            world, decided_on=dt.date(2025, 12, 1), report_facts=f"经查，当事人拖欠{serial}名劳动者工资。"
        ),
    )
    number_terms = search.query_terms(company.document_number)
    assert set(found(" ".join(number_terms))) == {company.pk, pieces.pk}  # the pieces as words
    assert found(company.document_number) == [company.pk]
    assert found(f"{company.document_number} 农民工") == [company.pk]  # with other words too
    assert found(f"{company.document_number} 统计") == []
    # Typed in part (监罚〔2025〕4号 without the 代字's start), it matches no whole 文号 and is
    # searched by its pieces.
    partial = company.document_number[company.document_number.index("监罚") :]
    assert search.document_number_terms(partial) and company.pk in found(partial)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's newest-first walk")
def test_postgresql_walks_newest_first_only_when_the_newest_rows_hold_a_page(world, three, monkeypatch):
    wages, company, stats = three
    more = _wage_decisions(world, 3)
    monkeypatch.setattr(search, "RANK_LIMIT", 0)
    monkeypatch.setattr(search, "PROBE_MATCHES", 2)
    rows = search.search(selectors.public_publications(kind=Kind.DECISION), "工资")
    assert not search.is_ranked(rows)
    assert [p.pk for p in rows] == sorted({wages.pk, company.pk, *(p.pk for p in more)}, reverse=True)
    assert [p.pk for p in rows[1:3]] == [p.pk for p in rows][1:3]
    assert search.capped_count(rows, 2) == 3 and search.capped_count(rows) == 5
    # Words each common enough but never together (统计 is only in the statistics decision), or a
    # filter leaving fewer than a page among the newest rows: the GIN index, not a walk of the table.
    assert search.is_ranked(search.search(selectors.public_publications(kind=Kind.DECISION), "工资 统计"))
    assert found("工资 统计") == []
    few = search.apply_filters(selectors.public_publications(), search.Filters(fine_min=Decimal(10000)))
    assert search.is_ranked(search.search(few, "工资"))
    assert found("工资", fine_min=Decimal(10000)) == [company.pk]
    # The walk's planner settings are back to what they were, in the same transaction.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_sort')")
        assert cursor.fetchone() == ("on", "on")
    assert stats.pk in found("统计")
