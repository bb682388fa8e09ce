"""The JSON API at /api/: each app adds its router here; errors come back as {code, message}.

Adapters only: endpoints parse input, call a service or selector, and return a schema. A
refused action is the service's DomainError, rendered with its code and its Chinese sentence.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted

api = NinjaAPI(
    title="zhifa API",
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
    return 400


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, _status(exc), exc.code, exc.message)


@api.exception_handler(DjangoValidationError)
def _form_refusal(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # A form's perform() refusing what it was given (e.g. 本案尚未送审).
    return _error(request, 400, InvalidInput.code, "；".join(exc.messages))


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # An integer beyond what the database stores (SQLite raises this while binding it).
    return _error(request, 422, InvalidInput.code, "参数中的数值超出允许的范围。")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", "找不到该对象，或者您无权查看。")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "请先登录。")


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_input", "提交的数据格式不正确。", errors=exc.errors)


# Routers, in the order of the apps (DESIGN §2).
api.add_router("/cases/", "zhifa.cases.api.router")
api.add_router("/ledger/", "zhifa.ledger.api.router")
api.add_router("/evidence/", "zhifa.evidence.api.router")
api.add_router("/disclosure/", "zhifa.disclosure.api.router")
api.add_router("/review/", "zhifa.review.api.router")
