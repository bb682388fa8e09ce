from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhifa.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("zhifa", {"fields": ("full_name", "role", "phone")}),
    )
