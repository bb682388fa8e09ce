"""Read-only views for administrators: the review is written through its services only (the
gate of 第五十八条 reads these rows), the catalog through its page at /review/catalog/."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from zhifa.review import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.ReviewCatalog)
class ReviewCatalogAdmin(ReadOnlyAdmin):
    list_display = ("agency", "all_general", "major_rights", "updated_by", "updated_at")


@admin.register(models.ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "reviewer", "opinion", "submitted_at", "reviewed_at")
    list_filter = ("opinion",)
    search_fields = ("case__number", "document_number")


@admin.register(models.ReviewMark)
class ReviewMarkAdmin(ReadOnlyAdmin):
    list_display = ("case", "criterion", "marked_by", "marked_at")
