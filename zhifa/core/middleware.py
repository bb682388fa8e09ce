"""Turn a domain error that escaped a view into a readable Chinese page (nothing was changed)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
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
