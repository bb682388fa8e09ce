"""决定 and 送达 (《行政处罚法》第五十七至六十二条), with 双书同达 of the credit-repair notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate, review_gate, selectors
from zhifa.cases.checks import not_in_future, penalty_terms_clean, require_text
from zhifa.cases.documents import DECISION_KINDS, basis_text, remedies
from zhifa.cases.models import Case, DefenceAdoption, Outcome, Service, ServiceMethod, Status
from zhifa.cases.money import PenaltyTerms
from zhifa.cases.party_actor import user_of
from zhifa.cases.payment_code import payment_code
from zhifa.cases.penalties import heavier_refusal
from zhifa.cases.steps.fields import DATE, TEXT, CaseForm, PenaltyFields
from zhifa.cases.steps.notice import rights_period_end
from zhifa.cases.timeline import issue
from zhifa.cases.workflow import GENERAL, HANDLER, HEAD, Step
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import Run
from zhifa.documents.kinds import KINDS
from zhifa.documents.services import document_signed

if TYPE_CHECKING:
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


def _defence_summary(case: Case) -> str:
    if case.defence_adoption in ("", DefenceAdoption.NONE):
        if case.rights_waived_on:
            return f"当事人于 {case.rights_waived_on:%Y年%m月%d日} 书面表示放弃陈述、申辩和听证的权利。"
        return "当事人在法定期限内未提出陈述、申辩，也未要求听证。"
    heard = "听证" if hasattr(case, "hearing") and case.hearing.held_on else "陈述、申辩"
    return f"当事人提出了{heard}意见。经复核，本机关决定{case.get_defence_adoption_display()}：{case.defence_review}"


# ── 决定 ──────────────────────────────────────────────────────────────────────────────


class DecideForm(CaseForm, PenaltyFields):
    no_penalty_reason = forms.CharField(label="不予处罚的理由", widget=TEXT, required=False)
    payment_channel = forms.CharField(label="缴款方式", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["kinds"].initial = case.notified_kinds or case.intended_kinds
        self.fields["fine"].initial = case.notified_fine if case.notified_at else case.intended_fine
        self.fields["confiscation"].initial = (
            case.notified_confiscation if case.notified_at else case.intended_confiscation
        )
        self.fields["penalty"].initial = case.intended_penalty
        if case.outcome != Outcome.PENALTY:
            for name in ("kinds", "fine", "confiscation", "penalty", "payment_channel"):
                del self.fields[name]
        else:
            del self.fields["no_penalty_reason"]

    def data_for_step(self) -> dict[str, Any]:
        if self.case.outcome != Outcome.PENALTY:
            return {"no_penalty_reason": self.cleaned_data["no_penalty_reason"]}
        return {"payment_channel": self.cleaned_data["payment_channel"], **self.terms()}


def _guard_decide_penalty_rights(case: Case, on: dt.date) -> None:
    """第六十二条: no decision until the party has had the full chance to state, defend and be heard."""
    if case.notice_served_on is None:
        raise DomainError(
            "行政处罚事先告知书尚未送达当事人，不得作出行政处罚决定（《行政处罚法》第四十四条、第六十二条）。"
        )
    hearing = getattr(case, "hearing", None)
    if hearing is not None and not hearing.concluded:
        raise DomainError(
            "当事人已申请听证而听证尚未举行，不得作出行政处罚决定（《行政处罚法》第六十二条、第六十四条）。"
        )
    end = rights_period_end(case)
    # A held hearing heard the party; a withdrawn request leaves the statement period running.
    heard = hearing is not None and hearing.held_on is not None
    if case.rights_waived_on is None and not heard and end is not None and on <= end:
        raise DomainError(
            f"当事人陈述、申辩{'和申请听证' if case.hearing_right else ''}的期限至 {end:%Y-%m-%d} 届满，"
            "期满前不得作出行政处罚决定（《行政处罚法》第四十四条、第六十二条）。"
        )
    if (case.records.filter(kind="statement").exists() or hearing is not None) and not case.defence_adoption:
        raise DomainError("当事人提出了陈述、申辩或者进行了听证，应当先行复核（《行政处罚法》第四十五条）。")


def _guard_decide(case: Case, on: dt.date) -> None:
    if case.outcome == Outcome.PENALTY:
        _guard_decide_penalty_rights(case, on)
    elif case.outcome not in (Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED):
        raise DomainError("调查终结报告的处理意见不是作出处罚或不予处罚的决定。")
    if case.is_major and not case.discussions.exists():
        raise DomainError(
            "本案情节复杂或者属于重大违法行为，应当由行政机关负责人集体讨论决定（《行政处罚法》第五十七条第二款）。"
        )
    review_gate.ensure_cleared(case)


def _late(case: Case, on: dt.date) -> str:
    """第六十条: past the 90 days (less suspensions, plus approved extensions), the sentence saying so."""
    limit = selectors.decision_deadline(case, on)
    if limit is None or limit.due is None or on <= limit.due:
        return ""
    return (
        f"超过办案期限 {(on - limit.due).days} 日作出决定（期限至 {limit.due:%Y-%m-%d}，"
        "《行政处罚法》第六十条）"
    )


def _decide(
    run: Run[Case],
    *,
    kinds: Sequence[str] = (),
    fine: Decimal = Decimal(0),
    confiscation: Decimal = Decimal(0),
    penalty: str = "",
    no_penalty_reason: str = "",
    payment_channel: str = "",
) -> list[Document]:
    """The head's decision; a penalty decision goes out with its credit-repair notice (双书同达)."""
    case, on, actor = run.subject, run.on, run.actor
    late = _late(case, on)
    case.decided_on, case.decided_by, case.decided_late = on, actor, bool(late)
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
        case.final_kinds, case.final_fine, case.final_confiscation = (
            final_kinds,
            final_fine,
            final_confiscation,
        )
        case.final_penalty = require_text(penalty, "处罚内容")
        case.save()
        run.record(
            f"作出行政处罚决定：{case.final_penalty}" + (f"（{late}）" if late else ""),
            reason=late,
            fine=final_fine,
            late=bool(late),
        )
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
            payment_code=payment_code(case) if final_fine > 0 else "",
            collecting_bank=case.agency.collecting_bank if final_fine > 0 else "",
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
    case.save()
    run.record(
        f"决定不予行政处罚：{case.get_outcome_display()}" + (f"（{late}）" if late else ""),
        reason="；".join(filter(None, [case.no_penalty_reason, late])),
        late=bool(late),
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


# ── 送达 ──────────────────────────────────────────────────────────────────────────────

# Service the AV-recording list names (留置送达, 公告送达).
SERVICE_STAGE: dict[str, str] = {
    ServiceMethod.LEFT: recording_gate.Stage.SERVICE_LEFT,
    ServiceMethod.PUBLIC: recording_gate.Stage.SERVICE_PUBLIC,
}


class ServeForm(CaseForm):
    documents = forms.MultipleChoiceField(label="送达文书", widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_on = forms.DateField(label="送达日期", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="送达地点或地址", max_length=200)
    recipient = forms.CharField(label="受送达人或签收人", max_length=100)
    note = forms.CharField(label="说明（留置送达的见证人、邮件单号等）", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = {str(d.pk): d for d in selectors.unserved_documents(self.case)}
        self.fields["documents"].choices = [(pk, f"{d.title} {d.number}") for pk, d in self.pending.items()]
        self.fields["documents"].initial = list(self.pending)
        self.fields["place"].initial = self.case.party_address
        self.fields["recipient"].initial = self.case.party_name

    def data_for_step(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        return {**data, "documents": [self.pending[pk] for pk in data["documents"]]}


def _serve(
    run: Run[Case],
    *,
    documents: Sequence[Document],
    method: str,
    served_on: dt.date,
    place: str,
    recipient: str,
    note: str = "",
) -> Service:
    """送达 with its receipt; one record for documents delivered together (第六十一条)."""
    case = run.subject
    if method not in ServiceMethod.values:
        raise InvalidInput("请选择送达方式。")
    if method in SERVICE_STAGE:
        recording_gate.ensure_recorded(case, SERVICE_STAGE[method])
    pending = {d.pk: d for d in selectors.unserved_documents(case)}
    if not documents:
        raise InvalidInput("请选择要送达的文书。")
    for doc in documents:
        if doc.pk not in pending:
            raise InvalidInput(f"{doc.number}不是本案待送达的文书。")
    # The documents as stored now, signed (now, if the worker has not yet) before they are served.
    docs = [document_signed(pending[d.pk]) for d in documents]
    kinds = {d.kind for d in docs}
    if ("penalty_decision" in kinds) != ("credit_repair_notice" in kinds):
        raise DomainError("行政处罚决定书应当与信用修复告知书一并送达（“双书同达”）。")
    if method == ServiceMethod.ELECTRONIC and not case.electronic_service_consent:
        raise DomainError("当事人未书面同意电子送达，不能采用电子送达（《行政处罚法》第六十一条第二款）。")
    if method == ServiceMethod.LEFT and not note.strip():
        raise InvalidInput("留置送达应当注明拒收事由和日期，并由见证人签名，请在说明中填写见证人。")
    not_in_future(served_on, "送达日期", run.on)
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
        # Served electronically at the party's first opening (zhifa.party): by whoever issued it.
        served_by=user_of(run.actor) or docs[0].issued_by or case.registered_by,
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
    case.save()
    run.record(
        f"{service.get_method_display()}：{'、'.join(KINDS[d.kind].title for d in docs)}"
        + ("（逾期送达）" if late else ""),
        reason="；".join(late),
        documents=[d.number for d in docs],
        served_on=served_on,
    )
    issue(
        case,
        run.actor,
        "service_receipt",
        documents=[{"title": KINDS[d.kind].title, "number": d.number} for d in docs],
        method_label=service.get_method_display(),
        served_at=served_on,
        place=service.place,
        recipient=service.recipient,
        note=service.note,
    )
    return service


def _after_service(case: Case) -> str | None:
    """A served decision moves the case on: to execution while a fine or a measure is open."""
    if case.status != Status.DECIDED or case.decision_served_on is None:
        return None
    open_fine = case.final_fine > 0 and case.fine_paid_on is None
    return (
        Status.EXECUTION
        if open_fine or case.measures.filter(ended_on__isnull=True).exists()
        else Status.CLOSING
    )


STEPS = [
    Step(
        "decide",
        "作出决定",
        HEAD,
        frozenset({Status.REPORTED, Status.NOTICE}),
        _decide,
        DecideForm,
        leads_to=(Status.DECIDED,),
        guard=_guard_decide,
        variants=GENERAL,
    ),
    Step(
        "serve",
        "登记送达",
        HANDLER,
        frozenset(Status.values) - {Status.CLUE, Status.FILING},
        _serve,
        ServeForm,
        leads_to=(Status.EXECUTION, Status.CLOSING),
        route=_after_service,
        leads_from=frozenset({Status.DECIDED}),
        offered=lambda case: bool(selectors.unserved_documents(case)),
    ),
]
