"""The public portal (no login) and the staff pages of the credential check.

Public pages read only published Publication/PublicationVersion rows (portal_selectors) and the
certificate facts the credential page is for; everything else stays behind the staff login.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.access import client_ip
from zhifa.core.errors import DomainError, RateLimited
from zhifa.disclosure import credentials, feedback, flowchart, selectors
from zhifa.disclosure import portal_selectors as portal
from zhifa.disclosure.models import Kind
from zhifa.disclosure.portal_cache import cached_page
from zhifa.disclosure.portal_forms import CredentialLookupForm, FeedbackForm
from zhifa.disclosure.projection import field_label
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of
from zhifa.org.views import photo_response

T = "disclosure/portal/"


@require_safe
@cached_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        T + "home.html",
        {
            "title": "行政执法公示",
            "agencies": portal.portal_agencies(),
            "latest": portal.latest_decisions(),
            "counts": portal.portal_counts(),
        },
    )


@require_safe
@cached_page
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, T + "agency_list.html", {"title": "各执法主体公示专栏", "agencies": portal.portal_agencies()}
    )


@require_safe
@cached_page
def agency_column(request: HttpRequest, pk: int) -> HttpResponse:
    agency = portal.portal_agency_get(pk)
    return render(
        request,
        T + "agency.html",
        {
            "title": f"{agency.name}公示专栏",
            "agency": agency,
            "sections": portal.agency_sections(agency),
            "decisions": selectors.public_publications(kind=Kind.DECISION, agency=agency).order_by(
                "-published_at", "-pk"
            )[:20],
            "withdrawn": selectors.withdrawn_publications(kind=Kind.DECISION, agency=agency)[:20],
        },
    )


@require_safe
@cached_page
def prior_version(request: HttpRequest, pk: int, kind: str, number: int) -> HttpResponse:
    agency = portal.portal_agency_get(pk)
    publication, version = portal.prior_version_get(agency, kind, number)
    current = selectors.current_version(publication)
    return render(
        request,
        T + "prior_version.html",
        {
            "title": f"{publication.title}（第{version.number}版）",
            "agency": agency,
            "publication": publication,
            "version": version,
            "is_current": current is not None and current.pk == version.pk,
            "history": selectors.version_history(publication),
            "kind": kind,
            "rows": portal.present(kind, version.content),
        },
    )


@require_safe
@cached_page
def matter_detail(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    agency = portal.portal_agency_get(pk)
    _publication, version, item = portal.matter_entry(agency, code)
    charts = [
        {"title": c["title"], "svg": flowchart.svg(c["procedure"]), "path": c["path"]}
        for c in item.get("flowcharts", [])
        if c.get("procedure") in flowchart.PROCEDURES
    ]
    return render(
        request,
        T + "matter.html",
        {
            "title": item["name"],
            "agency": agency,
            "version": version,
            "item": item,
            "cells": portal.present(Kind.MATTERS, {"items": [item]})[0],
            "charts": charts,
        },
    )


@require_safe
@cached_page
def flowchart_page(request: HttpRequest, procedure: str) -> HttpResponse:
    if procedure not in flowchart.PROCEDURES:
        raise Http404("没有这种程序。")
    chart = flowchart.chart(procedure)
    return render(
        request,
        T + "flowchart.html",
        {
            "title": chart.title,
            "chart": chart,
            "svg": flowchart.svg(procedure),
            "others": [(p, flowchart.chart(p).title) for p in flowchart.PROCEDURES if p != procedure],
        },
    )


@require_safe
@cached_page
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        publication = portal.decision_get_public(pk)
    except portal.DisplayOver:
        return render(
            request,
            T + "gone.html",
            {"title": "公示期已满，已停止公示"},
            status=410,
        )
    history = selectors.version_history(publication)
    current = history[0] if history else None
    rows = [(field_label(k), v) for k, v in (current.content.items() if current else [])]
    return render(
        request,
        T + "decision.html",
        {
            "title": publication.title,
            "publication": publication,
            "withdrawn": publication.state == "withdrawn",
            "rows": rows,
            "current": current,
            "corrections": history if len(history) > 1 else [],
            "history": history,
        },
    )


# ── 事中公示: the credential check ────────────────────────────────────────────────────────


@require_safe
def credential_lookup(request: HttpRequest) -> HttpResponse:
    form = CredentialLookupForm(request.GET or None)
    not_found = ""
    if form.is_bound and form.is_valid():
        certificate = credentials.certificate_by_number(form.cleaned_data["number"])
        if certificate is not None:
            return redirect(credentials.credential_path(certificate))
        not_found = form.cleaned_data["number"]
    return render(
        request,
        T + "credential_lookup.html",
        {"title": "执法证件核验", "form": form, "not_found": not_found},
        status=404 if not_found else 200,
    )


def _credential_or_refusal(request: HttpRequest, token: str) -> credentials.Credential | HttpResponse:
    try:
        certificate = credentials.certificate_from_token(token)
    except credentials.CredentialRefused as refusal:
        return render(
            request,
            T + "credential_refused.html",
            {"title": "执法证件核验未通过", "message": refusal.message},
            status=refusal.status,
        )
    return credentials.credential_view(certificate)


@require_safe
def credential_detail(request: HttpRequest, token: str) -> HttpResponse:
    credential = _credential_or_refusal(request, token)
    if isinstance(credential, HttpResponse):
        return credential
    return render(
        request,
        T + "credential.html",
        {"title": f"执法证件核验：{credential.officer_name}", "credential": credential, "token": token},
    )


@require_safe
def credential_photo(request: HttpRequest, token: str) -> HttpResponse:
    """The officer's photo, reachable only through a valid credential token (not by officer id)."""
    credential = _credential_or_refusal(request, token)
    if isinstance(credential, HttpResponse):
        return credential
    return photo_response(credential.certificate.officer)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback_create(request: HttpRequest, token: str) -> HttpResponse:
    credential = _credential_or_refusal(request, token)
    if isinstance(credential, HttpResponse):
        return credential
    initial = {"kind": request.GET.get("kind", "complaint")}
    form = (
        FeedbackForm(request.POST or None, initial=initial)
        if request.method == "POST"
        else FeedbackForm(initial=initial)
    )
    status = 0
    if request.method == "POST" and form.is_valid():
        try:
            feedback.feedback_submit(
                certificate=credential.certificate, address=client_ip(request), **form.cleaned_data
            )
        except RateLimited as exc:
            form.add_error(None, exc.message)
            status = 429
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已收到您的意见，执法主体将依法核查处理。谢谢！")
            return redirect("portal:credential", token=token)
    return render(
        request,
        T + "feedback_form.html",
        {"title": "投诉与表扬", "credential": credential, "form": form, "token": token},
        status=status or (400 if form.errors else 200),
    )


