"""Thin adapters for inspection tasks: the inspector's list (phone first), the task page with its
检查码, each step's page, the photo/video upload, the warnings, and the public 检查码 page.

Refusals: a user who may not take a step gets 403 (NotPermitted); a step not open now gets the
refusal sentence with 409; a refusal of what was typed is a form error with 400.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.core.views import parse_id
from zhifa.disclosure import credentials
from zhifa.inspections import task_policies, task_selectors, task_services
from zhifa.inspections.models import AttachmentKind, InspectionTask, TaskStatus
from zhifa.inspections.task_workflow import TASKS, next_steps

STATUS_FILTERS = [("open", "待办（未办结）"), *TaskStatus.choices]


def code_url(code: str) -> str:
    """The absolute address the 检查码 carries (the portal as the public reaches it)."""
    return settings.ZHIFA_PUBLIC_URL + reverse("inspection_code:detail", args=[code])


@login_required
@require_GET
def task_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "open")
    if status not in dict(STATUS_FILTERS) and status != "all":
        status = "open"
    if not task_policies.reads_tasks(user):
        raise NotPermitted("行政检查任务供执法人员、机关负责人和司法局监督人员查阅。")
    mine = task_selectors.task_list_visible_to(user=user, mine=True, status="" if status == "all" else status)
    others = task_selectors.task_list_visible_to(user=user, status="" if status == "all" else status)
    return render(
        request,
        "inspections/tasks/list.html",
        {
            "title": "行政检查任务",
            "mine": mine[:100],
            "others": others.exclude(pk__in=mine.values("pk"))[:100],
            "status": status,
            "filters": STATUS_FILTERS,
        },
    )


class AttachForm(forms.Form):
    kind = forms.ChoiceField(label="种类", choices=AttachmentKind.choices)
    title = forms.CharField(label="名称", max_length=200)
    collected_at = forms.DateTimeField(
        label="拍摄（采集）时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    recording_started_at = forms.DateTimeField(
        label="录制开始时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    recording_ended_at = forms.DateTimeField(
        label="录制结束时间", required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,video/*,audio/*,application/pdf", "capture": "environment"}
        ),
    )


@login_required
@require_GET
def task_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    task = task_selectors.task_get_for(user=user, pk=pk)
    states = next_steps(task, user)
    inspector = task_policies.is_inspector(user, task)
    return render(
        request,
        "inspections/tasks/detail.html",
        {
            "title": f"检查任务 {task.number}",
            "task": task,
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "is_inspector": inspector,
            "checks": task.checks.select_related("item").order_by("item__code"),
            "items": task.items.order_by("code"),
            "attachments": task.attachments.select_related("collector").order_by("collected_at", "pk"),
            "events": task.events.select_related("actor").order_by("at", "pk"),
            "warnings": task.warnings.all() if task_policies.sees_warnings(user) else [],
            "attach_form": AttachForm(
                initial={"collected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
            )
            if inspector and task.status in task_services.ATTACHING_STATUSES
            else None,
            "code_url": code_url(task.code),
        },
    )


@login_required
@require_GET
def task_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = task_selectors.task_get_for(user=request.user, pk=pk)
    response = HttpResponse(credentials.qr_svg(code_url(task.code), scale=6), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


STEP_PAGE: StepPage[InspectionTask] = StepPage(
    TASKS,
    load=task_selectors.task_get_for,
    detail="inspection_tasks:detail",
    template="inspections/tasks/step.html",
    refused_template="inspections/tasks/step_refused.html",
    name="task",
    unknown_step="没有这一检查环节。",
)


@login_required
@require_http_methods(["GET", "POST"])
def task_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    """One step's page (zhifa.core.step_views)."""
    return step_page(request, STEP_PAGE, pk, code)


