"""Evidence metadata over JSON (/api/evidence/): for the logged-in, with the case's visibility.

Only metadata and hashes; the file itself is served by the evidence views. Each answer is
logged as a view, like the item page, by the selector that returns it.

A 司法局 supervisor sends the purpose with every request: `?purpose=evaluation&purpose_note=...`
or the headers `X-Access-Purpose` / `X-Access-Purpose-Note` (percent-encoded UTF-8). Without it
the answer is 403 `{"code": "purpose_required", "message": ...}` naming them; an unknown value
is 400 `invalid_input`. Other roles' purpose follows from their role, as on the web.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from zhifa.core.access import Reader
from zhifa.core.api_forms import object_pk
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


@router.get(
    "/items/{pk}",
    response=ItemOut,
    summary="证据的元数据和哈希值",
    description=(
        "每次调用记入调阅记录。司法局监督人员须说明调阅目的：查询参数 purpose（或请求头 X-Access-Purpose）"
        "填 supervision、evaluation、complaint 或 other，说明填 purpose_note（或 X-Access-Purpose-Note，"
        "UTF-8 百分号编码）；未说明的返回 403 purpose_required。"
    ),
)
def item(request: HttpRequest, pk: int) -> ItemOut:
    evidence = selectors.item_detail_for(reader=Reader.of_api(request), pk=object_pk(pk))
    case = evidence.case
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
