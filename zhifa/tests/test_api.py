"""The JSON API as a whole (zhifa/api.py): every error is {code, message}, out-of-range integers
are refused before any query, CSRF failures are explained, and the OpenAPI description lists
the error answers of every operation."""

from __future__ import annotations

import re

import pytest
from django.db import DataError
from django.test import Client

from zhifa.accounts.models import Role
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db

TOO_BIG = "9223372036854775808"  # 2**63: one beyond the largest integer either database stores
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    assert set(body) >= {"code", "message"} and "detail" not in body
    assert CHINESE.search(body["message"]), body
    if code:
        assert body["code"] == code, body
    return body


@pytest.fixture
def officer_client() -> Client:
    client = Client()
    client.force_login(make_user(Role.OFFICER, agency=AgencyFactory()))
    return client


# ── out-of-range integers (422 before any query; ids that name nothing are 404) ─────────────


@pytest.mark.parametrize(
    "url",
    [
        f"/api/disclosure/publications?agency={TOO_BIG}",
        "/api/disclosure/publications?agency=0",
        f"/api/disclosure/publications?offset={TOO_BIG}",
        f"/api/disclosure/changes?limit={TOO_BIG}",
        f"/api/ledger/checkpoints?offset={TOO_BIG}",
        f"/api/ledger/checkpoints?limit={TOO_BIG}",
        f"/api/ledger/inclusion?index={TOO_BIG}",
        f"/api/ledger/consistency?size1={TOO_BIG}",
        f"/api/ledger/consistency?size1=0&size2={TOO_BIG}",
    ],
)
def test_public_query_integers_beyond_the_database_are_422(client, url):
    _error(client.get(url), 422, "invalid_input")


@pytest.mark.parametrize(
    "url",
    [
        f"/api/cases/?agency={TOO_BIG}",
        f"/api/cases/?handler={TOO_BIG}",
        f"/api/cases/?offset={TOO_BIG}",
        "/api/cases/?agency=-1",
    ],
)
def test_case_query_integers_beyond_the_database_are_422(officer_client, url):
    _error(officer_client.get(url), 422, "invalid_input")


def test_in_range_query_integers_are_answered(client, officer_client):
    assert client.get("/api/disclosure/publications", {"agency": 2**63 - 1}).json()["count"] == 0
    assert client.get("/api/ledger/checkpoints", {"offset": 2**63 - 1}).json() == []
    assert officer_client.get("/api/cases/", {"agency": 2**63 - 1, "offset": 2**63 - 1}).json() == []


@pytest.mark.parametrize(
    "url",
    [
        f"/api/disclosure/publications/{TOO_BIG}",
        "/api/disclosure/publications/0",
        "/api/disclosure/publications/x",
    ],
)
def test_public_ids_that_name_nothing_are_404(client, url):
    _error(client.get(url), 404, "not_found")


@pytest.mark.parametrize(
    "url", [f"/api/cases/{TOO_BIG}", "/api/cases/0", "/api/cases/x", f"/api/evidence/items/{TOO_BIG}"]
)
def test_staff_ids_that_name_nothing_are_404(officer_client, url):
    _error(officer_client.get(url), 404, "not_found")


def test_the_staff_api_still_needs_a_login(client):
    _error(client.get(f"/api/cases/?agency={TOO_BIG}"), 401, "unauthenticated")
    _error(client.get(f"/api/cases/{TOO_BIG}"), 401, "unauthenticated")


@pytest.mark.parametrize(
    "error",
    [OverflowError("Python int too large to convert to SQLite INTEGER"), DataError("bigint out of range")],
)
def test_a_database_range_error_is_a_422_on_either_back_end(client, monkeypatch, error):
    # The net under the schemas' bounds: SQLite raises OverflowError, PostgreSQL DataError.
    from zhifa.ledger import selectors

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(selectors, "recent_checkpoints", fail)
    _error(client.get("/api/ledger/checkpoints"), 422, "invalid_input")


# ── CSRF ──────────────────────────────────────────────────────────────────────────────────────


def test_a_session_post_without_csrf_token_is_403_in_chinese():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.OFFICER, agency=AgencyFactory()))
    body = _error(client.post("/api/cases/1/steps/recuse", "{}", content_type="application/json"), 403)
    assert body["code"] == "csrf_failed" and "CSRF" in body["message"]


def test_a_session_post_with_the_csrf_token_passes_the_check():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.OFFICER, agency=AgencyFactory()))
    client.get("/")  # the workbench (its logout form) sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/cases/1/steps/recuse", "{}", content_type="application/json", headers={"X-CSRFToken": token}
    )
    _error(response, 404, "not_found")  # past the CSRF check and the login: no such case


def test_a_page_form_without_csrf_token_gets_the_chinese_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.OFFICER, agency=AgencyFactory()))
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "安全校验未通过" in page and "CSRF" in page and 'lang="zh-Hans"' in page


# ── the OpenAPI description ───────────────────────────────────────────────────────────────────


def test_every_operation_lists_the_shared_error_answers(client):
    schema = client.get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"code", "message"} and set(error["required"]) == {"code", "message"}
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 12
    for path, method, op in operations:
        for status in ("400", "401", "403", "404", "409", "422"):
            answer = op["responses"].get(status)
            assert answer, (path, method, status)
            assert answer["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
            assert CHINESE.search(answer["description"])
        assert "200" in op["responses"], (path, method)


# ── validation details in Chinese ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/api/disclosure/publications?limit=abc", "查询参数“limit”应为整数。"),
        ("/api/disclosure/publications?limit=100000", "查询参数“limit”应不大于 100。"),
        ("/api/ledger/checkpoints?offset=-1", "查询参数“offset”应不小于 0。"),
    ],
)
def test_validation_details_are_chinese_sentences(client, url, said):
    body = _error(client.get(url), 422, "invalid_input")
    (error,) = body["errors"]
    assert error["msg"] == said
    assert body["message"] == f"提交的数据格式不正确：{said}"
    assert error["type"] and error["loc"][0] == "query"  # the machine-readable parts stay
