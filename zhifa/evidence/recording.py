"""The evidence side of the AV-recording list: what each stage of a case has on record.

`coverage` is installed as zhifa.cases.recording_gate's provider in EvidenceConfig.ready().
A stage at level `av` is met by a 视听资料 item of that stage attached to the case; at `full`
the item must state when the recording started and ended (a whole-process recording). An
exception the head approved for the stage meets it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhifa.cases.recording_gate import Coverage, level_for
from zhifa.catalog.models import AVLevel, Stage
from zhifa.evidence.models import EvidenceItem, EvidenceKind, RecordingException

if TYPE_CHECKING:
    from zhifa.cases.models import Case


def _recordings(case: Case, stage: str, level: str) -> bool:
    items = EvidenceItem.objects.filter(
        case=case, kind=EvidenceKind.AUDIOVISUAL, stage=stage, disposed_at__isnull=True
    )
    if level == AVLevel.FULL:
        items = items.filter(recording_started_at__isnull=False, recording_ended_at__isnull=False)
    return items.exists()


def coverage(case: Case, stage: str, level: str) -> Coverage:
    required = level in (AVLevel.FULL, AVLevel.AV)
    recorded = _recordings(case, stage, level) if required else False
    exception = (
        RecordingException.objects.filter(case=case, stage=stage).order_by("-approved_at").first()
        if required and not recorded
        else None
    )
    return Coverage(
        stage,
        level,
        met=not required or recorded or exception is not None,
        recorded=recorded,
        exception_reason=exception.reason if exception is not None else "",
    )


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    level: str
    level_label: str
    coverage: Coverage
    items: list[EvidenceItem]


def case_stage_rows(case: Case) -> list[StageRow]:
    """Per stage of the list: what it requires of this case and whether that is met."""
    items: dict[str, list[EvidenceItem]] = {}
    for item in case.evidence_items.filter(kind=EvidenceKind.AUDIOVISUAL).exclude(stage=""):
        items.setdefault(item.stage, []).append(item)
    rows = []
    for stage in Stage:
        level = level_for(case, stage)
        if level == AVLevel.TEXT and stage not in items:
            continue
        rows.append(
            StageRow(
                stage,
                stage.label,
                level,
                AVLevel(level).label,
                coverage(case, stage, level),
                items.get(stage, []),
            )
        )
    return rows
