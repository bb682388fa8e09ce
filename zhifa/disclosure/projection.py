"""The redacted projection of a decided case: the only way a case reaches the portal (DESIGN §3.6).

Every text field goes through the one redaction engine with the names known to the case (the
party when a citizen, the representative, the informant, the people named in records). Officers'
names are not masked: who enforces is public (《行政处罚法》第三十九条). The party's identity
number, phone and address are never copied, whatever the redaction would do with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zhifa.cases.documents import DECISION_KINDS
from zhifa.cases.models import Outcome, PartyKind
from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import MatterKind
from zhifa.disclosure import periods, redaction

if TYPE_CHECKING:
    from zhifa.cases.models import Case
    from zhifa.documents.models import Document

# A case is published once it has a decision (cases says when) with one of these outcomes (第四十八条).
PUBLISHED_OUTCOMES = frozenset({Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED})

# Field keys of a decision's content, in display order, with their labels (the open-data schema).
FIELD_LABELS: dict[str, str] = {
    "agency": "执法机关",
    "party": "执法对象",
    "party_credit_code": "统一社会信用代码",
    "category": "执法类别",
    "matter_kind": "行为类别",
    "matter": "执法事项",
    "conclusion": "执法结论",
    "document_number": "文号",
    "decided_on": "决定日期",
    "basis": "依据",
    "penalty": "处罚内容",
    "fine": "罚款（元）",
    "facts": "违法事实",
    # An inspection result (行政检查结果, zhifa/inspections/task_publication.py).
    "inspection_kind": "检查类别",
    "plan": "抽查计划",
    "inspection_items": "检查事项",
    "inspected_on": "检查日期",
    "result_note": "结果说明",
    # The rows of the 事前公开 lists (prior/builders.py), for the staff pages.
    "items": "条目",
    "name": "名称",
    "code": "编码",
    "kind": "类别",
    "kinds": "类别",
    "domain": "执法领域",
    "domains": "执法类别",
    "version": "版本",
    "effective_from": "施行日期",
    "description": "说明",
    "gender": "性别",
    "number": "证件编号",
    "area": "执法区域",
    "valid_until": "有效期至",
    "region": "行政区划",
    "address": "地址",
    "phone": "电话",
    "duties": "职责",
    "subject_type": "主体类别",
    "entrusted_by": "委托机关",
    "contacts": "联系方式",
    "supervision_channel": "监督渠道",
    "complaint_channel": "投诉举报渠道",
    "reconsideration_body": "行政复议机关",
    "litigation_court": "行政诉讼管辖法院",
    "remedies": "救济途径",
    "matter_code": "事项编码",
    "matter_name": "事项名称",
    "method": "方式",
    "ratio": "抽查比例",
    "title": "标题",
    "content": "内容",
    "conditions": "条件",
    "materials": "申请材料",
    "process": "办理流程",
    "time_limit": "办理时限",
    "fees": "收费",
    "circumstance": "情形",
    "clause": "条款",
    "citation": "条文",
    "role": "作用",
}


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def subject_of(case: Case) -> str:
    return f"cases.case:{case.pk}"


@dataclass(frozen=True)
class Projection:
    title: str
    content: dict[str, str]
    marks: dict[str, list[list[Any]]]
    facets: dict[str, Any]


def is_publishable(case: Case) -> bool:
    return case.has_decision and case.outcome in PUBLISHED_OUTCOMES


def decision_document(case: Case) -> Document | None:
    """The issued decision (决定书) of the case; documents name their case by subject_ref."""
    from zhifa.documents.models import Document, DocumentStatus

    return (
        Document.objects.filter(
            subject_ref=case.subject_ref, kind__in=DECISION_KINDS, status=DocumentStatus.ISSUED
        )
        .order_by("-issued_at", "-pk")
        .first()
    )


def names_known_to(case: Case) -> list[str]:
    """Natural persons the case knows by name; an organisation party's name is public."""
    names = [case.party_representative, case.informant_name]
    if case.party_kind != PartyKind.ORGANISATION:
        names.append(case.party_name)
    names += list(case.records.exclude(subject_name="").values_list("subject_name", flat=True))
    return sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)


