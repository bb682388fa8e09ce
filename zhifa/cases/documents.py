"""The content a case document is rendered from: the case block every kind shares, plus the step's own keys.

The shape is the contract of zhifa.documents (see zhifa/documents/kinds.py). Everything is
turned into plain strings, lists and dicts here, so the stored content is JSON and the
templates never reach into the case model.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from zhifa.cases.models import Case, PartyKind, Record
from zhifa.org.models import CertificateStatus, Officer

# The decisions of the general procedure: the 第五十八条 review gate stands before their issue.
GENERAL_DECISION_KINDS = frozenset({"penalty_decision", "no_penalty_decision"})
# The decisions that impose a penalty (a payment, a reminder and enforcement refer to them).
PENALTY_DECISION_KINDS = frozenset({"penalty_decision", "on_the_spot_decision"})
# Every decision a case can end in (its service starts execution; 公示 publishes it).
DECISION_KINDS = GENERAL_DECISION_KINDS | PENALTY_DECISION_KINDS
# Issued documents that reach the party and so are served; the rest stay in the file.
SERVED_KINDS = DECISION_KINDS | {
    "rectification_order",
    "preservation_notice",
    "seizure_decision",
    "prior_notice",
    "hearing_rights_notice",
    "hearing_notice",
    "credit_repair_notice",
    "monitoring_notice",
    "payment_approval",
    "reminder",
}


def certificate_number(officer: Officer) -> str:
    certificate = (
        officer.certificates.filter(status=CertificateStatus.ACTIVE).order_by("-valid_until").first()
    )
    return certificate.number if certificate else ""


def officer_line(officer: Officer) -> str:
    number = certificate_number(officer)
    return f"{officer.name}（执法证号 {number}）" if number else officer.name


def case_block(case: Case) -> dict[str, Any]:
    version = case.matter_version
    bases = []
    if version is not None:
        for basis in version.bases.select_related("article").order_by("pk"):
            bases.append(
                {
                    "role_label": basis.get_role_display(),
                    "law_title": basis.law_title,
                    "article_label": basis.article_label,
                    "text": basis.article.text if basis.article else "",
                }
            )
    handlers = case.handlers.filter(active=True).select_related("officer")
    return {
        "number": case.number,
        "cause": case.cause,
        "procedure_label": case.get_procedure_display(),
        "matter": {"code": case.matter.code if case.matter else "", "name": version.name if version else ""},
        "party": {
            "kind": case.party_kind,
            "kind_label": case.get_party_kind_display() if case.party_kind else "",
            "name": case.party_name,
            "id_label": "统一社会信用代码" if case.party_kind == PartyKind.ORGANISATION else "身份证号码",
            "id_number": case.party_id_number,
            "address": case.party_address,
            "phone": case.party_phone,
            "representative": case.party_representative,
        },
        "handlers": [
            {"name": h.officer.name, "certificate_number": certificate_number(h.officer)} for h in handlers
        ],
        "filed_on": _text(case.filed_on),
        "source_label": case.get_source_display(),
        "received_on": _text(case.received_on),
        "bases": bases,
    }


def remedies(case: Case) -> dict[str, str]:
    """Where the party may apply for reconsideration or sue (第五十九条第一款第（五）项)."""
    return {"reconsideration_body": case.agency.reconsideration_body, "court": case.agency.litigation_court}


def basis_text(case: Case) -> str:
    """ "依据《…》第…条" in one sentence, from the frozen matter version."""
    version = case.matter_version
    if version is None:
        return ""
    parts = [f"《{b.law_title}》{b.article_label}" for b in version.bases.order_by("pk")]
    return "、".join(dict.fromkeys(parts))


def record_block(record: Record) -> dict[str, Any]:
    """A text record as the header fields, questions and answers, and paragraphs of its document."""
    officers = "；".join(officer_line(o) for o in record.officers.all())
    fields = [
        [
            "时间",
            f"{record.started_at.astimezone():%Y年%m月%d日 %H:%M} 至 {record.ended_at.astimezone():%H:%M}",
        ],
        ["地点", record.place],
        ["执法人员", officers],
    ]
    if record.subject_name:
        fields.append([_SUBJECT_LABEL.get(record.kind, "当事人"), record.subject_name])
    fields += [[str(k), str(v)] for k, v in record.content.get("fields", [])]
    return {
        "fields": fields,
        "qa": record.content.get("qa", []),
        "paragraphs": record.content.get("paragraphs", []),
        "signatures": _SIGNATURES.get(record.kind, ["当事人", "执法人员"]),
    }


_SUBJECT_LABEL = {
    "inquiry": "被询问人",
    "inspection": "在场人",
    "statement": "陈述申辩人",
    "hearing": "当事人",
}
_SIGNATURES = {
    "inquiry": ["被询问人", "询问人", "记录人"],
    "inspection": ["当事人或在场人", "检查人", "记录人"],
    "statement": ["陈述申辩人", "执法人员"],
    "hearing": ["当事人", "听证主持人", "听证员", "记录员"],
}


def content_for(case: Case, extra: dict[str, Any]) -> dict[str, Any]:
    return {"case": case_block(case), **{k: _plain(v) for k, v in extra.items()}}


def _text(value: dt.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return f"{value.astimezone():%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return value
