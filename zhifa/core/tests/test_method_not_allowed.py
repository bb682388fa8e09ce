"""A GET on an address that only takes POST says what to do: a Chinese page, or JSON under /api/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_a_page_that_only_takes_a_form_says_so(client):
    client.force_login(make_user(Role.OFFICER))
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    page = response.content.decode()
    assert "只接受 POST 请求，不能直接打开" in page and "用页面上的按钮或表单办理" in page
    assert response["Content-Type"].startswith("text/html")


def test_the_api_answers_json_naming_the_method(client):
    response = client.get("/api/review/cases/1/submit")
    assert response.status_code == 405
    body = response.json()
    assert body == {"code": "method_not_allowed", "message": "该接口不接受 GET 请求，请改用 POST。"}
    assert response["Allow"] == "POST"


def test_a_405_with_a_body_of_its_own_is_left_alone(client, rf):
    from django.http import HttpResponseNotAllowed

    from zhifa.core.middleware import MethodNotAllowedMiddleware

    own = HttpResponseNotAllowed(["POST"], content=b"<html><p>mine</p></html>")
    assert MethodNotAllowedMiddleware(lambda request: own)(rf.get("/x/")) is own
