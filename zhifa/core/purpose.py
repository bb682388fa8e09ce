"""The 调阅目的 prompt: a supervisor says why before a record is shown (zhifa.core.access).

Each app that serves bodies has a POST endpoint for its scope (evidence: the case; documents:
the document's case, else the document) that checks the reader may see it and calls
`purpose_post`; the body views answer `PurposeRequired` with `purpose_prompt`.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from zhifa.core.access import STATED_PURPOSES, PurposeRequired, Reader


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(label="调阅目的", choices=[(p.value, p.label) for p in STATED_PURPOSES])
    note = forms.CharField(label="说明", max_length=200, required=False)


def purpose_prompt(
    request: HttpRequest, required: PurposeRequired, *, action: str, back: str
) -> HttpResponse:
    """The form, posting to `action`, then back to the page asked for."""
    return _page(
        request,
        PurposeForm(),
        what=required.target.what,
        action=action,
        back=back,
        next=request.get_full_path(),
    )


def purpose_post(request: HttpRequest, *, scope: str, what: str, back: str) -> HttpResponse:
    """Remember the stated purpose for `scope` in the session and go on to `next`."""
    form = PurposeForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = back
    if not form.is_valid():
        return _page(request, form, what=what, action=request.path, back=back, next=target, status=400)
    Reader.of(request).purpose_state(scope, form.cleaned_data["purpose"], form.cleaned_data["note"])
    return redirect(target)


def _page(
    request: HttpRequest,
    form: PurposeForm,
    *,
    what: str,
    action: str,
    back: str,
    next: str,
    status: int = 200,
) -> HttpResponse:
    context = {"title": "调阅目的", "form": form, "what": what, "action": action, "back": back, "next": next}
    return render(request, "core/purpose.html", context, status=status)
