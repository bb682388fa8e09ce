"""案源 → 立案: registering a clue, the filing decision, handlers and recusal, transfer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from zhifa.cases import deadlines, policies, workflow
from zhifa.cases.models import Case, CaseHandler, ClueSource, PartyKind, Procedure, Status, TransferKind
from zhifa.cases.services._common import MIN_HANDLERS, ensure_team, event, issue, require_text
from zhifa.catalog.models import Matter
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.numbering import next_number
from zhifa.org.models import Agency, Officer
from zhifa.org.services import validate_uscc

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def case_number_next(agency: Agency, year: int) -> str:
    abbr = agency.document_abbr or agency.short_name or agency.name
    return f"{abbr}案〔{year}〕{next_number(f'case:{agency.pk}', year)}号"


def party_clean(*, kind: str, name: str, id_number: str) -> tuple[str, str, str]:
    """The party's kind, name and checked ID: 居民身份证 (GB 11643) or 统一社会信用代码 (GB 32100)."""
    if kind not in PartyKind.values:
        raise InvalidInput("请选择当事人类别：公民，或者法人或者其他组织。")
    name = require_text(name, "当事人姓名或名称")
    id_number = id_number.strip().upper()
    if id_number:
        if kind == PartyKind.CITIZEN:
            # Length, digits, check digit and birth date; not stdnum's table of region codes, which
            # lags behind renamed and merged counties (and knows no test or demo region).
            try:
                if (
                    len(id_number) != 18
                    or not id_number[:-1].isdigit()
                    or ric.calc_check_digit(id_number) != id_number[-1]
                ):
                    raise StdnumError()
                ric.get_birth_date(id_number)
            except StdnumError:
                raise InvalidInput(
                    f"居民身份证号码“{id_number}”无效：应为 18 位，且末位校验码须符合 GB 11643-1999。"
                ) from None
        else:
            id_number = validate_uscc(id_number)
    return kind, name, id_number


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
    return case


def _set_party(case: Case, **fields: str) -> list[str]:
    kind, name, id_number = party_clean(
        kind=fields["party_kind"], name=fields["party_name"], id_number=fields["party_id_number"]
    )
    values = {**fields, "party_kind": kind, "party_name": name, "party_id_number": id_number}
    changed = [k for k, v in values.items() if getattr(case, k) != v.strip()]
    for key, value in values.items():
        setattr(case, key, value.strip())
    return changed


@transaction.atomic
def case_update_party(
    *,
    actor: User,
    case: Case,
    party_kind: str,
    party_name: str,
    party_id_number: str = "",
    party_address: str = "",
    party_phone: str = "",
    party_representative: str = "",
    electronic_service_consent: str = "",
    reason: str = "",
) -> Case:
    code = "update_clue" if case.status == Status.CLUE else "update_party"
    workflow.ensure(code, case, actor)
    changed = _set_party(
        case,
        party_kind=party_kind,
        party_name=party_name,
        party_id_number=party_id_number,
        party_address=party_address,
        party_phone=party_phone,
        party_representative=party_representative,
        electronic_service_consent=electronic_service_consent,
    )
    if not changed:
        return case
    case.save()
    event(case, actor, "update_party", "更新当事人信息", reason=reason, fields=changed)
    return case


@transaction.atomic
def case_request_filing(
    *,
    actor: User,
    case: Case,
    matter: Matter,
    handlers: Sequence[Officer],
    opinion: str,
    is_major: bool = False,
    major_reason: str = "",
) -> Case:
    """提请立案: the matter, the handlers (first is the lead) and the handler's opinion."""
    workflow.ensure("request_filing", case, actor)
    if matter.agency_id != case.agency_id:
        raise InvalidInput("所选执法事项不属于本机关的权责清单。")
    if not case.party_name:
        raise DomainError("立案前应当查明当事人，请先填写当事人信息。")
    if len({o.pk for o in handlers}) != len(handlers):
        raise InvalidInput("同一名执法人员不能重复指定为承办人。")
    if len(handlers) < MIN_HANDLERS:
        raise DomainError("执法人员不得少于两人（《行政处罚法》第四十二条），请至少指定两名承办人。")
    # Recusal is declared by each handler for themselves before the head approves.
    for officer in handlers:
        handler_ensure_eligible(officer=officer, matter=matter, on=today())
    case.matter = matter
    case.filing_opinion = require_text(opinion, "承办人立案意见")
    case.is_major = is_major
    case.major_reason = major_reason.strip() if is_major else ""
    case.status = Status.FILING
    case.filing_requested_at = timezone.now()
    case.save()
    case.handlers.all().delete()
    for position, officer in enumerate(handlers):
        CaseHandler.objects.create(case=case, officer=officer, is_lead=position == 0)
    event(
        case,
        actor,
        "request_filing",
        f"提请立案，承办人：{'、'.join(o.name for o in handlers)}",
        handlers=[o.pk for o in handlers],
        matter=matter.code,
    )
    return case


@transaction.atomic
def case_declare_recusal(*, actor: User, case: Case, statement: str) -> CaseHandler:
    """回避声明 (第四十三条): each handler states they have no interest in the case."""
    workflow.ensure("declare_recusal", case, actor)
    handler = case.handlers.get(officer=policies.officer_of(actor), active=True)
    handler.recusal_statement = require_text(statement, "回避声明", "《行政处罚法》第四十三条")
    handler.recusal_declared_at = timezone.now()
    handler.save()
    event(case, actor, "declare_recusal", f"{handler.officer.name}声明与本案无直接利害关系", reason=statement)
    return handler