@login_required
@require_POST
def task_attach(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    task = task_selectors.task_get_for(user=user, pk=pk)
    if not task_policies.is_inspector(user, task):
        raise NotPermitted(f"只有检查任务 {task.number} 的检查人员可以上传现场检查资料。")
    form = AttachForm(request.POST, request.FILES)
    back = reverse("inspection_tasks:detail", args=[task.pk])
    if not form.is_valid():
        messages.error(
            request, "上传未成功：" + "；".join(str(e) for errs in form.errors.values() for e in errs)
        )
        return redirect(back)
    upload = form.cleaned_data["file"]
    data = form.cleaned_data
    try:
        task_services.task_attachment_upload(
            actor=user,
            task=task,
            stream=upload,
            meta=task_services.AttachmentMeta(
                kind=data["kind"],
                title=data["title"],
                collected_at=data["collected_at"],
                recording_started_at=data.get("recording_started_at"),
                recording_ended_at=data.get("recording_ended_at"),
            ),
            original_name=upload.name or "upload",
            content_type=upload.content_type or "",
        )
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传《{data['title']}》。")
    return redirect(back)


@login_required
@require_GET
def warning_list(request: AuthenticatedRequest) -> HttpResponse:
    if not task_policies.sees_warnings(request.user):
        raise NotPermitted("行政检查预警供机关负责人和司法局监督人员查阅。")
    rows = task_selectors.warnings_visible_to(user=request.user)
    year = parse_id(request.GET.get("year"))
    if year is not None:
        rows = rows.filter(year=year)
    return render(
        request,
        "inspections/tasks/warnings.html",
        {"title": "行政检查预警（无事不扰）", "warnings": rows[:500], "year": year},
    )


@login_required
@require_GET
def results_due(request: AuthenticatedRequest) -> HttpResponse:
    """Inspection results not yet on the portal, with their due dates (the disclosure admins' list)."""
    from zhifa.disclosure import policies as disclosure_policies
    from zhifa.inspections.task_publication import results_due as due

    agencies = disclosure_policies.readable_agencies_for(request.user)
    if not agencies.exists():
        raise NotPermitted("待公示的检查结果供公示管理员、机关负责人和司法局监督人员查阅。")
    rows = due(agencies=agencies, on=today())
    if request.GET.get("urgency") == "late":
        rows = [r for r in rows if r["urgency"] == "late"]
    return render(request, "inspections/tasks/results_due.html", {"title": "待公示的检查结果", "rows": rows})


@login_required
@require_GET
def figures(request: AuthenticatedRequest) -> HttpResponse:
    """Plans, draws, completion and problem rates, transfers, by agency and item, with charts."""
    from zhifa.disclosure.annual import charts
    from zhifa.disclosure.annual.figures import figures_by_agency, total
    from zhifa.disclosure.annual.period import Period
    from zhifa.inspections import task_figures
    from zhifa.org.policies import readable_agencies

    user = request.user
    if not task_policies.sees_warnings(user):
        raise NotPermitted("行政检查统计供机关负责人和司法局监督人员查阅。")
    year = parse_id(request.GET.get("year")) or today().year
    if not 2000 <= year <= 2100:
        year = today().year
    period = Period(year, timezone.now())
    agency_ids = list(readable_agencies(user).values_list("pk", flat=True))
    section = task_figures.section(total(figures_by_agency(agency_ids, period).values()))
    detail = task_figures.by_agency_and_item(agency_ids=agency_ids, period=period)
    return render(
        request,
        "inspections/tasks/figures.html",
        {
            "title": f"{year}年行政检查统计",
            "year": year,
            "section": section,
            "detail": detail,
            "svgs": [charts.render(c) for c in [*section["charts"], *detail["charts"]]],
        },
    )


# ── public ─────────────────────────────────────────────────────────────────────────────


@require_safe
def code_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The page the 检查码 opens, for anyone: plan, items, inspectors with their credential check,
    the valid window. An inspector of the task who scans it goes on to the checklist."""
    if len(code) > 32:
        raise Http404("没有这个检查码。")
    on = today()
    public = task_selectors.task_get_public(code=code, on=on)
    task = public.task
    if request.method == "GET":
        task_services.task_code_scanned(task=task)
    user = getattr(request, "user", None)
    mine = user is not None and user.is_authenticated and task_policies.is_inspector(user, task)
    return render(
        request,
        "inspections/tasks/code.html",
        {
            "title": f"行政检查核验：{task.number}",
            "public": public,
            "task": task,
            "items": task.items.order_by("code"),
            "on": on,
            "mine": mine,
        },
    )
