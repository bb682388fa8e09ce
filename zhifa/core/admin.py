from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhifa.core import services
from zhifa.core.errors import InvalidInput
from zhifa.core.jurisdiction import DEFINITIONS, parse
from zhifa.core.models import AccessLog, CalendarOverride, JurisdictionSetting, NumberSequence
from zhifa.core.service_admin import ServiceAdmin


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ServiceAdmin):
    """Configuration, written through calendar_override_set / _remove as `zhifa calendar` does."""

    list_display = ("date", "is_workday", "reason")
    list_filter = ("is_workday",)
    date_hierarchy = "date"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("date",) if obj else ()  # one row per date: another date is another override

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        date = CalendarOverride.objects.get(pk=obj.pk).date if change else data["date"]
        return services.calendar_override_set(
            actor=request.user, date=date, is_workday=data["is_workday"], reason=data["reason"]
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        services.calendar_override_remove(actor=request.user, date=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for override in queryset:
            services.calendar_override_remove(actor=request.user, date=override.date)


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


@admin.register(NumberSequence)
class NumberSequenceAdmin(admin.ModelAdmin):
    """Read-only: a sequence changes only by taking a number (a hand edit would make gaps or duplicates)."""

    list_display = ("scope", "year", "last", "updated_at")
    list_filter = ("year",)
    search_fields = ("scope",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is evidence of who looked; nobody edits or deletes it."""

    list_display = ("at", "user_label", "action", "label", "case_number", "purpose", "ip")
    list_filter = ("action", "purpose")
    search_fields = ("user_label", "label", "case_number")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