def redact_fields(fields: dict[str, str], *, names: Iterable[str]) -> tuple[dict[str, str], dict[str, list]]:
    """The engine's field-wise redaction (a name found in one field is masked in all of them)."""
    redacted, marks = redaction.redact_fields(fields, names=tuple(names))
    return dict(redacted), {k: list(v) for k, v in marks.items()}


def _kind_labels(kinds: Iterable[str]) -> str:
    labels = dict(PenaltyKind.choices)
    return "、".join(labels.get(k, k) for k in kinds)


def _basis(case: Case) -> str:
    from zhifa.cases.documents import basis_text

    text = basis_text(case)
    return f"依据{text}" if text else ""


def _conclusion(case: Case) -> str:
    label = Outcome(case.outcome).label
    if case.outcome == Outcome.PENALTY and case.final_kinds:
        return f"{label}：{_kind_labels(case.final_kinds)}"
    return label


def _decision_raw(case: Case) -> tuple[dict[str, str], str]:
    """The decision's fields before redaction, and the organisation's credit code (public as is)."""
    version = case.matter_version
    document = decision_document(case)
    organisation = case.party_kind == PartyKind.ORGANISATION
    fine = _fine(case)
    raw = {
        "agency": case.agency.name,
        "party": case.party_name,
        "category": version.domain.name if version else "",
        "matter_kind": (version.get_kind_display() if version else MatterKind.PENALTY.label),
        "matter": version.name if version else case.cause,
        "conclusion": _conclusion(case),
        "document_number": document.number if document else "",
        "decided_on": case.decided_on.isoformat() if case.decided_on else "",
        "basis": _basis(case),
        "penalty": case.final_penalty if case.outcome == Outcome.PENALTY else case.no_penalty_reason,
        "fine": f"{fine:.2f}" if fine is not None else "",
        "facts": case.report_facts,
    }
    # Organisations' credit codes are public (no redaction run over them, which could take the
    # 18 characters for an identity number); everything else goes through the engine.
    return {k: v for k, v in raw.items() if v}, case.party_id_number if organisation else ""


def _fine(case: Case) -> Decimal | None:
    return case.final_fine if case.outcome == Outcome.PENALTY and case.final_fine > 0 else None


def decision_projection(case: Case, *, keep: Iterable[str] = (), mask: Iterable[str] = ()) -> Projection:
    """keep / mask: the disclosure administrator's corrections of the draft (services.draft_unmask,
    draft_mask), applied each time the draft is made again."""
    raw, credit_code = _decision_raw(case)
    content, marks = redaction.redact_fields(raw, names=names_known_to(case), keep=keep, mask=mask)
    if credit_code:
        content["party_credit_code"] = credit_code
    ordered = {k: content[k] for k in FIELD_LABELS if k in content}
    document = decision_document(case)
    return Projection(
        title=decision_title(case, document),
        content=ordered,
        marks={k: v for k, v in marks.items() if v},
        facets=decision_facets(case, document=document, fine=_fine(case)),
    )


def decision_masked_words(
    case: Case, *, keep: Iterable[str] = (), mask: Iterable[str] = ()
) -> dict[str, list[str]]:
    """For each field, the original words behind the marks of decision_projection (same order):
    what the administrator sees when unmasking (staff side only)."""
    raw, _ = _decision_raw(case)
    found = redaction.find_fields(raw, names=names_known_to(case), keep=keep, mask=mask)
    return {k: [raw[k][f.start : f.end] for f in spans] for k, spans in found.items() if spans}


def decision_title(case: Case, document: Document | None) -> str:
    name = document.title if document else Outcome(case.outcome).label
    number = document.number if document else case.number
    return f"{name} {number}"[:200]


def decision_facets(
    case: Case, *, document: Document | None = None, fine: Decimal | None = None
) -> dict[str, Any]:
    version = case.matter_version
    kinds = list(case.final_kinds) if case.outcome == Outcome.PENALTY else []
    return {
        "document_number": document.number if document else "",
        "decided_on": case.decided_on,
        "category": version.domain.name if version else "",
        "matter_kind": version.kind if version else MatterKind.PENALTY,
        "outcome": case.outcome,
        "fine": fine,
        "penalty_kinds": kinds,
        "display_class": periods.display_class_for(outcome=case.outcome, penalty_kinds=kinds, fine=fine),
        "party_is_natural_person": case.party_kind != PartyKind.ORGANISATION,
    }
