from django import forms

from zhifa.catalog.models import AVLevel, BasisRole, MatterKind, Stage
from zhifa.catalog.services import DEFAULT_AV_LEVELS, MANDATORY_FULL, BasisInput
from zhifa.org.forms import DATE
from zhifa.org.models import EnforcementDomain


class MatterVersionForm(forms.Form):
    """What a version says; the AV level of each stage is one select."""

    name = forms.CharField(label="事项名称", max_length=200)
    kind = forms.ChoiceField(label="事项类别", choices=MatterKind.choices)
    domain = forms.ModelChoiceField(label="执法类别", queryset=EnforcementDomain.objects.all())
    description = forms.CharField(label="事项说明", widget=forms.Textarea, required=False)
    review_always_required = forms.BooleanField(label="一律法制审核", required=False)
    disclosure_workdays = forms.IntegerField(
        label="公开时限（工作日）",
        min_value=1,
        max_value=60,
        required=False,
        help_text="留空则按类别默认：行政处罚、行政许可 7 个工作日，其他 20 个工作日。",
    )
    effective_from = forms.DateField(label="施行日期", widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for stage in Stage:
            choices = (
                [(AVLevel.FULL.value, AVLevel.FULL.label)] if stage in MANDATORY_FULL else AVLevel.choices
            )
            self.fields[f"av_{stage.value}"] = forms.ChoiceField(
                label=f"{stage.label}记录方式", choices=choices, initial=DEFAULT_AV_LEVELS[stage]
            )

    def version_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["av_levels"] = {s.value: data.pop(f"av_{s.value}") for s in Stage}
        if data.get("disclosure_workdays") is None:
            data.pop("disclosure_workdays", None)
        data.pop("effective_from")
        data.pop("code", None)
        data.pop("change_note", None)
        return data


class MatterCreateForm(MatterVersionForm):
    code = forms.CharField(label="事项编码", max_length=40)
    field_order = ["code"]


class MatterAmendForm(MatterVersionForm):
    change_note = forms.CharField(
        label="修改说明", max_length=300, help_text="如：依据某法修正，罚款幅度调整。"
    )
    field_order = ["change_note"]


class RepealForm(forms.Form):
    effective_on = forms.DateField(label="废止日期", widget=DATE)
    reason = forms.CharField(label="废止理由", max_length=200)


class BasisForm(forms.Form):
    role = forms.ChoiceField(label="依据类别", choices=BasisRole.choices)
    law_title = forms.CharField(label="法律法规名称", max_length=100)
    article_label = forms.CharField(label="条款", max_length=40)


BasisFormSet = forms.formset_factory(BasisForm, extra=3, can_delete=True)


def bases_from(formset: forms.BaseFormSet) -> list[BasisInput]:
    return [
        BasisInput(f.cleaned_data["role"], f.cleaned_data["law_title"], f.cleaned_data["article_label"])
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
