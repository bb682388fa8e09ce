"""Evidence made through the service, for the tests of evidence and of the case steps it gates."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceItem, EvidenceKind
from zhifa.evidence.services import Metadata, evidence_add


def staged(content: bytes) -> storage.Staged:
    return storage.stage_stream(io.BytesIO(content))


def add_item(
    case: Case,
    *,
    actor: Any,
    collector: Any = None,
    content: bytes = b"\x89PNG not really a photo",
    name: str = "photo.jpg",
    **fields: Any,
) -> EvidenceItem:
    now = timezone.now()
    meta = dict(
        kind=EvidenceKind.PHYSICAL,
        title="现场照片",
        proves="当事人经营场所的现状",
        collected_at=now - dt.timedelta(minutes=30),
        place="测试县人民路 1 号",
        collector=(collector or actor).officer,
    )
    meta.update(fields)
    return evidence_add(
        actor=actor, case=case, staged=staged(content), meta=Metadata(**meta), original_name=name
    )


def attach_av(
    case: Case, *, actor: Any, stage: str, whole: bool = True, content: bytes | None = None
) -> EvidenceItem:
    """A 视听资料 item of `stage`; `whole` gives it start and end times (全程音像记录)."""
    now = timezone.now()
    return add_item(
        case,
        actor=actor,
        content=content or f"body camera {stage} {now.isoformat()}".encode(),
        name=f"{stage}.mp4",
        kind=EvidenceKind.AUDIOVISUAL,
        title=f"执法记录仪视频（{stage}）",
        proves="执法过程",
        stage=stage,
        device="执法记录仪 DSJ-001",
        recording_started_at=now - dt.timedelta(minutes=40) if whole else None,
        recording_ended_at=now - dt.timedelta(minutes=10) if whole else None,
    )
