"""Thin adapters: upload, the item page, playback and download, the 笔录 with its recording side
by side, the head's exception, disposal, and the access log.

Every body (page, file, thumbnail, 笔录 text) comes from a `selectors.*_for(reader=...)` call,
which logs the look first (zhifa.core.access); a supervisor who has not said why gets the
调阅目的 prompt instead, once per case and session.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases import policies as case_policies
from zhifa.cases import selectors as case_selectors
from zhifa.cases.models import Record
from zhifa.core.access import PurposeRequired, Reader
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.models import AccessPurpose
from zhifa.core.purpose import purpose_post, purpose_prompt
from zhifa.core.spreadsheets import formula_safe
from zhifa.evidence import forms, policies, selectors, services
from zhifa.evidence.models import DerivativeKind
from zhifa.evidence.selectors import FileBody, RangeNotSatisfiable
from zhifa.evidence.uploads import StagedUpload, StagingUploadHandler

PAGE_SIZE = 50


# ── 调阅目的 ─────────────────────────────────────────────────────────────────────────


def _ask_purpose(request: AuthenticatedRequest, required: PurposeRequired) -> HttpResponse:
    case_ref = required.target.case_ref  # every evidence target belongs to a case ("case:<pk>")
    case_pk = int(case_ref.split(":", 1)[1])
    return purpose_prompt(
        request,
        required,
        action=reverse("evidence:purpose", args=[case_pk]),
        back=reverse("cases:detail", args=[case_pk]),
    )


@login_required
@require_POST
def purpose(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, pk=case_pk)
    return purpose_post(
        request,
        scope=case.subject_ref,
        what=f"案件 {case.number} 的记录",
        back=reverse("cases:detail", args=[case.pk]),
    )


# ── 上传 ──────────────────────────────────────────────────────────────────────────────


@login_required
@csrf_exempt
def add(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    # The staging handler must be in place before anything reads the body (CSRF included),
    # so CSRF is checked by the inner view once the handler is installed.
    request.upload_handlers.insert(0, StagingUploadHandler(request))
    return _add(request, case_pk)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _add(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, pk=case_pk)
    policies.ensure_can_add(request.user, case)
    form = forms.EvidenceForm(request.POST or None, request.FILES or None, case=case)
    upload = request.FILES.get("file") if request.method == "POST" else None
    try:
        if request.method == "POST" and form.is_valid() and isinstance(upload, StagedUpload):
            upload.close()
            try:
                item = services.evidence_add(
                    actor=request.user,
                    case=case,
                    staged=upload.staged,
                    meta=form.metadata(),
                    original_name=upload.name or "upload",
                    content_type=upload.content_type or "",
                )
            except DomainError as error:
                if isinstance(error, NotPermitted):
                    raise
                form.add_error(None, error.message)
            else:
                messages.success(request, f"证据《{item.title}》已入库，SHA-256 {item.blob.sha256[:16]}…")
                return redirect("evidence:item", item.pk)
    finally:
        for staged in request.FILES.getlist("file") if request.method == "POST" else []:
            if isinstance(staged, StagedUpload):
                staged.discard()
    initial_collector = case_policies.officer_of(request.user)
    if request.method == "GET" and initial_collector is not None:
        form.initial["collector"] = initial_collector.pk
    return render(
        request,
        "evidence/add.html",
        {"title": f"添加证据 · {case.number}", "case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# ── 证据 ──────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET"])
def item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        evidence = selectors.item_detail_for(reader=Reader.of(request), pk=pk)
    except PurposeRequired as required:
        return _ask_purpose(request, required)
    case = evidence.case
    from zhifa.ledger.selectors import proof_for

    return render(
        request,
        "evidence/item.html",
        {
            "title": str(evidence),
            "item": evidence,
            "case": case,
            "proof": proof_for(evidence.ref),
            "proof_template": _proof_template(),
            "thumbnail": evidence.blob.derivatives.filter(kind=DerivativeKind.THUMBNAIL).first(),
            "retention_ends": services.retention_ends(evidence),
            "can_dispose": policies.can_dispose(request.user, case) and not case.is_open,
            "dispose_form": forms.DisposeForm(),
        },
    )


def _proof_template() -> str:
    """The ledger's proof include when the ledger app provides one, else a plain rendering."""
    try:
        get_template("ledger/includes/proof.html")
    except TemplateDoesNotExist:
        return "evidence/includes/proof_fallback.html"
    return "ledger/includes/proof.html"


