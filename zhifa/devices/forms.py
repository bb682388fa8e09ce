from __future__ import annotations

from django import forms

from zhifa.devices.models import DeviceKind
from zhifa.review.models import Opinion


class DeviceForm(forms.Form):
    code = forms.CharField(label="设备编号", max_length=40)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=DeviceKind.choices)
    location = forms.CharField(label="设置地点", max_length=200)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = forms.DecimalField(
        label="经度", max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    detects = forms.CharField(label="监控的违法行为", max_length=300)
    legal_basis = forms.CharField(
        label="设置依据", max_length=300, help_text="法律、法规、规章的名称和条款。"
    )
    check_body = forms.CharField(label="技术检验（检定）机构", max_length=100)
    check_report = forms.CharField(label="检验报告编号", max_length=60)
    checked_on = forms.DateField(label="技术检验日期", widget=forms.DateInput(attrs={"type": "date"}))


class SubmitForm(forms.Form):
    materials = forms.CharField(
        label="送审材料摘要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="留空时按登记信息自动生成。",
    )


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label="审核意见", choices=Opinion.choices)
    reasons = forms.CharField(
        label="说明（存在问题时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="记录压缩包",
        help_text="ZIP：manifest.json 或 manifest.csv 及图像、视频文件，格式见 docs/devices.md。",
    )


class EventReviewForm(forms.Form):
    usable = forms.TypedChoiceField(
        label="审核结果",
        choices=[("1", "可以使用"), ("0", "不能使用")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="理由", max_length=300, help_text="如：图像清晰，车牌和违法行为可辨认。")


class CaseStartForm(forms.Form):
    cause = forms.CharField(
        label="案由", max_length=200, required=False, help_text="留空时使用记录的违法行为。"
    )
