"""Thin adapters of 非现场执法: load through selectors, call services, render.

A user outside the agency's staff gets 403; another agency's device or record is 404; a
refusal of the rule (第四十一条) is the page again with the sentence, status 409 (400 for what
was typed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.cases.policies import is_reviewer_of
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.devices import manifest, policies, selectors, services
from zhifa.devices.forms import (
    CaseStartForm,
    DeviceForm,
    EventReviewForm,
    ImportForm,
    OpinionForm,
    SubmitForm,
)
from zhifa.devices.models import Device, DeviceEvent, EventReview
from zhifa.review import subjects


def _attempt(form: forms.Form, call: Callable[[dict[str, Any]], object]) -> tuple[object, int]:
    """Run the service on a valid form; (result, 200) or (None, status) with the error on the form."""
    if not form.is_valid():
        return None, 400
    try:
        return call(form.cleaned_data), 200
    except NotPermitted:
        raise
    except InvalidInput as error:
        form.add_error(None, error.message)
        return None, 400
    except DomainError as error:
        form.add_error(None, error.message)
        return None, 409


# ── devices ───────────────────────────────────────────────────────────────────────────────


@login_required
@require_safe
def device_list(request: AuthenticatedRequest) -> HttpResponse:
    agency = policies.ensure_reader(request.user)
    devices = list(selectors.devices_visible_to(user=request.user))
    rows = [(d, subjects.latest(d.ref), services.refusal(d)) for d in devices]
    return render(
        request,
        "devices/list.html",
        {
            "title": "非现场执法设备",
            "rows": rows,
            "may_register": policies.may_register(request.user, agency),
            "pending": selectors.events_pending_for(user=request.user).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def device_new(request: AuthenticatedRequest) -> HttpResponse:
    agency = policies.ensure_reader(request.user)
    policies.ensure_may_register(request.user, agency)
    form = DeviceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device, status = _attempt(
            form, lambda data: services.device_register(actor=request.user, agency=agency, **data)
        )
        if isinstance(device, Device):
            messages.success(request, "设备已登记，请提交法制审核。")
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/new.html", {"title": "登记电子技术监控设备", "form": form}, status=status)


def _device_page(
    request: AuthenticatedRequest, device: Device, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    user = request.user
    latest = subjects.latest(device.ref)
    may_register = policies.may_register(user, device.agency)
    context = {
        "title": str(device),
        "device": device,
        "reviews": subjects.history(device.ref),
        "latest": latest,
        "refusal": services.refusal(device),
        "may_submit": may_register and (latest is None or latest.opinion == "problems"),
        "may_review": latest is not None
        and not latest.opinion
        and is_reviewer_of(user, device.agency)
        and latest.submitted_by_id != user.pk,
        "may_publish": device.published_at is None
        and services.reviewed(device)
        and policies.may_publish(user, device.agency),
        "submit_form": forms_.get("submit_form") or SubmitForm(),
        "opinion_form": forms_.get("opinion_form") or OpinionForm(),
        "publish_error": forms_.get("publish_form"),
        "records": selectors.events_of_device(device=device),
    }
    return render(request, "devices/detail.html", context, status=status)


@login_required
@require_safe
def device_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    policies.ensure_reader(request.user)
    return _device_page(request, selectors.device_get_for(user=request.user, pk=pk))


@login_required
@require_POST
def device_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    policies.ensure_reader(request.user)
    device = selectors.device_get_for(user=request.user, pk=pk)
    policies.ensure_may_register(request.user, device.agency)
    form = SubmitForm(request.POST)
    done, status = _attempt(
        form,
        lambda data: services.device_submit_review(
            actor=request.user, device=device, materials=data["materials"]
        ),
    )
    if done is not None:
        messages.success(request, "已提交法制审核。")
        return redirect("devices:detail", pk=device.pk)
    return _device_page(request, device, status, submit_form=form)


@login_required
@require_POST
def device_opinion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    policies.ensure_reader(request.user)
    device = selectors.device_get_for(user=request.user, pk=pk)
    latest = subjects.latest(device.ref)
    if latest is None:
        raise NotPermitted("该设备尚未提交法制审核。")
    form = OpinionForm(request.POST)
    done, status = _attempt(
        form,
        lambda data: subjects.subject_review_record(
            actor=request.user, review=latest, opinion=data["opinion"], reasons=data["reasons"]
        ),
    )
    if done is not None:
        messages.success(request, "已出具审核意见。")
        return redirect("devices:detail", pk=device.pk)
    return _device_page(request, device, status, opinion_form=form)


@login_required
@require_POST
def device_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    policies.ensure_reader(request.user)
    device = selectors.device_get_for(user=request.user, pk=pk)
    policies.ensure_may_publish(request.user, device.agency)
    form = forms.Form(request.POST)
    done, status = _attempt(form, lambda data: services.device_publish(actor=request.user, device=device))
    if done is not None:
        messages.success(request, "设置地点已在公示平台公布。")
        return redirect("devices:detail", pk=device.pk)
    return _device_page(request, device, status, publish_form=form)


# ── records ───────────────────────────────────────────────────────────────────────────────


@login_required
@require_safe
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    agency = policies.ensure_reader(request.user)
    wanted = request.GET.get("review", EventReview.PENDING)
    records = selectors.events_visible_to(user=request.user)
    if wanted in EventReview.values:
        records = records.filter(review=wanted)
    return render(
        request,
        "devices/events.html",
        {
            "title": "电子技术监控记录",
            "records": records[:200],
            "wanted": wanted,
            "choices": EventReview.choices,
            "may_import": policies.may_handle_events(request.user, agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_import(request: AuthenticatedRequest) -> HttpResponse:
    agency = policies.ensure_reader(request.user)
    policies.ensure_may_handle_events(request.user, agency)
    form = ImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        result, status = _attempt(
            form,
            lambda data: services.device_events_import(
                actor=request.user, entries=manifest.from_zip(data["file"].read())
            ),
        )
    return render(
        request,
        "devices/import.html",
        {"title": "导入电子技术监控记录", "form": form, "result": result},
        status=status,
    )


def _event_page(
    request: AuthenticatedRequest, record: DeviceEvent, status: int = 200, **forms_: forms.Form
) -> HttpResponse:
    may_handle = policies.may_handle_events(request.user, record.agency)
    return render(
        request,
        "devices/event.html",
        {
            "title": f"电子技术监控记录 {record.external_id}",
            "record": record,
            "case_refusal": services.case_refusal(record),
            "may_review": may_handle and record.review == EventReview.PENDING,
            "may_start": may_handle and record.case_id is None and record.review == EventReview.USABLE,
            "may_notify": may_handle and record.case_id is not None and record.noticed_at is None,
            "review_form": forms_.get("review_form") or EventReviewForm(),
            "case_form": forms_.get("case_form") or CaseStartForm(),
            "notify_form": forms_.get("notify_form"),
        },
        status=status,
    )


@login_required
@require_safe
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    policies.ensure_reader(request.user)
    return _event_page(request, selectors.event_get_for(user=request.user, pk=pk))


def _event_action(
    request: AuthenticatedRequest,
    pk: int,
    form_class: type[forms.Form],
    slot: str,
    call: Callable[[DeviceEvent, dict[str, Any]], object],
    done_message: str,
) -> HttpResponse:
    policies.ensure_reader(request.user)
    record = selectors.event_get_for(user=request.user, pk=pk)
    policies.ensure_may_handle_events(request.user, record.agency)
    form = form_class(request.POST)
    done, status = _attempt(form, lambda data: call(record, data))
    if done is not None:
        messages.success(request, done_message)
        return redirect("devices:event", pk=record.pk)
    return _event_page(request, selectors.event_get_for(user=request.user, pk=pk), status, **{slot: form})


@login_required
@require_POST
def event_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        EventReviewForm,
        "review_form",
        lambda record, data: services.device_event_review(
            actor=request.user, record=record, usable=data["usable"], reason=data["reason"]
        ),
        "已审核该记录。",
    )


@login_required
@require_POST
def event_case(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        CaseStartForm,
        "case_form",
        lambda record, data: services.device_event_case_start(
            actor=request.user, record=record, cause=data["cause"]
        ),
        "已据该记录登记案源，记录文件已作为证据入卷。",
    )


@login_required
@require_POST
def event_notify(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _event_action(
        request,
        pk,
        forms.Form,
        "notify_form",
        lambda record, data: services.device_event_notify(actor=request.user, record=record),
        "已制发电子技术监控记录告知书。",
    )


# ── the public list ───────────────────────────────────────────────────────────────────────


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "devices/public_list.html",
        {"title": "电子技术监控设备设置地点", "devices": selectors.published_devices()},
    )
