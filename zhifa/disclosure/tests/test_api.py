"""The open-data JSON API (/api/disclosure/): shapes, filters, cursor protocol, errors, no leaks."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhifa.disclosure import selectors
from zhifa.disclosure.models import Publication
from zhifa.disclosure.services import decision_prepare, publication_approve, publication_correct
from zhifa.disclosure.tests.factories import make_decided_case, publish
from zhifa.disclosure.tests.opendata_data import SECRETS, make_published
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    return make_published(world)


def get(path: str, **params):
    return Client().get(f"/api/disclosure{path}", params)


def test_list_shape_and_only_public_items(world, rows):
    decision_prepare(actor=world.admin, case=make_decided_case(world))  # a draft: never listed
    response = get("/publications")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["count_is_exact"] is True
    assert body["offset"] == 0 and body["limit"] == 20
    assert {i["id"] for i in body["items"]} == {rows.citizen.pk, rows.company.pk}
    item = next(i for i in body["items"] if i["id"] == rows.company.pk)
    assert item["kind"] == "decision" and item["kind_label"] == "行政执法决定"
    assert item["agency_name"] == world.agency.name
    assert item["fine"] == "20000.00" and item["penalty_kinds"] == ["warning", "fine"]
    assert item["change"] == "published" and item["state"] == "published"
    assert item["content"]["agency"] == world.agency.name
    assert item["url"] == f"/public/decisions/{rows.company.pk}/"
    assert item["decided_on"] == "2025-10-20"
    assert item["display_until"]  # a 3-year display period for this fine


def test_list_filters_and_search(world, rows):
    assert [i["id"] for i in get("/publications", q="农民工").json()["items"]] == [rows.company.pk]
    assert [i["id"] for i in get("/publications", penalty_kind="warning").json()["items"]] == [
        rows.company.pk
    ]
    assert [i["id"] for i in get("/publications", fine_max="10000").json()["items"]] == [rows.citizen.pk]
    assert get("/publications", agency=world.other_agency.pk).json()["count"] == 0
    assert get("/publications", decided_from="2025-10-01").json()["count"] == 1
    assert get("/publications", kind="decision").json()["count"] == 2
    page = get("/publications", limit=1, offset=1).json()
    assert page["count"] == 2 and len(page["items"]) == 1


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({"kind": "nope"}, 400, "invalid_kind"),
        ({"limit": "1000"}, 422, "invalid_input"),
        ({"decided_from": "yesterday"}, 422, "invalid_input"),
        ({"fine_min": "-1"}, 422, "invalid_input"),
    ],
)
def test_list_bad_parameters(rows, params, status, code):
    response = get("/publications", **params)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]


def test_detail_with_versions_and_corrections(world, rows):
    version = selectors.current_version(rows.citizen)
    draft = publication_correct(
        actor=world.admin,
        publication=rows.citizen,
        content={**version.content, "penalty": "罚款人民币4000元"},
        note="更正罚款金额。",
    )
    response = get(f"/publications/{rows.citizen.pk}")
    assert response.json()["version"] == 1  # the draft is not public
    publication_approve(actor=world.admin, version=draft)
    body = get(f"/publications/{rows.citizen.pk}").json()
    assert (
        body["version"] == 2 and body["change"] == "corrected" and body["correction_note"] == "更正罚款金额。"
    )
    assert body["content"]["penalty"] == "罚款人民币4000元"
    assert [v["number"] for v in body["versions"]] == [2, 1]


def test_withdrawn_detail_has_the_reason_not_the_content(rows):
    body = get(f"/publications/{rows.withdrawn.pk}").json()
    assert body["state"] == "withdrawn" and body["change"] == "withdrawn"
    assert body["content"] is None and body["content_sha256"] is None
    assert body["withdrawal_reason"] == "复议机关撤销了原处罚决定。"


def test_detail_refuses_drafts_and_unknown_ids(world, rows):
    draft = decision_prepare(actor=world.admin, case=make_decided_case(world))
    for pk in (draft.publication_id, 999999):
        response = get(f"/publications/{pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_read_only(world, rows):
    client = Client(enforce_csrf_checks=True)
    with unchanged_db():
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(f"/api/disclosure/publications/{rows.citizen.pk}")
            assert response.status_code == 405
        assert client.post("/api/disclosure/publications", {}).status_code == 405


def test_changes_cursor_protocol(world, rows):
    first = get("/changes", cursor="0", limit="2").json()
    assert first["cursor"] == 0 and first["has_more"] is True
    revisions = [i["revision"] for i in first["items"]]
    assert revisions == sorted(revisions) and first["next_cursor"] == revisions[-1]
    second = get("/changes", cursor=str(first["next_cursor"]), limit="2").json()
    assert second["has_more"] is False
    seen = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(seen) == sorted([rows.citizen.pk, rows.company.pk, rows.withdrawn.pk])
    withdrawn = next(i for i in second["items"] + first["items"] if i["id"] == rows.withdrawn.pk)
    assert withdrawn["change"] == "withdrawn" and withdrawn["content"] is None
    assert withdrawn["withdrawal_reason"]
    # Nothing new: the same cursor comes back.
    last = get("/changes", cursor=str(second["next_cursor"])).json()
    assert last["items"] == [] and last["next_cursor"] == second["next_cursor"]
    # A new publication and a correction after that cursor are exactly what the next pull returns.
    newer = publish(world, make_decided_case(world))
    version = selectors.current_version(rows.company)
    correction = publication_correct(
        actor=world.admin, publication=rows.company, content=dict(version.content), note="更正。"
    )
    publication_approve(actor=world.admin, version=correction)
    pulled = get("/changes", cursor=str(second["next_cursor"])).json()
    assert [(i["id"], i["change"]) for i in pulled["items"]] == [
        (newer.pk, "published"),
        (rows.company.pk, "corrected"),
    ]


def test_changes_reports_expired_without_content(world, rows):
    import datetime as dt

    from django.utils import timezone

    Publication.objects.filter(pk=rows.citizen.pk).update(
        published_at=timezone.now() - dt.timedelta(days=200)
    )
    items = get("/changes", cursor="0").json()["items"]
    expired = next(i for i in items if i["id"] == rows.citizen.pk)
    assert expired["change"] == "expired" and expired["content"] is None


@pytest.mark.parametrize("cursor", ["-1", "abc", "1.5", "", " ", "１２", "9" * 30, "0x10"])
def test_invalid_cursor_is_400_json(rows, cursor):
    response = get("/changes", cursor=cursor)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_cursor" and "游标" in body["message"]


def test_changes_limit_bounds(rows):
    assert get("/changes", limit="0").status_code == 422
    assert get("/changes", limit="501").status_code == 422
    assert get("/changes", kind="nope").status_code == 400


def test_openapi_documents_the_schemas(client):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert "/api/disclosure/publications" in paths and "/api/disclosure/changes" in paths
    assert "PublicationOut" in schema["components"]["schemas"]
    assert "ChangesPage" in schema["components"]["schemas"]


def test_no_personal_data_in_any_api_output(world, rows):
    outputs = [
        get("/publications").content,
        get("/changes").content,
        get(f"/publications/{rows.citizen.pk}").content,
        get("/publications", q="工资").content,
    ]
    for raw in outputs:
        text = json.loads(raw)  # valid JSON
        dumped = json.dumps(text, ensure_ascii=False)
        for secret in SECRETS:
            assert secret not in dumped


def test_count_is_capped(rows, monkeypatch):
    from zhifa.disclosure import search

    monkeypatch.setattr(search, "COUNT_CAP", 1)
    body = get("/publications").json()
    assert body["count"] == 1 and body["count_is_exact"] is False and len(body["items"]) == 2
