"""Thin adapters for the case procedure: load through selectors, ask the workflow, call services, render.

Refusals: a user who may not take a step gets 403 (NotPermitted, through DomainErrorMiddleware);
a step that is not open for the case as it stands gets a page with the refusal sentence and
status 409; a refusal of what the user typed is a form error with status 400.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.accounts.models import Role, User
from zhifa.cases import attention, policies, selectors, services, workflow
from zhifa.cases.deadlines import Deadline
from zhifa.cases.models import Case, Procedure, Status
from zhifa.cases.payment_code import payment_code
from zhifa.cases.steps.filing import ClueForm
from zhifa.cases.steps.on_the_spot import OnTheSpotForm
from zhifa.cases.timeline import preview
from zhifa.cases.workflow import CASES
from zhifa.catalog.selectors import matter_version_on
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.step_views import StepPage, step_page
from zhifa.core.views import parse_id
from zhifa.org.certificates import Level
from zhifa.org.models import Officer
from zhifa.org.policies import agency_of, readable_agencies

PAGE_SIZE = 25
STATUS_FILTERS = [("open", "办理中（未结）"), *Status.choices]
LEVEL_FILTERS = {Level.DANGER: "已超期", Level.WARNING: "即将到期", Level.OK: "期限正常"}
# A deadline bar spans at least this many days, so a few days left still looks short.
MIN_BAR_DAYS = 30


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    level: str
    phrase: str
    # Share of the bar for the time left, in percent (full and red when overdue).
    width: int


def _deadline_views(deadlines: list[Deadline], on: dt.date) -> list[DeadlineView]:
    lefts = [d.days_left(on) for d in deadlines]
    scale = max([MIN_BAR_DAYS, *[left for left in lefts if left is not None]])
    views = []
    for deadline, left in zip(deadlines, lefts, strict=True):
        if deadline.met_on is not None:
            width = 100
        elif left is None:
            width = 0
        elif left < 0:
            width = 100
        else:
            width = max(2, round(left * 100 / scale))
        views.append(DeadlineView(deadline, deadline.level(on), deadline.phrase(on), width))
    return views


def _row_view(row: attention.CaseRow, on: dt.date) -> dict[str, Any]:
    deadline = row.deadline
    return {
        "case": row.case,
        "level": row.level,
        "deadline": deadline,
        "phrase": deadline.phrase(on) if deadline else "",
    }


def _can_start_cases(user: User) -> bool:
    agency = agency_of(user)
    return agency is not None and policies.can_register_clue(user, agency)


# ── 案件列表 ──────────────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET"])
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    procedure = request.GET.get("procedure", "")
    procedure = procedure if procedure in Procedure.values else ""
    query = request.GET.get("q", "").strip()[:100]
    mine = request.GET.get("mine") == "1"
    level = request.GET.get("level", "")
    archive = request.GET.get("archive", "")
    archive = archive if archive in selectors.ARCHIVE_FILTERS else ""
    # 执法主体: a column and a filter for those who read more than one agency (supervisors).
    agencies = list(readable_agencies(user).order_by("name").values_list("pk", "name"))
    agency = parse_id(request.GET.get("agency"))
    agency = agency if agency in {pk for pk, _name in agencies} else None
    on = today()

    def visible(status: str) -> Any:
        return selectors.case_list_visible_to(
            user=user,
            status=status,
            procedure=procedure,
            query=query,
            mine=mine,
            agency=agency,
            archive=archive,
        )

    open_rows = attention.case_rows(visible("open"), on)
    known = {row.case.pk: row for row in open_rows}
    if level in LEVEL_FILTERS:
        # A level exists only for open cases; it is derived from dates, so the filter runs here.
        items: Any = [row for row in attention.by_urgency(open_rows, on) if row.level == level]
    else:
        level = ""
        items = visible(status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for item in page.object_list:
        row = (
            item
            if isinstance(item, attention.CaseRow)
            else known.get(item.pk) or attention.case_row(item, on)
        )
        rows.append(_row_view(row, on))

    params = request.GET.copy()
    params.pop("page", None)
    kept = {
        k: v
        for k, v in (
            ("procedure", procedure),
            ("q", query),
            ("mine", "1" if mine else ""),
            ("agency", str(agency) if agency else ""),
        )
        if v
    }
    return render(
        request,
        "cases/list.html",
        {
            "title": "案件",
            "page": page,
            "rows": rows,
            "tally": attention.tally(open_rows),
            "tally_query": urlencode(kept) + "&" if kept else "",
            "status": status,
            "procedure": procedure,
            "query": query,
            "mine": mine,
            "level": level,
            "statuses": STATUS_FILTERS,
            "procedures": Procedure.choices,
            "levels": LEVEL_FILTERS.items(),
            "archive": archive,
            "archives": selectors.ARCHIVE_FILTERS.items(),
            "agencies": agencies if len(agencies) > 1 else [],
            "agency": agency,
            "querystring": params.urlencode(),
            "can_start": _can_start_cases(user),
            "is_officer": policies.officer_of(user) is not None,
        },
    )


# ── 案件详情 ──────────────────────────────────────────────────────────────────────────


def _payment(case: Case, on: dt.date) -> selectors.PaymentStatus | None:
    if case.final_fine <= 0 or (case.decision_served_on is None and not hasattr(case, "payment_plan")):
        return None
    return selectors.payment_status(case, on)


def _refusals(states: list[workflow.StepState[Case]], user: User, case: Case) -> dict[str, Any]:
    """Refused steps, those for someone else's role grouped by that role: an officer reads
    "应由本机关负责人办理：批准立案、……" once, not a line per step."""
    refused = [s for s in states if not s.allowed]
    others: dict[str, list[str]] = {}
    for s in refused:
        if not s.step.who.test(user, case):
            others.setdefault(s.step.who.label, []).append(s.step.label)
    return {
        "refused": refused,
        "refused_now": [s for s in refused if s.step.who.test(user, case)],
        "refused_for_others": sorted(others.items()),
    }


@login_required
@require_http_methods(["GET"])
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for(user=user, pk=pk)
    on = today()
    works_on = policies.may_work_on(user, case)
    states = workflow.next_steps(case, user, on)
    return render(
        request,
        "cases/detail.html",
        {
            "title": f"{case.number} {case.cause}",
            "case": case,
            "party": selectors.party_for(user=user, case=case),
            # Before filing the version is not frozen: the name in force today, beside the code.
            "matter_now": matter_version_on(case.matter, on)
            if case.matter and not case.matter_version
            else None,
            "on": on,
            "works_on": works_on,
            "is_supervisor": user.role == Role.SUPERVISOR,
            "allowed": [s for s in states if s.allowed],
            **_refusals(states, user, case),
            "deadlines": _deadline_views(selectors.case_deadlines(case, on), on),
            "handlers": case.handlers.select_related("officer"),
            "events": case.events.select_related("actor").order_by("at", "pk"),
            "records": case.records.prefetch_related("officers"),
            "measures": case.measures.all(),
            "discussions": case.discussions.select_related("chair"),
            "hearing": getattr(case, "hearing", None),
            "adjustments": case.limit_adjustments.all(),
            "service_list": case.services.prefetch_related("documents").select_related("served_by"),
            "payments": case.payments.all(),
            "plan": getattr(case, "payment_plan", None),
            "payment": _payment(case, on),
            "payment_code": payment_code(case) if case.final_fine > 0 else "",
            "documents": selectors.case_documents(case),
        },
    )


# ── 办理步骤 ──────────────────────────────────────────────────────────────────────────


# Documents render without page margins on screen; this gives the preview the A4 margins of print.
_SCREEN_PAGE = "<style>@media screen { body { padding: 37mm 26mm 35mm 28mm; background: #fff; } }</style>"


def _for_screen(html: str, nonce: str) -> str:
    html = html.replace("</head>", _SCREEN_PAGE + "</head>", 1) if "</head>" in html else _SCREEN_PAGE + html
    # The preview's iframe (srcdoc) lives under this page's CSP: its style sheets need the nonce.
    return html.replace("<style>", f'<style nonce="{nonce}">')


def _preview(request: HttpRequest, take: Callable[[], Any]) -> dict[str, Any]:
    """The documents the step would issue, as the step page shows them (the step rolled back)."""
    nonce = request.csp_nonce  # type: ignore[attr-defined]  # set by CSPMiddleware
    return {"previews": [(title, _for_screen(html, nonce)) for title, html in preview(take)]}


STEP_PAGE: StepPage[Case] = StepPage(
    CASES,
    load=selectors.case_get_for,
    detail="cases:detail",
    template="cases/step.html",
    refused_template="cases/step_refused.html",
    name="case",
    context=lambda case: {"previews": None},  # none shown until "preview" is pressed
    preview=_preview,
)


@login_required
@require_http_methods(["GET", "POST"])
def case_step(request: AuthenticatedRequest, pk: int, code: str) -> HttpResponse:
    """One step's page (zhifa.core.step_views): its form, a preview of the documents it would
    issue ("preview" in the form), and the step itself."""
    return step_page(request, STEP_PAGE, pk, code)


# ── 登记案源、当场处罚 ────────────────────────────────────────────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    agency = agency_of(user)
    if agency is None or not policies.can_register_clue(user, agency):
        raise NotPermitted("只有本机关的执法人员或负责人可以登记案源。")
    form = ClueForm(request.POST or None, agency=agency, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            case = form.perform()
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"案源已登记，案件编号 {case.number}。")
            return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        "cases/form.html",
        {"title": f"登记案源：{agency.name}", "form": form, "back": reverse("cases:list"), "submit": "登记"},
        status=400 if form.errors else 200,
    )


class ReserveForm(django_forms.Form):
    count = django_forms.IntegerField(label="领用份数", min_value=1, max_value=services.MAX_FORMS, initial=5)


class VoidForm(django_forms.Form):
    reason = django_forms.CharField(label="作废理由", max_length=200)


def _on_the_spot_page(
    request: AuthenticatedRequest,
    officer: Officer,
    *,
    form: OnTheSpotForm | None = None,
    reserve: ReserveForm | None = None,
    void_error: str = "",
) -> HttpResponse:
    form = form or OnTheSpotForm(officer=officer, user=request.user)
    reserve = reserve or ReserveForm()
    failed = bool(form.errors or reserve.errors or void_error)
    return render(
        request,
        "cases/on_the_spot.html",
        {
            "title": "当场处罚",
            "form": form,
            "reserve": reserve,
            "held": services.forms_held_by(officer),
            "void_error": void_error,
        },
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def on_the_spot(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    officer = services.field_officer(user)
    if request.method == "GET":
        return _on_the_spot_page(request, officer)
    form = OnTheSpotForm(request.POST, officer=officer, user=user)
    if form.is_valid():
        try:
            case = form.perform()
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"当场行政处罚决定已作出（案件编号 {case.number}），请下载打印决定书当场交付当事人。"
            )
            return redirect("cases:detail", pk=case.pk)
    return _on_the_spot_page(request, officer, form=form)


@login_required
@require_POST
def forms_reserve(request: AuthenticatedRequest) -> HttpResponse:
    officer = services.field_officer(request.user)
    reserve = ReserveForm(request.POST)
    if reserve.is_valid():
        try:
            reserved = services.on_the_spot_forms_reserve(
                actor=request.user, count=reserve.cleaned_data["count"]
            )
        except NotPermitted:
            raise
        except DomainError as exc:
            reserve.add_error(None, exc.message)
        else:
            numbers = "、".join(d.number for d in reserved)
            messages.success(request, f"已领用 {len(reserved)} 份预编号决定书：{numbers}。")
            return redirect("cases:on_the_spot")
    return _on_the_spot_page(request, officer, reserve=reserve)


@login_required
@require_POST
def form_void(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = services.field_officer(request.user)
    held = {d.pk: d for d in services.forms_held_by(officer)}
    if pk not in held:
        raise Http404("没有这份由您领用且尚未使用的预编号决定书。")
    document = held[pk]
    void = VoidForm(request.POST)
    error = "请填写作废理由。"
    if void.is_valid():
        try:
            services.on_the_spot_form_void(
                actor=request.user, form=document, reason=void.cleaned_data["reason"]
            )
        except NotPermitted:
            raise
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"预编号决定书 {document.number} 已作废，编号留档备查。")
            return redirect("cases:on_the_spot")
    return _on_the_spot_page(request, officer, void_error=f"{document.number}：{error}")
