"""Agencies, officers and certificates in the admin: every write goes through zhifa.org.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from zhifa.core.service_admin import ReadOnlyInline, ServiceAdmin, inline_rows
from zhifa.org import models, services


@admin.register(models.Region)
class RegionAdmin(ServiceAdmin):
    """A region's path is built from its code and parent when it is created; both stay fixed."""

    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("code", "parent", "path") if obj else ("path",)

    def save_through_service(self, request, obj, form, formsets, change):
        if change:
            # Name and level carry no rule; code and parent (the path of every agency below) are read-only.
            form.save()
            return form.instance
        data = form.cleaned_data
        return services.region_create(
            code=data["code"], name=data["name"], level=data["level"], parent=data.get("parent")
        )


class UnitInline(admin.TabularInline):
    """New units through services.unit_create (which moves the 法制审核机构 designation); existing read-only."""

    model = models.Unit
    extra = 0
    fields = ("name", "is_legal_review_body")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# agency_update leaves these as registered: they decide who supervises whom.
_AGENCY_FIXED = ("is_justice_bureau", "region", "kind", "parent", "entrusted_by")


class AgencyForm(forms.ModelForm):
    """The agency's fields plus its seal image, which agency_seal_set validates and stores."""

    seal_upload = forms.FileField(
        label="上传电子印章图像",
        required=False,
        help_text="PNG 格式、透明背景、大致正方形，边长 200～2000 像素，不超过 1 MB。"
        "未上传时，文书使用系统生成的圆形红色印章图像。",
    )
    seal_clear = forms.BooleanField(label="改用系统生成的印章图像", required=False)

    class Meta:
        model = models.Agency
        # The admin takes the fields from its fieldsets; the seal image itself is not a form field.
        fields: tuple[str, ...] = ()


SEAL_FIELDS = ("seal_upload", "seal_clear")


@admin.register(models.Agency)
class AgencyAdmin(ServiceAdmin):
    form = AgencyForm
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
                    "collecting_bank",
                )
            },
        ),
        ("执法文书", {"fields": ("document_abbr", "document_number_pattern", *SEAL_FIELDS)}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return _AGENCY_FIXED if obj else ()

    def save_through_service(self, request, obj, form, formsets, change):
        fields = {name: form.cleaned_data[name] for name in form.fields if name not in SEAL_FIELDS}
        if change:
            agency = services.agency_update(
                actor=request.user, agency=models.Agency.objects.get(pk=obj.pk), **fields
            )
        else:
            agency = services.agency_create(actor=request.user, **fields)
        upload = form.cleaned_data.get("seal_upload")
        if upload is not None:
            agency = services.agency_seal_set(actor=request.user, agency=agency, png=upload.read())
        elif form.cleaned_data.get("seal_clear"):
            agency = services.agency_seal_set(actor=request.user, agency=agency, png=None)
        for row in inline_rows(formsets, models.Unit):
            services.unit_create(
                actor=request.user,
                agency=agency,
                name=row["name"],
                is_legal_review_body=row.get("is_legal_review_body", False),
            )
        return agency


@admin.register(models.EnforcementDomain)
class EnforcementDomainAdmin(ServiceAdmin):
    """Shared configuration; not deleted, because certificates and matters name their domain."""

    list_display = ("code", "name")

    def save_through_service(self, request, obj, form, formsets, change):
        if change:
            form.save()  # renaming carries no rule beyond the form's own checks
            return form.instance
        return services.domain_create(
            actor=request.user, code=form.cleaned_data["code"], name=form.cleaned_data["name"]
        )


class CertificateInline(ReadOnlyInline):
    model = models.Certificate
    fields = ("number", "issuer", "issued_on", "valid_until", "status")
    readonly_fields = fields


@admin.register(models.Officer)
class OfficerAdmin(ServiceAdmin):
    """Roster entries through officer_create / officer_update; certificates on their own page."""

    list_display = ("name", "agency", "post", "title", "is_active")
    list_filter = ("post", "is_active", "agency")
    search_fields = ("name", "certificates__number")
    inlines = [CertificateInline]
    fields = (
        "agency",
        "unit",
        "user",
        "name",
        "gender",
        "title",
        "post",
        "legal_qualification_no",
        "legal_qualification_date",
        "is_active",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("agency", "user") if obj else ()

    def save_through_service(self, request, obj, form, formsets, change):
        fields = {name: form.cleaned_data[name] for name in form.fields}
        if change:
            return services.officer_update(
                actor=request.user, officer=models.Officer.objects.get(pk=obj.pk), **fields
            )
        agency = fields.pop("agency")
        return services.officer_create(actor=request.user, agency=agency, **fields)


@admin.register(models.Certificate)
class CertificateAdmin(ServiceAdmin):
    """Issued through certificate_issue; afterwards only its status changes (with a reason)."""

    list_display = ("number", "officer", "issued_on", "valid_until", "status")
    list_filter = ("status",)
    search_fields = ("number", "officer__name")
    filter_horizontal = ("domains",)
    fields = (
        "officer",
        "number",
        "issuer",
        "issued_on",
        "valid_until",
        "domains",
        "area",
        "status",
        "status_reason",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj:
            return ("officer", "number", "issuer", "issued_on", "valid_until", "domains", "area")
        return ("status", "status_reason")

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        if change:
            certificate = models.Certificate.objects.get(pk=obj.pk)
            if not form.has_changed():
                return certificate
            return services.certificate_set_status(
                actor=request.user,
                certificate=certificate,
                status=data["status"],
                reason=data["status_reason"],
            )
        return services.certificate_issue(
            actor=request.user,
            officer=data["officer"],
            number=data["number"],
            issuer=data["issuer"],
            issued_on=data["issued_on"],
            valid_until=data["valid_until"],
            domains=data["domains"],
            area=data["area"],
        )


class _AddOnly(ServiceAdmin):
    """A record that is history once written: added through its service, then only read."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)


@admin.register(models.AnnualReview)
class AnnualReviewAdmin(_AddOnly):
    """年审 through annual_review_record (a failed review cancels the certificate)."""

    list_display = ("certificate", "year", "reviewed_on", "passed")
    fields = ("certificate", "year", "reviewed_on", "passed", "note")

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        return services.annual_review_record(
            actor=request.user,
            certificate=data["certificate"],
            year=data["year"],
            reviewed_on=data["reviewed_on"],
            passed=data["passed"],
            note=data["note"],
        )


@admin.register(models.TrainingRecord)
class TrainingRecordAdmin(_AddOnly):
    list_display = ("officer", "date", "title", "category", "hours")
    list_filter = ("category",)
    fields = ("officer", "date", "title", "category", "hours", "organizer")

    def save_through_service(self, request, obj, form, formsets, change):
        data = form.cleaned_data
        return services.training_record_add(
            actor=request.user,
            officer=data["officer"],
            date=data["date"],
            title=data["title"],
            category=data["category"],
            hours=data["hours"],
            organizer=data["organizer"],
        )
