"""Thin adapters of 案卷评查: load through selectors, take steps on the runner, render.

Refusals: who may not gets 403 (NotPermitted through DomainErrorMiddleware) or 404 (selectors:
"not found" and "not yours" look the same); a step not open now shows its sentence (409); a
refusal of what was typed is a form error (400).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core import workflow as runner
from zhifa.core.access import Reader
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.supervision import evaluation_forms as forms
from zhifa.supervision import evaluation_policies as rules
from zhifa.supervision import evaluation_selectors as selectors
from zhifa.supervision import evaluation_services as services
from zhifa.supervision import policies
from zhifa.supervision.evaluation_workflow import (
    CAMPAIGNS,
    FILES,
    RECTIFICATIONS,
    campaign_steps,
    rectification_steps,
)
from zhifa.supervision.models_evaluation import Campaign, CampaignStatus, FileStatus, Grade


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request: AuthenticatedRequest) -> HttpResponse:
    """The bureau's campaigns and a new one."""
    policies.ensure_supervisor(request.user)
    form = forms.CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.service_kwargs())
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已拟定案卷评查 {campaign.number}。")
            return redirect("supervision:evaluation_campaign", campaign.pk)
    return render(
        request,
        "supervision/evaluation/campaign_list.html",
        {"title": "案卷评查", "campaigns": selectors.campaigns_visible_to(user=request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def campaign_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(user=request.user, pk=pk)
    states = campaign_steps(campaign, request.user)
    files = list(campaign.files.select_related("agency", "evaluator").order_by("agency__name", "draw_key"))
    verified = services.sample_verify(campaign) if campaign.drawn_at else None
    return render(
        request,
        "supervision/evaluation/campaign_detail.html",
        {
            "title": campaign.title,
            "campaign": campaign,
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "files": files,
            "results": services.results_by_agency([f for f in files if f.score is not None]),
            "grades": Grade,
            "verified": verified,
            "checkpoint": services.lock_checkpoint(campaign),
            "evaluators": forms.evaluator_choices(request.user)
            if campaign.status == CampaignStatus.SAMPLED
            else [],
            "scored": FileStatus.SCORED,
            "events": campaign.events.filter(file__isnull=True).select_related("actor"),
            "items": campaign.standard.items.all(),
        },
    )


def _refused(request: AuthenticatedRequest, label: str, message: str, back: str) -> HttpResponse:
    return render(
        request,
        "supervision/evaluation/refused.html",
        {"title": label, "label": label, "message": message, "back": back},
        status=409,
    )


CAMPAIGN_STEP_PAGE: StepPage[Campaign] = StepPage(
    CAMPAIGNS,
    load=selectors.campaign_get_for,
    detail="supervision:evaluation_campaign",
    template="supervision/evaluation/step.html",
    refused_template="supervision/evaluation/refused.html",
    name="campaign",
    context=lambda campaign: {"subject_label": campaign.number},
)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    return step_page(request, CAMPAIGN_STEP_PAGE, pk, code)


@login_required
@require_POST
def file_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    file = selectors.file_get_for(user=request.user, pk=pk)
    rules.ensure_manages(request.user, file.campaign)
    back = reverse("supervision:evaluation_campaign", args=[file.campaign_id])
    evaluator = get_user_model().objects.filter(pk=request.POST.get("evaluator") or 0).first()
    if evaluator is None:
        messages.error(request, "请选择评查人员。")
        return redirect(back)
    try:
        runner.run(FILES, "assign", actor=request.user, subject=file, data={"evaluator": evaluator})
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{file.number} 已分配给{evaluator.display_name}。")
    return redirect(back)


@login_required
@require_safe
def my_files(request: AuthenticatedRequest) -> HttpResponse:
    """The evaluator's files: only those assigned to them."""
    return render(
        request,
        "supervision/evaluation/my_files.html",
        {"title": "我的评查案卷", "files": selectors.files_assigned_to(user=request.user)},
    )


def _scores_from(request: AuthenticatedRequest, checks: list[Any]) -> dict[int, dict[str, Any]]:
    scores = {}
    for check in checks:
        prefix = f"item-{check.item_id}"
        entry: dict[str, Any] = {"reason": request.POST.get(f"{prefix}-reason", "")}
        if check.item.is_veto:
            entry["met"] = request.POST.get(f"{prefix}-met", "1") == "1"
        else:
            entry["points"] = request.POST.get(f"{prefix}-points", "").strip() or "0"
        scores[check.item_id] = entry
    return scores


@login_required
@require_http_methods(["GET", "POST"])
def file_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One file beside its electronic case file: the pre-filled checks and the scoring form."""
    file = selectors.file_get_for(user=request.user, pk=pk)
    checks = list(file.checks.select_related("item"))
    may_score = rules.evaluates(request.user, file) and file.status == FileStatus.ASSIGNED
    error = ""
    status = 200
    if request.method == "POST":
        if not rules.evaluates(request.user, file):
            raise NotPermitted("只有分配的评查人员可以评分。")
        try:
            runner.run(
                FILES,
                "score",
                actor=request.user,
                subject=file,
                data={"scores": _scores_from(request, checks), "comment": request.POST.get("comment", "")},
            )
        except NotPermitted:
            raise
        except (InvalidInput, DomainError) as exc:
            error, status = exc.message, 400 if isinstance(exc, InvalidInput) else 409
            for check in checks:  # show what was typed
                entry = _scores_from(request, [check])[check.item_id]
                check.typed_points = entry.get("points")  # type: ignore[attr-defined]
                check.typed_reason = entry["reason"]  # type: ignore[attr-defined]
        else:
            messages.success(request, f"{file.number} 已评分。")
            return redirect("supervision:evaluation_file", file.pk)
    return render(
        request,
        "supervision/evaluation/file_detail.html",
        {
            "title": f"评查 {file.number}",
            "file": file,
            "checks": checks,
            "record": selectors.file_record_open(reader=Reader.of(request), file=file),
            "may_score": may_score,
            "manages": rules.manages(request.user, file.campaign),
            "error": error,
        },
        status=status,
    )


@login_required
@require_safe
def results(request: AuthenticatedRequest) -> HttpResponse:
    """An agency's own results and its rectifications (待办 for its head)."""
    from zhifa.org.policies import agency_of

    agency = agency_of(request.user)
    if agency is None or agency.is_justice_bureau:
        raise NotPermitted("本页只向被评查执法主体的工作人员开放；监督人员请在案卷评查页面查看结果。")
    files, rects = selectors.agency_results(user=request.user)
    on = today()
    rows = [(r, selectors.urgency(r.due_on, on=on, done=r.status != "open")) for r in rects]
    return render(
        request,
        "supervision/evaluation/results.html",
        {"title": "案卷评查结果与整改", "files": files, "rectifications": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    rect = selectors.rectification_get_for(user=user, pk=pk)
    back = reverse("supervision:evaluation_rectification", args=[rect.pk])
    code = request.POST.get("step", "")
    form = None
    if request.method == "POST":
        step = RECTIFICATIONS.steps.get(code)
        if step is None:
            raise Http404("没有这一办理环节。")
        try:
            runner.check(RECTIFICATIONS, step, rect, user)
        except NotPermitted:
            raise
        except DomainError as refusal:
            return _refused(request, step.label, refusal.message, back)
        form = step.form(request.POST, subject=rect, user=user)
        if form.is_valid():
            try:
                runner.run(RECTIFICATIONS, code, actor=user, subject=rect, data=form.data_for_step())
            except NotPermitted:
                raise
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已办理“{step.label}”。")
                return redirect(back)
    states = rectification_steps(rect, user)
    forms_by_step = [
        (s, form if form is not None and code == s.step.code else s.step.form(subject=rect, user=user))
        for s in states
        if s.allowed
    ]
    return render(
        request,
        "supervision/evaluation/rectification.html",
        {
            "title": f"整改 {rect.file.number}",
            "rect": rect,
            "urgency": selectors.urgency(rect.due_on, on=today(), done=rect.status != "open"),
            "steps": forms_by_step,
            "refused": [s for s in states if not s.allowed],
            "events": rect.file.events.filter(action__in=["report", "accept", "return"]).select_related(
                "actor"
            ),
            "manages": rules.manages(user, rect.file.campaign),
        },
        status=400 if form is not None and form.errors else 200,
    )
