"""The disclosure administrator's pages: the queue, the review page, approve, correct, withdraw.

Anonymous users go to the login page; roles outside 公示 get 403; a publication or case of an
agency the user may not read is not found (404); a supervisor who posts gets 403 from the
service (NotPermitted through DomainErrorMiddleware); a refusal of the rule comes back as a
message on the review page with nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases.models import Case
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.disclosure import periods, policies, projection, selectors, services
from zhifa.disclosure.forms import CorrectionForm, WithdrawForm
from zhifa.disclosure.models import Kind, Publication, State

LIST_LIMIT = 50


def _ensure_queue(request: AuthenticatedRequest) -> None:
    if not policies.can_see_queue(request.user):
        raise PermissionDenied("公示管理页面仅供公示管理员、机关负责人和司法局监督人员使用。")


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    _ensure_queue(request)
    user = request.user
    agencies = policies.readable_agencies_for(user).order_by("name")
    chosen = request.GET.get("agency", "")
    if chosen.isdigit():
        agencies = agencies.filter(pk=int(chosen))
    on = today()
    rows = selectors.publications_visible_to(user=user).filter(agency__in=agencies)
    drafts = selectors.with_drafts(rows).order_by("due_on", "pk")
    published = rows.filter(state=State.PUBLISHED).filter(periods.on_display(on))
    bars = selectors.timeliness_by_month(agencies=agencies)
    peak = max((b.total for b in bars), default=0) or 1
    decisions = selectors.decisions_due(agencies=agencies, on=on)
    withdrawals = selectors.withdrawals_due(agencies=agencies, on=on)
    return render(
        request,
        "disclosure/staff/queue.html",
        {
            "title": "公示管理",
            "on": on,
            "agencies": policies.readable_agencies_for(user).order_by("name"),
            "chosen": chosen,
            "read_only": not any(policies.can_manage(user, a) for a in agencies[:20]),
            "decisions": decisions,
            "decisions_late": sum(1 for d in decisions if d.urgency == "late"),
            "withdrawals": withdrawals,
            "drafts": drafts[:LIST_LIMIT],
            "published": published.order_by("-published_at", "-pk")[:LIST_LIMIT],
            "published_count": published.count(),
            "withdrawn": rows.filter(state=State.WITHDRAWN).order_by("-withdrawn_at")[:LIST_LIMIT],
            "expired": selectors.expired_publications(agencies=agencies, on=on).order_by("-published_at")[
                :LIST_LIMIT
            ],
            "bars": [
                {"bar": b, "on_time": 100 * b.on_time // peak, "late": 100 * b.late // peak} for b in bars
            ],
        },
    )


@login_required
@require_http_methods(["GET"])
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_queue(request)
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    draft = selectors.draft_version(publication)
    current = selectors.current_version(publication)
    history = selectors.version_history(publication)
    on = today()
    return render(
        request,
        "disclosure/staff/review.html",
        {
            "title": publication.title,
            "publication": publication,
            "draft": draft,
            "current": current,
            "draft_fields": selectors.version_fields(draft),
            "current_fields": selectors.version_fields(current),
            "history": [(v, selectors.version_fields(v)) for v in history],
            "history_versions": history,
            "can_manage": policies.can_manage(request.user, publication.agency),
            "display_ends_on": periods.display_ends_on(publication),
            "on_display": publication.published_at is not None
            and Publication.objects.filter(periods.on_display(on), pk=publication.pk).exists(),
            "urgency": periods.urgency(publication.due_on, on=on, done=publication.published_at is not None),
            "withdraw_form": WithdrawForm(),
            "remedy": services.pending_withdrawing_remedy(publication.case)
            if publication.kind == Kind.DECISION
            else None,
        },
    )


@login_required
@require_POST
def prepare(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    _ensure_queue(request)
    case = Case.objects.filter(policies.readable_filter(request.user), pk=case_pk).first()
    if case is None:
        raise Http404("案件不存在。")
    try:
        version = services.decision_prepare(actor=request.user, case=case)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("disclosure:queue")
    messages.success(request, "已生成脱敏后的公示稿，请逐项核对遮蔽内容后审核发布。")
    return redirect("disclosure:review", pk=version.publication_id)


@login_required
@require_POST
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_queue(request)
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    draft = selectors.draft_version(publication)
    if draft is None:
        messages.error(request, "没有待审核的版本。")
        return redirect("disclosure:review", pk=pk)
    try:
        services.publication_approve(actor=request.user, version=draft)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"第{draft.number}版已审核发布。")
    return redirect("disclosure:review", pk=pk)


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_queue(request)
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.publication_withdraw(actor=request.user, publication=publication, reason=reason)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤回，门户上将显示撤回理由。")
    return redirect("disclosure:review", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _ensure_queue(request)
    publication = selectors.publication_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage(request.user, publication.agency)
    current = selectors.current_version(publication)
    if current is None or publication.state != State.PUBLISHED:
        messages.error(request, "只能更正已公开的公示信息。")
        return redirect("disclosure:review", pk=pk)
    form = CorrectionForm(request.POST or None, content=current.content)
    if request.method == "POST" and form.is_valid():
        # What the administrator typed goes through the same engine before it is stored.
        names = projection.names_known_to(publication.case) if publication.case else []
        content, marks = projection.redact_fields(form.content(), names=names)
        try:
            services.publication_correct(
                actor=request.user,
                publication=publication,
                content=content,
                marks=marks,
                note=form.cleaned_data["note"],
            )
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "更正稿已生成，请核对后审核发布；原版本保留在历史中。")
            return redirect("disclosure:review", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "disclosure/staff/correct.html",
        {"title": f"更正：{publication.title}", "publication": publication, "form": form},
        status=status,
    )
