from django.contrib import admin

from zhifa.catalog import models


class LegalBasisInline(admin.TabularInline):
    model = models.LegalBasis
    extra = 0
    raw_id_fields = ("article",)


@admin.register(models.MatterVersion)
class MatterVersionAdmin(admin.ModelAdmin):
    """Versions are history: read here, changed through 修改/废止 in the catalog pages."""

    list_display = ("matter", "version", "name", "kind", "effective_from", "effective_to")
    list_filter = ("kind",)
    search_fields = ("name", "matter__code")
    inlines = [LegalBasisInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("code", "agency", "repealed_on")
    search_fields = ("code", "versions__name")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ("title", "version_date", "source_name")
    search_fields = ("title",)
