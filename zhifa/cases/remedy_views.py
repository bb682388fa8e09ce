"""Recording 复议、诉讼 and 自行纠正 on the case page (the card comes from {% remedy_panel %}).

Anonymous users go to the login page; a case of another agency is not found (selectors); only
the agency's head or legal reviewers record (NotPermitted → 403); a refusal of what was typed
comes back on the case page as a message, with nothing changed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases import policies, selectors, services
from zhifa.cases.models import RemedyKind, RemedyResult
from zhifa.core.errors import DomainError, NotPermitted

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RemedyKind.choices)
    body = forms.CharField(label="复议机关或人民法院", max_length=100, required=False)
    filed_on = forms.DateField(label="申请、起诉或启动日期", widget=DATE)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RemedyResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=RemedyResult.choices)
    concluded_on = forms.DateField(label="决定、裁判生效日期", widget=DATE)
    document_ref = forms.CharField(label="文书文号", max_length=100, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _form_errors(form: forms.Form) -> str:
    return "；".join(
        f"{form.fields[k].label if k in form.fields else ''}：{' '.join(str(e) for e in v)}"
        for k, v in form.errors.items()
    )


@login_required
@require_POST
def remedy_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, pk=pk)
    if not policies.can_record_remedy(request.user, case):
        raise NotPermitted("只有本机关负责人或法制审核人员可以登记行政复议、行政诉讼和自行纠正情况。")
    form = RemedyForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未登记：{_form_errors(form)}")
        return redirect("cases:detail", pk=case.pk)
    try:
        remedy = services.remedy_record(actor=request.user, case=case, **form.cleaned_data)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, f"未登记：{exc.message}")
    else:
        messages.success(request, f"已登记{remedy.get_kind_display()}。")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def remedy_conclude(request: AuthenticatedRequest, pk: int, remedy_pk: int) -> HttpResponse:
    case = selectors.case_get_for(user=request.user, pk=pk)
    remedy = case.remedies.filter(pk=remedy_pk).first()
    if remedy is None:
        raise Http404("没有这项复议、诉讼或纠正记录。")
    if not policies.can_record_remedy(request.user, case):
        raise NotPermitted("只有本机关负责人或法制审核人员可以登记行政复议、行政诉讼和自行纠正情况。")
    form = RemedyResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未登记结果：{_form_errors(form)}")
        return redirect("cases:detail", pk=case.pk)
    try:
        remedy = services.remedy_conclude(actor=request.user, remedy=remedy, **form.cleaned_data)
    except NotPermitted:
        raise
    except DomainError as exc:
        messages.error(request, f"未登记结果：{exc.message}")
    else:
        messages.success(request, f"已登记结果：{remedy.get_result_display()}。")
    return redirect("cases:detail", pk=case.pk)
