"""案源 → 立案: the party, the filing request and decision, handlers and recusal, transfer, revocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, policies, services
from zhifa.cases.checks import MIN_HANDLERS, ensure_team, party_clean, require_text
from zhifa.cases.models import (
    OPEN_BEFORE_DECISION,
    Case,
    CaseHandler,
    ClueSource,
    Status,
    TransferKind,
)
from zhifa.cases.selectors import case_domain
from zhifa.cases.steps.fields import (
    DATE,
    TEXT,
    CaseForm,
    PartyFields,
    lines,
    offer,
    offer_enforcers,
    offer_matters,
    opinion_field,
)
from zhifa.cases.timeline import issue
from zhifa.cases.workflow import GENERAL, HANDLER, HEAD, STAFF, Step
from zhifa.catalog.models import Matter
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import Run
from zhifa.org.models import Agency, Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User

BEFORE_DECISION = frozenset({Status.FILING}) | OPEN_BEFORE_DECISION


# ── 登记案源 (creates a case; not a step of one) ─────────────────────────────────────────


class ClueForm(PartyFields):
    source = forms.ChoiceField(label="案源类别", choices=ClueSource.choices)
    received_on = forms.DateField(label="登记日期", widget=DATE, initial=timezone.localdate)
    cause = forms.CharField(label="案由", max_length=200, help_text="例如：涉嫌拖欠劳动者工资案。")
    clue_summary = forms.CharField(label="案源内容", widget=TEXT)
    matter = forms.ModelChoiceField(label="涉及的执法事项", queryset=Matter.objects.none(), required=False)
    informant_name = forms.CharField(label="投诉举报人", max_length=100, required=False)
    informant_contact = forms.CharField(label="投诉举报人联系方式", max_length=100, required=False)

    def __init__(self, *args: Any, agency: Agency, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.user = user
        offer_matters(self.fields["matter"], Matter.objects.filter(agency=agency, repealed_on__isnull=True))

    def perform(self) -> Case:
        return services.case_register_clue(actor=self.user, agency=self.agency, **self.cleaned_data)


# ── 当事人 ──────────────────────────────────────────────────────────────────────────────


class PartyForm(CaseForm, PartyFields):
    electronic_service_consent = forms.CharField(
        label="同意电子送达的地址",
        max_length=200,
        required=False,
        help_text="仅在当事人书面同意电子送达时填写。",
    )
    reason = forms.CharField(label="更正理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if hasattr(self.case, name) and name != "reason":
                self.fields[name].initial = getattr(self.case, name)


def _update_party(run: Run[Case], *, reason: str = "", **fields: str) -> Case:
    case = run.subject
    kind, name, id_number = party_clean(
        kind=fields["party_kind"], name=fields["party_name"], id_number=fields.get("party_id_number", "")
    )
    values = {**fields, "party_kind": kind, "party_name": name, "party_id_number": id_number}
    changed = [k for k, v in values.items() if getattr(case, k) != (v or "").strip()]
    if not changed:
        raise InvalidInput("当事人信息没有变化，无需更正。")
    for key, value in values.items():
        setattr(case, key, (value or "").strip())
    case.save()
    run.record("更新当事人信息", reason=reason, fields=changed)
    return case


# ── 立案 ──────────────────────────────────────────────────────────────────────────────


class RequestFilingForm(CaseForm):
    matter = forms.ModelChoiceField(label="执法事项", queryset=Matter.objects.none())
    lead = forms.ModelChoiceField(label="主办人", queryset=Officer.objects.none())
    assistants = forms.ModelMultipleChoiceField(
        label="协办人", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    opinion = forms.CharField(label="承办人立案意见", widget=TEXT)
    is_major = forms.BooleanField(label="情节复杂或者重大违法行为（需集体讨论）", required=False)
    major_reason = forms.CharField(label="集体讨论理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_matters(
            self.fields["matter"], Matter.objects.filter(agency=self.case.agency, repealed_on__isnull=True)
        )
        self.fields["matter"].initial = self.case.matter_id
        for name in ("lead", "assistants"):
            offer_enforcers(self.fields[name], self.agency_officers(), matter=self.case.matter)

    def data_for_step(self) -> dict[str, Any]:
        data = self.cleaned_data
        team = [data["lead"], *[o for o in data["assistants"] if o.pk != data["lead"].pk]]
        return {
            "matter": data["matter"],
            "handlers": team,
            "opinion": data["opinion"],
            "is_major": data["is_major"],
            "major_reason": data["major_reason"],
        }


def _request_filing(
    run: Run[Case],
    *,
    matter: Matter,
    handlers: Sequence[Officer],
    opinion: str,
    is_major: bool = False,
    major_reason: str = "",
) -> Case:
    """提请立案: the matter, the handlers (first is the lead) and the handler's opinion."""
    case = run.subject
    if matter.agency_id != case.agency_id:
        raise InvalidInput("所选执法事项不属于本机关的权责清单。")
    if not case.party_name:
        raise DomainError("立案前应当查明当事人，请先填写当事人信息。")
    if len({o.pk for o in handlers}) != len(handlers):
        raise InvalidInput("同一名执法人员不能重复指定为承办人。")
    if len(handlers) < MIN_HANDLERS:
        raise DomainError("执法人员不得少于两人（《行政处罚法》第四十二条），请至少指定两名承办人。")
    for officer in handlers:
        # Recusal is declared by each handler for themselves before the head approves.
        handler_ensure_eligible(officer=officer, matter=matter, on=run.on)
    case.matter = matter
    case.filing_opinion = require_text(opinion, "承办人立案意见")
    case.is_major = is_major
    case.major_reason = major_reason.strip() if is_major else ""
    case.filing_requested_at = timezone.now()
    case.save()
    case.handlers.all().delete()
    for position, officer in enumerate(handlers):
        CaseHandler.objects.create(case=case, officer=officer, is_lead=position == 0)
    run.record(
        f"提请立案，承办人：{'、'.join(o.name for o in handlers)}",
        handlers=[o.pk for o in handlers],
        matter=matter.code,
    )
    return case


