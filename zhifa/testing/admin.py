"""Posting Django admin forms in tests: a system administrator's client, and the data of a form as
the admin page shows it, so a test changes only the fields it is about."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhifa.accounts.models import Role
from zhifa.testing.factories import make_user


def sysadmin_client() -> tuple[Client, Any]:
    """A logged-in 系统管理员 (the only role in the admin) and the user."""
    user = make_user(Role.SYSADMIN, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def _values(form: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(v) for v in value]
        else:
            data[form.add_prefix(name)] = value
    return data


def form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """The POST an admin add or change page would send unchanged, with `changes` applied.

    Inline rows are added by the caller (prefix-N-field) together with a new TOTAL_FORMS.
    """
    data = _values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_values(formset.management_form))
        for inline_form in formset.initial_forms:
            data.update(_values(inline_form))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def errors(response: Any) -> str:
    """Every error the admin page shows (form, inlines), as text."""
    messages = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    messages += [f"{k}: {v}" for k, v in response.context["adminform"].form.errors.items()]
    for inline in response.context["inline_admin_formsets"]:
        messages += [str(e) for e in inline.formset.non_form_errors()]
        messages += [str(e) for e in inline.formset.errors if e]
    return " ".join(messages)
