"""Forms: the upload (with its metadata), the head's exception, the access-log filter.

The required metadata is checked by the service, which names everything missing in one
sentence; the form only parses.
"""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.cases.models import Case, Record
from zhifa.cases.steps.fields import offer_enforcers
from zhifa.catalog.models import Stage
from zhifa.core.models import AccessAction
from zhifa.evidence.models import EvidenceKind
from zhifa.evidence.services import Metadata
from zhifa.org.models import Officer

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="文件",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,video/*,audio/*,.pdf", "capture": "environment"}
        ),
        help_text="手机上可直接拍照、录像或录音。文件入库后不可修改，系统同时计算 SHA-256 和 SM3 哈希值。",
    )
    kind = forms.ChoiceField(
        label="证据种类", choices=[("", "请选择"), *EvidenceKind.choices], required=False
    )
    title = forms.CharField(label="名称", max_length=200, required=False)
    proves = forms.CharField(label="证明对象", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    collected_at = forms.DateTimeField(label="采集时间", widget=DATETIME, required=False)
    place = forms.CharField(label="采集地点", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    collector = forms.ModelChoiceField(label="采集人", queryset=Officer.objects.none(), required=False)
    device = forms.CharField(label="采集设备", max_length=100, required=False, help_text="如执法记录仪编号。")
    source = forms.CharField(label="来源", max_length=200, required=False)
    record = forms.ModelChoiceField(label="所属笔录", queryset=Record.objects.none(), required=False)
    stage = forms.ChoiceField(
        label="执法环节（视听资料）", choices=[("", "—"), *Stage.choices], required=False
    )
    recording_started_at = forms.DateTimeField(label="录制开始时间", widget=DATETIME, required=False)
    recording_ended_at = forms.DateTimeField(
        label="录制结束时间", widget=DATETIME, required=False, help_text="全程音像记录须填写起止时间。"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Evidence is collected by 执法人员 (第四十二条): only officers with a usable 执法证 are offered.
        collector = self.fields["collector"]
        assert isinstance(collector, forms.ModelChoiceField)
        offer_enforcers(
            collector, Officer.objects.filter(agency=case.agency, is_active=True), matter=case.matter
        )
        collector.widget.choices = [("", "—"), *collector.widget.choices]
        self.fields["record"].queryset = case.records.all()  # type: ignore[attr-defined]

    def metadata(self) -> Metadata:
        data = self.cleaned_data
        return Metadata(
            kind=data["kind"],
            title=data["title"],
            proves=data["proves"],
            collected_at=data["collected_at"],
            place=data["place"],
            collector=data["collector"],
            record=data["record"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            device=data["device"],
            source=data["source"],
            stage=data["stage"],
            recording_started_at=data["recording_started_at"],
            recording_ended_at=data["recording_ended_at"],
        )


class ExceptionForm(forms.Form):
    stage = forms.ChoiceField(label="执法环节", choices=Stage.choices)
    reason = forms.CharField(label="不能音像记录的理由", widget=forms.Textarea(attrs={"rows": 2}))


class AccessFilterForm(forms.Form):
    person = forms.CharField(label="调阅人", required=False)
    case_number = forms.CharField(label="案件编号", required=False)
    action = forms.ChoiceField(label="方式", choices=[("", "全部"), *AccessAction.choices], required=False)
    since = forms.DateField(label="起", widget=DATE, required=False)
    until = forms.DateField(label="止", widget=DATE, required=False)


class DisposeForm(forms.Form):
    reason = forms.CharField(label="销毁依据", max_length=300)