class RecusalForm(CaseForm):
    statement = forms.CharField(
        label="回避声明",
        max_length=300,
        initial="本人与本案当事人没有直接利害关系，不存在应当回避的情形。",
    )


def _guard_own_recusal(case: Case, user: User) -> None:
    officer = policies.officer_of(user)
    if case.handlers.filter(officer=officer, active=True, recusal_declared_at__isnull=False).exists():
        raise DomainError("您已经作出过回避声明。")


def _declare_recusal(run: Run[Case], *, statement: str) -> CaseHandler:
    """回避声明 (第四十三条): each handler states they have no interest in the case."""
    case = run.subject
    handler = case.handlers.get(officer=policies.officer_of(run.actor), active=True)
    handler.recusal_statement = require_text(statement, "回避声明", "《行政处罚法》第四十三条")
    handler.recusal_declared_at = timezone.now()
    handler.save()
    run.record(f"{handler.officer.name}声明与本案无直接利害关系", reason=statement)
    return handler


class ReasonForm(CaseForm):
    reason = forms.CharField(label="理由", widget=TEXT)


def _guard_extend_filing(case: Case, on: dt.date) -> None:
    if case.filing_extended:
        basis = deadlines.cited(deadlines.FILING_RULES, case_domain(case))
        raise DomainError(f"立案审查期限只能延长一次，延长不超过十五个工作日（{basis}）。")


def _extend_filing(run: Run[Case], *, reason: str) -> Case:
    case = run.subject
    case.filing_extended = True
    case.filing_extension_reason = require_text(reason, "延长理由")
    case.save()
    due = deadlines.filing_decision_due(case.received_on, extended=True, domain=case_domain(case)).due
    run.record(f"延长立案审查期限至 {due:%Y-%m-%d}", reason=reason)
    return case


class ApproveFilingForm(CaseForm):
    opinion = opinion_field("同意立案。")


def _guard_approve_filing(case: Case, on: dt.date) -> None:
    ensure_team(case, on)


