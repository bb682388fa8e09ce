"""Rows for 公示 tests, made directly (the case procedure itself is tested in zhifa/cases).

    world = make_world()                       # agency + disclosure admin, head, officer, ...
    case = make_decided_case(world)            # a decided case with an issued decision (文号)
    version = decision_prepare(actor=world.admin, case=case)
    publish(world, case)                       # prepared and approved in one call

Documents made here get their ledger leaf, so `zhifa ledger verify` passes in these tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhifa.accounts.models import Role, User
from zhifa.cases.ledger import case_append
from zhifa.cases.models import Case, Outcome, PartyKind, Procedure, Remedy, RemedyKind, Status
from zhifa.catalog.models import Matter, MatterKind
from zhifa.documents.models import Document, DocumentStatus
from zhifa.org.models import Agency, EnforcementDomain, RegionLevel
from zhifa.testing.factories import (
    AgencyFactory,
    EnforcementDomainFactory,
    RegionFactory,
    make_matter,
    make_user,
)

_serial = itertools.count(1)

# A citizen party whose every identifier must be masked on every public surface.
CITIZEN = {
    "party_kind": PartyKind.CITIZEN,
    "party_name": "张三丰",
    "party_id_number": "11010519491231002X",
    "party_address": "北京市朝阳区某某街道幸福小区3号楼2单元501室",
    "party_phone": "13812345678",
    "party_representative": "",
}
ORGANISATION = {
    "party_kind": PartyKind.ORGANISATION,
    "party_name": "某某建筑劳务有限公司",
    "party_id_number": "91110105MA01ABCD2X",
    "party_address": "北京市朝阳区某某路8号",
    "party_phone": "010-87654321",
    "party_representative": "李四光",
}


@dataclass
class World:
    bureau: Agency  # 司法局 over the agency's region
    agency: Agency
    domain: EnforcementDomain
    matter: Matter  # 行政处罚, 公开时限 7 working days
    admin: User  # 公示管理员
    head: User  # 机关负责人
    officer: User  # 执法人员 (no business in the queue)
    supervisor: User  # 司法局监督人员 (reads, changes nothing)
    other_agency: Agency
    other_admin: User  # 公示管理员 of the other agency


def make_world() -> World:
    city = RegionFactory(level=RegionLevel.CITY)
    bureau = AgencyFactory(name="测试市司法局", is_justice_bureau=True, region=city)
    agency = AgencyFactory(
        name="测试市人力资源和社会保障局",
        region=RegionFactory(parent=city),
        document_abbr="测人社监",
    )
    domain = EnforcementDomainFactory(name="劳动保障监察")
    matter = make_matter(agency=agency, domain=domain, kind=MatterKind.PENALTY, disclosure_workdays=7)
    other_agency = AgencyFactory(name="外市市场监督管理局", document_abbr="外市监")
    return World(
        bureau=bureau,
        agency=agency,
        domain=domain,
        matter=matter,
        admin=make_user(Role.DISCLOSURE_ADMIN, agency=agency, full_name="公示管理员甲"),
        head=make_user(Role.HEAD, agency=agency, full_name="局长甲"),
        officer=make_user(Role.OFFICER, agency=agency, full_name="执法员甲"),
        supervisor=make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲"),
        other_agency=other_agency,
        other_admin=make_user(Role.DISCLOSURE_ADMIN, agency=other_agency, full_name="外单位管理员"),
    )


def make_decision_document(
    case: Case, *, kind: str = "penalty_decision", title: str = "行政处罚决定书"
) -> Document:
    """An issued 决定书 of the case (no PDF on disk), with its ledger leaf."""
    from zhifa.documents import ledger as document_ledger
    from zhifa.ledger.services import ledger_append

    serial = next(_serial)
    decided = case.decided_on or dt.date(2025, 9, 1)
    abbr = case.agency.document_abbr or "测"
    with transaction.atomic():
        document = Document.objects.create(
            agency=case.agency,
            kind=kind,
            number=f"{abbr}罚〔{decided.year}〕{serial}号",
            year=decided.year,
            sequence=serial,
            title=title,
            status=DocumentStatus.ISSUED,
            subject_ref=case.subject_ref,
            subject_label=case.number,
            pdf=f"documents/test/{serial}.pdf",
            sha256=hashlib.sha256(str(serial).encode()).hexdigest(),
            verification_code=f"T{serial:09d}",
            issued_at=dt.datetime.combine(decided, dt.time(10), tzinfo=dt.UTC),
        )
        ledger_append(
            kind=document_ledger.KIND,
            ref=document_ledger.document_ref(document.pk),
            payload=document_ledger.document_payload(document),
        )
    return document


def make_decided_case(
    world: World,
    *,
    agency: Agency | None = None,
    matter: Matter | None = None,
    no_matter: bool = False,
    party: dict[str, str] | None = None,
    decided_on: dt.date = dt.date(2025, 9, 26),
    outcome: str = Outcome.PENALTY,
    kinds: list[str] | None = None,
    fine: Decimal | int = Decimal(5000),
    status: str = Status.DECIDED,
    document: bool = True,
    **fields: Any,
) -> Case:
    """A decided case row (general procedure) with an issued decision, or without a matter
    (as an on-the-spot case has none) when `no_matter`."""
    agency = agency or world.agency
    if matter is None and not no_matter:
        matter = world.matter if agency == world.agency else make_matter(agency=agency, domain=world.domain)
    version = matter.versions.order_by("-version").first() if matter else None
    serial = next(_serial)
    penalty = outcome == Outcome.PENALTY
    values: dict[str, Any] = {
        **(party or CITIZEN),
        "agency": agency,
        "number": f"测案〔{decided_on.year}〕{serial}号",
        "procedure": Procedure.GENERAL if matter else Procedure.ON_THE_SPOT,
        "status": status,
        "cause": "未按时足额支付劳动报酬案",
        "matter": matter,
        "matter_version": version,
        "source": "complaint",
        "received_on": decided_on - dt.timedelta(days=40),
        "clue_summary": "职工投诉拖欠工资。",
        "informant_name": "王五",
        "informant_contact": "13900001111",
        "registered_by": world.officer,
        "filed_on": decided_on - dt.timedelta(days=35) if version else None,
        "report_facts": (
            "经查，当事人张三丰（身份证号11010519491231002X，电话13812345678）拖欠职工王五等3人"
            "2025年6月至8月工资共计人民币42000元，经责令限期支付逾期仍未支付。"
        ),
        "outcome": outcome,
        "decided_on": decided_on,
        "decided_by": world.head,
        "final_kinds": (kinds if kinds is not None else ["fine"]) if penalty else [],
        "final_fine": Decimal(fine) if penalty else Decimal(0),
        "final_penalty": f"罚款人民币{Decimal(fine):.0f}元" if penalty else "",
        "no_penalty_reason": "" if penalty else "违法行为轻微并及时改正，没有造成危害后果。",
        **fields,
    }
    with transaction.atomic():
        case = Case.objects.create(**values)
        # Made directly for speed; its ledger leaf is the one the steps would have left.
        case_append(case)
    if document:
        kind = "penalty_decision" if penalty else "no_penalty_decision"
        title = "行政处罚决定书" if penalty else "不予行政处罚决定书"
        make_decision_document(case, kind=kind, title=title)
    return case


def make_remedy(
    case: Case,
    *,
    result: str = "",
    concluded_on: dt.date | None = None,
    kind: str = RemedyKind.RECONSIDERATION,
    filed_on: dt.date | None = None,
    recorded_by: User | None = None,
) -> Remedy:
    if filed_on is None:
        filed_on = (case.decided_on or dt.date(2025, 9, 1)) + dt.timedelta(days=1)
        filed_on = min(filed_on, concluded_on) if concluded_on else filed_on
    return Remedy.objects.create(
        case=case,
        kind=kind,
        body="测试市人民政府",
        filed_on=filed_on,
        result=result,
        concluded_on=concluded_on,
        recorded_by=recorded_by or case.registered_by,
    )


def publish(world: World, case: Case, *, actor: User | None = None) -> Any:
    """Prepare and approve the decision of the case, as a committed request (its index and
    checkpoint tasks run); returns the Publication."""
    from zhifa.disclosure.services import decision_prepare

    if actor is None:
        actor = world.other_admin if case.agency_id == world.other_agency.pk else world.admin
    return approve(actor, decision_prepare(actor=actor, case=case))


def approve(actor: User, version: Any) -> Any:
    """Approve a version as a committed request would: its index and checkpoint tasks run."""
    from django.test import TestCase

    from zhifa.disclosure.services import publication_approve

    with TestCase.captureOnCommitCallbacks(execute=True):
        publication = publication_approve(actor=actor, version=version)
    publication.refresh_from_db()
    return publication
