from django import forms
from django.contrib import admin
from django.db.models import Q

from zhifa.catalog import models
from zhifa.catalog.benchmarks import benchmark_overlap


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


# ── 裁量基准 and the four lists ─────────────────────────────────────────────────────────


def _in_use(obj: models.Benchmark | None) -> bool:
    return obj is not None and obj.pk is not None and obj.assessments.exists()


class BenchmarkTierInline(admin.StackedInline):
    model = models.BenchmarkTier
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return not _in_use(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not _in_use(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _in_use(obj)


class BenchmarkFactorInline(BenchmarkTierInline):
    model = models.DiscretionFactor  # type: ignore[assignment]
    fields = ("effect", "code", "label", "basis", "note")
    verbose_name = "事项专用裁量情节"
    verbose_name_plural = "事项专用裁量情节（四张清单）"


class BenchmarkForm(forms.ModelForm):
    class Meta:
        model = models.Benchmark
        fields = (
            "matter",
            "version",
            "title",
            "document_ref",
            "effective_from",
            "effective_to",
            "change_note",
            "leniency_share",
            "conflict_rule",
            "mitigation_floor",
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        matter, start, end = data.get("matter"), data.get("effective_from"), data.get("effective_to")
        if matter is not None and start is not None:
            error = benchmark_overlap(matter, start, end, exclude=self.instance.pk)
            if error:
                raise forms.ValidationError(error)
        return data


@admin.register(models.Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    """A version applied to a case is history: only its end date may still be set (to start a new one)."""

    form = BenchmarkForm
    list_display = ("matter", "version", "title", "effective_from", "effective_to")
    search_fields = ("title", "matter__code")
    inlines = [BenchmarkTierInline, BenchmarkFactorInline]

    def get_readonly_fields(self, request, obj=None):
        if _in_use(obj):
            return [f.name for f in models.Benchmark._meta.fields if f.name != "effective_to"]
        return []

    def has_delete_permission(self, request, obj=None) -> bool:
        return not _in_use(obj)


@admin.register(models.DiscretionFactor)
class DiscretionFactorAdmin(admin.ModelAdmin):
    """Agency-wide entries of the four lists; a matter's own entries are edited with its benchmark."""

    list_display = ("code", "effect", "label", "agency", "benchmark")
    list_filter = ("effect",)
    search_fields = ("code", "label")


# ── 事前公开: 随机抽查事项清单 and 服务指南 ─────────────────────────────────────────────


class InspectionItemForm(forms.ModelForm):
    class Meta:
        model = models.InspectionItem
        fields = (
            "agency",
            "code",
            "version",
            "name",
            "matter",
            "subject_type",
            "basis",
            "content",
            "method",
            "ratio",
            "effective_from",
            "effective_to",
            "change_note",
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        agency, code = data.get("agency"), data.get("code")
        start, end = data.get("effective_from"), data.get("effective_to")
        if agency is not None and code and start is not None:
            clash = models.InspectionItem.objects.filter(agency=agency, code=code).exclude(
                pk=self.instance.pk
            )
            clash = clash.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start))
            if end is not None:
                clash = clash.filter(effective_from__lte=end)
            other = clash.first()
            if other is not None:
                raise forms.ValidationError(
                    f"施行期间与第{other.version}版重叠：同一抽查事项同一日只能有一个施行的版本，请先为其设定失效日期。"
                )
        return data


@admin.register(models.InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    """A new version is a new row; an old one only gets its end date (the published list is history)."""

    form = InspectionItemForm
    list_display = ("code", "version", "name", "agency", "effective_from", "effective_to")
    list_filter = ("agency",)
    search_fields = ("code", "name")
    raw_id_fields = ("matter",)


@admin.register(models.ServiceGuide)
class ServiceGuideAdmin(admin.ModelAdmin):
    list_display = ("version", "time_limit", "fees")
    search_fields = ("version__name", "version__matter__code")
    raw_id_fields = ("version",)
