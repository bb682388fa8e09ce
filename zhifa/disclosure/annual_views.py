"""年报 pages: the staff page (figures, due tracking, submit and approve) and the public pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.accounts.models import Role
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.views import parse_id
from zhifa.disclosure import policies
from zhifa.disclosure.annual import exports
from zhifa.disclosure.annual import selectors as annual_selectors
from zhifa.disclosure.annual.report import Scope, build_snapshot, due_on
from zhifa.disclosure.annual.services import FIRST_YEAR, annual_report_submit
from zhifa.disclosure.models import Kind, PublicationVersion
from zhifa.disclosure.services import publication_approve
from zhifa.org.policies import agency_of


def _year(text: str | None, default: int) -> int:
    year = parse_id(text)
    return year if year is not None and FIRST_YEAR <= year <= today().year else default


def _staff_page_url(agency_pk: int, year: int, aggregate: bool) -> str:
    query: dict[str, int | str] = {"agency": agency_pk, "year": year}
    if aggregate:
        query["scope"] = "all"
    return f"{reverse('disclosure:annual')}?{urlencode(query)}"


@login_required
@require_GET
def staff_page(request: AuthenticatedRequest) -> HttpResponse:
    agencies = list(annual_selectors.staff_agencies(request.user))
    if not agencies:
        raise NotPermitted("年报只向机关负责人、公示管理员和司法局监督人员开放。")
    on = today()
    year = _year(request.GET.get("year"), on.year - 1)
    chosen = parse_id(request.GET.get("agency"))
    own = agency_of(request.user)
    if chosen is not None:
        agency = next((a for a in agencies if a.pk == chosen), None)
        if agency is None:
            raise Http404("未找到该执法主体，或您无权查看其年报。")
    else:
        agency = next((a for a in agencies if own is not None and a.pk == own.pk), agencies[0])
    # A supervisor's page opens on the bureau's 辖区汇总; once a form is sent, its checkbox decides.
    aggregate = (
        request.GET.get("scope") == "all" if "agency" in request.GET else request.user.role == Role.SUPERVISOR
    )
    scope = Scope(agency, aggregate=aggregate and agency.is_justice_bureau)
    snapshot = build_snapshot(scope, year, as_of=timezone.now())
    publication = annual_selectors.report_publication(scope, year)
    versions = list(publication.versions.order_by("-number")) if publication else []
    return render(
        request,
        "disclosure/annual/staff.html",
        {
            "title": "行政执法统计年报",
            "year": year,
            "years": list(range(on.year, max(FIRST_YEAR, on.year - 8) - 1, -1)),
            "agencies": agencies,
            "agency": agency,
            "scope": scope,
            "due_on": due_on(year),
            "tracking": annual_selectors.tracking(agencies=agencies, year=year, on=on),
            "publication": publication,
            "draft": next((v for v in versions if v.approved_at is None), None),
            "published_versions": [v for v in versions if v.approved_at is not None],
            "can_submit": policies.can_manage(request.user, agency) and year < on.year,
            **exports.context(snapshot),
        },
    )


@login_required
@require_POST
def submit(request: AuthenticatedRequest) -> HttpResponse:
    agency_pk = parse_id(request.POST.get("agency"))
    agency = annual_selectors.staff_agencies(request.user).filter(pk=agency_pk or 0).first()
    if agency is None:
        raise Http404("未找到该执法主体，或您无权查看其年报。")
    aggregate = request.POST.get("scope") == "all"
    year = parse_id(request.POST.get("year")) or 0
    try:
        annual_report_submit(actor=request.user, agency=agency, year=year, aggregate=aggregate)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{year}年度年报已生成，等待审核发布。")
    return redirect(_staff_page_url(agency.pk, year, aggregate))


@login_required
@require_POST
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    readable = policies.readable_filter(request.user, "publication__agency")
    version = get_object_or_404(
        PublicationVersion.objects.filter(readable, publication__kind=Kind.ANNUAL_REPORT).select_related(
            "publication__agency"
        ),
        pk=pk,
    )
    publication = version.publication
    year = annual_selectors.report_year(publication) or today().year - 1
    aggregate = publication.subject.endswith(":all")
    try:
        publication_approve(actor=request.user, version=version)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{publication.title}”已公开。")
    return redirect(_staff_page_url(publication.agency_id, year, aggregate))


# ── public ───────────────────────────────────────────────────────────────────────────────────


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    reports = annual_selectors.public_reports(agency=parse_id(request.GET.get("agency")))
    return render(
        request, "disclosure/annual/public_list.html", {"title": "行政执法统计年报", "reports": reports}
    )


@require_safe
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication, version = annual_selectors.public_report(pk=pk)
    context = {"title": publication.title, "publication": publication, "version": version}
    if version is not None:
        context.update(exports.context(annual_selectors.snapshot_of(version)))
    return render(request, "disclosure/annual/public_detail.html", context)


def _published_snapshot(pk: int) -> tuple[str, dict]:
    publication, version = annual_selectors.public_report(pk=pk)
    if version is None:  # withdrawn: only the reason is public
        raise Http404("该年报已撤回。")
    return publication.title, annual_selectors.snapshot_of(version)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@require_safe
def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _title, snapshot = _published_snapshot(pk)
    return _download(exports.render_pdf(snapshot), "application/pdf", f"annual-report-{pk}.pdf")


@require_safe
def public_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    _title, snapshot = _published_snapshot(pk)
    return _download(
        exports.render_xlsx(snapshot),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"annual-report-{pk}.xlsx",
    )
