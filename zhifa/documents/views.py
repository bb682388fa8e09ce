"""The public verification page (no login) and the logged-in downloads. Thin adapters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.access import access_record, purpose_for
from zhifa.core.models import AccessAction
from zhifa.documents import selectors
from zhifa.documents.forms import CompareUploadForm, VerificationCodeForm
from zhifa.documents.models import Document, DocumentStatus
from zhifa.documents.uploads import MAX_UPLOAD_BYTES, HashedUpload, Sha256UploadHandler
from zhifa.documents.verification import normalize_code

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


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


def _download(request: AuthenticatedRequest, pk: int, field: str) -> FileResponse:
    document: Document = selectors.document_get_for(user=request.user, pk=pk)
    stored = getattr(document, field)
    if document.status != DocumentStatus.ISSUED or not stored:
        raise Http404("该文书尚未签发，没有可下载的文件。")
    # 调阅监督: every download of a case document is logged (zhifa.core.access).
    access_record(
        request=request,
        user=request.user,
        action=AccessAction.DOWNLOAD,
        ref=f"documents.document:{document.pk}",
        label=f"{document.title} {document.number} {field.upper()}",
        purpose=purpose_for(request.user),
        case_ref=document.subject_ref if document.subject_ref.startswith("case:") else "",
        case_number=document.subject_label if document.subject_ref.startswith("case:") else "",
        agency_id=document.agency_id,
    )
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{document.title}{document.number}.{field}",
        content_type=CONTENT_TYPES[field],
    )


@login_required
@require_http_methods(["GET"])
def document_pdf(request: AuthenticatedRequest, pk: int) -> FileResponse:
    return _download(request, pk, "pdf")


@login_required
@require_http_methods(["GET"])
def document_docx(request: AuthenticatedRequest, pk: int) -> FileResponse:
    return _download(request, pk, "docx")
