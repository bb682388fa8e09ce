"""The public side of 监督线索 (no login): the 投诉举报 form and the status page by query code.

The status page shows only that clue's number, status, dates and the final reply: never the
content, the complainant's name or phone, or the agency's internal reply.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhifa.core.access import client_ip
from zhifa.core.errors import DomainError, RateLimited
from zhifa.supervision import clue_selectors, clue_services
from zhifa.supervision.clue_forms import CodeForm, PublicComplaintForm
from zhifa.supervision.models_clues import ClueStatus

T = "supervision/clues/public/"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    form = PublicComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            clue, code = clue_services.clue_submit_public(address=client_ip(request), **form.cleaned_data)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            # The code is shown here once (not in a URL or a redirect); only its hash is kept.
            return render(
                request, T + "done.html", {"title": "投诉举报已受理", "number": clue.number, "code": code}
            )
    return render(
        request,
        T + "form.html",
        {"title": "投诉举报", "form": form},
        status=status if status != 200 else (400 if form.errors else 200),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    """The complainant's own clue by its code (sent by POST, so it stays out of URLs and logs)."""
    form = CodeForm(request.POST or None)
    clue, status = None, 200
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        try:
            clue_services.clue_lookup_allowed(address)
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        else:
            clue = clue_selectors.clue_for_code(form.cleaned_data["code"])
            if clue is None:
                clue_services.clue_lookup_failed(address)
                form.add_error("code", "查询码不正确，请核对受理时显示的查询码。")
                status = 404
    return render(
        request,
        T + "status.html",
        {"title": "投诉举报办理情况查询", "form": form, "clue": clue, "closed": ClueStatus.CLOSED},
        status=status if status != 200 else (400 if form.errors else 200),
    )
