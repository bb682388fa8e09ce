"""决定 and 送达 (《行政处罚法》第五十七至六十二条), with 双书同达 of the credit-repair notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from zhifa.cases import deadlines, recording_gate, workflow
from zhifa.cases.documents import basis_text
from zhifa.cases.models import Case, DefenceAdoption, Outcome, Service, ServiceMethod, Status
from zhifa.cases.money import PenaltyTerms
from zhifa.cases.penalties import heavier_refusal
from zhifa.cases.services._common import event, issue, not_in_future, require_text
from zhifa.cases.services.investigation import penalty_terms_clean
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.documents.kinds import KINDS

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document

# 《失信行为纠正后的信用信息修复管理办法（试行）》(国家发展改革委令2023年第58号).
CREDIT_PUBLICITY = (
    "涉及一般失信行为的行政处罚信息，最短公示期为三个月；涉及严重失信行为的，最短公示期为一年；"
    "公示期最长为三年。"
)
CREDIT_CONDITIONS = (
    "当事人履行行政处罚决定规定的义务、达到最短公示期，并公开作出信用承诺的，"
    "可以依法申请信用修复，提前停止公示行政处罚信息。"
)
CREDIT_CHANNEL = "“信用中国”网站（www.creditchina.gov.cn）信用修复栏目，或者作出处罚决定的行政机关。"


def remedies(case: Case) -> dict[str, str]:
    return {"reconsideration_body": case.agency.reconsideration_body, "court": case.agency.litigation_court}


def _defence_summary(case: Case) -> str:
    if case.defence_adoption in ("", DefenceAdoption.NONE):
        if case.rights_waived_on:
            return f"当事人于 {case.rights_waived_on:%Y年%m月%d日} 书面表示放弃陈述、申辩和听证的权利。"
        return "当事人在法定期限内未提出陈述、申辩，也未要求听证。"
    heard = "听证" if hasattr(case, "hearing") and case.hearing.held_on else "陈述、申辩"
    return f"当事人提出了{heard}意见。经复核，本机关决定{case.get_defence_adoption_display()}：{case.defence_review}"


@transaction.atomic
def case_decide(
    *,
    actor: User,
    case: Case,
    kinds: Sequence[str] = (),
    fine: Decimal = Decimal(0),
    confiscation: Decimal = Decimal(0),
    penalty: str = "",
    no_penalty_reason: str = "",
    payment_channel: str = "",
    on: dt.date | None = None,
) -> list[Document]:
    """The head's decision; a penalty decision goes out with its credit-repair notice (双书同达)."""
    on = on or today()
    workflow.ensure("decide", case, actor, on)
    if case.outcome == Outcome.PENALTY:
        final_kinds, final_fine, final_confiscation = penalty_terms_clean(kinds, fine, confiscation)
        refusal = heavier_refusal(
            intended=PenaltyTerms(
                frozenset(case.notified_kinds), case.notified_fine, case.notified_confiscation
            ),
            final=PenaltyTerms(frozenset(final_kinds), final_fine, final_confiscation),
        )
        if refusal:
            raise DomainError(refusal)
        case.decided_on, case.decided_by = on, actor
        case.final_kinds, case.final_fine, case.final_confiscation = (
            final_kinds,
            final_fine,
            final_confiscation,
        )
        case.final_penalty = require_text(penalty, "处罚内容")
        case.status = Status.DECIDED
        case.save()
        event(case, actor, "decide", f"作出行政处罚决定：{case.final_penalty}", fine=final_fine)
        decision = issue(
            case,
            actor,
            "penalty_decision",
            facts=case.report_facts,
            evidence=case.report_evidence.splitlines(),
            basis_text=basis_text(case),
            discretion=case.report_discretion,
            defence_summary=_defence_summary(case),
            penalty=case.final_penalty,
            fine_amount=final_fine if final_fine > 0 else "",
            payment_due_text="自收到本决定书之日起十五日内" if final_fine > 0 else "",
            payment_channel=payment_channel.strip() or "指定银行或者通过电子支付系统缴纳",
            decided_on=on,
            **remedies(case),
        )
        notice = issue(
            case,
            actor,
            "credit_repair_notice",
            decision_number=decision.number,
            publicity_period=CREDIT_PUBLICITY,
            repair_conditions=CREDIT_CONDITIONS,
            repair_channel=CREDIT_CHANNEL,
        )
        return [decision, notice]
    case.no_penalty_reason = require_text(
        no_penalty_reason, "不予处罚的理由", "《行政处罚法》第三十三条、第五十七条"
    )
    case.decided_on, case.decided_by = on, actor
    case.status = Status.DECIDED
    case.save()
    event(
        case,
        actor,
        "decide",
        f"决定不予行政处罚：{case.get_outcome_display()}",
        reason=case.no_penalty_reason,
    )
    return [
        issue(
            case,
            actor,
            "no_penalty_decision",
            facts=case.report_facts,
            reason=case.no_penalty_reason,
            basis_text=basis_text(case),
            **remedies(case),
        )
    ]


