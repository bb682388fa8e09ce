"""Read-only admin: evidence is added and disposed of through its services, never edited here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from zhifa.evidence.models import Blob, EvidenceItem, RecordingException


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EvidenceItem)
class EvidenceItemAdmin(_ReadOnly):
    list_display = ("title", "kind", "case", "collected_at", "retention", "disposed_at")
    list_filter = ("kind", "retention")
    search_fields = ("title", "case__number")


@admin.register(Blob)
class BlobAdmin(_ReadOnly):
    list_display = ("sha256", "size", "created_at", "purged_at")
    search_fields = ("sha256", "sm3")


@admin.register(RecordingException)
class RecordingExceptionAdmin(_ReadOnly):
    list_display = ("case", "stage", "approved_by", "approved_at")
