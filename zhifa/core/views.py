"""The one pattern every form view follows: validate, call a service, show its refusal in place."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core.errors import DomainError, NotPermitted


def form_view(
    request: HttpRequest,
    form_class: type[forms.BaseForm],
    service: Callable[[dict[str, Any]], object],
    *,
    template: str,
    success_url: str | Callable[[Any], str],
    success_message: str,
    context: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; POST calls `service(cleaned_data)` and redirects on success.

    A DomainError from the service becomes a form error: the user reads the rule that refused
    the action, and the service's transaction has changed nothing.
    """
    kwargs = form_kwargs or {}
    form = form_class(request.POST or None, **kwargs) if request.method == "POST" else form_class(**kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            result = service(form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200)


def parse_id(text: str | None) -> int | None:
    """A primary key from a query string, or None for anything that is not one."""
    if text and text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a refused form post, explained in Chinese (nothing was changed)."""
    return render(
        request,
        "403_csrf.html",
        {"title": "安全校验未通过", "reason": reason if settings.DEBUG else ""},
        status=403,
    )
