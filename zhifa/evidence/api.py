"""Evidence metadata over JSON (/api/evidence/): for the logged-in, with the case's visibility.

Only metadata and hashes; the file itself is served (and logged) by the evidence views. Each
answer is logged as a view, like the item page.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja.security import django_auth

from zhifa.cases import policies as case_policies
from zhifa.core.access import access_record, purpose_for
from zhifa.core.models import AccessAction
from zhifa.core.validation import DB_INT_MAX
from zhifa.evidence import selectors

router = Router(tags=["evidence"], auth=django_auth)


class ItemOut(Schema):
    id: int
    case_number: str
    kind: str
    kind_label: str
    title: str
    collected_at: dt.datetime
    place: str
    collector: str
    stage: str
    recording_started_at: dt.datetime | None
    recording_ended_at: dt.datetime | None
    sha256: str
    sm3: str
    size: int
    content_type: str
    disposed: bool


@router.get("/items/{pk}", response=ItemOut, summary="证据的元数据和哈希值")
def item(request: HttpRequest, pk: int = Path(..., ge=1, le=DB_INT_MAX)) -> ItemOut:
    user = request.user
    evidence = selectors.item_get_for(user=user, pk=pk)  # type: ignore[arg-type]
    case = evidence.case
    access_record(
        request=request,
        user=user,
        action=AccessAction.VIEW,
        ref=evidence.ref,
        label=f"{case.number} {evidence}（接口）",
        purpose=purpose_for(user, handles=case_policies.is_handler(user, case)),  # type: ignore[arg-type]
        case_ref=case.subject_ref,
        case_number=case.number,
        agency_id=case.agency_id,
    )
    return ItemOut(
        id=evidence.pk,
        case_number=case.number,
        kind=evidence.kind,
        kind_label=evidence.get_kind_display(),
        title=evidence.title,
        collected_at=evidence.collected_at,
        place=evidence.place,
        collector=evidence.collector.name,
        stage=evidence.stage,
        recording_started_at=evidence.recording_started_at,
        recording_ended_at=evidence.recording_ended_at,
        sha256=evidence.blob.sha256,
        sm3=evidence.blob.sm3,
        size=evidence.blob.size,
        content_type=evidence.content_type,
        disposed=evidence.disposed_at is not None,
    )
