"""Telling the party of a monitoring record (《行政处罚法》第四十一条第三款): the one seam the
party page plugs into.

`access_code_for` is where the party page's access code comes from (issue 16 item 1,
`party_access_issue` on its branch): today no party page exists, so the notice carries none and
tells the party where to query the record instead. `notice_party` records the notice and issues
the 电子技术监控记录告知书 of the case.
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


def access_code_for(*, actor: User, case: Case) -> str:
    """The party-page access code served with the notice ("" while there is no party page)."""
    return ""


def notice_party(*, actor: User, case: Case, record: DeviceEvent) -> Document:
    """In the caller's transaction: the notice document, the case event, the time on the record."""
    device = record.device
    code = access_code_for(actor=actor, case=case)
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
        access_code=code,
        query_place=case.agency.address,
    )
    event(
        case,
        actor,
        "monitoring_notice",
        f"告知当事人电子技术监控记录（{device.code} {record.external_id}）",
        document=document.pk,
        access_code_issued=bool(code),
    )
    record.noticed_at = timezone.now()
    return document