def _stream(body: FileBody) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        body.chunks(), status=206 if body.partial else 200, content_type=body.content_type
    )
    response["Accept-Ranges"] = "bytes" if body.ranged else "none"
    response["Content-Length"] = str(body.length)
    if body.partial:
        response["Content-Range"] = f"bytes {body.start}-{body.end}/{body.size}"
    response["Content-Disposition"] = content_disposition_header(body.download, body.filename) or "inline"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The original file: played inline with HTTP Range (video seeks) or downloaded."""
    try:
        body = selectors.item_file_for(
            reader=Reader.of(request),
            pk=pk,
            download=request.GET.get("download") == "1",
            byte_range_header=request.META.get("HTTP_RANGE", ""),
        )
    except PurposeRequired as required:
        return _ask_purpose(request, required)
    except RangeNotSatisfiable as refused:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{refused.size}"
        return response
    return _stream(body)


@login_required
@require_http_methods(["GET"])
def thumbnail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """A photo's thumbnail or a video's poster frame."""
    try:
        body = selectors.item_thumbnail_for(reader=Reader.of(request), pk=pk)
    except PurposeRequired as required:
        return _ask_purpose(request, required)
    return _stream(body)


@login_required
@require_POST
def dispose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evidence = selectors.item_get_for(user=request.user, pk=pk)
    try:
        services.evidence_dispose(actor=request.user, item=evidence, reason=request.POST.get("reason", ""))
    except NotPermitted:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "证据文件已销毁，销毁记录已写入账本。")
    return redirect("evidence:item", evidence.pk)


# ── 笔录与音像记录对照 ────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET"])
def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The 笔录 on the left, its recording on the right (stacked on a phone)."""
    try:
        text = selectors.record_text_for(reader=Reader.of(request), pk=pk)
    except PurposeRequired as required:
        return _ask_purpose(request, required)
    case = text.case
    return render(
        request,
        "evidence/record.html",
        {
            "title": f"{text.get_kind_display()} · {case.number}",
            "record": text,
            "case": case,
            "recordings": selectors.record_recordings(text),
            "content": _record_content(text),
        },
    )


def _record_content(text: Record) -> dict[str, Any]:
    content = text.content or {}
    return {
        "qa": [
            (row.get("q", ""), row.get("a", "")) for row in content.get("qa", []) if isinstance(row, dict)
        ],
        "paragraphs": [p for p in content.get("paragraphs", []) if isinstance(p, str)],
    }


# ── 音像记录例外 ──────────────────────────────────────────────────────────────────────


@login_required
@require_POST
def exception(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, pk=case_pk)
    policies.ensure_can_approve_exception(request.user, case)
    form = forms.ExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.recording_exception_approve(
                actor=request.user,
                case=case,
                stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已批准音像记录例外，理由已记入办案过程记录。")
    else:
        messages.error(request, "请选择执法环节并写明理由。")
    return redirect(f"{reverse('cases:detail', args=[case.pk])}#evidence-title")


# ── 调阅记录 ──────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET"])
def access_log(request: AuthenticatedRequest) -> HttpResponseBase:
    if not policies.can_query_access(request.user):
        raise NotPermitted("只有机关负责人和司法局监督人员可以查询调阅记录。")
    form = forms.AccessFilterForm(request.GET or None)
    filters = selectors.AccessFilter()
    if form.is_valid():
        filters = selectors.AccessFilter(**form.cleaned_data)
    rows = selectors.access_log_for(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        return _csv(rows)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evidence/access_log.html",
        {
            "title": "调阅记录",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "purposes": dict(AccessPurpose.choices),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(rows: Any) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    header = ["时间", "调阅人", "方式", "对象", "案件编号", "目的", "说明", "来源地址", "客户端"]

    def lines() -> Any:
        yield "\ufeff" + writer.writerow(header)
        for row in rows.iterator():
            # Names, labels, notes and user agents are typed by people: none may run as a formula.
            yield writer.writerow(
                [
                    formula_safe(cell)
                    for cell in (
                        row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                        row.user_label,
                        row.get_action_display(),
                        row.label,
                        row.case_number,
                        row.get_purpose_display(),
                        row.purpose_note,
                        row.ip or "",
                        row.user_agent,
                    )
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "调阅记录.csv") or "attachment"
    return response