def _approve_filing(run: Run[Case], *, opinion: str = "") -> Case:
    """立案 by the head: the team is re-checked that day and the matter version is frozen."""
    case, on = run.subject, run.on
    case.matter_version = ensure_team(case, on)
    case.filed_on = on
    case.filing_decided_by = run.actor
    case.save()
    run.record(
        f"批准立案，适用“{case.matter_version.name}”（第 {case.matter_version.version} 版）",
        matter_version=case.matter_version.pk,
        opinion=opinion.strip(),
    )
    lead = case.handlers.filter(is_lead=True).select_related("officer").first()
    issue(
        case,
        run.actor,
        "filing_approval",
        clue_summary=case.clue_summary,
        preliminary_facts=case.cause,
        handler_opinion=case.filing_opinion,
        approver_name=run.actor.display_name,
        approver_opinion=opinion.strip(),
        approved_on=f"{on:%Y-%m-%d}",
        lead=lead.officer.name if lead else "",
    )
    return case


def _decline_filing(run: Run[Case], *, reason: str) -> Case:
    """不予立案, with the reasons (第五十四条)."""
    case = run.subject
    case.not_filed_reason = require_text(reason, "不予立案的理由")
    case.filing_decided_by = run.actor
    case.save()
    run.record("决定不予立案", reason=case.not_filed_reason)
    return case


class ReplaceHandlerForm(CaseForm):
    old = forms.ModelChoiceField(label="被更换的承办人", queryset=Officer.objects.none())
    new = forms.ModelChoiceField(label="新承办人", queryset=Officer.objects.none())
    reason = forms.CharField(label="更换理由（如回避决定）", max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["old"], self.handlers())
        offer_enforcers(
            self.fields["new"],
            self.agency_officers().exclude(pk__in=self.handlers()),
            matter=self.case.matter,
        )


def _replace_handler(run: Run[Case], *, old: Officer, new: Officer, reason: str) -> Case:
    """The head replaces a handler, e.g. on a recusal decision (第四十三条)."""
    case = run.subject
    reason = require_text(reason, "更换理由")
    current = case.handlers.filter(officer=old, active=True).first()
    if current is None:
        raise InvalidInput(f"{old.name}不是本案在办承办人。")
    if case.handlers.filter(officer=new, active=True).exists():
        raise InvalidInput(f"{new.name}已经是本案承办人。")
    assert case.matter is not None
    handler_ensure_eligible(officer=new, matter=case.matter, on=run.on)
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
    run.record(f"更换承办人：{old.name} → {new.name}", reason=reason)
    return case


# ── 移送、撤销 ─────────────────────────────────────────────────────────────────────────


class TransferForm(CaseForm):
    to_agency = forms.ModelChoiceField(
        label="接收的执法主体（本平台内）", queryset=Agency.objects.none(), required=False
    )
    recipient = forms.CharField(label="接收机关（平台外）", max_length=200, required=False)
    reason = forms.CharField(label="移送理由", widget=TEXT)
    materials = forms.CharField(label="移送材料", widget=TEXT, help_text="每行一项。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=self.case.agency_id
        )

    def data_for_step(self) -> dict[str, Any]:
        return {**self.cleaned_data, "materials": lines(self.cleaned_data["materials"])}


def _transfer(
    run: Run[Case], *, to_agency: Agency | None, recipient: str, reason: str, materials: Sequence[str]
) -> Case:
    """案件移送 to the agency with jurisdiction (in zhifa or outside it)."""
    case = run.subject
    if to_agency is not None and to_agency.pk == case.agency_id:
        raise InvalidInput("不能移送给本机关。")
    case.transfer_kind = TransferKind.AGENCY
    case.transferred_to = to_agency
    case.transfer_recipient = to_agency.name if to_agency else require_text(recipient, "接收机关")
    return _hand_over(run, reason, materials)


class TransferJudicialForm(CaseForm):
    recipient = forms.CharField(label="接收的司法机关", max_length=200, initial="示例县公安局")
    reason = forms.CharField(label="涉嫌犯罪的事实和理由", widget=TEXT)
    materials = forms.CharField(label="移送材料", widget=TEXT, help_text="每行一项。")

    def data_for_step(self) -> dict[str, Any]:
        return {**self.cleaned_data, "materials": lines(self.cleaned_data["materials"])}


def _guard_transfer_judicial(case: Case, on: dt.date) -> None:
    from zhifa.cases.models import Outcome

    if case.outcome != Outcome.TRANSFER:
        raise DomainError(
            "调查终结报告的处理意见为涉嫌犯罪移送司法机关时，才能移送司法机关（《行政处罚法》第五十七条第一款第（四）项）。"
        )


