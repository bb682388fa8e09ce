"""Thin adapters for the matter catalog and the law library."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.catalog import forms, policies, selectors, services
from zhifa.catalog.models import Matter, MatterKind, Stage
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.core.views import form_view, parse_id
from zhifa.org import selectors as org_selectors


@login_required
def matter_list(request: AuthenticatedRequest) -> HttpResponse:
    agencies = org_selectors.agency_list_visible_to(user=request.user)
    agency_id = request.GET.get("agency", "")
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    matters = selectors.matter_list_visible_to(user=request.user, agency_id=parse_id(agency_id), query=query)
    on = today()
    rows = [(m, selectors.matter_version_on(m, on), m.versions.all()[0]) for m in matters]
    if kind in MatterKind.values:
        rows = [r for r in rows if r[2].kind == kind]
    managed = [a for a in agencies if policies.can_manage_matters(request.user, a)]
    return render(
        request,
        "catalog/matter_list.html",
        {
            "title": "执法事项清单",
            "rows": rows,
            "agencies": agencies,
            "agency_id": agency_id,
            "query": query,
            "kind": kind,
            "kinds": MatterKind.choices,
            "can_create": bool(managed),
        },
    )


@login_required
def matter_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get_for(user=request.user, pk=pk)
    on = today()
    current = selectors.matter_version_on(matter, on)
    versions = list(matter.versions.all())
    shown = current or versions[0]
    return render(
        request,
        "catalog/matter_detail.html",
        {
            "title": shown.name,
            "matter": matter,
            "current": current,
            "shown": shown,
            "versions": versions,
            "av_rows": [(s.label, shown.av_level(s.value)) for s in Stage],
            "can_manage": policies.can_manage_matters(request.user, matter.agency)
            and matter.repealed_on is None,
            "today": on,
        },
    )


def _version_form_view(
    request: AuthenticatedRequest,
    form_class: type[forms.MatterVersionForm],
    save: Callable[[forms.MatterVersionForm, list[services.BasisInput]], Matter],
    *,
    title: str,
    back: str,
    initial: dict[str, Any] | None = None,
    initial_bases: list[dict[str, str]] | None = None,
    agency_field: django_forms.Field | None = None,
) -> HttpResponse:
    """A version form and its legal-bases formset, saved by one service call."""
    post = request.POST if request.method == "POST" else None
    form = form_class(post, initial=initial)
    if agency_field is not None:
        form.fields["agency"] = agency_field
    # Prefilled rows are initial only on GET: posted rows left as they were must still count.
    formset = forms.BasisFormSet(post, initial=None if post is not None else initial_bases, prefix="bases")
    if post is not None and form.is_valid() and formset.is_valid():
        try:
            matter = save(form, forms.bases_from(formset))
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "执法事项已保存。")
            return redirect("catalog:matter_detail", pk=matter.pk)
    status = 400 if post is not None else 200
    return render(
        request,
        "catalog/matter_form.html",
        {"title": title, "form": form, "formset": formset, "back": back},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_create(request: AuthenticatedRequest) -> HttpResponse:
    agencies = [
        a
        for a in org_selectors.agency_list_visible_to(user=request.user)
        if policies.can_manage_matters(request.user, a)
    ]
    if not agencies:
        raise NotPermitted("您无权新增执法事项，只有机关负责人或系统管理员可以维护执法事项清单。")
    agency_field = django_forms.ModelChoiceField(
        label="实施主体",
        queryset=org_selectors.agency_list_visible_to(user=request.user).filter(
            pk__in=[a.pk for a in agencies]
        ),
        initial=agencies[0].pk if len(agencies) == 1 else None,
    )

    def save(form: forms.MatterVersionForm, bases: list[services.BasisInput]) -> Matter:
        return services.matter_create(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            code=form.cleaned_data["code"],
            effective_from=form.cleaned_data["effective_from"],
            bases=bases,
            **{k: v for k, v in form.version_fields().items() if k != "agency"},
        )

    return _version_form_view(
        request,
        forms.MatterCreateForm,
        save,
        title="新增执法事项",
        back=reverse("catalog:matter_list"),
        agency_field=agency_field,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_amend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage_matters(request.user, matter.agency)
    latest = matter.versions.all()[0]
    initial = {
        "name": latest.name,
        "kind": latest.kind,
        "domain": latest.domain_id,
        "description": latest.description,
        "review_always_required": latest.review_always_required,
        "disclosure_workdays": latest.disclosure_workdays,
        **{f"av_{s.value}": latest.av_level(s.value) for s in Stage},
    }
    bases = [
        {"role": b.role, "law_title": b.law_title, "article_label": b.article_label}
        for b in latest.bases.all()
    ]

    def save(form: forms.MatterVersionForm, basis_inputs: list[services.BasisInput]) -> Matter:
        services.matter_amend(
            actor=request.user,
            matter=matter,
            effective_from=form.cleaned_data["effective_from"],
            change_note=form.cleaned_data["change_note"],
            bases=basis_inputs,
            **form.version_fields(),
        )
        return matter

    return _version_form_view(
        request,
        forms.MatterAmendForm,
        save,
        title=f"修改执法事项：{latest.name}",
        back=reverse("catalog:matter_detail", args=[matter.pk]),
        initial=initial,
        initial_bases=bases,
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_repeal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_get_for(user=request.user, pk=pk)
    policies.ensure_can_manage_matters(request.user, matter.agency)
    back = reverse("catalog:matter_detail", args=[matter.pk])
    return form_view(
        request,
        forms.RepealForm,
        lambda data: services.matter_repeal(actor=request.user, matter=matter, **data),
        template="org/form.html",
        success_url=back,
        success_message="执法事项已废止，历史版本仍可查阅。",
        context={"title": f"废止执法事项：{matter.code}", "back": back},
    )


@login_required
def law_list(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    laws = selectors.law_list(user=request.user, query=query)
    return render(request, "catalog/law_list.html", {"title": "法律法规库", "laws": laws, "query": query})


@login_required
def law_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    law = selectors.law_get_for(user=request.user, pk=pk)
    page = Paginator(law.articles.all(), 400).get_page(request.GET.get("page"))
    return render(request, "catalog/law_detail.html", {"title": law.title, "law": law, "page": page})
