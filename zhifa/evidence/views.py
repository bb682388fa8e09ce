"""Thin adapters: upload, the item page, playback and download (logged), the 笔录 with its
recording side by side (logged), the head's exception, disposal, and the access log.

Every response that shows a record's content first writes an AccessLog row
(zhifa.core.access). Supervisors state their purpose once per case and session.
"""

from __future__ import annotations

import csv
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases import policies as case_policies
from zhifa.cases import selectors as case_selectors
from zhifa.cases.models import Case, Record
from zhifa.core.access import access_record, purpose_for
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.models import AccessAction, AccessPurpose
from zhifa.evidence import forms, policies, selectors, services, storage
from zhifa.evidence.models import DerivativeKind
from zhifa.evidence.uploads import StagedUpload, StagingUploadHandler

INLINE_TYPES = ("image/", "video/", "audio/", "application/pdf")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PAGE_SIZE = 50


# ── 调阅目的 ─────────────────────────────────────────────────────────────────────────


def _purpose_key(case: Case) -> str:
    return f"zhifa.access_purpose.case:{case.pk}"


def _purpose(request: AuthenticatedRequest, case: Case) -> tuple[str, str] | None:
    """(purpose, note) of this look at the case's records; None while a supervisor has not said."""
    user = request.user
    if policies.asks_purpose(user):
        stated = request.session.get(_purpose_key(case))
        return (stated["purpose"], stated["note"]) if stated else None
    return purpose_for(user, handles=case_policies.is_handler(user, case)), ""


def _ask_purpose(request: AuthenticatedRequest, case: Case) -> HttpResponse:
    form = forms.PurposeForm()
    return render(
        request,
        "evidence/purpose.html",
        {"title": "调阅目的", "case": case, "form": form, "next": request.get_full_path()},
    )


@login_required
@require_POST
def purpose(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_selectors.case_get_for(user=request.user, pk=case_pk)
    form = forms.PurposeForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("cases:detail", args=[case.pk])
    if not form.is_valid():
        return render(
            request,
            "evidence/purpose.html",
            {"title": "调阅目的", "case": case, "form": form, "next": target},
            status=400,
        )
    request.session[_purpose_key(case)] = {
        "purpose": form.cleaned_data["purpose"],
        "note": form.cleaned_data["note"],
    }
    return redirect(target)


def _log(
    request: AuthenticatedRequest, case: Case, action: str, ref: str, label: str, why: tuple[str, str]
) -> None:
    access_record(
        request=request,
        user=request.user,
        action=action,
        ref=ref,
        label=label,
        purpose=why[0],
        purpose_note=why[1],
        case_ref=case.subject_ref,
        case_number=case.number,
        agency_id=case.agency_id,
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
    evidence = selectors.item_get_for(user=request.user, pk=pk)
    case = evidence.case
    why = _purpose(request, case)
    if why is None:
        return _ask_purpose(request, case)
    _log(request, case, AccessAction.VIEW, evidence.ref, f"{case.number} {evidence}", why)
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


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single "bytes=" range; None when it cannot be satisfied."""
    match = _RANGE.match(header.strip())
    if not match or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:
        length = int(last)
        if length == 0:
            return None
        return max(size - length, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


@login_required
@require_http_methods(["GET"])
def file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """The original file: played inline with HTTP Range (video seeks) or downloaded; each logged."""
    evidence = selectors.item_get_for(user=request.user, pk=pk)
    case = evidence.case
    blob = evidence.blob
    if blob.purged_at is not None or evidence.disposed_at is not None:
        raise Http404("该证据文件已依法销毁。")
    why = _purpose(request, case)
    if why is None:
        return _ask_purpose(request, case)
    download = request.GET.get("download") == "1" or not evidence.content_type.startswith(INLINE_TYPES)
    size = blob.size
    header = request.META.get("HTTP_RANGE", "")
    start, end = 0, size - 1
    if header and size > 0:
        wanted = _byte_range(header, size)
        if wanted is None:
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        start, end = wanted
    # One playback asks for many ranges; the first (from byte 0) is the one logged.
    if download or start == 0:
        action = (
            AccessAction.DOWNLOAD
            if download
            else (AccessAction.PLAY if evidence.media in ("video", "audio") else AccessAction.VIEW)
        )
        _log(request, case, action, evidence.ref, f"{case.number} {evidence}", why)
    length = end - start + 1 if size else 0
    response = StreamingHttpResponse(
        storage.iter_range(blob.name, start, length),
        status=206 if header and size else 200,
        content_type=evidence.content_type,
    )
    response["Accept-Ranges"] = "bytes"
    response["Content-Length"] = str(length)
    if header and size:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(download, evidence.original_name) or "inline"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET"])
def thumbnail(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    evidence = selectors.item_get_for(user=request.user, pk=pk)
    derivative = evidence.blob.derivatives.filter(kind=DerivativeKind.THUMBNAIL).first()
    if derivative is None or evidence.disposed_at is not None:
        raise Http404("没有缩略图。")
    response = StreamingHttpResponse(
        storage.iter_range(derivative.name, 0, derivative.size), content_type="image/jpeg"
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
    text = selectors.record_get_for(user=request.user, pk=pk)
    case = text.case
    why = _purpose(request, case)
    if why is None:
        return _ask_purpose(request, case)
    _log(request, case, AccessAction.VIEW, f"cases.record:{text.pk}", f"{case.number} {text}", why)
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
            yield writer.writerow(
                [
                    row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    row.user_label,
                    row.get_action_display(),
                    row.label,
                    row.case_number,
                    row.get_purpose_display(),
                    row.purpose_note,
                    row.ip or "",
                    row.user_agent,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "调阅记录.csv") or "attachment"
    return response
