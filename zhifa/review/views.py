"""Thin adapters for the legal review: load through selectors, call services, render.

Refusals: a user who may not act gets 403 (NotPermitted through DomainErrorMiddleware); a case
of another agency is 404 (cases selectors); a refusal of the case's state is the form page with
the sentence and status 409; a refusal of what was typed is a form error with status 400.
"""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.accounts.models import User
from zhifa.cases import selectors as case_selectors
from zhifa.cases.discretion import assessment_for
from zhifa.cases.models import Case
from zhifa.cases.policies import is_handler, is_head_of, may_work_on
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of, readable_agencies
from zhifa.review import policies, selectors
from zhifa.review.catalog import catalog_for, fine_threshold
from zhifa.review.forms import ACTION_FORMS, CatalogForm, action_form_for
from zhifa.review.items import BY_CODE, finding_label
from zhifa.review.materials import checklist
from zhifa.review.models import Opinion
from zhifa.review.services import REVIEWABLE, catalog_update


def _actions(user: User, review: selectors.CaseReview) -> list[tuple[str, str]]:
    """The review actions this user may try now (the services still decide)."""
    case, latest = review.case, review.latest
    if not may_work_on(user, case):
        return []
    handler, head = is_handler(user, case), is_head_of(user, case.agency)
    settled = latest is not None and latest.discussion_id is not None
    found = []
    if (handler or head) and case.is_open and case.decided_on is None:
        found.append("mark")
    resubmittable = latest is None or latest.opinion == Opinion.PROBLEMS
    if handler and review.required and case.status in REVIEWABLE and not settled and resubmittable:
        found.append("submit")
    if latest is not None and not latest.opinion and policies.may_assign(user, case.agency):
        found.append("assign")
    if latest is not None and not latest.opinion and latest.reviewer_id == user.pk:
        found.append("record")
    if latest is not None and latest.opinion == Opinion.PROBLEMS and not settled:
        if handler and latest.disagreed_at is None:
            found.append("disagree")
        if latest.disagreed_at is not None and policies.may_coordinate(user, case):
            found.append("coordinate")
        if head and any(not c.agreed for c in latest.coordinations.all()):
            found.append("settle")
    return [(code, ACTION_FORMS[code].label) for code in found]


def _round_items(round_: object) -> list[dict[str, str]]:
    return [
        {
            "label": BY_CODE[i["code"]].label,
            "finding": i["finding"],
            "label_finding": finding_label(i["code"], i["finding"]),
            "note": i["note"],
        }
        for i in getattr(round_, "items", [])
    ]


@login_required
@require_http_methods(["GET"])
def case_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = case_selectors.case_get_for(user=user, pk=pk)
    review = selectors.case_review(case)
    on = today()
    evidence = _evidence(case)
    return render(
        request,
        "review/case.html",
        {
            "title": f"法制审核 {case.number}",
            "case": case,
            "review": review,
            "rounds": [(r, _round_items(r)) for r in review.rounds],
            "deadline_level": review.deadline.level(on) if review.deadline else "",
            "deadline_phrase": review.deadline.phrase(on) if review.deadline else "",
            "actions": _actions(user, review),
            "checklist": checklist(case),
            "records": case.records.prefetch_related("officers"),
            "documents": case_selectors.case_documents(case),
            "evidence_links": evidence[0],
            "evidence_items": evidence[1],
            "assessment": assessment_for(case),
        },
    )


def _evidence(case: Case) -> tuple[bool, list[object]]:
    """The case's evidence and AV items, and whether records open in the evidence app's viewer
    (the 笔录 beside its recording); both empty until the evidence app provides them."""
    try:
        reverse("evidence:record", args=[0])
        reverse("evidence:item", args=[0])
        from zhifa.evidence.selectors import case_items
    except (NoReverseMatch, ImportError):
        return False, []
    return True, list(case_items(case))


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    case = case_selectors.case_get_for(user=user, pk=pk)
    form_class = action_form_for(action, user, case)
    back = reverse("review:case", args=[case.pk])
    status, error = 200, ""
    if request.method == "POST":
        form = form_class(request.POST, case=case, user=user)
        if form.is_valid():
            try:
                form.perform()
            except NotPermitted:
                raise
            except InvalidInput as exc:
                status, error = 400, exc.message
            except DomainError as exc:
                status, error = 409, exc.message
            except django_forms.ValidationError as exc:
                status, error = 409, "；".join(exc.messages)
            else:
                messages.success(request, f"已办理“{form_class.label}”。")
                return redirect(back)
            case = case_selectors.case_get_for(user=user, pk=pk)
            form = form_class(request.POST, case=case, user=user)
            form.is_valid()
        else:
            status = 400
    else:
        form = form_class(case=case, user=user)
    context = {"title": form_class.label, "case": case, "form": form, "error": error, "back": back}
    return render(request, "review/action.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    on = today()
    return render(
        request,
        "review/queue.html",
        {
            "title": "法制审核",
            "mine": selectors.assigned_to(user=user, on=on),
            "unassigned": selectors.awaiting_assignment(user=user, on=on),
            "agency_open": selectors.agency_open(user=user, on=on),
            "can_edit_catalog": (agency := agency_of(user)) is not None
            and policies.may_edit_catalog(user, agency),
            "can_see_staffing": policies.may_see_staffing(user),
        },
    )


def _catalog_agency(request: AuthenticatedRequest) -> Agency:
    user = request.user
    raw = request.GET.get("agency") or request.POST.get("agency")
    if raw:
        agency = readable_agencies(user).filter(pk=raw if str(raw).isdigit() else 0).first()
    else:
        agency = agency_of(user)
    if agency is None:
        raise Http404("找不到该执法主体，或者您无权查看。")
    return agency


@login_required
@require_http_methods(["GET", "POST"])
def catalog_edit(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    agency = _catalog_agency(request)
    if not policies.may_edit_catalog(user, agency):
        raise NotPermitted(f"{agency.name}的法制审核目录清单由本机关负责人或系统管理员修改。")
    catalog = catalog_for(agency)
    form = CatalogForm(request.POST or None, instance=catalog)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                catalog_update(actor=user, agency=agency, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, "已保存法制审核目录清单。")
                return redirect(f"{reverse('review:catalog')}?agency={agency.pk}")
        else:
            status = 400
    context = {
        "title": "法制审核目录清单",
        "agency": agency,
        "form": form,
        "fine_citizen": fine_threshold(catalog, organisation=False),
        "fine_organisation": fine_threshold(catalog, organisation=True),
    }
    return render(request, "review/catalog.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def staffing(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not policies.may_see_staffing(user):
        raise NotPermitted("法制审核人员配备情况供机关负责人、司法局监督人员和系统管理员查看。")
    rows = selectors.staffing(user=user, on=today())
    return render(request, "review/staffing.html", {"title": "法制审核人员配备", "rows": rows})
