"""How a case comes into being: 登记案源 (第五十四条) and the on-the-spot decision (简易程序,
《行政处罚法》第五十一、五十二、六十八条) with its pre-numbered forms. Every later change of a case
is a step (zhifa.cases.steps), taken through the runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhifa.cases import deadlines, policies, review_gate
from zhifa.cases.checks import party_clean, penalty_terms_clean, require_text
from zhifa.cases.documents import basis_text, content_for, remedies
from zhifa.cases.models import (
    Case,
    CaseHandler,
    ClueSource,
    Payment,
    Procedure,
    Record,
    RecordKind,
    Service,
    ServiceMethod,
    Status,
)
from zhifa.cases.payment_code import payment_code
from zhifa.cases.penalties import PenaltyKind, on_the_spot_allowed
from zhifa.cases.timeline import event
from zhifa.catalog.models import Matter
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.numbering import next_number
from zhifa.documents.ledger import content_sha256 as document_content_sha256
from zhifa.documents.services import HOLDER_PREFIX, document_issue, document_reserve, document_void
from zhifa.org.models import Agency, Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document

FORM_KIND = "on_the_spot_decision"
MAX_FORMS = 50
# 第六十八条第（一）项: 依法给予一百元以下罚款的 may be collected on the spot.
ON_THE_SPOT_COLLECTION_LIMIT = Decimal(100)
NO_STATEMENT = "当事人未提出陈述、申辩。"


def case_number_next(agency: Agency, year: int) -> str:
    abbr = agency.document_abbr or agency.short_name or agency.name
    return f"{abbr}案〔{year}〕{next_number(f'case:{agency.pk}', year)}号"


@transaction.atomic
def case_register_clue(
    *,
    actor: User,
    agency: Agency,
    source: str,
    received_on: dt.date,
    cause: str,
    clue_summary: str,
    matter: Matter | None = None,
    informant_name: str = "",
    informant_contact: str = "",
    party_kind: str = "",
    party_name: str = "",
    party_id_number: str = "",
    party_address: str = "",
    party_phone: str = "",
    party_representative: str = "",
) -> Case:
    """登记案源. The filing decision is due 15 working days later (第五十四条)."""
    if not policies.can_register_clue(actor, agency):
        raise NotPermitted(f"只有“{agency.name}”的执法人员或负责人可以登记该机关的案源。")
    if source not in ClueSource.values:
        raise InvalidInput("请选择案源类别。")
    if received_on > today():
        raise InvalidInput("案源登记日期不能晚于今天。")
    if matter is not None and matter.agency_id != agency.pk:
        raise InvalidInput("所选执法事项不属于本机关的权责清单。")
    if party_name or party_kind:
        party_kind, party_name, party_id_number = party_clean(
            kind=party_kind, name=party_name, id_number=party_id_number
        )
    case = Case.objects.create(
        agency=agency,
        number=case_number_next(agency, received_on.year),
        procedure=Procedure.GENERAL,
        status=Status.CLUE,
        source=source,
        received_on=received_on,
        cause=require_text(cause, "案由"),
        clue_summary=require_text(clue_summary, "案源内容"),
        matter=matter,
        informant_name=informant_name.strip(),
        informant_contact=informant_contact.strip(),
        registered_by=actor,
        party_kind=party_kind,
        party_name=party_name,
        party_id_number=party_id_number,
        party_address=party_address.strip(),
        party_phone=party_phone.strip(),
        party_representative=party_representative.strip(),
    )
    due = deadlines.filing_decision_due(received_on, extended=False).due
    event(
        case,
        actor,
        "register_clue",
        f"登记案源（{case.get_source_display()}），应于 {due:%Y-%m-%d} 前决定是否立案",
        source=source,
        received_on=received_on,
    )
    _settle(case)
    return case


@transaction.atomic
def case_clue_carry_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    officers: Sequence[Officer],
    subject_name: str,
    content: dict[str, object],
    source: str,
) -> Record:
    """A record taken before the case existed (the 现场检查笔录 of an inspection that found a
    violation) joins the clue as it was taken, with an event naming where it comes from. Only the
    officer who registered the clue, while it is still a clue."""
    if case.status != Status.CLUE or case.registered_by_id != getattr(actor, "pk", None):
        raise NotPermitted("只有登记该案源的执法人员可以在案源阶段移入检查笔录。")
    if kind not in RecordKind.values:
        raise InvalidInput("笔录种类不正确。")
    if ended_at < started_at:
        raise InvalidInput("笔录结束时间不能早于开始时间。")
    record = Record.objects.create(
        case=case,
        kind=kind,
        started_at=started_at,
        ended_at=ended_at,
        place=require_text(place, "地点"),
        subject_name=subject_name.strip()[:100],
        content=content,
        created_by=actor,
    )
    record.officers.set(officers)
    event(
        case,
        actor,
        "carry_record",
        f"移入{record.get_kind_display()}（{source}）",
        record=record.pk,
        source=source,
    )
    return record


def _settle(case: Case) -> None:
    from zhifa.cases.ledger import case_append

    case_append(case)


# ── 简易程序 ──────────────────────────────────────────────────────────────────────────


def form_holder_ref(officer: Officer) -> str:
    return f"{HOLDER_PREFIX}officer:{officer.pk}"


def field_officer(actor: User) -> Officer:
    officer = policies.officer_of(actor)
    if officer is None or not policies.can_register_clue(actor, officer.agency):
        raise NotPermitted("只有在岗的执法人员可以作出当场处罚决定、领用预编号决定书。")
    return officer


@transaction.atomic
def on_the_spot_forms_reserve(*, actor: User, count: int) -> list[Document]:
    """领用预编号的当场处罚决定书: the numbers are taken now, in order, and never reused."""
    officer = field_officer(actor)
    if not 1 <= count <= MAX_FORMS:
        raise InvalidInput(f"每次可领用 1 至 {MAX_FORMS} 份预编号决定书。")
    return [
        document_reserve(
            actor=actor,
            agency=officer.agency,
            kind=FORM_KIND,
            subject_ref=form_holder_ref(officer),
            subject_label=officer.name,
        )
        for _ in range(count)
    ]


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
    officer = field_officer(actor)
    if form.subject_ref != form_holder_ref(officer) or form.status != "reserved":
        raise NotPermitted("只能作废本人领用且尚未使用的预编号决定书。")
    return document_void(actor=actor, document=form, reason=require_text(reason, "作废理由"))


def _statement(rights_told: bool, party_statement: str, no_statement: bool) -> str:
    """第四十四、四十五、六十二条 on the spot: told first, then heard (or recorded as silent)."""
    if not rights_told:
        raise DomainError(
            "作出当场处罚决定前，应当告知当事人拟作出行政处罚的事实、理由和依据，以及当事人依法享有的陈述、申辩权利"
            "（《行政处罚法》第四十四条）；未告知的，不得作出行政处罚决定（《行政处罚法》第六十二条）。"
        )
    said = party_statement.strip()
    if said and no_statement:
        raise InvalidInput("已记录当事人的陈述、申辩，就不能同时勾选“当事人未提出陈述、申辩”。")
    if not said and not no_statement:
        raise DomainError(
            "请记录当事人的陈述、申辩，或者注明当事人未提出陈述、申辩"
            "（《行政处罚法》第四十五条第一款、第六十二条：当事人有权进行陈述和申辩，行政机关必须充分听取）。"
        )
    return said or NO_STATEMENT


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
    rights_told: bool,
    party_statement: str = "",
    no_statement: bool = False,
    paid_on_spot: bool = False,
    receipt_number: str = "",
    collection_reason: str = "",
) -> Case:
    """当场行政处罚决定 by two officers, handed to the party on the spot (第五十一、五十二条)."""
    officer = field_officer(actor)
    agency = officer.agency
    if matter.agency_id != agency.pk:
        raise InvalidInput("所选执法事项不属于本机关的权责清单。")
    if co_officer.pk == officer.pk:
        raise InvalidInput("请选择另一名执法人员（《行政处罚法》第四十二条：执法人员不得少于两人）。")
    if co_officer.agency_id != agency.pk or not co_officer.is_active:
        raise InvalidInput(f"{co_officer.name}不是本机关在岗的执法人员（《行政处罚法》第四十二条）。")
    if not recusal_confirmed:
        raise DomainError("请确认两名执法人员均与当事人没有直接利害关系（《行政处罚法》第四十三条）。")
    statement = _statement(rights_told, party_statement, no_statement)
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
        on_the_spot_statement=statement,
    )
    now = timezone.now()
    recusal = "执法人员与当事人没有直接利害关系，当事人未申请回避。"
    for position, person in enumerate((officer, co_officer)):
        CaseHandler.objects.create(
            case=case,
            officer=person,
            is_lead=position == 0,
            recusal_declared_at=now,
            recusal_statement=recusal,
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
                # 罚缴分离 (第六十七条): a fine not collected on the spot is paid at the bank by its code.
                "payment_code": payment_code(case) if final_fine and not paid_on_spot else "",
                "collecting_bank": case.agency.collecting_bank if final_fine and not paid_on_spot else "",
                "rights_told": True,
                "party_statement": statement,
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
        reason=f"已告知当事人拟作出处罚的事实、理由、依据和陈述申辩权利；{statement}",
        number=document.number,
        content_sha256=document_content_sha256(document),
        rights_told=True,
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
    _settle(case)
    return case
