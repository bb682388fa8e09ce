"""Thin adapters of 备案审查 and 预警: load through selectors, call services or the runner, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.accounts.models import Role
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.org.policies import agency_of
from zhifa.supervision import filing_selectors as selectors
from zhifa.supervision import filing_services, warning_services
from zhifa.supervision.filing_forms import ConvertForm, DeclareForm, DismissForm
from zhifa.supervision.filing_workflow import FILINGS, next_steps
from zhifa.supervision.models_filings import Filing, FilingStatus
from zhifa.supervision.models_warnings import HitStatus, WarningRule
from zhifa.supervision.policies import bureau_of


def _ensure_party(request: AuthenticatedRequest) -> None:
    """Filing review is for supervisors and agency staff; anyone else is refused (403)."""
    if bureau_of(request.user) is None and agency_of(request.user) is None:
        raise NotPermitted("备案审查和执法监督预警只对执法主体工作人员和司法行政部门监督人员开放。")


@login_required
@require_safe
def filing_list(request: AuthenticatedRequest) -> HttpResponse:
    _ensure_party(request)
    status = request.GET.get("status", "open")
    filings = selectors.filing_list_visible_to(user=request.user, status=status)
    rows = selectors.filing_rows(filings[:200])
    user = request.user
    return render(
        request,
        "supervision/filings/list.html",
        {
            "title": "备案审查",
            "rows": rows,
            "total": filings.count(),
            "status": status,
            "statuses": [
                ("open", "办理中"),
                ("pending", "待报备机关办理"),
                *FilingStatus.choices,
                ("all", "全部"),
            ],
            "is_supervisor": bureau_of(user) is not None,
            "may_declare": bureau_of(user) is None and user.role == Role.HEAD,
        },
    )


@login_required
@require_safe
def filing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    filing = selectors.filing_get_for(user=request.user, pk=pk)
    states = next_steps(filing, request.user)
    row = selectors.filing_rows([filing])[0]
    return render(
        request,
        "supervision/filings/detail.html",
        {
            "title": str(filing),
            "filing": filing,
            "row": row,
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "events": filing.events.select_related("actor").order_by("at", "pk"),
        },
    )


STEP_PAGE: StepPage[Filing] = StepPage(
    FILINGS,
    load=selectors.filing_get_for,
    detail="supervision:filing_detail",
    template="supervision/filings/step.html",
    refused_template="supervision/filings/step_refused.html",
    name="filing",
    unknown_step="没有这一备案审查环节。",
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def filing_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    """One step's page (zhifa.core.step_views)."""
    return step_page(request, STEP_PAGE, pk, code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def filing_declare(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if bureau_of(user) is not None or agency_of(user) is None or user.role != Role.HEAD:
        raise NotPermitted("裁量基准、执法文书格式的备案应由本机关负责人报送。")
    form = DeclareForm(request.POST or None, initial={"changed_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            filing = filing_services.filing_declare(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记“{filing.title}”，请于 {filing.due_on:%Y-%m-%d} 前报备。")
            return redirect("supervision:filing_detail", pk=filing.pk)
    return render(
        request,
        "supervision/filings/declare.html",
        {"title": "申报裁量基准、文书格式备案", "form": form},
        status=400 if form.errors else 200,
    )


# ── 预警 ──


@login_required
@require_safe
def warning_list(request: AuthenticatedRequest) -> HttpResponse:
    _ensure_party(request)
    status = request.GET.get("status", HitStatus.OPEN)
    rule = request.GET.get("rule", "")
    hits = selectors.hit_list_visible_to(user=request.user, status=status, rule=rule)
    return render(
        request,
        "supervision/warnings/list.html",
        {
            "title": "执法监督预警",
            "hits": hits[:200],
            "total": hits.count(),
            "status": status,
            "rule": rule,
            "statuses": HitStatus.choices,
            "rules": WarningRule.objects.order_by("pk"),
            "is_supervisor": bureau_of(request.user) is not None,
        },
    )


@login_required
@require_safe
def warning_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_get_for(user=request.user, pk=pk)
    supervisor = bureau_of(request.user) is not None
    facts = {k: v for k, v in hit.facts.items() if k != "key"}
    return render(
        request,
        "supervision/warnings/detail.html",
        {
            "title": hit.rule.name,
            "hit": hit,
            "facts": facts,
            "form": DismissForm() if supervisor and hit.status == HitStatus.OPEN else None,
            "convert": ConvertForm() if supervisor and hit.status == HitStatus.OPEN else None,
        },
    )


@login_required
@require_POST
def warning_dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_get_for(user=request.user, pk=pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            warning_services.warning_dismiss(actor=request.user, hit=hit, reason=form.cleaned_data["reason"])
        except NotPermitted:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已排除该预警。")
    else:
        messages.error(request, "排除预警应写明理由。")
    return redirect("supervision:warning_detail", pk=hit.pk)


@login_required
@require_POST
def warning_convert(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    hit = selectors.hit_get_for(user=request.user, pk=pk)
    try:
        clue = warning_services.warning_convert(
            actor=request.user, hit=hit, note=request.POST.get("note", "")[:300]
        )
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已转为监督线索 {clue.number}。")
    return redirect("supervision:warning_detail", pk=hit.pk)
