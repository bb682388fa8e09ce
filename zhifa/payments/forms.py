from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="缴款文件", help_text="银行或非税收入系统导出的 CSV 或 XLSX，格式见 docs/payment.md。"
    )


class ResolveForm(forms.Form):
    case_number = forms.CharField(
        label="案件编号", max_length=60, required=False, help_text="未匹配的缴款：填写核实后的案件编号。"
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label="不予入账的理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