# ── staff ─────────────────────────────────────────────────────────────────────────────────


@login_required
def feedback_list(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    agency = agency_of(request.user) if pk is None else Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise Http404("未找到该执法主体。")
    if pk is None and agency.is_justice_bureau and feedback.supervises(request.user, agency):
        # A supervisor's own list: every agency of the bureau's region (handled through 监督线索).
        rows = feedback.feedback_for_region(user=request.user)
        title, region = f"{agency.name}·本区域群众投诉与表扬", True
    else:
        rows = feedback.feedback_for(user=request.user, agency=agency)
        title, region = f"{agency.name}·群众投诉与表扬", False
    return render(
        request,
        "disclosure/portal/staff_feedback.html",
        {"title": title, "agency": agency, "rows": rows[:200], "region": region},
    )


@login_required
@require_GET
def credential_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = portal.certificate_get_for(user=request.user, pk=pk)
    response = HttpResponse(
        credentials.qr_svg(credentials.credential_url(certificate)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def credential_card(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = portal.certificate_get_for(user=request.user, pk=pk)
    url = credentials.credential_url(certificate)
    return render(
        request,
        "disclosure/portal/staff_card.html",
        {
            "title": f"执法证核验卡：{certificate.officer.name}",
            "credential": credentials.credential_view(certificate),
            "url": url,
            "qr": credentials.qr_svg(url, scale=5),
        },
    )
