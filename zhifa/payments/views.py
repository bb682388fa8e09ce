"""Thin adapters of the receipts: load through selectors, call services, render.

Everyone but the agency's head and officers gets 403 on every page; another agency's import or
line is 404 (selectors).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.payments import policies, selectors, services
from zhifa.payments.forms import DismissForm, ImportForm, ResolveForm
from zhifa.payments.models import ImportStatus, ReceiptLine


def _ensure_reader(request: AuthenticatedRequest) -> None:
    if policies.home_agency(request.user) is None:
        raise NotPermitted("缴款文件和待处理缴款只对本机关负责人和执法人员开放。")


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: AuthenticatedRequest) -> HttpResponse:
    _ensure_reader(request)
    user = request.user
    agency = policies.home_agency(user)
    assert agency is not None
    form = ImportForm()
    status = 200
    if request.method == "POST":
        policies.ensure_may_handle(user, agency)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                source = services.receipt_import_create(
                    actor=user, file_name=upload.name, content=upload.read()
                )
            except NotPermitted:
                raise
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, f"已收到缴款文件“{source.file_name}”（{source.total} 行），正在导入。"
                )
                return redirect("payments:import", pk=source.pk)
        status = 400
    return render(
        request,
        "payments/imports.html",
        {
            "title": "罚款收缴（缴款文件）",
            "form": form,
            "may_handle": policies.may_handle(user, agency),
            "imports": selectors.imports_visible_to(user=user)[:50],
            "open_count": selectors.queue_for(user=user).count(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    source = selectors.import_get_for(user=request.user, pk=pk)
    running = source.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
    return render(
        request,
        "payments/import.html",
        {
            "title": f"缴款文件导入：{source.file_name}",
            "source": source,
            "running": running,
            "open_lines": selectors.import_open_lines(source=source),
        },
    )


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    _ensure_reader(request)
    return render(
        request,
        "payments/queue.html",
        {"title": "待处理缴款", "lines": selectors.queue_for(user=request.user)[:500]},
    )


@login_required
@require_http_methods(["GET"])
def line_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    line = selectors.line_get_for(user=request.user, pk=pk)
    return _line_page(request, line, ResolveForm(), DismissForm(), status=200)


def _line_page(
    request: AuthenticatedRequest,
    line: ReceiptLine,
    resolve: ResolveForm,
    dismiss: DismissForm,
    *,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "payments/line.html",
        {
            "title": f"缴款流水 {line.transaction_id}",
            "line": line,
            "may_handle": policies.may_handle(request.user, line.agency) and line.is_open,
            "resolve_form": resolve,
            "dismiss_form": dismiss,
        },
        status=status,
    )


@login_required
@require_POST
def line_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    line = selectors.line_get_for(user=request.user, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.receipt_line_resolve(
                actor=request.user, line=line, case_number=form.cleaned_data["case_number"]
            )
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已入账。")
            return redirect(reverse("payments:queue"))
    return _line_page(request, line, form, DismissForm(), status=400)


@login_required
@require_POST
def line_dismiss(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_reader(request)
    line = selectors.line_get_for(user=request.user, pk=pk)
    form = DismissForm(request.POST)
    if form.is_valid():
        try:
            services.receipt_line_dismiss(actor=request.user, line=line, reason=form.cleaned_data["reason"])
        except NotPermitted:
            raise
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "已登记不予入账。")
            return redirect(reverse("payments:queue"))
    return _line_page(request, line, ResolveForm(), form, status=400)
