"""The party page (/party/: no login; the session holds the access a code opened) and the staff's
queue of the party's requests (/party/staff/, behind login). Thin: parse, call, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.access import client_ip
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted, RateLimited
from zhifa.party import access as codes
from zhifa.party import forms, policies, selectors, services
from zhifa.party.models import PartyAccess, SubmissionKind

T = "party/"
SESSION_KEY = "party_access"


def _status(error: DomainError) -> int:
    if isinstance(error, RateLimited):
        return 429
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, InvalidInput):
        return 400
    return 409  # Conflict and any other refusal of the rules


def _session_access(request: HttpRequest) -> PartyAccess | None:
    return selectors.access_get(request.session.get(SESSION_KEY))


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    form = forms.StartForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            access = codes.party_access_open(
                code=form.cleaned_data["code"], factor=form.cleaned_data["factor"], address=client_ip(request)
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = _status(error)
        else:
            request.session.cycle_key()  # a new session id once the code is accepted
            request.session[SESSION_KEY] = access.pk
            return redirect("party:case")
    elif request.method == "POST":
        status = 400
    return render(request, T + "start.html", {"title": "当事人查询", "form": form}, status=status)


def _case_context(access: PartyAccess, **forms_given: Any) -> dict[str, Any]:
    case = selectors.case_for(access)
    on = today()
    nonce = uuid.uuid4().hex
    initial = {"nonce": nonce}
    return {
        "title": f"案件 {case.number}",
        "case": case,
        "access": access,
        "periods": selectors.periods_for(case, on),
        "documents": selectors.documents_for(case),
        "submissions": selectors.submissions_of(case),
        "windows": selectors.windows_for(case, on),
        "statement_form": forms_given.get("statement") or forms.StatementForm(initial=initial),
        "hearing_form": forms_given.get("hearing") or forms.HearingForm(initial=initial),
        "consent_form": forms_given.get("consent")
        or forms.ConsentForm(initial={**initial, "address": case.electronic_service_consent}),
        "plan_form": forms_given.get("plan") or forms.PlanForm(initial=initial),
        "complaint_form": forms_given.get("complaint") or forms.ComplaintForm(initial=initial),
        "repair_form": forms_given.get("repair") or forms.RepairForm(initial=initial),
        "error": forms_given.get("error", ""),
    }


@require_http_methods(["GET"])
def case_page(request: HttpRequest) -> HttpResponse:
    access = _session_access(request)
    if access is None:
        return redirect("party:start")
    return render(request, T + "case.html", _case_context(access))


def _uploads(request: HttpRequest) -> list[services.Upload]:
    return [
        services.Upload(f.name or "附件", f.read())
        for f in request.FILES.getlist("files")[: services.MAX_FILES + 1]
    ]


def _submit(
    request: HttpRequest,
    form_class: type[forms.Nonced],
    key: str,
    call: Callable[[PartyAccess, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    access = _session_access(request)
    if access is None:
        return redirect("party:start")
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            call(access, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
            status = _status(error)
        else:
            messages.success(request, done)
            return redirect("party:case")
    response = render(request, T + "case.html", _case_context(access, **{key: form}), status=status)
    return response


@require_POST
def statement(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.StatementForm,
        "statement",
        lambda a, d: services.statement_submit(
            access=a, statement=d["statement"], files=_uploads(request), nonce=d["nonce"]
        ),
        "陈述、申辩意见已提交，已记入案卷，执法机关将进行复核。",
    )


@require_POST
def hearing(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.HearingForm,
        "hearing",
        lambda a, d: services.hearing_request_submit(access=a, nonce=d["nonce"]),
        "听证申请已提交，执法机关将在举行听证的七日前通知您。",
    )


@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.ConsentForm,
        "consent",
        lambda a, d: services.consent_submit(access=a, address=d["address"], nonce=d["nonce"]),
        "已记录您同意电子送达：此后的文书在您首次打开时即为送达。",
    )


@require_POST
def payment_plan(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.PlanForm,
        "plan",
        lambda a, d: services.payment_plan_request(
            access=a,
            arrangement=d["arrangement"],
            schedule=d["schedule"],
            reason=d["reason"],
            nonce=d["nonce"],
        ),
        "申请已提交，由执法机关负责人审批。",
    )


@require_POST
def complaint(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.ComplaintForm,
        "complaint",
        lambda a, d: services.complaint_submit(
            access=a,
            content=d["content"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            address=client_ip(request),
            nonce=d["nonce"],
        ),
        "投诉已提交。",
    )


@require_POST
def credit_repair(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        forms.RepairForm,
        "repair",
        lambda a, d: services.credit_repair_apply(
            access=a, statement=d["statement"], files=_uploads(request), nonce=d["nonce"]
        ),
        "信用修复申请已提交，执法机关将在办理期限内答复。",
    )


@require_http_methods(["GET"])
def document_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The party opens a document: served electronically at this first opening, with consent."""
    access = _session_access(request)
    if access is None:
        return redirect("party:start")
    document = selectors.document_get(access, pk)
    try:
        body = selectors.document_file(access, services.document_open(access=access, document=document))
    except DomainError as error:
        return render(
            request, T + "case.html", _case_context(access, error=error.message), status=_status(error)
        )
    return FileResponse(
        body.handle, as_attachment=False, filename=body.filename, content_type="application/pdf"
    )


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("party:start")


# ── staff ─────────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.queue_for(user=request.user, pending_only=request.GET.get("all") != "1")
    items = [
        {
            "submission": s,
            "may_decide": policies.can_decide(request.user, s),
            "due_on": services.repair_due_on(s) if s.kind == SubmissionKind.CREDIT_REPAIR else None,
        }
        for s in rows
    ]
    return render(
        request,
        T + "queue.html",
        {
            "title": "当事人申请",
            "items": items,
            "recorded": selectors.recent_recorded_for(user=request.user),
            "today": today(),
            "all": request.GET.get("all") == "1",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get_for(user=request.user, pk=pk)
    form = forms.DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        policies.ensure_can_decide(request.user, submission)
        status = 400
        if form.is_valid():
            decide = (
                services.credit_repair_decide
                if submission.kind == SubmissionKind.CREDIT_REPAIR
                else services.payment_plan_decide
            )
            try:
                decide(
                    actor=request.user,
                    submission=submission,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except NotPermitted:
                raise
            except DomainError as error:
                form.add_error(None, error.message)
                status = _status(error)
            else:
                messages.success(request, "已办理。")
                return redirect("party:submission", pk=submission.pk)
    return render(
        request,
        T + "submission.html",
        {
            "title": submission.get_kind_display(),
            "submission": submission,
            "form": form,
            "may_decide": policies.can_decide(request.user, submission),
            "due_on": services.repair_due_on(submission)
            if submission.kind == SubmissionKind.CREDIT_REPAIR
            else None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def attachment(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    body = selectors.attachment_file(selectors.attachment_get_for(user=request.user, pk=pk))
    return FileResponse(body.handle, as_attachment=True, filename=body.filename)
