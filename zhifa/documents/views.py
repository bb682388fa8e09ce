"""The public verification page (no login) and the logged-in downloads. Thin adapters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.access import PurposeRequired, Reader
from zhifa.core.purpose import purpose_post, purpose_prompt
from zhifa.documents import selectors
from zhifa.documents.forms import CompareUploadForm, VerificationCodeForm
from zhifa.documents.uploads import MAX_UPLOAD_BYTES, HashedUpload, Sha256UploadHandler
from zhifa.documents.verification import normalize_code


@require_http_methods(["GET", "HEAD"])
def verify_lookup(request: HttpRequest) -> HttpResponse:
    form = VerificationCodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = normalize_code(form.cleaned_data["code"])
        if code is not None:
            return redirect("verify:detail", code=code)
        form.add_error("code", "核验码应为 10 位字母或数字，请对照文书页脚重新输入。")
    return render(
        request,
        "documents/verify.html",
        {"title": "执法文书核验", "form": form},
        status=400 if form.errors else 200,
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    # The hashing handler must be in place before anything reads the body, CSRF included.
    request.upload_handlers = [Sha256UploadHandler(request)]
    return _verify_detail(request, code)


@csrf_protect
def _verify_detail(request: HttpRequest, code: str) -> HttpResponse:
    document = selectors.document_for_verification(code)
    if document is None:
        return render(
            request,
            "documents/verify.html",
            {
                "title": "执法文书核验",
                "form": VerificationCodeForm(initial={"code": code}),
                "not_found": code,
            },
            status=404,
        )
    if normalize_code(code) != code:
        return redirect("verify:detail", code=document.verification_code)
    form = CompareUploadForm(request.POST, request.FILES) if request.method == "POST" else CompareUploadForm()
    comparison = None
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        if not isinstance(upload, HashedUpload) or upload.too_large:
            form.add_error("file", f"文件超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB，不是本系统签发的文书。")
        else:
            comparison = {"sha256": upload.sha256, "match": upload.sha256 == document.sha256}
    return render(
        request,
        "documents/verify_detail.html",
        {"title": "执法文书核验", "document": document, "form": form, "comparison": comparison},
        status=400 if form.errors else 200,
    )


def _download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
    try:
        body = selectors.document_file_for(reader=Reader.of(request), pk=pk, fmt=fmt)
    except PurposeRequired as required:
        return purpose_prompt(
            request, required, action=reverse("documents:purpose", args=[pk]), back=_back(request)
        )
    return FileResponse(
        body.handle, as_attachment=True, filename=body.filename, content_type=body.content_type
    )


@login_required
@require_http_methods(["GET"])
def document_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, "pdf")


@login_required
@require_http_methods(["GET"])
def document_docx(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _download(request, pk, "docx")


@login_required
@require_POST
def purpose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The supervisor's 调阅目的 for the document's case (or the document itself)."""
    target = selectors.access_target(selectors.document_get_for(user=request.user, pk=pk))
    return purpose_post(request, scope=target.scope, what=target.what, back=_back(request))


def _back(request: HttpRequest) -> str:
    """Documents know no case pages (they sit below cases): back to the page the link was on."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        return referer
    return "/"
