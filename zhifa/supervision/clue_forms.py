"""The forms of 监督线索 outside the steps: registering a clue, the public 投诉举报 form, the code lookup."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.org.models import Agency
from zhifa.supervision.models_clues import ClueSource

TEXT = forms.Textarea(attrs={"rows": 5})
# What a supervisor enters by hand; portal complaints and feedback arrive by themselves, warnings
# are turned into clues from the warning list.
ENTERED_SOURCES = [(s.value, s.label) for s in (ClueSource.HOTLINE, ClueSource.MOJ, ClueSource.FINDING)]


class ClueRegisterForm(forms.Form):
    source = forms.ChoiceField(label="来源", choices=ENTERED_SOURCES)
    origin_ref = forms.CharField(
        label="来源编号", max_length=80, required=False, help_text="如 12345 工单号、平台转办编号。"
    )
    agency = forms.ModelChoiceField(label="被反映的执法主体", queryset=Agency.objects.none(), required=False)
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="反映的问题", widget=TEXT, max_length=5000)
    contact_name = forms.CharField(label="反映人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    contact_address = forms.CharField(label="联系地址", max_length=200, required=False)

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies


class PublicComplaintForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="被投诉举报的执法主体", queryset=Agency.objects.filter(is_active=True, is_justice_bureau=False)
    )
    title = forms.CharField(label="事项", max_length=100, help_text="一句话说明反映的问题。")
    content = forms.CharField(
        label="具体情况", widget=TEXT, max_length=2000, help_text="时间、地点、经过，以及您希望如何处理。"
    )
    contact_name = forms.CharField(label="您的姓名", max_length=50)
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=40,
        help_text="仅供核查、答复使用，不会公开。",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_address = forms.CharField(label="联系地址", max_length=200, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX"}),
    )


class CaseOpinionForm(forms.Form):
    title = forms.CharField(label="监督事项", max_length=200)
    content = forms.CharField(label="发现的问题和监督意见", widget=TEXT, max_length=5000)


class ClueImportForm(forms.Form):
    file = forms.FileField(label="转办线索文件（XLSX 或 CSV）")
