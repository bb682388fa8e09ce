"""Reads of devices and records for a user (another agency's: not found), and the public list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from zhifa.devices import policies
from zhifa.devices.models import Device, DeviceEvent, EventReview

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def devices_visible_to(*, user: User) -> QuerySet[Device]:
    agency = policies.home_agency(user)
    return Device.objects.filter(agency=agency) if agency is not None else Device.objects.none()


def device_get_for(*, user: User, pk: int) -> Device:
    found = devices_visible_to(user=user).filter(pk=pk).select_related("agency").first()
    if found is None:
        raise Http404("没有找到该设备。")
    return found


def events_visible_to(*, user: User) -> QuerySet[DeviceEvent]:
    agency = policies.home_agency(user)
    if agency is None:
        return DeviceEvent.objects.none()
    return DeviceEvent.objects.filter(agency=agency).select_related("device", "blob", "case", "reviewed_by")


def events_of_device(*, device: Device, limit: int = 50) -> list[DeviceEvent]:
    """The latest records of a device already read through device_get_for (its page)."""
    return list(device.events.select_related("case")[:limit])


def events_pending_for(*, user: User) -> QuerySet[DeviceEvent]:
    return events_visible_to(user=user).filter(review=EventReview.PENDING)


def event_get_for(*, user: User, pk: int) -> DeviceEvent:
    found = events_visible_to(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该记录。")
    return found


def published_devices() -> QuerySet[Device]:
    """The public list (第四十一条第一款): published devices of active agencies, no personal data."""
    return (
        Device.objects.filter(published_at__isnull=False, agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name", "code")
    )
