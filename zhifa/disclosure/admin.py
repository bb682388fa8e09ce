"""Read-only views for system administrators: publications are prepared, approved, corrected and
withdrawn through zhifa.disclosure.services only (each write leaves a ledger leaf)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.disclosure import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = models.PublicationVersion
    extra = 0
    fields = ("number", "note", "prepared_by", "prepared_at", "approved_by", "approved_at", "content_sha256")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "kind", "state", "due_on", "published_at", "revision")
    list_filter = ("kind", "state", "display_class", "agency")
    search_fields = ("title", "document_number", "subject")
    exclude = ("search_text",)
    inlines = [VersionInline]


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "created_at", "handled_at")
    list_filter = ("kind", "agency")


@admin.register(models.DraftEdit)
class DraftEditAdmin(ReadOnlyAdmin):
    # The record of the administrator's corrections is evidence: read only, made by the services.
    list_display = ("version", "action", "field", "words", "reason", "actor", "at")
    list_filter = ("action",)
