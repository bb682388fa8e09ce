"""JSON bodies through Django forms: the API validates what it is sent with the very form the
page uses, so both are held to the same fields and messages."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from django import forms
from django.http import Http404, HttpRequest, QueryDict

from zhifa.core.errors import InvalidInput
from zhifa.core.validation import DB_INT_MAX

F = TypeVar("F", bound=forms.BaseForm)


def payload(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("请求体应为 JSON 对象，键为表单的字段。")
    return data


def form_data(data: dict[str, Any]) -> QueryDict:
    """The JSON object as the form data a browser would post."""
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                query[key] = "on"
        elif value is not None:
            query[key] = str(value)
    return query


def valid(form: F) -> F:
    """The bound form, or InvalidInput naming each field and its errors."""
    if not form.is_valid():
        raise InvalidInput("；".join(f"{k}：{'、'.join(str(e) for e in v)}" for k, v in form.errors.items()))
    return form


def object_pk(pk: int) -> int:
    """A path id the database can hold; any other names nothing (404, not a 500)."""
    if not 1 <= pk <= DB_INT_MAX:
        raise Http404("找不到该对象，或者您无权查看。")
    return pk
