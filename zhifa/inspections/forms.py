"""Forms of the staff pages; they parse input, the services decide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone

from zhifa.catalog.models_public import InspectionItem
from zhifa.inspections.models import PlanKind
from zhifa.org.models import Agency, EnforcementDomain, Officer

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("，", ",").replace("、", ",").split(",") if w.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="名录文件",
        help_text="XLSX 或 CSV；首行为表头：统一社会信用代码，名称，住所，区划代码，行业，许可证照，信用风险分类，存续。",
    )

    MAX_BYTES = 64 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("文件过大（上限 64 MB），请拆分后分批导入。")
        return upload


class RecusalForm(forms.Form):
    officer = forms.ModelChoiceField(label="回避人员", queryset=Officer.objects.none())
    reason = forms.CharField(label="回避理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, officers: Any, offered: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.ModelChoiceField)
        # Accept any of the agency's officers, offer only whom the user may declare for: the
        # service then refuses the rest with the rule (403), not with "选择一个有效的选项".
        field.queryset = officers
        field.widget.choices = [(o.pk, o.name) for o in offered]


def _item_label(item: InspectionItem) -> str:
    return f"{item.agency.short_name or item.agency.name} · {item.code} {item.name}"


class PlanForm(forms.Form):
    title = forms.CharField(label="计划名称", max_length=200)
    kind = forms.ChoiceField(label="计划类别", choices=PlanKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    domain = forms.ModelChoiceField(
        label="本机关检查人员执法类别",
        queryset=EnforcementDomain.objects.all(),
        help_text="检查人员须持有该类别的有效执法证。",
    )
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=InspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    partner = forms.ModelChoiceField(
        label="联合抽查参与机关",
        queryset=Agency.objects.none(),
        required=False,
        help_text="跨部门联合抽查时选择；其事项由其检查人员检查。",
    )
    partner_domain = forms.ModelChoiceField(
        label="参与机关检查人员执法类别", queryset=EnforcementDomain.objects.all(), required=False
    )
    regions = forms.CharField(
        label="区划代码", required=False, help_text="多个以逗号分隔，含下级区划；留空为全部。"
    )
    industries = forms.CharField(label="行业", required=False, help_text="多个以逗号分隔；留空为全部。")
    window_start = forms.DateField(label="检查开始日期", widget=DATE)
    window_end = forms.DateField(label="检查截止日期", widget=DATE)
    draw_at = forms.DateTimeField(
        label="抽取时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    witness_rule = forms.CharField(
        label="见证值规则",
        max_length=300,
        help_text="抽取时由见证人录入的公开数值，须事先可查、事后可核，如“抽取日上证综合指数收盘点位（保留两位小数）”。",
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        in_force = InspectionItem.objects.filter(effective_from__lte=today).exclude(effective_to__lt=today)
        items = self.fields["items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = in_force.select_related("agency").order_by("agency", "code")
        items.label_from_instance = _item_label  # type: ignore[method-assign,assignment]
        partner = self.fields["partner"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = Agency.objects.filter(is_active=True, is_justice_bureau=False).exclude(
            pk=agency.pk
        )
        for code, label in settings.ZHIFA_CREDIT_RISK_CLASSES:
            self.fields[f"ratio_{code}"] = forms.DecimalField(
                label=f"{label}抽查比例",
                min_value=Decimal(0),
                max_value=Decimal(1),
                decimal_places=6,
                required=False,
                help_text="0 到 1 之间，如 0.05 表示 5%；留空表示该类不纳入。",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("partner") and not data.get("partner_domain"):
            self.add_error("partner_domain", "请选择参与机关检查人员的执法类别。")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        ratios = {
            code: d[f"ratio_{code}"]
            for code, _ in settings.ZHIFA_CREDIT_RISK_CLASSES
            if d.get(f"ratio_{code}") is not None
        }
        population = {"regions": _words(d["regions"]), "industries": _words(d["industries"])}
        draw_at = d["draw_at"]
        if timezone.is_naive(draw_at):
            draw_at = timezone.make_aware(draw_at)
        return {
            "title": d["title"],
            "kind": d["kind"],
            "year": d["year"],
            "domain": d["domain"],
            "items": list(d["items"]),
            "ratios": ratios,
            "population": population,
            "window_start": d["window_start"],
            "window_end": d["window_end"],
            "draw_at": draw_at,
            "witness_rule": d["witness_rule"],
            "partners": [(d["partner"], d["partner_domain"])] if d.get("partner") else [],
        }


def default_window() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return today + dt.timedelta(days=7), today + dt.timedelta(days=90)
