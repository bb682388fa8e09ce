"""Read-only views for administrators: documents are issued and voided through services only,
certificates are installed with `zhifa documents install-cert`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.documents import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "agency", "status", "subject_label", "issued_at")
    list_filter = ("status", "kind", "year", "agency")
    search_fields = ("number", "subject_label", "subject_ref", "verification_code")
    exclude = ("content",)


@admin.register(models.SigningCredential)
class SigningCredentialAdmin(ReadOnlyAdmin):
    list_display = ("agency", "subject", "issuer", "not_after", "installed_at")
