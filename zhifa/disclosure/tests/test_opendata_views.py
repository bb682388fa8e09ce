"""The public decision list (/public/decisions/) and the open-data page (/public/opendata/)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.disclosure import opendata_views
from zhifa.disclosure.services import decision_prepare
from zhifa.disclosure.tests.factories import make_decided_case, publish
from zhifa.disclosure.tests.opendata_data import SECRETS, make_published
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    return make_published(world)


def test_list_anonymous_with_highlight(client, world, rows):
    response = client.get("/public/decisions/", {"q": "农民工 工资"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/public/decisions/{rows.company.pk}/" in html
    assert f"/public/decisions/{rows.citizen.pk}/" not in html
    assert "<mark>农民工</mark>" in html and "<mark>工资</mark>" in html
    assert 'name="viewport"' in html  # the portal layout, phone-friendly


def test_list_without_query_shows_every_public_decision(client, world, rows):
    draft = decision_prepare(actor=world.admin, case=make_decided_case(world))
    html = client.get("/public/decisions/").content.decode()
    assert "共 2 件" in html
    assert f"/public/decisions/{rows.withdrawn.pk}/" not in html
    assert f"/public/decisions/{draft.publication_id}/" not in html


def test_list_filters_and_bad_filters(client, world, rows):
    html = client.get("/public/decisions/", {"penalty_kind": "warning"}).content.decode()
    assert "共 1 件" in html and f"/public/decisions/{rows.company.pk}/" in html
    html = client.get("/public/decisions/", {"decided_from": "坏日期", "outcome": "penalty"}).content.decode()
    assert "共 2 件" in html and "部分筛选条件有误" in html
    html = client.get("/public/decisions/", {"category": world.domain.name}).content.decode()
    assert "共 2 件" in html


def test_list_pages(client, world, rows, monkeypatch):
    monkeypatch.setattr(opendata_views, "PAGE_SIZE", 1)
    html = client.get("/public/decisions/", {"q": "工资", "page": "2"}).content.decode()
    assert "第 2 / 2 页" in html and "q=%E5%B7%A5%E8%B5%84" in html
    assert client.get("/public/decisions/", {"page": "abc"}).status_code == 200
    assert client.get("/public/decisions/", {"page": "99999"}).status_code == 200


def test_list_is_read_only_and_escapes(client, world, rows):
    csrf_client = Client(enforce_csrf_checks=True)
    with unchanged_db():
        assert csrf_client.post("/public/decisions/", {"q": "工资"}).status_code in (403, 405)
    html = client.get("/public/decisions/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_list_never_leaks_personal_data(client, world, rows):
    for query in ("", "工资", "张三丰", "13812345678"):
        html = client.get("/public/decisions/", {"q": query}).content.decode()
        results = html[html.index('aria-label="检索结果"') :]  # the query itself is echoed in the form
        for secret in SECRETS:
            assert secret not in results


def test_highlight_escapes_and_marks():
    pattern = opendata_views._pattern(["工资", "a&b"])
    assert opendata_views.highlight("<b>工资</b>", pattern) == "&lt;b&gt;<mark>工资</mark>&lt;/b&gt;"
    assert opendata_views.highlight("x", None) == "x"


def test_snippet_centres_on_the_match():
    content = {"facts": "甲" * 200 + "工资" + "乙" * 200, "conclusion": "给予行政处罚"}
    text = opendata_views.snippet(content, opendata_views._pattern(["工资"]))
    assert text.startswith("违法事实：…") and "<mark>工资</mark>" in text and text.endswith("…")


def test_opendata_page(client, world):
    response = client.get("/public/opendata/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "/api/disclosure/changes",
        "next_cursor",
        "invalid_cursor",
        "/public/feed.atom",
        "content_sha256",
        "document_number",
    ):
        assert text in html
    # Field types in words, not Python's annotations.
    fields = {name: kind for name, kind, _ in response.context["fields"]}
    assert fields["decided_on"] == "日期（YYYY-MM-DD），可为 null"
    assert fields["penalty_kinds"] == "字符串数组" and fields["id"] == "整数"
    assert fields["content"] == "对象，可为 null"
    assert "None" not in html and "str |" not in html and "datetime.date" not in html
    assert Client(enforce_csrf_checks=True).post("/public/opendata/").status_code in (403, 405)


def test_old_decisions_stay_findable(client, world):
    old = publish(world, make_decided_case(world, decided_on=dt.date(2024, 1, 5), kinds=["warning"], fine=0))
    html = client.get("/public/decisions/", {"decided_to": "2024-12-31"}).content.decode()
    assert f"/public/decisions/{old.pk}/" in html


def test_count_is_capped(client, world, rows, monkeypatch):
    from zhifa.disclosure import search

    monkeypatch.setattr(search, "COUNT_CAP", 1)
    html = client.get("/public/decisions/").content.decode()
    assert "超过 1 件" in html
