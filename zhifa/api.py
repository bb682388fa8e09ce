"""The JSON API at /api/: each app adds its router here; errors come back as {code, message}.

Adapters only: endpoints parse input, call a service or selector, and return a schema. A
refused action is the service's DomainError, rendered with its code and its Chinese sentence.
Every other failure a client can cause (a malformed or out-of-range parameter, a missing login
or CSRF token, an unknown id) has the same shape, and the OpenAPI description lists it on every
operation.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema

from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted, RateLimited

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    """The body of every error answer."""

    code: str
    message: str


# The error answers every operation may give, as listed in the OpenAPI description.
ERROR_RESPONSES = {
    400: "操作未执行：业务规则不允许，或请求体无法解析。code 为规则代码，message 为中文说明。",
    401: "未登录（需要登录的接口）。",
    403: "无权操作，或 CSRF 校验失败（code 为 csrf_failed）。",
    404: "对象不存在，或者您无权查看。",
    409: "冲突：对象的状态已经改变（例如该环节已经办理）。",
    422: "参数格式不正确或超出允许的范围；errors 逐项列出。",
}


class ZhifaAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # Added to the finished description rather than to each route's `response=`, so that no
        # operation can forget them.
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = (
            ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.pop(str(status), None)
                    responses[status] = {"description": description, "content": reference}
        return schema


class VendoredSwagger(DocsBase):
    """/api/docs from our own static files: ninja's default loads Swagger UI from a CDN, which is
    blank offline and would need a third-party script source in the Content-Security-Policy."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"title": api.title, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)


api = ZhifaAPI(
    title="zhifa API",
    docs=VendoredSwagger(),
    version="1",
    description='行政执法平台接口。错误统一返回 {"code": ..., "message": ...}。',
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


def _status(exc: DomainError) -> int:
    if isinstance(exc, NotPermitted):
        return 403
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, RateLimited):
        return 429
    return 400


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, _status(exc), exc.code, exc.message)


@api.exception_handler(DjangoValidationError)
def _form_refusal(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # A form's perform() refusing what it was given (e.g. 本案尚未送审).
    return _error(request, 400, InvalidInput.code, "；".join(exc.messages))


OUT_OF_RANGE = "参数中的数值超出允许的范围。"


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An integer beyond what the database stores (SQLite raises this while binding it). The
    # schemas bound their integers, so this is the net for a parameter that slipped through.
    logger.warning("API integer out of range on %s: %s", request.path, exc)
    return _error(request, 422, InvalidInput.code, OUT_OF_RANGE)


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # PostgreSQL's answer to the same (e.g. "bigint out of range" for an OFFSET): the input did
    # not fit the column or the query, and the statement changed nothing.
    logger.warning("API value out of range on %s: %s", request.path, exc)
    return _error(request, 422, InvalidInput.code, OUT_OF_RANGE)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "找不到该对象，或者您无权查看。")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录。")


# ninja raises a bare HttpError for these (ninja.security.apikey: a session request without a
# valid CSRF token is 403 "CSRF check Failed"; ninja.params.models: a body that does not parse).
_HTTP_ERRORS = {
    400: ("invalid_input", "请求体无法解析，应为 JSON。"),
    403: (
        "csrf_failed",
        "CSRF 校验失败，请求未执行：请刷新页面后重试；以登录会话调用接口时，"
        "请在 X-CSRFToken 请求头中带上 csrftoken Cookie 的值。",
    ),
    429: ("throttled", "请求过于频繁，请稍后再试。"),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", "请求未能处理。"))
    return _error(request, exc.status_code, code, message)


# pydantic's error types, said in Chinese (the English `msg` would reach Chinese users as is).
_INVALID = {
    "missing": "为必填项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数部分",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_max_places": "至多 {decimal_places} 位小数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "至多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "date_parsing": "应为日期，格式为 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式为 YYYY-MM-DD",
    "date_type": "应为日期，格式为 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS",
    "datetime_from_date_parsing": "应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS",
    "datetime_type": "应为日期时间，格式为 YYYY-MM-DDTHH:MM:SS",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "list_type": "应为数组",
    "too_short": "至少 {min_length} 项",
    "too_long": "至多 {max_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "是不允许的字段",
    "uuid_parsing": "应为 UUID",
}
_WHERE = {
    "query": "查询参数",
    "body": "请求体字段",
    "form": "表单字段",
    "header": "请求头",
    "cookie": "Cookie",
}


def _in_chinese(error: dict[str, Any]) -> str:
    """“查询参数“limit”应不大于 100。” for one of pydantic's errors."""
    loc = [str(part) for part in error.get("loc", [])]
    where = _WHERE.get(loc[0], "参数") if loc else "参数"
    name = ".".join(loc[1:]) or (loc[0] if loc else "")
    kind = error.get("type", "")
    if kind == "value_error":
        # A validator of ours raised it: its own sentence, without pydantic's English prefix.
        text = str(error.get("msg", "")).removeprefix("Value error, ").rstrip("。")
    else:
        try:
            text = _INVALID.get(kind, "取值不正确").format(**error.get("ctx", {}))
        except (KeyError, IndexError):
            text = "取值不正确"
    return f"{where}“{name}”{text}。" if name else f"{text}。"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # An id in the path that is no id (or beyond any stored one) names nothing: not found, as
    # the web pages answer. Query and body parameters that do not validate are the client's 422.
    if exc.errors and all(error.get("loc", [""])[0] == "path" for error in exc.errors):
        return _not_found(request, Http404())
    errors = [{**error, "msg": _in_chinese(error)} for error in exc.errors]
    message = (
        "提交的数据格式不正确：" + "".join(e["msg"] for e in errors[:3])
        if errors
        else "提交的数据格式不正确。"
    )
    return _error(request, 422, "invalid_input", message, errors=errors)


# Routers, in the order of the apps (DESIGN §2).
api.add_router("/cases/", "zhifa.cases.api.router")
api.add_router("/ledger/", "zhifa.ledger.api.router")
api.add_router("/evidence/", "zhifa.evidence.api.router")
api.add_router("/disclosure/", "zhifa.disclosure.api.router")
api.add_router("/review/", "zhifa.review.api.router")
api.add_router("/inspections/tasks/", "zhifa.inspections.task_api.router")
api.add_router("/inspections/", "zhifa.inspections.api.router")


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """An address under /api/ that names no operation (or an id that is not a number)."""
    from django.http import JsonResponse

    return JsonResponse({"code": "not_found", "message": "找不到该对象，或者您无权查看。"}, status=404)