@transaction.atomic
def case_extend_filing(*, actor: User, case: Case, reason: str) -> Case:
    workflow.ensure("extend_filing", case, actor)
    case.filing_extended = True
    case.filing_extension_reason = require_text(reason, "延长理由")
    case.save()
    due = deadlines.filing_decision_due(case.received_on, extended=True).due
    event(case, actor, "extend_filing", f"延长立案审查期限至 {due:%Y-%m-%d}", reason=reason)
    return case


@transaction.atomic
def case_approve_filing(*, actor: User, case: Case, on: dt.date | None = None) -> Case:
    """立案 by the head: the team is re-checked that day and the matter version is frozen."""
    on = on or today()
    workflow.ensure("approve_filing", case, actor, on)
    case.matter_version = ensure_team(case, on)
    case.status = Status.INVESTIGATION
    case.filed_on = on
    case.filing_decided_by = actor
    case.save()
    event(
        case,
        actor,
        "approve_filing",
        f"批准立案，适用“{case.matter_version.name}”（第 {case.matter_version.version} 版）",
        matter_version=case.matter_version.pk,
    )
    lead = case.handlers.filter(is_lead=True).select_related("officer").first()
    issue(
        case,
        actor,
        "filing_approval",
        clue_summary=case.clue_summary,
        preliminary_facts=case.cause,
        handler_opinion=case.filing_opinion,
        approver_name=str(actor),
        approved_on=f"{on:%Y-%m-%d}",
        lead=lead.officer.name if lead else "",
    )
    return case


@transaction.atomic
def case_decline_filing(*, actor: User, case: Case, reason: str) -> Case:
    """不予立案, with the reasons (第五十四条)."""
    workflow.ensure("decline_filing", case, actor)
    case.not_filed_reason = require_text(reason, "不予立案的理由")
    case.status = Status.NOT_FILED
    case.filing_decided_by = actor
    case.save()
    event(case, actor, "decline_filing", "决定不予立案", reason=case.not_filed_reason)
    return case


@transaction.atomic
def case_replace_handler(*, actor: User, case: Case, old: Officer, new: Officer, reason: str) -> Case:
    """The head replaces a handler, e.g. on a recusal decision (第四十三条)."""
    workflow.ensure("replace_handler", case, actor)
    reason = require_text(reason, "更换理由")
    current = case.handlers.filter(officer=old, active=True).first()
    if current is None:
        raise InvalidInput(f"{old.name}不是本案在办承办人。")
    if case.handlers.filter(officer=new, active=True).exists():
        raise InvalidInput(f"{new.name}已经是本案承办人。")
    assert case.matter is not None
    handler_ensure_eligible(officer=new, matter=case.matter, on=today())
    current.active = False
    current.removed_reason = reason
    current.save()
    CaseHandler.objects.update_or_create(
        case=case,
        officer=new,
        defaults={
            "active": True,
            "is_lead": current.is_lead,
            "recusal_declared_at": None,
            "removed_reason": "",
        },
    )
    if current.is_lead:
        current.is_lead = False
        current.save()
    event(case, actor, "replace_handler", f"更换承办人：{old.name} → {new.name}", reason=reason)
    return case


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    case: Case,
    to_agency: Agency | None,
    recipient: str,
    reason: str,
    materials: Sequence[str],
) -> Case:
    """案件移送 to the agency with jurisdiction (in zhifa or outside it)."""
    workflow.ensure("transfer", case, actor)
    if to_agency is not None and to_agency.pk == case.agency_id:
        raise InvalidInput("不能移送给本机关。")
    case.transfer_kind = TransferKind.AGENCY
    case.transferred_to = to_agency
    case.transfer_recipient = to_agency.name if to_agency else require_text(recipient, "接收机关")
    return _transfer(actor, case, reason, materials)


@transaction.atomic
def case_transfer_judicial(
    *, actor: User, case: Case, recipient: str, reason: str, materials: Sequence[str]
) -> Case:
    """涉嫌犯罪的，移送司法机关 (第二十七条、第五十七条第一款第（四）项)."""
    workflow.ensure("transfer_judicial", case, actor)
    case.transfer_kind = TransferKind.JUDICIAL
    case.transfer_recipient = require_text(recipient, "接收的司法机关")
    return _transfer(actor, case, reason, materials)


def _transfer(actor: User, case: Case, reason: str, materials: Sequence[str]) -> Case:
    case.transfer_reason = require_text(reason, "移送理由")
    case.transferred_on = today()
    case.status = Status.TRANSFERRED
    case.save()
    event(
        case,
        actor,
        "transfer",
        f"{case.get_transfer_kind_display()}：{case.transfer_recipient}",
        reason=reason,
    )
    issue(
        case,
        actor,
        "transfer_letter",
        recipient=case.transfer_recipient,
        reason=case.transfer_reason,
        materials=[m.strip() for m in materials if m.strip()],
    )
    return case


@transaction.atomic
def case_revoke(*, actor: User, case: Case, reason: str) -> Case:
    """撤销立案: the head withdraws the filing, with the reason."""
    workflow.ensure("revoke", case, actor)
    case.revoke_reason = require_text(reason, "撤销立案的理由")
    case.status = Status.REVOKED
    case.save()
    event(case, actor, "revoke", "撤销立案", reason=case.revoke_reason)
    return case
