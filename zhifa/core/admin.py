from django.contrib import admin

from zhifa.core.jurisdiction import DEFINITIONS
from zhifa.core.models import CalendarOverride, JurisdictionSetting


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "reason")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(JurisdictionSetting)
class JurisdictionSettingAdmin(admin.ModelAdmin):
    list_display = ("key", "label", "value", "default", "note")

    @admin.display(description="含义")
    def label(self, obj: JurisdictionSetting) -> str:
        d = DEFINITIONS.get(obj.key)
        return d.label if d else "（未知参数）"

    @admin.display(description="默认值及来源")
    def default(self, obj: JurisdictionSetting) -> str:
        d = DEFINITIONS.get(obj.key)
        return f"{d.default}（{d.source}）" if d else ""
