"""Turn a domain error that escaped a view into a readable Chinese page (nothing was changed)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zhifa.core.errors import DomainError, NotPermitted, RateLimited


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        status = (
            403 if isinstance(exception, NotPermitted) else 429 if isinstance(exception, RateLimited) else 400
        )
        title = "无权操作" if status == 403 else "操作未执行"
        return render(request, "error.html", {"title": title, "message": exception.message}, status=status)


# Methods as a user reads them; HEAD and OPTIONS go without saying.
_QUIET_METHODS = {"HEAD", "OPTIONS"}


class MethodNotAllowedMiddleware:
    """A 405 (a GET on an address that only takes a form's POST, e.g. a bookmarked step or a
    logout link) says what to do instead of answering with an empty page: a Chinese page, or
    under /api/ the usual JSON {code, message}. The Allow header stays as Django set it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Django's 405 is empty and django-ninja's says "Method not allowed"; an answer in JSON
        # or a page of a view's own is left alone.
        if response.status_code != 405 or response.streaming:
            return response
        if response.get("Content-Type", "").startswith("application/json") or b"<html" in response.content:
            return response
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        shown = "、".join(m for m in allowed if m not in _QUIET_METHODS) or "其他"
        if request.path.startswith("/api/"):
            message = f"该接口不接受 {request.method} 请求，请改用 {shown}。"
            answer: HttpResponse = JsonResponse(
                {"code": "method_not_allowed", "message": message}, status=405
            )
        else:
            context = {"title": "请从页面上提交", "method": request.method, "allowed": shown}
            answer = render(request, "405.html", context, status=405)
        if "Allow" in response:
            answer["Allow"] = response["Allow"]
        return answer
