"""The case's discretion panel (裁量基准适用): pick the tier and factors, see the range.

Anonymous users go to the login page; a case of another agency is not found (selectors); only a
handler of the case may record the assessment (NotPermitted → 403); a refusal of what was typed
is a form error (400).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases import discretion, selectors
from zhifa.cases.models import Case, CaseAssessment
from zhifa.catalog import benchmarks
from zhifa.catalog.models import Circumstance, DiscretionFactor
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def factor_choices(case: Case) -> list[DiscretionFactor]:
    """Factors of the benchmark in force now and of the one already applied, once per code."""
    found: dict[str, DiscretionFactor] = {}
    candidates = []
    row = CaseAssessment.objects.filter(case=case).select_related("benchmark__matter").first()
    if row is not None:
        candidates.append(row.benchmark)
    if case.matter is not None and (current := benchmarks.benchmark_on(case.matter, today())) is not None:
        candidates.append(current)
    for benchmark in candidates:
        for factor in benchmarks.factors_of(benchmark):
            found.setdefault(factor.code, factor)
    return list(found.values())


class AssessForm(forms.Form):
    violation_on = forms.DateField(label="违法行为发生日期", widget=DATE)
    circumstance = forms.ChoiceField(label="情节档次", choices=Circumstance.choices)
    factor_codes = forms.MultipleChoiceField(
        label="裁量情节（四张清单）", required=False, widget=forms.CheckboxSelectMultiple
    )
    illegal_gains = forms.DecimalField(
        label="违法所得（元）", max_digits=14, decimal_places=2, min_value=0, initial=0
    )
    goods_value = forms.DecimalField(
        label="货值金额（元）", max_digits=14, decimal_places=2, min_value=0, initial=0
    )
    affected_persons = forms.IntegerField(
        label="受侵害人数", min_value=0, initial=0, help_text="按人数计罚的事项填写。"
    )
    rationale = forms.CharField(label="裁量说明", widget=TEXT, required=False)
    deviation_reason = forms.CharField(
        label="偏离基准的理由", widget=TEXT, required=False, help_text="拟处罚超出适用幅度时必填。"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor_codes"].choices = [  # type: ignore[attr-defined]
            (f.code, f"【{f.get_effect_display()}】{f.label}（{f.basis}）") for f in factor_choices(case)
        ]
        row = CaseAssessment.objects.filter(case=case).first()
        if row is not None and not self.is_bound:
            self.initial.update(
                violation_on=row.violation_on,
                circumstance=row.circumstance,
                factor_codes=[f.code for f in row.factors.all()],
                illegal_gains=row.illegal_gains,
                goods_value=row.goods_value,
                affected_persons=row.affected_persons,
                rationale=row.rationale,
                deviation_reason=row.deviation_reason,
            )


@login_required
@require_http_methods(["GET", "POST"])
def case_assess(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for(user=user, pk=pk)
    if not discretion.can_assess(user, case):
        raise NotPermitted("裁量基准的适用应由本案承办人办理。")
    back = reverse("cases:detail", args=[case.pk])
    form = AssessForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            discretion.case_assess(actor=user, case=case, **form.cleaned_data)
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已记录裁量基准的适用。")
            return redirect(back)
    context = {
        "title": "适用裁量基准",
        "case": case,
        "form": form,
        "back": back,
        "assessment": discretion.assessment_for(case),
    }
    return render(request, "cases/discretion/assess.html", context, status=400 if form.errors else 200)
