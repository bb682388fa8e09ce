from django.contrib import admin

from zhifa.org import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("path",)


class UnitInline(admin.TabularInline):
    model = models.Unit
    extra = 0


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "kind", "is_justice_bureau", "uscc", "is_active")
    list_filter = ("kind", "is_justice_bureau", "region__level")
    search_fields = ("name", "uscc", "document_abbr")
    inlines = [UnitInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "region",
                    "kind",
                    "is_justice_bureau",
                    "parent",
                    "entrusted_by",
                    "uscc",
                    "address",
                    "phone",
                    "is_active",
                )
            },
        ),
        (
            "公开信息",
            {
                "fields": (
                    "duties",
                    "supervision_channel",
                    "complaint_channel",
                    "remedies",
                    "reconsideration_body",
                    "litigation_court",
                )
            },
        ),
        ("执法文书", {"fields": ("document_abbr", "document_number_pattern")}),
    )


@admin.register(models.EnforcementDomain)
class EnforcementDomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


class CertificateInline(admin.TabularInline):
    model = models.Certificate
    extra = 0
    filter_horizontal = ("domains",)


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "post", "title", "is_active")
    list_filter = ("post", "is_active", "agency")
    search_fields = ("name", "certificates__number")
    inlines = [CertificateInline]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "officer", "issued_on", "valid_until", "status")
    list_filter = ("status",)
    search_fields = ("number", "officer__name")
    filter_horizontal = ("domains",)


@admin.register(models.AnnualReview)
class AnnualReviewAdmin(admin.ModelAdmin):
    list_display = ("certificate", "year", "reviewed_on", "passed")


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(admin.ModelAdmin):
    list_display = ("officer", "date", "title", "category", "hours")
    list_filter = ("category",)
