"""Thin adapters of the staff pages (registry, import, plans, draw) and the portal pages.

Refusals: who may not gets 403 (NotPermitted through DomainErrorMiddleware); a step not open
now gets its sentence with status 409; a refusal of what was typed is a form error (400).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.core.views import form_view
from zhifa.inspections import forms, policies, registry, selectors, services
from zhifa.inspections.models import ImportStatus, InspectorStatus, Plan, PlanStatus
from zhifa.inspections.workflow import PLANS, next_steps
from zhifa.org.policies import agency_of

PAGE_SIZE = 50


def _scale() -> list[tuple[str, str]]:
    return list(settings.ZHIFA_CREDIT_RISK_CLASSES)


# ── 检查对象名录库 ─────────────────────────────────────────────────────────────────────────


@login_required
def subject_list(request: AuthenticatedRequest) -> HttpResponse:
    policies.ensure_can_read_registry(request.user)
    q = request.GET.get("q", "").strip()[:100]
    risk = request.GET.get("risk", "")
    rows = selectors.subject_list_visible_to(user=request.user, q=q, risk_class=risk)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/subject_list.html",
        {
            "title": "检查对象名录库",
            "page": page,
            "q": q,
            "risk": risk,
            "scale": _scale(),
            "can_import": policies.can_import_registry(request.user),
        },
    )


@login_required
def subject_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = selectors.subject_get_for(user=request.user, pk=pk)
    assignments = subject.draw_assignments.select_related("draw__plan").prefetch_related(
        "inspectors__officer"
    )
    return render(
        request,
        "inspections/subject_detail.html",
        {
            "title": subject.name,
            "subject": subject,
            "scale": dict(_scale()),
            "recusals": selectors.recusals_visible_to(user=request.user, subject=subject),
            "assignments": assignments,
            "can_recuse": selectors.recusal_officers_for(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recusal_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    subject = selectors.subject_get_for(user=request.user, pk=pk)
    if not selectors.recusal_officers_for(user=request.user).exists():
        raise NotPermitted("回避声明应由执法人员本人或其所在机关负责人登记（《行政处罚法》第四十三条）。")
    return form_view(
        request,
        forms.RecusalForm,
        lambda d: services.recusal_declare(
            actor=request.user, officer=d["officer"], subject=subject, reason=d["reason"]
        ),
        template="inspections/form.html",
        success_url=reverse("inspections:subject_detail", args=[subject.pk]),
        success_message="已登记回避声明；已抽中的检查任务由下一名次人员替换。",
        context={
            "title": f"回避声明：{subject.name}",
            "back": reverse("inspections:subject_detail", args=[subject.pk]),
        },
        form_kwargs={
            "officers": selectors.recusal_roster_for(user=request.user),
            "offered": selectors.recusal_officers_for(user=request.user),
        },
    )


# ── 导入 ─────────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: AuthenticatedRequest) -> HttpResponse:
    policies.ensure_can_import_registry(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            imp, _ = services.registry_import_preview(
                actor=request.user, filename=upload.name, content=upload.read()
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("inspections:import_detail", pk=imp.pk)
    return render(
        request,
        "inspections/import_new.html",
        {
            "title": "导入检查对象名录库",
            "form": form,
            "header": registry.HEADER,
            "imports": selectors.registry_imports_of(user=request.user)[:10],
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    imp = selectors.registry_import_get_for(user=request.user, pk=pk)
    preview = imp.preview if imp.status == ImportStatus.PREVIEWED else None
    running = imp.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return render(
        request,
        "inspections/import_detail.html",
        {"title": f"导入：{imp.filename}", "imp": imp, "preview": preview, "running": running},
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    imp = selectors.registry_import_get_for(user=request.user, pk=pk)
    try:
        services.registry_import_confirm(actor=request.user, registry_import=imp)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已开始导入，本页显示进度。")
    return redirect("inspections:import_detail", pk=imp.pk)


# ── 执法检查人员名录库 ─────────────────────────────────────────────────────────────────────


@login_required
def inspector_list(request: AuthenticatedRequest) -> HttpResponse:
    own = agency_of(request.user)
    if own is None:
        raise NotPermitted("只有执法机关工作人员可以查阅本机关的执法检查人员名录库。")
    on = timezone.localdate()
    domains = selectors.inspector_domains(agency=own)
    pools = [(d, selectors.inspector_pool(agency=own, domain=d, on=on)) for d in domains]
    return render(
        request,
        "inspections/inspector_list.html",
        {"title": "执法检查人员名录库", "agency": own, "pools": pools, "on": on},
    )


# ── 抽查计划 ──────────────────────────────────────────────────────────────────────────────


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    plans = selectors.plan_list_visible_to(user=request.user)
    own = agency_of(request.user)
    return render(
        request,
        "inspections/plan_list.html",
        {
            "title": "双随机抽查计划",
            "plans": plans[:200],
            "can_draft": own is not None and policies.can_draft_plan(request.user, own),
            "can_read_registry": policies.can_read_registry(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: AuthenticatedRequest) -> HttpResponse:
    own = agency_of(request.user)
    if own is None or not policies.can_draft_plan(request.user, own):
        raise NotPermitted("只有执法机关的执法人员或负责人可以拟定抽查计划。")
    start, end = forms.default_window()
    form = forms.PlanForm(
        request.POST or None,
        agency=own,
        initial={"window_start": start, "window_end": end, "kind": "yearly"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, agency=own, **form.service_kwargs())
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已拟定抽查计划 {plan.number}。")
            return redirect("inspections:plan_detail", pk=plan.pk)
    return render(
        request,
        "inspections/form.html",
        {"title": "拟定抽查计划", "form": form, "back": reverse("inspections:plan_list")},
        status=400 if form.errors else 200,
    )


def _plan_context(plan: Plan) -> dict[str, Any]:
    draw = getattr(plan, "draw", None) if plan.status == PlanStatus.DRAWN else None
    return {
        "plan": plan,
        "population": selectors.population_description(plan),
        "ratios": selectors.plan_ratios_text(plan),
        "scale": dict(_scale()),
        "draw": draw,
    }


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for(user=request.user, pk=pk)
    states = next_steps(plan, request.user)
    context = _plan_context(plan)
    draw = context["draw"]
    assignments = []
    if draw is not None:
        assignments = list(
            draw.assignments.select_related("subject").prefetch_related("inspectors__officer")[:500]
        )
    snapshot = (
        getattr(plan, "snapshot", None) if plan.status in (PlanStatus.LOCKED, PlanStatus.DRAWN) else None
    )
    checkpoint = services.lock_checkpoint(plan) if snapshot is not None else None
    return render(
        request,
        "inspections/plan_detail.html",
        {
            **context,
            "title": plan.title,
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "events": plan.events.select_related("actor"),
            "snapshot": snapshot,
            "checkpoint": checkpoint,
            "assignments": assignments,
            "assigned": InspectorStatus.ASSIGNED,
            "population_now": selectors.population_of(plan).count() if snapshot is None else None,
        },
    )


STEP_PAGE: StepPage[Plan] = StepPage(
    PLANS,
    load=selectors.plan_get_for,
    detail="inspections:plan_detail",
    template="inspections/step.html",
    refused_template="inspections/step_refused.html",
    name="plan",
    context=_plan_context,
)


@login_required
@require_http_methods(["GET", "POST"])
def plan_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    """One step's page (zhifa.core.step_views); the draw's is where the witness enters the value."""
    return step_page(request, STEP_PAGE, pk, code)


# ── 公示专栏 (no login) ──────────────────────────────────────────────────────────────────


def public_plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plans_published()[:200]
    return render(request, "inspections/public/plan_list.html", {"title": "双随机抽查计划", "plans": plans})


def public_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_published_get(pk=pk)
    context = _plan_context(plan)
    draw = context["draw"]
    tasks = selectors.draw_public_document(pk=draw.pk)["tasks"][:500] if draw is not None else []
    return render(
        request,
        "inspections/public/plan_detail.html",
        {**context, "title": plan.title, "tasks": tasks},
    )
