"""Input forms of 备案审查 and 预警 pages (rules stay in the services)."""

from __future__ import annotations

from django import forms

from zhifa.supervision.filing_services import DECLARED_KINDS
from zhifa.supervision.models_filings import FilingKind


class DeclareForm(forms.Form):
    kind = forms.ChoiceField(
        label="备案类别", choices=[(k.value, k.label) for k in FilingKind if k in DECLARED_KINDS]
    )
    title = forms.CharField(
        label="备案事项", max_length=200, help_text="如：某某行政处罚裁量基准（2026 年修订）。"
    )
    changed_on = forms.DateField(
        label="制定或修改日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="报备期限自次日起算。",
    )
    description = forms.CharField(
        label="修改内容说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label="排除理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ConvertForm(forms.Form):
    note = forms.CharField(
        label="转办说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
