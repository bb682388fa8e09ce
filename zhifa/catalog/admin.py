"""The catalog in the admin: matters, benchmarks, the four lists and the inspection list are written
through zhifa.catalog.services only (versions, events, ledger leaves); the admin reviews them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhifa.catalog import models
from zhifa.catalog.services import benchmarks as benchmark_services
from zhifa.catalog.services import inspections as inspection_services
from zhifa.catalog.services import matter_repeal
from zhifa.core.errors import InvalidInput
from zhifa.core.service_admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, inline_rows


class LegalBasisInline(ReadOnlyInline):
    model = models.LegalBasis
    fields = ("role", "law_title", "article_label", "article")
    readonly_fields = fields


@admin.register(models.MatterVersion)
class MatterVersionAdmin(ReadOnlyAdmin):
    """Versions are history: read here, written through 新增/修改/废止 in the catalog pages."""

    list_display = ("matter", "version", "name", "kind", "effective_from", "effective_to")
    list_filter = ("kind",)
    search_fields = ("name", "matter__code")
    inlines = [LegalBasisInline]


@admin.register(models.Matter)
class MatterAdmin(ServiceAdmin):
    """New matters and amendments in the catalog pages; here a matter in force may be repealed
    (matter_repeal ends its latest version), nothing else."""

    list_display = ("code", "agency", "repealed_on")
    search_fields = ("code", "versions__name")
    fields = ("agency", "code", "repealed_on", "repeal_reason")
    readonly_fields = ("agency", "code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.repealed_on is None) and super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, form, formsets, change):
        matter = models.Matter.objects.get(pk=obj.pk)
        data = form.cleaned_data
        if data.get("repealed_on") is None:
            if data.get("repeal_reason"):
                raise InvalidInput("废止执法事项须填写废止日期。")
            return matter
        return matter_repeal(
            actor=request.user, matter=matter, effective_on=data["repealed_on"], reason=data["repeal_reason"]
        )


@admin.register(models.Law)
class LawAdmin(ReadOnlyAdmin):
    """Imported from the statute texts (`zhifa laws import`); a hand edit would unlink the bases."""

    list_display = ("title", "version_date", "source_name")
    search_fields = ("title",)


# ── 裁量基准 and the four lists ─────────────────────────────────────────────────────────


class _NewVersionInline(admin.StackedInline):
    """Entered with a new version; a stored version's parts are history (read-only)."""

    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None


class BenchmarkTierInline(_NewVersionInline):
    model = models.BenchmarkTier
    fields = (
        "circumstance",
        "conditions",
        "kinds",
        "fine_min",
        "fine_max",
        "multiple_of",
        "multiple_min",
        "multiple_max",
        "multiple_threshold",
        "clause",
    )


class BenchmarkFactorInline(_NewVersionInline):
    model = models.DiscretionFactor
    fields = ("effect", "code", "label", "basis", "note")
    verbose_name = "事项专用裁量情节"
    verbose_name_plural = "事项专用裁量情节（四张清单）"


class DiscretionEventInline(ReadOnlyInline):
    model = models.DiscretionEvent
    fk_name = "benchmark"
    fields = ("at", "action", "actor", "note")
    readonly_fields = fields
    verbose_name_plural = "变更记录"


class BenchmarkForm(forms.ModelForm):
    class Meta:
        model = models.Benchmark
        fields = (
            "matter",
            "title",
            "document_ref",
            "effective_from",
            "change_note",
            "leniency_share",
            "conflict_rule",
            "mitigation_floor",
        )
        help_texts = {
            "matter": "该事项尚无裁量基准的，制定第1版；已有的，修改为新版本：现行版本至新版本施行日期的前一日失效。",
            "change_note": "修改时必填。不填写情节档次或事项专用情节的，新版本沿用现行版本的内容。",
        }


