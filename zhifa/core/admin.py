from typing import Any

from django import forms
from django.contrib import admin

from zhifa.core.errors import InvalidInput
from zhifa.core.jurisdiction import DEFINITIONS, parse
from zhifa.core.models import CalendarOverride, JurisdictionSetting


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "reason")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


class JurisdictionSettingForm(forms.ModelForm):
    key = forms.ChoiceField(
        label="参数", choices=[(d.key, f"{d.key}（{d.label}）") for d in DEFINITIONS.values()]
    )

    class Meta:
        model = JurisdictionSetting
        fields = ["key", "value", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("key") and data.get("value") is not None:
            try:
                parse(data["key"], data["value"])
            except InvalidInput as exc:
                self.add_error("value", exc.message)
        return data


@admin.register(JurisdictionSetting)
class JurisdictionSettingAdmin(admin.ModelAdmin):
    form = JurisdictionSettingForm
    list_display = ("key", "label", "value", "default", "note")

    @admin.display(description="含义")
    def label(self, obj: JurisdictionSetting) -> str:
        d = DEFINITIONS.get(obj.key)
        return d.label if d else "（未知参数）"

    @admin.display(description="默认值及来源")
    def default(self, obj: JurisdictionSetting) -> str:
        d = DEFINITIONS.get(obj.key)
        return f"{d.default}（{d.source}）" if d else ""
