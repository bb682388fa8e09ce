"""Thin adapters: load through selectors, check policies, call services, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError
from zhifa.core.views import form_view, parse_id
from zhifa.org import forms, policies, selectors, services
from zhifa.org.certificates import Level
from zhifa.org.models import Agency, Certificate, Officer, Post


@login_required
def agency_list(request: AuthenticatedRequest) -> HttpResponse:
    agencies = selectors.agency_list_visible_to(user=request.user)
    overviews = selectors.agency_overviews(agencies)
    return render(request, "org/agency_list.html", {"title": "执法主体", "overviews": overviews})


@login_required
def agency_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_get_for(user=request.user, pk=pk)
    overview = selectors.agency_overviews([agency])[0]
    return render(
        request,
        "org/agency_detail.html",
        {
            "title": agency.name,
            "agency": agency,
            "o": overview,
            "bureau": selectors.supervising_bureau(agency),
            "can_manage": policies.can_manage_agency(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage_agency(request.user, agency)
    return form_view(
        request,
        forms.AgencyForm,
        lambda data: services.agency_update(actor=request.user, agency=agency, **data),
        template="org/form.html",
        success_url=reverse("org:agency_detail", args=[agency.pk]),
        success_message="执法主体信息已保存。",
        context={"title": f"修改：{agency.name}", "back": reverse("org:agency_detail", args=[agency.pk])},
        # The form edits a copy so a refused save leaves the loaded object as it was.
        form_kwargs={"instance": Agency.objects.get(pk=agency.pk)},
    )


_STATE_FILTERS = {"ok": "证件有效", "warning": "预警", "danger": "不能执法"}


@login_required
def officer_list(request: AuthenticatedRequest) -> HttpResponse:
    agencies = selectors.agency_list_visible_to(user=request.user)
    agency_id = parse_id(request.GET.get("agency"))
    agency = agencies.filter(pk=agency_id).first() if agency_id else None
    officers = selectors.officer_list_visible_to(user=request.user, agency=agency)
    query = request.GET.get("q", "").strip()
    if query:
        officers = officers.filter(name__icontains=query) | officers.filter(
            certificates__number__icontains=query
        )
        officers = officers.distinct()
    post = request.GET.get("post", "")
    if post in Post.values:
        officers = officers.filter(post=post)
    on = today()
    standings = [selectors.officer_standing(o, on=on) for o in officers]
    state = request.GET.get("state", "")
    if state in _STATE_FILTERS:
        standings = [s for s in standings if s.level == state]
    return render(
        request,
        "org/officer_list.html",
        {
            "title": "执法人员",
            "standings": standings,
            "agencies": agencies,
            "agency": agency,
            "posts": Post.choices,
            "states": _STATE_FILTERS.items(),
            "query": query,
            "post": post,
            "state": state,
        },
    )


@login_required
def officer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = selectors.officer_get_for(user=request.user, pk=pk)
    on = today()
    return render(
        request,
        "org/officer_detail.html",
        {
            "title": officer.name,
            "officer": officer,
            "standing": selectors.officer_standing(officer, on=on),
            "states": selectors.certificate_states(officer, on=on),
            "records": officer.training_records.all()[:50],
            "year": on.year,
            "hours": selectors.training_hours(officer, year=on.year),
            "by_category": selectors.training_hours_by_category(officer, year=on.year),
            "required_hours": selectors.training_requirement(),
            "can_manage": policies.can_manage_officer(request.user, officer),
            "Level": Level,
        },
    )


def _managed_officer(request: AuthenticatedRequest, pk: int) -> Officer:
    officer = selectors.officer_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage_agency(request.user, officer.agency)
    return officer


def _officer_url(officer: Officer) -> str:
    return reverse("org:officer_detail", args=[officer.pk])


@login_required
@require_http_methods(["GET", "POST"])
def officer_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = selectors.agency_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage_agency(request.user, agency)
    return form_view(
        request,
        forms.OfficerForm,
        lambda data: services.officer_create(actor=request.user, agency=agency, **data),
        template="org/form.html",
        success_url=_officer_url,
        success_message="执法人员已登记。",
        context={
            "title": f"登记执法人员：{agency.name}",
            "back": reverse("org:agency_detail", args=[agency.pk]),
        },
        form_kwargs={"agency": agency},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    # The form edits a copy so a refused save leaves the loaded object as it was.
    return form_view(
        request,
        forms.OfficerForm,
        lambda data: services.officer_update(actor=request.user, officer=officer, **data),
        template="org/form.html",
        success_url=_officer_url(officer),
        success_message="执法人员信息已保存。",
        context={"title": f"修改：{officer.name}", "back": _officer_url(officer)},
        form_kwargs={"agency": officer.agency, "instance": Officer.objects.get(pk=officer.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_photo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Upload or remove the photo the public credential page shows (a manager of the agency)."""
    officer = _managed_officer(request, pk)
    form = (
        forms.OfficerPhotoForm(request.POST, request.FILES)
        if request.method == "POST"
        else forms.OfficerPhotoForm()
    )
    if request.method == "POST" and form.is_valid():
        upload = None if form.cleaned_data["remove"] else form.cleaned_data["photo"]
        try:
            services.officer_set_photo(actor=request.user, officer=officer, photo=upload)
        except DomainError as exc:
            form.add_error("photo", exc.message)
        else:
            messages.success(request, "照片已删除。" if upload is None else "照片已保存。")
            return redirect(_officer_url(officer))
    return render(
        request,
        "org/officer_photo.html",
        {"title": f"照片：{officer.name}", "officer": officer, "form": form, "back": _officer_url(officer)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def officer_photo_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The photo for staff who may read the officer record (the public sees it only by a credential)."""
    officer = selectors.officer_get_for(user=request.user, pk=pk)
    return photo_response(officer)


def photo_response(officer: Officer) -> HttpResponse:
    if not officer.photo:
        raise Http404("该执法人员没有登记照片。")
    with officer.photo.open("rb") as f:  # small: scaled to 800 px when stored
        response = HttpResponse(f.read(), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def certificate_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    return form_view(
        request,
        forms.CertificateForm,
        lambda data: services.certificate_issue(actor=request.user, officer=officer, **data),
        template="org/form.html",
        success_url=_officer_url(officer),
        success_message="执法证已登记。",
        context={"title": f"登记执法证：{officer.name}", "back": _officer_url(officer)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    return form_view(
        request,
        forms.TrainingForm,
        lambda data: services.training_record_add(actor=request.user, officer=officer, **data),
        template="org/form.html",
        success_url=_officer_url(officer),
        success_message="培训记录已登记。",
        context={"title": f"登记培训：{officer.name}", "back": _officer_url(officer)},
    )


def _managed_certificate(request: AuthenticatedRequest, pk: int) -> Certificate:
    certificate = Certificate.objects.filter(
        pk=pk, officer__in=selectors.officer_list_visible_to(user=request.user)
    ).first()
    if certificate is None:
        raise Http404("未找到该执法证，或您无权查看。")
    policies.ensure_can_manage_agency(request.user, certificate.officer.agency)
    return certificate


@login_required
@require_http_methods(["GET", "POST"])
def certificate_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = _managed_certificate(request, pk)
    return form_view(
        request,
        forms.CertificateStatusForm,
        lambda data: services.certificate_set_status(actor=request.user, certificate=certificate, **data),
        template="org/form.html",
        success_url=_officer_url(certificate.officer),
        success_message="证件状态已变更。",
        context={"title": f"变更证件状态：{certificate.number}", "back": _officer_url(certificate.officer)},
        form_kwargs={"initial": {"status": certificate.status}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def annual_review_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    certificate = _managed_certificate(request, pk)
    return form_view(
        request,
        forms.AnnualReviewForm,
        lambda data: services.annual_review_record(actor=request.user, certificate=certificate, **data),
        template="org/form.html",
        success_url=_officer_url(certificate.officer),
        success_message="年审记录已登记。",
        context={"title": f"登记年审：{certificate.number}", "back": _officer_url(certificate.officer)},
        form_kwargs={"initial": {"year": today().year, "reviewed_on": today(), "passed": True}},
    )
