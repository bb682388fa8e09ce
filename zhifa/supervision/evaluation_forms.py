"""The inputs of 案卷评查's pages. Rules stay in the services; these only parse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from zhifa.accounts.models import User
from zhifa.core.calendar import today
from zhifa.org.models import Agency, EnforcementDomain, Officer
from zhifa.supervision import policies


class CampaignForm(forms.Form):
    title = forms.CharField(label="评查名称", max_length=200, initial=f"{today().year}年度行政执法案卷评查")
    agencies = forms.ModelMultipleChoiceField(
        label="被评查执法主体", queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    domains = forms.ModelMultipleChoiceField(
        label="执法类别",
        queryset=EnforcementDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选：全部执法类别。",
    )
    period_start = forms.DateField(label="结案（办结）日期自", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="结案（办结）日期至", widget=forms.DateInput(attrs={"type": "date"}))
    include_cases = forms.BooleanField(label="行政处罚案卷（已结案）", required=False, initial=True)
    include_inspections = forms.BooleanField(label="行政检查案卷（已办结）", required=False)
    ratio_percent = forms.DecimalField(
        label="每个执法主体抽取比例（%）",
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text="比例与件数二选一；按比例时向上取整。",
    )
    count = forms.IntegerField(label="每个执法主体抽取件数", required=False, min_value=1)
    witness_rule = forms.CharField(
        label="见证值规则",
        max_length=300,
        initial="抽取当日上证指数收盘点位（保留两位小数）",
        help_text="抽取前公布；抽取时由见证人现场录入。",
    )
    rectification_workdays = forms.IntegerField(
        label="整改期限（工作日）", initial=20, min_value=1, max_value=90
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = self.fields["agencies"]
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        agencies.queryset = policies.supervised_agencies(user).filter(is_justice_bureau=False)
        year = today().year - 1
        self.fields["period_start"].initial = dt.date(year, 1, 1)
        self.fields["period_end"].initial = dt.date(year, 12, 31)

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        ratio = d.get("ratio_percent")
        return {
            "title": d["title"],
            "agencies": list(d["agencies"]),
            "domains": list(d["domains"]),
            "period_start": d["period_start"],
            "period_end": d["period_end"],
            "include_cases": d["include_cases"],
            "include_inspections": d["include_inspections"],
            "ratio": None if ratio is None else (ratio / 100),
            "count": d.get("count"),
            "witness_rule": d["witness_rule"],
            "rectification_workdays": d["rectification_workdays"],
        }


def evaluator_choices(user: User) -> list[tuple[int, str]]:
    """Legal reviewers and officers of the region's agencies (the bureau appoints them)."""
    officers = (
        Officer.objects.filter(
            agency__in=policies.supervised_agencies(user), is_active=True, user__isnull=False
        )
        .select_related("agency", "user")
        .order_by("agency__name", "user__full_name")
    )
    return [
        (o.user.pk, f"{o.agency.name} {o.user.display_name}（{o.user.get_role_display()}）")
        for o in officers
        if o.user is not None
    ]
