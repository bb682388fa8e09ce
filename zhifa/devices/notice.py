"""Telling the party of a monitoring record (《行政处罚法》第四十一条第三款).

`notice_party` records the notice and issues the 电子技术监控记录告知书 of the case. It is a
document served to the party (cases.documents.SERVED_KINDS), so it carries the party page's
access code and QR like every other (zhifa.party), and tells where to query the record as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from zhifa.cases.timeline import event, issue

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.devices.models import DeviceEvent
    from zhifa.documents.models import Document


def notice_party(*, actor: User, case: Case, record: DeviceEvent) -> Document:
    """In the caller's transaction: the notice document, the case event, the time on the record."""
    device = record.device
    document = issue(
        case,
        actor,
        "monitoring_notice",
        device_name=str(device),
        device_location=device.location,
        occurred_at=timezone.localtime(record.occurred_at).strftime("%Y-%m-%d %H:%M"),
        record_place=record.place,
        record_subject=record.subject,
        record_description=record.description,
        sha256=record.blob.sha256,
        sm3=record.blob.sm3,
        query_place=case.agency.address,
    )
    event(
        case,
        actor,
        "monitoring_notice",
        f"告知当事人电子技术监控记录（{device.code} {record.external_id}）",
        document=document.pk,
    )
    record.noticed_at = timezone.now()
    return document
