"""The Django admin as a thin adapter: it is for configuration and never writes past a service.

Django's admin saves a form with `obj.save()` and its inlines with `formset.save()`. A model admin
built on ServiceAdmin hands the validated form and inline formsets to `save_through_service`
instead, which calls the owning app's service (its guards, its event and ledger leaf). When the
service refuses, its DomainError rolls back the admin's transaction and the same POST is shown
again with the service's sentence at the top of the form: never a 500, never a half-written row,
and the user keeps what they typed. ReadOnlyAdmin and ReadOnlyInline show records that only
services write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import construct_change_message
from django.db import models
from django.http import HttpRequest, HttpResponse

from zhifa.core.errors import DomainError

_REFUSAL = "_zhifa_service_refusal"


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browsable for review; written only by the app's services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdmin(admin.ModelAdmin):
    """Add and change through a service; deleting is off unless a subclass routes it to one."""

    def save_through_service(
        self,
        request: HttpRequest,
        obj: models.Model,
        form: forms.ModelForm,
        formsets: list[Any],
        change: bool,
    ) -> models.Model:
        """Call the service with the form's cleaned data; return the row it wrote."""
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Nothing here: the service writes in save_related, once the inlines are valid too.
        pass

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        try:
            saved = self.save_through_service(request, form.instance, form, list(formsets), change)
        except DomainError as exc:
            raise _Refused(exc.message) from exc
        # The admin's log entry and redirect name the row the service wrote.
        for field in saved._meta.concrete_fields:
            setattr(form.instance, field.attname, getattr(saved, field.attname))
        form.instance._state.adding = False
        form.instance._state.db = saved._state.db

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> list[dict[str, Any]]:
        # The inline formsets were read, not saved: the message names the form's fields only.
        return construct_change_message(form, [], add)

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form_class

        class Refused(form_class):  # type: ignore[valid-type,misc]
            def clean(self) -> Any:
                data = super().clean()
                self.add_error(None, refusal)
                return data

        return Refused

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # The admin's transaction has rolled back; the same POST again, now with the refusal.
            setattr(request, _REFUSAL, refused.message)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def inline_rows(formsets: list[Any], model: type[models.Model]) -> list[dict[str, Any]]:
    """The cleaned rows a user entered in the inline of `model` (new, changed, not deleted)."""
    rows = []
    for formset in formsets:
        if formset.model is not model:
            continue
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if data and inline_form.has_changed() and not data.get("DELETE"):
                rows.append(data)
    return rows
