from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from zhifa.accounts import services
from zhifa.accounts.models import Role, User
from zhifa.core.service_admin import ReadOnlyAdmin, ServiceAdmin


@admin.register(User)
class UserAdmin(ServiceAdmin, BaseUserAdmin):
    """Logins through accounts.services: the admin flags follow the role (only 系统管理员 enter here)."""

    list_display = ("username", "full_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("zhifa", {"fields": ("full_name", "role", "phone", "email", "is_active")}),
        ("权限（由角色决定）", {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "full_name", "password1", "password2")}),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        if change:
            fields = {name: data[name] for name in form.fields if name != "password"}
            return services.user_update(actor=request.user, user=User.objects.get(pk=obj.pk), **fields)
        return services.user_create(
            username=data["username"],
            password=data["password1"],
            role=data.get("role") or Role.OFFICER,
            full_name=data.get("full_name", ""),
        )


# django-axes: the login records are an audit trail, read-only here; an operator unlocks an
# account or an address by deleting its lockout (docs/operations.md), nothing else is edited.
def _axes_admins() -> None:
    from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    class LockoutAdmin(AccessAttemptAdmin):
        def has_add_permission(self, request, obj=None):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
        admin.site.unregister(model)
        admin.site.register(model, type(f"ReadOnly{base.__name__}", (ReadOnlyAdmin, base), {}))
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LockoutAdmin)


_axes_admins()
