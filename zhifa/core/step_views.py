"""The one step page every workflow serves: GET shows the step's form, POST takes the step.

An app declares a `StepPage` (its workflow, its selector, its templates) and its view calls
`step_page(request, PAGE, pk, code)` under its own URL and decorators. The rules stay where they
are: object permissions in the app's selector (404 for what the user may not see) and policies,
the rules of the step in the runner. The page does the same for every workflow:

- an unknown step code is a 404; who takes no part, or may not take the step, gets the 403 page
  (NotPermitted, through DomainErrorMiddleware);
- a step not open now (the status, a guard naming its article) is the refusal page, 409, and so
  is a `Conflict` while taking it (a second click, another person moved the subject on);
- a refusal of what was typed (a `DomainError` from `perform`) is a form error, 400, on a page
  and form rebuilt from the stored subject (the step's transaction was rolled back);
- the form carries an idempotency key made when it was shown: the same form sent again finds
  the step taken under that key and goes back to the subject, instead of taking it twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic
from uuid import uuid4

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhifa.core.api_forms import form_data, valid
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.core.workflow import Done, S, Step, Workflow, already_taken, check, run


@dataclass(frozen=True)
class StepPage(Generic[S]):
    """What differs between the workflows' step pages; everything else is `step_page`."""

    workflow: Workflow[S]
    # The app's selector, called as load(user=…, pk=…): raises Http404 for what the user may not see.
    load: Callable[..., S]
    # The subject's page (a URL name taking its pk): where the step page leads back to.
    detail: str
    template: str
    refused_template: str
    # The subject's name in both templates ({{ clue.number }}).
    name: str
    # The 404 sentence for a step code the workflow does not have.
    unknown_step: str = "没有这一办理环节。"
    # More of the step page's context, from the subject as shown (the plan's draw, a label).
    context: Callable[[S], dict[str, Any]] | None = None
    # A "preview" button (the cases' documents): given the request and a call taking the step,
    # which the hook runs rolled back, the page's extra context; None: no preview.
    preview: Callable[[HttpRequest, Callable[[], Any]], dict[str, Any]] | None = None


def _refused(
    request: HttpRequest, page: StepPage[S], subject: S, step: Step[S], message: str
) -> HttpResponse:
    back = reverse(page.detail, args=[subject.pk])
    context = {
        "title": step.label,
        page.name: subject,
        "step": step,
        "label": step.label,  # some refusal templates name the step as {{ label }}
        "message": message,
        "back": back,
    }
    return render(request, page.refused_template, context, status=409)


def step_page(request: HttpRequest, page: StepPage[S], pk: int, code: str) -> HttpResponse:
    """One step's page for a logged-in user (the app's view keeps its URL and decorators)."""
    user: Any = request.user
    workflow = page.workflow
    subject = page.load(user=user, pk=pk)
    step = workflow.steps.get(code)
    if step is None:
        raise Http404(page.unknown_step)
    back = reverse(page.detail, args=[subject.pk])
    key = request.POST.get("idempotency_key", "")[:100]
    posted = request.method == "POST"
    if posted and already_taken(workflow, code, actor=user, subject=subject, key=key):
        return redirect(back)  # the same form again (a double click): taken once, nothing more
    try:
        check(workflow, step, subject, user)
    except NotPermitted:
        raise
    except DomainError as refusal:
        return _refused(request, page, subject, step, refusal.message)
    extra: dict[str, Any] = {}
    if not posted:
        form = step.form(subject=subject, user=user)
    else:
        form = step.form(request.POST, request.FILES, subject=subject, user=user)
        if form.is_valid():
            data = form.data_for_step()
            error = ""
            try:
                if page.preview is not None and "preview" in request.POST:
                    extra = page.preview(
                        request, lambda: run(workflow, code, actor=user, subject=subject, data=data)
                    )
                else:
                    done = run(workflow, code, actor=user, subject=subject, data=data, idempotency_key=key)
                    if not done.replayed:
                        messages.success(request, f"已办理“{step.label}”。")
                    return redirect(back)
            except NotPermitted:
                raise
            except Conflict as refusal:
                # Another click or another person moved the subject on since the form was shown.
                return _refused(request, page, page.load(user=user, pk=pk), step, refusal.message)
            except DomainError as exc:
                error = exc.message
            # The step ran and was rolled back (a refusal or a preview): the loaded subject may hold
            # its changes, so the page and the form start again from the stored subject.
            subject = page.load(user=user, pk=pk)
            form = step.form(request.POST, request.FILES, subject=subject, user=user)
            form.is_valid()
            if error:
                form.add_error(None, error)
    context = {
        "title": step.label,
        page.name: subject,
        "step": step,
        "form": form,
        "back": back,
        "idempotency_key": request.POST.get("idempotency_key") or uuid4().hex,
        **(page.context(subject) if page.context is not None else {}),
        **extra,
    }
    return render(request, page.template, context, status=400 if form.errors else 200)


def api_step(
    request: HttpRequest, page: StepPage[S], subject: S, code: str, *, body: dict[str, Any]
) -> Done[S]:
    """`POST /api/…/{id}/steps/{code}`: the same step with the JSON body as its form's data.

    The optional Idempotency-Key header makes a retry answer from the first receipt, before the
    form meets a subject that has moved on; the API's error handlers map the refusals.
    """
    user: Any = request.user
    workflow = page.workflow
    step = workflow.steps.get(code)
    if step is None:
        raise Http404(page.unknown_step)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise InvalidInput("Idempotency-Key 不能超过 100 个字符。")
    workflow.ensure_participant(user, subject)
    if already_taken(workflow, code, actor=user, subject=subject, key=key):
        return run(workflow, code, actor=user, subject=subject, idempotency_key=key)
    form = valid(step.form(form_data(body), subject=subject, user=user))
    return run(workflow, code, actor=user, subject=subject, data=form.data_for_step(), idempotency_key=key)