class BenchmarkRepealForm(forms.ModelForm):
    repeal_on = forms.DateField(
        label="废止日期", required=False, help_text="自该日起不再适用；本版本施行至前一日。"
    )
    repeal_reason = forms.CharField(label="废止理由", max_length=300, required=False)

    class Meta:
        model = models.Benchmark
        fields: tuple[str, ...] = ()


_BENCHMARK_SHOWN = (
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


@admin.register(models.Benchmark)
class BenchmarkAdmin(ServiceAdmin):
    """制定 and 修改 (a new version) through benchmark_create / benchmark_amend, 废止 of the current
    version through benchmark_repeal. A stored version is never changed in place: it has been
    published (《行政处罚法》第三十四条) and cases cite it."""

    list_display = ("matter", "version", "title", "effective_from", "effective_to")
    search_fields = ("title", "matter__code")
    inlines = [BenchmarkTierInline, BenchmarkFactorInline, DiscretionEventInline]

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = BenchmarkRepealForm if obj else BenchmarkForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": BenchmarkForm.Meta.fields})]
        sets: list[Any] = [(None, {"fields": _BENCHMARK_SHOWN})]
        if self.has_change_permission(request, obj):
            sets.append(("废止本版本", {"fields": ("repeal_on", "repeal_reason")}))
        return sets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return _BENCHMARK_SHOWN if obj else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only the current, still open version can be repealed; earlier ones are history.
        if obj is not None and (
            obj.effective_to is not None or obj.matter.benchmarks.filter(version__gt=obj.version).exists()
        ):
            return False
        return super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        if change:
            benchmark = models.Benchmark.objects.get(pk=obj.pk)
            if data.get("repeal_on") is None:
                return benchmark
            return benchmark_services.benchmark_repeal(
                actor=request.user,
                benchmark=benchmark,
                effective_on=data["repeal_on"],
                reason=data.get("repeal_reason", ""),
            )
        tiers = [
            benchmark_services.TierInput(**{k: row[k] for k in BenchmarkTierInline.fields})
            for row in inline_rows(formsets, models.BenchmarkTier)
        ]
        factors = [
            benchmark_services.FactorInput(**{k: row[k] for k in BenchmarkFactorInline.fields})
            for row in inline_rows(formsets, models.DiscretionFactor)
        ]
        matter = data["matter"]
        rules = {
            k: data[k]
            for k in ("title", "document_ref", "leniency_share", "conflict_rule", "mitigation_floor")
        }
        latest = models.Benchmark.objects.filter(matter=matter).order_by("-version").first()
        if latest is None:
            return benchmark_services.benchmark_create(
                actor=request.user,
                matter=matter,
                effective_from=data["effective_from"],
                change_note=data["change_note"],
                tiers=tiers,
                factors=factors,
                **rules,
            )
        return benchmark_services.benchmark_amend(
            actor=request.user,
            benchmark=latest,
            effective_from=data["effective_from"],
            change_note=data["change_note"],
            tiers=tiers or None,
            factors=factors or None,
            **rules,
        )


class FactorEventInline(DiscretionEventInline):
    fk_name = "factor"


@admin.register(models.DiscretionFactor)
class DiscretionFactorAdmin(ServiceAdmin):
    """The agency-wide lists through discretion_factor_create / _amend; a matter's own entries are
    part of a benchmark version and read-only here."""

    list_display = ("code", "effect", "label", "agency", "benchmark")
    list_filter = ("effect",)
    search_fields = ("code", "label")
    inlines = [FactorEventInline]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is not None and obj.benchmark_id:
            return ("benchmark", "effect", "code", "label", "basis", "note")
        return ("agency", "effect", "code", "label", "basis", "note")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("agency", "benchmark", "code") if obj else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.agency_id is not None) and super().has_change_permission(request, obj)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if "agency" in form.base_fields:
            form.base_fields[
                "agency"
            ].required = True  # an agency-wide entry; a matter's own go with its benchmark
        return form

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        fields = {k: data[k] for k in ("effect", "label", "basis", "note")}
        if change:
            factor = models.DiscretionFactor.objects.get(pk=obj.pk)
            changed = {k: v for k, v in fields.items() if k in form.changed_data}
            if not changed:
                return factor
            return benchmark_services.discretion_factor_amend(actor=request.user, factor=factor, **changed)
        return benchmark_services.discretion_factor_create(
            actor=request.user, agency=data["agency"], code=data["code"], **fields
        )