def _transfer_judicial(run: Run[Case], *, recipient: str, reason: str, materials: Sequence[str]) -> Case:
    """涉嫌犯罪的，移送司法机关 (第二十七条、第五十七条第一款第（四）项)."""
    case = run.subject
    case.transfer_kind = TransferKind.JUDICIAL
    case.transfer_recipient = require_text(recipient, "接收的司法机关")
    return _hand_over(run, reason, materials)


def _hand_over(run: Run[Case], reason: str, materials: Sequence[str]) -> Case:
    case = run.subject
    case.transfer_reason = require_text(reason, "移送理由")
    case.transferred_on = run.on
    case.save()
    run.record(f"{case.get_transfer_kind_display()}：{case.transfer_recipient}", reason=reason)
    issue(
        case,
        run.actor,
        "transfer_letter",
        recipient=case.transfer_recipient,
        reason=case.transfer_reason,
        materials=[m.strip() for m in materials if m.strip()],
    )
    return case


def _revoke(run: Run[Case], *, reason: str) -> Case:
    """撤销立案: the head withdraws the filing, with the reason."""
    case = run.subject
    case.revoke_reason = require_text(reason, "撤销立案的理由")
    case.save()
    run.record("撤销立案", reason=case.revoke_reason)
    return case


STEPS = [
    Step(
        "update_clue",
        "补充案源信息",
        STAFF,
        frozenset({Status.CLUE}),
        _update_party,
        PartyForm,
        variants=GENERAL,
    ),
    Step(
        "request_filing",
        "提请立案审批",
        STAFF,
        frozenset({Status.CLUE}),
        _request_filing,
        RequestFilingForm,
        leads_to=(Status.FILING,),
        variants=GENERAL,
    ),
    Step(
        "declare_recusal",
        "作出回避声明",
        HANDLER,
        BEFORE_DECISION,
        _declare_recusal,
        RecusalForm,
        actor_guard=_guard_own_recusal,
        variants=GENERAL,
    ),
    Step(
        "update_party",
        "更正当事人信息",
        HANDLER,
        BEFORE_DECISION,
        _update_party,
        PartyForm,
        variants=GENERAL,
    ),
    Step(
        "extend_filing",
        "延长立案审查期限",
        HEAD,
        frozenset({Status.CLUE, Status.FILING}),
        _extend_filing,
        ReasonForm,
        guard=_guard_extend_filing,
        variants=GENERAL,
    ),
    Step(
        "approve_filing",
        "批准立案",
        HEAD,
        frozenset({Status.FILING}),
        _approve_filing,
        ApproveFilingForm,
        leads_to=(Status.INVESTIGATION,),
        guard=_guard_approve_filing,
        variants=GENERAL,
    ),
    Step(
        "decline_filing",
        "不予立案",
        HEAD,
        frozenset({Status.CLUE, Status.FILING}),
        _decline_filing,
        ReasonForm,
        leads_to=(Status.NOT_FILED,),
        variants=GENERAL,
    ),
    Step(
        "replace_handler",
        "更换承办人（回避）",
        HEAD,
        BEFORE_DECISION,
        _replace_handler,
        ReplaceHandlerForm,
        variants=GENERAL,
    ),
    Step(
        "transfer",
        "移送其他行政机关",
        HEAD,
        frozenset({Status.CLUE, Status.FILING, Status.INVESTIGATION}),
        _transfer,
        TransferForm,
        leads_to=(Status.TRANSFERRED,),
        variants=GENERAL,
    ),
    Step(
        "transfer_judicial",
        "移送司法机关",
        HEAD,
        frozenset({Status.REPORTED}),
        _transfer_judicial,
        TransferJudicialForm,
        leads_to=(Status.TRANSFERRED,),
        guard=_guard_transfer_judicial,
        variants=GENERAL,
    ),
    Step(
        "revoke",
        "撤销立案",
        HEAD,
        OPEN_BEFORE_DECISION,
        _revoke,
        ReasonForm,
        leads_to=(Status.REVOKED,),
        variants=GENERAL,
    ),
]
