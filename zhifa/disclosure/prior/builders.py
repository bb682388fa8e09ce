"""The content of each 事前公开 list of an agency, built from the org and catalog apps as they stand
on a day (《行政处罚法》第三十四条、第三十九条; 《政府信息公开条例》第二十条).

A list is a JSON-serialisable dict: the agency's facts as label → text, the other lists as
{"items": [row, ...]}. Free text an agency typed about its cases or matters passes through the
one redaction engine; officers' names are public on the officer list (执法人员清单) and the
agency's published contact and remedy channels are its own public facts, so neither is masked.
No date of building goes into the content: the content hash then changes only when a list does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhifa.cases.models import Procedure
from zhifa.catalog.benchmarks import factor_groups, in_force_filter, public_benchmarks, tier_rows
from zhifa.catalog.models import LegalBasis, Matter, MatterKind, MatterVersion
from zhifa.catalog.models_public import InspectionItem, ServiceGuide
from zhifa.catalog.selectors import version_in_force
from zhifa.core import jurisdiction
from zhifa.disclosure.flowchart import PROCEDURES, flowchart_path
from zhifa.disclosure.models import Kind
from zhifa.disclosure.projection import redact_fields
from zhifa.org.certificates import certificate_state
from zhifa.org.models import Agency, Certificate

EXCERPT = 160


@dataclass
class Built:
    """A list's redacted content and the masked spans, keyed "<row>.<field>" for the reviewer."""

    content: dict[str, Any]
    marks: dict[str, list] = field(default_factory=dict)


def _redacted(fields: dict[str, str], marks: dict[str, list], prefix: str) -> dict[str, str]:
    present = {k: v for k, v in fields.items() if v}
    if not present:
        return dict(fields)
    out, spans = redact_fields(present, names=())
    for key, value in spans.items():
        if value:
            marks[f"{prefix}{key}"] = value
    return {**fields, **out}


# ── 执法主体信息 ──────────────────────────────────────────────────────────────────────────

AGENCY_LABELS = {
    "name": "执法主体名称",
    "kind": "主体类别",
    "region": "所在区划",
    "entrusted_by": "委托机关",
    "duties": "执法职责",
    "address": "办公地址",
    "phone": "联系电话",
    "supervision_channel": "监督渠道",
    "complaint_channel": "投诉举报渠道",
    "remedies": "救济渠道",
    "reconsideration_body": "行政复议机关",
    "litigation_court": "行政诉讼管辖法院",
}


def build_agency(agency: Agency, on: dt.date) -> Built:
    marks: dict[str, list] = {}
    duties = _redacted({"duties": agency.duties}, marks, "")
    raw = {
        "name": agency.name,
        "kind": agency.get_kind_display(),
        "region": agency.region.name,
        "entrusted_by": agency.entrusted_by.name if agency.entrusted_by else "",
        "duties": duties["duties"],
        "address": agency.address,
        "phone": agency.phone,
        "supervision_channel": agency.supervision_channel,
        "complaint_channel": agency.complaint_channel,
        "remedies": agency.remedies,
        "reconsideration_body": agency.reconsideration_body,
        "litigation_court": agency.litigation_court,
    }
    return Built({k: v for k, v in raw.items() if v}, marks)


# ── 执法人员清单 ──────────────────────────────────────────────────────────────────────────

OFFICER_COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "domains": "执法类别",
    "area": "执法区域",
    "number": "证件编号",
    "valid_until": "有效期至",
}


def entitled_certificates(agency: Agency, on: dt.date) -> list[Certificate]:
    """Certificates of the agency's serving officers that allow enforcement on the day."""
    days = int(jurisdiction.value("certificate_warning_days"))
    rows = (
        Certificate.objects.filter(officer__agency=agency, officer__is_active=True)
        .select_related("officer", "area")
        .prefetch_related("domains", "annual_reviews")
        .order_by("officer__name", "number")
    )
    return [c for c in rows if certificate_state(c, on=on, warning_days=days).can_act]


def build_officers(agency: Agency, on: dt.date) -> Built:
    items = [
        {
            "name": c.officer.name,
            "gender": c.officer.get_gender_display(),
            "domains": "、".join(d.name for d in c.domains.all()),
            "area": c.area.name,
            "number": c.number,
            "valid_until": c.valid_until.isoformat(),
        }
        for c in entitled_certificates(agency, on)
    ]
    return Built({"items": items})


# ── 执法事项清单 ──────────────────────────────────────────────────────────────────────────

MATTER_COLUMNS = {
    "code": "事项编码",
    "name": "事项名称",
    "kind": "事项类别",
    "domain": "执法类别",
    "version": "版本",
    "effective_from": "施行日期",
    "description": "事项说明",
    "bases": "法律依据",
    "flowcharts": "办理流程图",
}


def matters_in_force(agency: Agency, on: dt.date) -> list[tuple[Matter, MatterVersion]]:
    versions = MatterVersion.objects.select_related("domain").prefetch_related(
        Prefetch("bases", queryset=LegalBasis.objects.select_related("article__law")), "guide"
    )
    matters = (
        Matter.objects.filter(agency=agency)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("code")
    )
    result = []
    for matter in matters:
        version = version_in_force(list(matter.versions.all()), on)
        if version is not None and (matter.repealed_on is None or on < matter.repealed_on):
            result.append((matter, version))
    return result


def _basis_row(basis: LegalBasis) -> dict[str, str]:
    text = basis.article.text if basis.article else ""
    return {
        "role": basis.get_role_display(),
        "citation": f"《{basis.law_title}》{basis.article_label}",
        "excerpt": text if len(text) <= EXCERPT else text[:EXCERPT] + "……",
        "law_version": basis.article.law.version_date.isoformat() if basis.article else "",
    }