@admin.register(models.DiscretionEvent)
class DiscretionEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "action", "benchmark", "factor", "actor", "note")
    list_filter = ("action",)
    date_hierarchy = "at"


# ── 事前公开: 随机抽查事项清单 and 服务指南 ─────────────────────────────────────────────

_ITEM_FIELDS = ("name", "matter", "subject_type", "basis", "content", "method", "ratio")


class InspectionItemForm(forms.ModelForm):
    class Meta:
        model = models.InspectionItem
        fields = ("agency", "code", *_ITEM_FIELDS, "effective_from", "change_note")
        help_texts = {
            "code": "本机关尚无该编码的，新增第1版；已有的，修改为新版本：现行版本至新版本施行日期的前一日失效。",
        }


class InspectionItemRepealForm(forms.ModelForm):
    repeal_on = forms.DateField(label="废止日期", required=False, help_text="自该日起不再列入清单。")

    class Meta:
        model = models.InspectionItem
        fields: tuple[str, ...] = ()


_ITEM_SHOWN = ("agency", "code", "version", *_ITEM_FIELDS, "effective_from", "effective_to", "change_note")


@admin.register(models.InspectionItem)
class InspectionItemAdmin(ServiceAdmin):
    """A new version is a new row (inspection_item_create / _amend); the current one may be repealed.
    A published version is history and is not edited."""

    list_display = ("code", "version", "name", "agency", "effective_from", "effective_to")
    list_filter = ("agency",)
    search_fields = ("code", "name")
    raw_id_fields = ("matter",)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["form"] = InspectionItemRepealForm if obj else InspectionItemForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [(None, {"fields": InspectionItemForm.Meta.fields})]
        sets: list[Any] = [(None, {"fields": _ITEM_SHOWN})]
        if self.has_change_permission(request, obj):
            sets.append(("废止", {"fields": ("repeal_on",)}))
        return sets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return _ITEM_SHOWN if obj else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (
            obj.effective_to is not None
            or models.InspectionItem.objects.filter(
                agency_id=obj.agency_id, code=obj.code, version__gt=obj.version
            ).exists()
        ):
            return False
        return super().has_change_permission(request, obj)

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        if change:
            item = models.InspectionItem.objects.get(pk=obj.pk)
            if data.get("repeal_on") is None:
                return item
            return inspection_services.inspection_item_repeal(
                actor=request.user, item=item, effective_on=data["repeal_on"]
            )
        fields = {k: data[k] for k in _ITEM_FIELDS}
        latest = (
            models.InspectionItem.objects.filter(agency=data["agency"], code=data["code"].strip())
            .order_by("-version")
            .first()
        )
        if latest is None:
            return inspection_services.inspection_item_create(
                actor=request.user,
                agency=data["agency"],
                code=data["code"],
                effective_from=data["effective_from"],
                change_note=data["change_note"],
                **fields,
            )
        return inspection_services.inspection_item_amend(
            actor=request.user,
            item=latest,
            effective_from=data["effective_from"],
            change_note=data["change_note"],
            **fields,
        )


@admin.register(models.ServiceGuide)
class ServiceGuideAdmin(admin.ModelAdmin):
    """The service guide's text is content of a matter version with no rule of its own."""

    list_display = ("version", "time_limit", "fees")
    search_fields = ("version__name", "version__matter__code")
    raw_id_fields = ("version",)
