"""Thin adapters of 年度考核: load through selectors, take steps on the runner, render.

Refusals: anyone but a supervisor gets 403 on the list's form (NotPermitted); an assessment out of
view is 404 (selectors); a step not open now shows its sentence (409); a typed refusal is 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.supervision import assessment_policies as rules
from zhifa.supervision import assessment_selectors as selectors
from zhifa.supervision import assessment_services as services
from zhifa.supervision.assessment_forms import AssessmentForm
from zhifa.supervision.assessment_workflow import ASSESSMENTS, steps_for
from zhifa.supervision.models_assessment import Assessment
from zhifa.supervision.policies import bureau_of


@login_required
@require_http_methods(["GET", "POST"])
def assessment_list(request: AuthenticatedRequest) -> HttpResponse:
    """The bureau's assessments (an agency: the published ones that assess it) and a new one."""
    user = request.user
    assessments = selectors.assessments_visible_to(user=user)
    is_supervisor = bureau_of(user) is not None
    if request.method == "POST" and not is_supervisor:
        raise NotPermitted("年度考核只由司法行政部门的监督人员拟定。")
    if not is_supervisor and not assessments.exists():
        raise NotPermitted("年度考核只对组织考核的司法行政部门和被考核的执法主体开放。")
    form = AssessmentForm(request.POST or None) if is_supervisor else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            assessment = services.assessment_create(actor=user, year=form.cleaned_data["year"])
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已拟定年度考核 {assessment.number}。")
            return redirect("supervision:assessment_detail", assessment.pk)
    return render(
        request,
        "supervision/assessment/list.html",
        {"title": "年度考核", "assessments": assessments, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def assessment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = selectors.assessment_get_for(user=request.user, pk=pk)
    states = steps_for(assessment, request.user)
    rows = selectors.rows_visible_to(assessment, request.user)
    indicators = assessment.snapshot.get("indicators", [])
    table = [{**row, "cells": list(zip(indicators, row["scores"], strict=True))} for row in rows]
    top = max((float(r["total"]) for r in rows if r["total"] is not None), default=0.0)
    bars = [
        {
            "name": r["name"],
            "total": r["total"],
            "width": 0 if r["total"] is None or not top else round(float(r["total"]) * 100 / top),
        }
        for r in rows
    ]
    return render(
        request,
        "supervision/assessment/detail.html",
        {
            "title": f"{assessment.year} 年度考核",
            "assessment": assessment,
            "manages": rules.may_approve(request.user, assessment),
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "indicators": indicators,
            "rows": table,
            "bars": bars,
            "events": assessment.events.select_related("actor")
            if rules.may_approve(request.user, assessment)
            else [],
        },
    )


STEP_PAGE: StepPage[Assessment] = StepPage(
    ASSESSMENTS,
    load=selectors.assessment_get_for,
    detail="supervision:assessment_detail",
    template="supervision/assessment/step.html",
    refused_template="supervision/assessment/refused.html",
    name="assessment",
)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    return step_page(request, STEP_PAGE, pk, code)