def build_matters(agency: Agency, on: dt.date) -> Built:
    marks: dict[str, list] = {}
    items: list[dict[str, Any]] = []
    for i, (matter, version) in enumerate(matters_in_force(agency, on)):
        text = _redacted({"description": version.description}, marks, f"{i}.")
        items.append(
            {
                "code": matter.code,
                "name": version.name,
                "kind": version.get_kind_display(),
                "domain": version.domain.name,
                "version": version.version,
                "effective_from": version.effective_from.isoformat(),
                "description": text["description"],
                "bases": [_basis_row(b) for b in version.bases.all()],
                # The case procedure is the penalty procedure (一般程序, and 简易程序 on the spot).
                "flowcharts": (
                    [
                        {"procedure": str(p), "title": Procedure(p).label, "path": flowchart_path(p)}
                        for p in PROCEDURES
                    ]
                    if version.kind == MatterKind.PENALTY
                    else []
                ),
            }
        )
    return Built({"items": items}, marks)


# ── 随机抽查事项清单 ──────────────────────────────────────────────────────────────────────

INSPECTION_COLUMNS = {
    "code": "事项编码",
    "name": "抽查事项",
    "subject_type": "抽查对象",
    "basis": "抽查依据",
    "content": "抽查内容",
    "method": "抽查方式",
    "ratio": "抽查比例和频次",
    "version": "版本",
    "effective_from": "施行日期",
}


def inspections_in_force(agency: Agency, on: dt.date) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(in_force_filter(on), agency=agency).order_by("code")


def build_inspections(agency: Agency, on: dt.date) -> Built:
    marks: dict[str, list] = {}
    items: list[dict[str, Any]] = []
    for i, item in enumerate(inspections_in_force(agency, on)):
        text = _redacted({"content": item.content, "subject_type": item.subject_type}, marks, f"{i}.")
        items.append(
            {
                "code": item.code,
                "name": item.name,
                "subject_type": text["subject_type"],
                "basis": item.basis,
                "content": text["content"],
                "method": item.method,
                "ratio": item.ratio,
                "version": item.version,
                "effective_from": item.effective_from.isoformat(),
            }
        )
    return Built({"items": items}, marks)


# ── 行政裁量基准 ──────────────────────────────────────────────────────────────────────────

BENCHMARK_COLUMNS = {
    "matter_code": "事项编码",
    "matter_name": "事项名称",
    "title": "基准名称",
    "document_ref": "制定文件及文号",
    "version": "版本",
    "effective_from": "施行日期",
    "tiers": "裁量档次",
    "factors": "裁量情节",
}


def build_benchmarks(agency: Agency, on: dt.date) -> Built:
    items: list[dict[str, Any]] = []
    for entry in public_benchmarks(on=on, agency_id=agency.pk):
        b = entry.benchmark
        items.append(
            {
                "matter_code": entry.matter_code,
                "matter_name": entry.matter_name,
                "title": b.title,
                "document_ref": b.document_ref,
                "version": b.version,
                "effective_from": b.effective_from.isoformat(),
                "tiers": [
                    {
                        "circumstance": row.tier.get_circumstance_display(),
                        "conditions": row.tier.conditions,
                        "kinds": row.kinds,
                        "fine": row.fine,
                        "clause": row.tier.clause,
                    }
                    for row in tier_rows(b)
                ],
                "factors": [
                    {"list": g.label, "entries": [f"{f.label}（{f.basis}）" for f in g.factors]}
                    for g in factor_groups(entry.factors)
                    if g.factors
                ],
            }
        )
    return Built({"items": items})


# ── 服务指南 ──────────────────────────────────────────────────────────────────────────────

GUIDE_COLUMNS = {
    "code": "事项编码",
    "name": "事项名称",
    "process": "申请和办理流程",
    "materials": "申请材料",
    "time_limit": "办理时限",
    "fees": "收费标准",
    "contacts": "咨询和监督电话、办理地点",
}


def build_guides(agency: Agency, on: dt.date) -> Built:
    marks: dict[str, list] = {}
    items: list[dict[str, Any]] = []
    for matter, version in matters_in_force(agency, on):
        guide: ServiceGuide | None = getattr(version, "guide", None)
        if guide is None:
            continue
        i = len(items)
        text = _redacted({"process": guide.process, "materials": guide.materials}, marks, f"{i}.")
        items.append(
            {
                "code": matter.code,
                "name": version.name,
                "process": text["process"],
                "materials": text["materials"],
                "time_limit": guide.time_limit,
                "fees": guide.fees,
                "contacts": guide.contacts,
            }
        )
    return Built({"items": items}, marks)


BUILDERS: dict[str, Callable[[Agency, dt.date], Built]] = {
    Kind.AGENCY: build_agency,
    Kind.OFFICERS: build_officers,
    Kind.MATTERS: build_matters,
    Kind.INSPECTIONS: build_inspections,
    Kind.BENCHMARKS: build_benchmarks,
    Kind.GUIDES: build_guides,
}

COLUMNS: dict[str, dict[str, str]] = {
    Kind.AGENCY: AGENCY_LABELS,
    Kind.OFFICERS: OFFICER_COLUMNS,
    Kind.MATTERS: MATTER_COLUMNS,
    Kind.INSPECTIONS: INSPECTION_COLUMNS,
    Kind.BENCHMARKS: BENCHMARK_COLUMNS,
    Kind.GUIDES: GUIDE_COLUMNS,
}


def build(agency: Agency, kind: str, on: dt.date) -> Built:
    return BUILDERS[kind](agency, on)
