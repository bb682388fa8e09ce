"""送审材料: what a submission for legal review must carry, checked against the case's own
documents and records (seeds: 明确法制审核送审材料 …; 承办机构对送审材料的完整性负责)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhifa.cases.discretion import assessment_for
from zhifa.cases.models import DefenceAdoption, Outcome, RecordKind

if TYPE_CHECKING:
    from zhifa.cases.models import Case


@dataclass(frozen=True)
class Material:
    code: str
    label: str
    present: bool
    ref: str  # what in the case file stands for it (文号, record count), or why it is missing


def _issued_number(case: Case, kind: str) -> str:
    from zhifa.documents.models import Document

    doc = (
        Document.objects.filter(subject_ref=case.subject_ref, kind=kind, status="issued")
        .order_by("-issued_at")
        .first()
    )
    return doc.number if doc else ""


def checklist(case: Case) -> list[Material]:
    items: list[Material] = []
    number = _issued_number(case, "investigation_report")
    items.append(
        Material(
            "report", "调查终结报告", bool(case.reported_at and number), number or "尚未制作调查终结报告"
        )
    )
    evidence_lines = [line for line in case.report_evidence.splitlines() if line.strip()]
    records = case.records.exclude(kind__in=[RecordKind.STATEMENT, RecordKind.HEARING]).count()
    items.append(
        Material(
            "evidence",
            "证据清单",
            bool(evidence_lines) and records > 0,
            f"证据 {len(evidence_lines)} 项，调查笔录 {records} 份"
            if evidence_lines and records
            else "调查终结报告未列明证据或者尚无调查笔录",
        )
    )
    deciding = case.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED)
    intended = case.intended_penalty if case.outcome == Outcome.PENALTY else case.get_outcome_display()
    items.append(
        Material(
            "decision",
            "拟作出的决定",
            deciding and bool(intended),
            intended if deciding and intended else "调查终结报告的处理意见不是作出处罚或者不予处罚的决定",
        )
    )
    if case.outcome == Outcome.PENALTY:
        assessment = assessment_for(case)
        if case.report_discretion.strip():
            ref = "见调查终结报告“裁量理由”"
        elif assessment is not None and assessment.rationale:
            ref = f"裁量基准适用：{assessment.benchmark}"
        else:
            ref = ""
        items.append(Material("discretion", "裁量说明", bool(ref), ref or "调查终结报告未说明裁量理由"))
    items.extend(_defence(case))
    return items


def _defence(case: Case) -> list[Material]:
    """陈述申辩笔录 or 听证笔录 where the party was heard, and the 复核 of what they said."""
    found: list[Material] = []
    hearing = getattr(case, "hearing", None)
    if hearing is not None and hearing.withdrawn_on is None:
        held = hearing.held_on is not None and case.records.filter(kind=RecordKind.HEARING).exists()
        found.append(Material("hearing", "听证笔录", held, "已附听证笔录" if held else "听证尚未举行"))
    statements = case.records.filter(kind=RecordKind.STATEMENT).count()
    heard = statements or (hearing is not None and hearing.held_on is not None)
    if statements or case.defence_adoption not in ("", DefenceAdoption.NONE):
        found.append(
            Material(
                "statement",
                "陈述申辩笔录",
                bool(statements) or bool(hearing and hearing.held_on),
                f"陈述申辩笔录 {statements} 份" if statements else "尚无陈述申辩笔录",
            )
        )
    if heard:
        reviewed = case.defence_adoption not in ("", DefenceAdoption.NONE)
        found.append(
            Material(
                "defence_review",
                "陈述申辩（听证）复核意见",
                reviewed,
                case.get_defence_adoption_display() if reviewed else "尚未复核当事人的陈述申辩",
            )
        )
    return found


def missing(case: Case) -> list[Material]:
    return [m for m in checklist(case) if not m.present]
