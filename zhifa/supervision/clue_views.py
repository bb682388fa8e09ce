"""Thin adapters of 监督线索 (staff side): the inbox, registering, one clue and its steps, 个案监督."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.access import Reader
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.supervision import clue_import as transfers
from zhifa.supervision import clue_policies, clue_selectors, clue_services, policies
from zhifa.supervision.clue_forms import CaseOpinionForm, ClueImportForm, ClueRegisterForm
from zhifa.supervision.clue_workflow import CLUES, next_steps
from zhifa.supervision.models_clues import Clue, ClueStatus


def _ensure_may_see_clues(user: Any) -> None:
    if policies.bureau_of(user) is None and user.role not in clue_policies.AGENCY_ROLES:
        raise NotPermitted("监督线索只对司法行政部门的监督人员和承办执法主体的负责人、执法人员开放。")


def _mark(rows: list[Clue]) -> list[Clue]:
    for row in rows:
        row.deadline = clue_selectors.deadline_state(row)  # type: ignore[attr-defined]
    return rows


@login_required
@require_safe
def clue_list(request: AuthenticatedRequest) -> HttpResponse:
    """The bureau's inbox, or the agency's clues assigned to it; the deadlines in red and yellow."""
    user = request.user
    _ensure_may_see_clues(user)
    status = request.GET.get("status", "")
    if status not in ClueStatus.values and status != clue_selectors.OVERDUE:
        status = ""
    rows = _mark(list(clue_selectors.clue_list_visible_to(user=user, status=status)[:200]))
    notices_query = clue_selectors.notices_open_for(user=user)
    if request.GET.get("notices") == clue_selectors.OVERDUE:
        notices_query = notices_query.filter(report_due__lt=today())
    notices = list(notices_query[:100])
    for notice in notices:
        notice.deadline = clue_selectors.notice_state(notice)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/clues/list.html",
        {
            "title": "监督线索",
            "rows": rows,
            "notices": notices,
            "status": status,
            "statuses": [*ClueStatus.choices, (clue_selectors.OVERDUE, "办理逾期")],
            "counts": clue_selectors.counts_for(user=user),
            "is_supervisor": policies.bureau_of(user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def clue_new(request: AuthenticatedRequest) -> HttpResponse:
    """登记: a transfer from 12345 or the 司法部 platform, or the supervisor's own finding."""
    user = request.user
    policies.ensure_supervisor(user)
    agencies = policies.supervised_agencies(user).filter(is_justice_bureau=False)
    form = ClueRegisterForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clue = clue_services.clue_register(actor=user, **data)
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记监督线索 {clue.number}。")
            return redirect("supervision:clue_detail", pk=clue.pk)
    return render(
        request,
        "supervision/clues/new.html",
        {"title": "登记监督线索", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def clue_import_feedback(request: AuthenticatedRequest) -> HttpResponse:
    """The region's unhandled credential-page complaints into the inbox."""
    created = clue_services.clue_import_feedback(actor=request.user)
    messages.success(request, f"已将 {len(created)} 件执法证查询页投诉登记为监督线索。")
    return redirect("supervision:clue_list")


@login_required
@require_safe
def clue_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    clue = clue_selectors.clue_get_for(user=user, pk=pk)
    states = next_steps(clue, user)
    notices = list(clue.notices.select_related("document").order_by("pk"))
    for notice in notices:
        notice.deadline = clue_selectors.notice_state(notice)  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/clues/detail.html",
        {
            "title": f"监督线索 {clue.number}",
            "clue": clue,
            "deadline": clue_selectors.deadline_state(clue),
            "allowed": [s for s in states if s.allowed],
            "refused": [s for s in states if not s.allowed],
            "notices": notices,
            "attachments": clue.attachments.select_related("uploaded_by").order_by("pk"),
            "events": clue.events.select_related("actor").order_by("at", "pk"),
            "is_supervisor": clue_policies.is_supervisor_for(user, clue),
        },
    )


STEP_PAGE: StepPage[Clue] = StepPage(
    CLUES,
    load=clue_selectors.clue_get_for,
    detail="supervision:clue_detail",
    template="supervision/clues/step.html",
    refused_template="supervision/clues/step_refused.html",
    name="clue",
)


@login_required
@require_http_methods(["GET", "POST"])
def clue_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    """One step's page (zhifa.core.step_views); the form may carry an attachment."""
    return step_page(request, STEP_PAGE, pk, code)


@login_required
@require_safe
def clue_attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    attachment, stream = clue_selectors.attachment_open(user=request.user, pk=pk)
    response = FileResponse(stream, as_attachment=True, filename=attachment.filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def clue_case(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """个案监督: open a case of the region (logged as 调阅, purpose 监督检查) and issue a 监督意见 on it."""
    user = request.user
    case = clue_selectors.case_open_for_supervision(reader=Reader.of(request), pk=pk)
    form = CaseOpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clue = clue_services.clue_open_on_case(actor=user, case=case, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"已就案件 {case.number} 登记监督线索 {clue.number} 并分办；可在线索页制发监督意见书。",
            )
            return redirect("supervision:clue_detail", pk=clue.pk)
    return render(
        request,
        "supervision/clues/case.html",
        {
            "title": f"个案监督 {case.number}",
            "case": case,
            "form": form,
            "clues": clue_selectors.clues_of_case(user=request.user, case=case),
        },
        status=400 if form.errors else 200,
    )


_IMPORT_KEY = "zhifa.clue_import"


@login_required
@require_http_methods(["GET", "POST"])
def clue_import(request: AuthenticatedRequest) -> HttpResponse:
    """12345 / 司法部平台 transfers from XLSX or CSV: a preview with per-row errors, then confirm."""
    import base64

    user = request.user
    policies.ensure_supervisor(user)
    form = ClueImportForm(request.POST or None, request.FILES or None)
    parsed, error, status = None, "", 200
    if request.method == "POST" and request.POST.get("confirm"):
        held = request.session.get(_IMPORT_KEY)
        if not held:
            error, status = "请先上传文件并预览。", 400
        else:
            try:
                created, parsed = transfers.clue_import_transfers(
                    actor=user, filename=held["name"], content=base64.b64decode(held["content"])
                )
            except NotPermitted:
                raise
            except DomainError as exc:
                error, status = exc.message, 400
            else:
                del request.session[_IMPORT_KEY]
                messages.success(
                    request, f"已登记 {len(created)} 件转办线索，{len(parsed.errors)} 行有错误未导入。"
                )
                return redirect("supervision:clue_list")
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(transfers.MAX_BYTES + 1)
        try:
            parsed = transfers.parse(actor=user, filename=upload.name or "", content=content)
        except NotPermitted:
            raise
        except DomainError as exc:
            error, status = exc.message, 400
        else:
            request.session[_IMPORT_KEY] = {
                "name": upload.name,
                "content": base64.b64encode(content).decode(),
            }
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "supervision/clues/import.html",
        {"title": "导入转办线索", "form": form, "parsed": parsed, "error": error, "header": transfers.HEADER},
        status=status,
    )