# Issued documents that reach the party and so are served; the rest stay in the file.
SERVED_KINDS = frozenset(
    {
        "rectification_order",
        "preservation_notice",
        "seizure_decision",
        "prior_notice",
        "hearing_rights_notice",
        "hearing_notice",
        "penalty_decision",
        "on_the_spot_decision",
        "no_penalty_decision",
        "credit_repair_notice",
        "payment_approval",
        "reminder",
    }
)
DECISION_KINDS = frozenset({"penalty_decision", "no_penalty_decision", "on_the_spot_decision"})


def unserved_documents(case: Case) -> list[Document]:
    from zhifa.documents.models import Document

    return list(
        Document.objects.filter(subject_ref=case.subject_ref, status="issued", kind__in=SERVED_KINDS)
        .exclude(services__isnull=False)
        .order_by("issued_at", "pk")
    )


def _after_decision_served(case: Case) -> None:
    has_open_measures = case.measures.filter(ended_on__isnull=True).exists()
    case.status = (
        Status.EXECUTION
        if (case.final_fine > 0 and case.fine_paid_on is None) or has_open_measures
        else Status.CLOSING
    )


# Service the AV-recording list names (留置送达, 公告送达).
SERVICE_STAGE: dict[str, str] = {
    ServiceMethod.LEFT: recording_gate.Stage.SERVICE_LEFT,
    ServiceMethod.PUBLIC: recording_gate.Stage.SERVICE_PUBLIC,
}


@transaction.atomic
def case_serve(
    *,
    actor: User,
    case: Case,
    documents: Sequence[Document],
    method: str,
    served_on: dt.date,
    place: str,
    recipient: str,
    note: str = "",
) -> Service:
    """送达 with its receipt; one record for documents delivered together (第六十一条)."""
    workflow.ensure("serve", case, actor)
    if method not in ServiceMethod.values:
        raise InvalidInput("请选择送达方式。")
    if method in SERVICE_STAGE:
        recording_gate.ensure_recorded(case, SERVICE_STAGE[method])
    docs = list(documents)
    if not docs:
        raise InvalidInput("请选择要送达的文书。")
    pending = {d.pk for d in unserved_documents(case)}
    for doc in docs:
        if doc.pk not in pending:
            raise InvalidInput(f"{doc.number}不是本案待送达的文书。")
    kinds = {d.kind for d in docs}
    if ("penalty_decision" in kinds) != ("credit_repair_notice" in kinds):
        raise DomainError("行政处罚决定书应当与信用修复告知书一并送达（“双书同达”）。")
    if method == ServiceMethod.ELECTRONIC and not case.electronic_service_consent:
        raise DomainError("当事人未书面同意电子送达，不能采用电子送达（《行政处罚法》第六十一条第二款）。")
    if method == ServiceMethod.LEFT and not note.strip():
        raise InvalidInput("留置送达应当注明拒收事由和日期，并由见证人签名，请在说明中填写见证人。")
    not_in_future(served_on, "送达日期", today())
    for doc in docs:
        assert doc.issued_at is not None  # unserved_documents lists issued ones only
        issued = doc.issued_at.astimezone().date()
        if served_on < issued:
            raise InvalidInput(f"送达日期不能早于{doc.number}的制发日期 {issued:%Y-%m-%d}。")
    service = Service.objects.create(
        case=case,
        method=method,
        served_on=served_on,
        place=require_text(place, "送达地点或地址"),
        recipient=require_text(recipient, "受送达人或签收人"),
        note=note.strip(),
        served_by=actor,
    )
    service.documents.set(docs)
    late = []
    for doc in docs:
        if doc.kind == "prior_notice":
            case.notice_served_on = served_on
        elif doc.kind == "hearing_notice":
            hearing = case.hearing
            hearing.notice_served_on = served_on
            hearing.save()
        elif doc.kind == "reminder":
            case.reminder_served_on = served_on
        elif doc.kind in DECISION_KINDS:
            case.decision_served_on = served_on
            due = deadlines.service_due(case.decided_on or served_on).due
            if due is not None and served_on > due:
                late.append(f"决定书应于 {due:%Y-%m-%d} 前送达（《行政处罚法》第六十一条）")
            if case.status == Status.DECIDED:
                _after_decision_served(case)
    case.save()
    event(
        case,
        actor,
        "serve",
        f"{service.get_method_display()}：{'、'.join(KINDS[d.kind].title for d in docs)}"
        + ("（逾期送达）" if late else ""),
        reason="；".join(late),
        documents=[d.number for d in docs],
        served_on=served_on,
    )
    issue(
        case,
        actor,
        "service_receipt",
        documents=[{"title": KINDS[d.kind].title, "number": d.number} for d in docs],
        method_label=service.get_method_display(),
        served_at=served_on,
        place=service.place,
        recipient=service.recipient,
        note=service.note,
    )
    return service
