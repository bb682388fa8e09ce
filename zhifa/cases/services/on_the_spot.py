"""简易程序 (《行政处罚法》第五十一、五十二、六十八条): pre-numbered forms, the decision on the spot,
payment on the spot, and filing with the agency afterwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhifa.cases import deadlines, policies, recording_gate, review_gate, workflow
from zhifa.cases.documents import basis_text, content_for
from zhifa.cases.models import Case, CaseHandler, Payment, Procedure, Service, ServiceMethod, Status
from zhifa.cases.penalties import PenaltyKind, on_the_spot_allowed
from zhifa.cases.services._common import event, require_text
from zhifa.cases.services.decision import remedies
from zhifa.cases.services.filing import case_number_next, party_clean
from zhifa.cases.services.investigation import penalty_terms_clean
from zhifa.catalog.models import Matter
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.documents.services import HOLDER_PREFIX, document_issue, document_reserve, document_void
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document

FORM_KIND = "on_the_spot_decision"
MAX_FORMS = 50
# 第六十八条第（一）项: 依法给予一百元以下罚款的 may be collected on the spot.
ON_THE_SPOT_COLLECTION_LIMIT = Decimal(100)


def form_holder_ref(officer: Officer) -> str:
    return f"{HOLDER_PREFIX}officer:{officer.pk}"


def _officer(actor: User) -> Officer:
    officer = policies.officer_of(actor)
    if officer is None or not policies.can_register_clue(actor, officer.agency):
        raise NotPermitted("只有在岗的执法人员可以领用和填写当场行政处罚决定书。")
    return officer


@transaction.atomic
def on_the_spot_forms_reserve(*, actor: User, count: int) -> list[Document]:
    """领用预编号的当场处罚决定书: the numbers are taken now, in order, and never reused."""
    officer = _officer(actor)
    if not 1 <= count <= MAX_FORMS:
        raise InvalidInput(f"每次可领用 1 至 {MAX_FORMS} 份预编号决定书。")
    forms = [
        document_reserve(
            actor=actor,
            agency=officer.agency,
            kind=FORM_KIND,
            subject_ref=form_holder_ref(officer),
            subject_label=officer.name,
        )
        for _ in range(count)
    ]
    return forms


def forms_held_by(officer: Officer) -> list[Document]:
    from zhifa.documents.models import Document

    return list(
        Document.objects.filter(
            agency=officer.agency, kind=FORM_KIND, status="reserved", subject_ref=form_holder_ref(officer)
        ).order_by("year", "sequence")
    )


@transaction.atomic
def on_the_spot_form_void(*, actor: User, form: Document, reason: str) -> Document:
    """A spoiled form is voided with its reason; its number stays accounted for."""
    officer = _officer(actor)
    if form.subject_ref != form_holder_ref(officer) or form.status != "reserved":
        raise NotPermitted("只能作废本人领用且尚未使用的预编号决定书。")
    return document_void(actor=actor, document=form, reason=require_text(reason, "作废理由"))


@transaction.atomic
def case_decide_on_the_spot(
    *,
    actor: User,
    form: Document | None,
    co_officer: Officer,
    matter: Matter,
    party_kind: str,
    party_name: str,
    party_id_number: str,
    party_address: str = "",
    party_phone: str = "",
    cause: str,
    facts: str,
    kinds: Sequence[str],
    fine: Decimal,
    place: str,
    decided_at: dt.datetime,
    recusal_confirmed: bool,
    paid_on_spot: bool = False,
    receipt_number: str = "",
    collection_reason: str = "",
) -> Case:
    """当场行政处罚决定 by two officers, handed to the party on the spot (第五十一、五十二条)."""
    officer = _officer(actor)
    agency = officer.agency
    if matter.agency_id != agency.pk:
        raise InvalidInput("所选执法事项不属于本机关的权责清单。")
    if co_officer.pk == officer.pk:
        raise InvalidInput("请选择另一名执法人员（《行政处罚法》第四十二条：执法人员不得少于两人）。")
    if not recusal_confirmed:
        raise DomainError("请确认两名执法人员均与当事人没有直接利害关系（《行政处罚法》第四十三条）。")
    party_kind, party_name, party_id_number = party_clean(
        kind=party_kind, name=party_name, id_number=party_id_number
    )
    final_kinds, final_fine, _ = penalty_terms_clean(kinds, fine, Decimal(0))
    allowed, message = on_the_spot_allowed(
        kinds=frozenset(final_kinds), fine=final_fine, party_is_organisation=party_kind == "organisation"
    )
    if not allowed:
        raise DomainError(message)
    if decided_at > timezone.now():
        raise InvalidInput("决定时间不能晚于现在。")
    day = decided_at.astimezone().date()
    version = handler_ensure_eligible(officer=officer, matter=matter, on=day)
    review_gate.ensure_on_the_spot_allowed(version)
    handler_ensure_eligible(officer=co_officer, matter=matter, on=day)
    if paid_on_spot:
        if final_fine <= 0:
            raise InvalidInput("没有罚款，无需当场收缴。")
        if final_fine > ON_THE_SPOT_COLLECTION_LIMIT and not collection_reason.strip():
            raise DomainError(
                "一百元以上的罚款，只有不当场收缴事后难以执行的，才可以当场收缴，请说明理由（《行政处罚法》第六十八条）。"
            )
        require_text(receipt_number, "省级财政部门统一制发的专用票据号码", "《行政处罚法》第七十条")
    if form is not None and (form.subject_ref != form_holder_ref(officer) or form.status != "reserved"):
        raise NotPermitted("请使用本人领用且尚未使用的预编号决定书。")
    if form is None:
        form = document_reserve(
            actor=actor,
            agency=agency,
            kind=FORM_KIND,
            subject_ref=form_holder_ref(officer),
            subject_label=officer.name,
        )
    case = Case.objects.create(
        agency=agency,
        number=case_number_next(agency, day.year),
        procedure=Procedure.ON_THE_SPOT,
        status=Status.CLOSING if paid_on_spot or final_fine == 0 else Status.EXECUTION,
        cause=require_text(cause, "案由"),
        matter=matter,
        matter_version=version,
        source="inspection",
        received_on=day,
        clue_summary=require_text(facts, "违法事实"),
        registered_by=actor,
        party_kind=party_kind,
        party_name=party_name,
        party_id_number=party_id_number,
        party_address=party_address.strip(),
        party_phone=party_phone.strip(),
        report_facts=facts.strip(),
        outcome="penalty",
        final_kinds=final_kinds,
        final_fine=final_fine,
        final_penalty="，".join(
            f"罚款人民币 {final_fine} 元" if k == PenaltyKind.FINE else PenaltyKind(k).label
            for k in final_kinds
        ),
        decided_on=day,
        decided_by=actor,
        decision_served_on=day,
        on_the_spot_place=require_text(place, "地点"),
    )
    now = timezone.now()
    statement = "执法人员与当事人没有直接利害关系，当事人未申请回避。"
    for position, person in enumerate((officer, co_officer)):
        CaseHandler.objects.create(
            case=case,
            officer=person,
            is_lead=position == 0,
            recusal_declared_at=now,
            recusal_statement=statement,
        )
    document = document_issue(
        actor=actor,
        agency=agency,
        kind=FORM_KIND,
        content=content_for(
            case,
            {
                "facts": case.report_facts,
                "basis_text": basis_text(case),
                "penalty": case.final_penalty,
                "fine_amount": f"{final_fine:.2f}" if final_fine else "",
                "place": case.on_the_spot_place,
                "decided_at": f"{decided_at.astimezone():%Y-%m-%d %H:%M}",
                "paid_on_spot": paid_on_spot,
                **remedies(case),
            },
        ),
        subject_ref=case.subject_ref,
        subject_label=case.number,
        reserved=form,
    )
    event(
        case,
        actor,
        "decide_on_the_spot",
        f"当场作出行政处罚决定 {document.number}：{case.final_penalty}",
        number=document.number,
        sha256=document.sha256,
    )
    service = Service.objects.create(
        case=case,
        method=ServiceMethod.DIRECT,
        served_on=day,
        place=case.on_the_spot_place,
        recipient=party_name,
        note="当场交付当事人（《行政处罚法》第五十二条）",
        served_by=actor,
    )
    service.documents.set([document])
    event(case, actor, "serve", "当场交付行政处罚决定书", documents=[document.number], served_on=day)
    if paid_on_spot:
        Payment.objects.create(
            case=case,
            paid_on=day,
            amount=final_fine,
            receipt_number=receipt_number.strip(),
            recorded_by=actor,
        )
        case.fine_paid_on = day
        case.closing_summary = f"罚款 {final_fine} 元已当场收缴，票据号 {receipt_number.strip()}。"
        case.save()
        event(
            case, actor, "record_payment", f"当场收缴罚款 {final_fine} 元", reason=collection_reason.strip()
        )
    return case


@transaction.atomic
def case_file_on_the_spot(*, actor: User, case: Case) -> Case:
    """备案: the head receives the on-the-spot decision (第五十二条第二款)."""
    workflow.ensure("file_on_the_spot", case, actor)
    # The on-the-spot penalty is 现场执法; its recording is filed with the decision.
    recording_gate.ensure_recorded(case, recording_gate.Stage.ON_SITE)
    today_ = timezone.localdate()
    case.on_the_spot_filed_on = today_
    case.save()
    assert case.decided_on is not None
    due = deadlines.on_the_spot_filing_due(case.decided_on).due
    late = due is not None and today_ > due
    event(
        case,
        actor,
        "file_on_the_spot",
        "当场处罚决定已备案" + (f"（应于 {due:%Y-%m-%d} 前备案，已逾期）" if late else ""),
    )
    return case
