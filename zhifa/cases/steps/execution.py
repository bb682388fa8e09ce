"""执行 → 结案 → 归档: payment, deferral and instalments, surcharge, 催告, court enforcement, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate, selectors
from zhifa.cases.checks import not_in_future, require_text
from zhifa.cases.documents import PENALTY_DECISION_KINDS
from zhifa.cases.models import (
    Case,
    Payment,
    PaymentArrangement,
    PaymentPlan,
    Status,
)
from zhifa.cases.money import yuan
from zhifa.cases.steps.fields import DATE, TEXT, CaseForm, lines, money, opinion_field
from zhifa.cases.timeline import issue
from zhifa.cases.workflow import HANDLER, HANDLER_OR_HEAD, HEAD, Step
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import Run, StepForm

EXECUTION = frozenset({Status.EXECUTION})


def _decision_number(case: Case) -> str:
    from zhifa.documents.models import Document

    doc = (
        Document.objects.filter(
            subject_ref=case.subject_ref, status="issued", kind__in=PENALTY_DECISION_KINDS
        )
        .order_by("-issued_at")
        .first()
    )
    return doc.number if doc else ""


def _guard_unpaid(case: Case, on: dt.date) -> None:
    if case.final_fine <= 0:
        raise DomainError("本案没有罚款，无需缴纳。")
    if case.fine_paid_on is not None:
        raise DomainError("罚款已经缴清。")


# ── 延期（分期）缴纳、缴款 ────────────────────────────────────────────────────────────


class PlanPaymentForm(CaseForm):
    arrangement = forms.ChoiceField(label="方式", choices=PaymentArrangement.choices)
    schedule = forms.CharField(
        label="缴纳计划", widget=TEXT, help_text="每行一期：缴纳期限，金额。例如：2026-12-31，1000.00"
    )
    reason = forms.CharField(label="当事人申请理由", max_length=300)

    def clean_schedule(self) -> list[tuple[dt.date, Decimal]]:
        rows = []
        for line in lines(self.cleaned_data["schedule"]):
            day, _, amount = line.replace(",", "，").partition("，")
            try:
                rows.append((dt.date.fromisoformat(day.strip()), Decimal(amount.strip())))
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(f"“{line}”格式不正确，应为“YYYY-MM-DD，金额”。") from None
        return rows


def _guard_plan(case: Case, on: dt.date) -> None:
    _guard_unpaid(case, on)
    if hasattr(case, "payment_plan"):
        raise DomainError("本案已批准过延期（分期）缴纳。")


def _plan_payment(
    run: Run[Case], *, arrangement: str, schedule: Sequence[tuple[dt.date, Decimal]], reason: str
) -> PaymentPlan:
    """延期或者分期缴纳罚款, on the party's application and the head's approval (第六十六条第二款)."""
    case = run.subject
    if arrangement not in PaymentArrangement.values:
        raise InvalidInput("请选择延期缴纳或者分期缴纳。")
    rows = sorted((due, yuan(amount, what="每期金额")) for due, amount in schedule)
    if not rows:
        raise InvalidInput("请填写缴纳计划。")
    if arrangement == PaymentArrangement.DEFERRED and len(rows) != 1:
        raise InvalidInput("延期缴纳只有一个缴纳期限；多个期限请选择分期缴纳。")
    if arrangement == PaymentArrangement.INSTALMENT and len(rows) < 2:
        raise InvalidInput("分期缴纳应当至少分为两期。")
    if sum((a for _, a in rows), Decimal(0)) != case.final_fine:
        raise InvalidInput(f"各期金额之和应当等于罚款金额 {case.final_fine} 元。")
    if any(a <= 0 for _, a in rows) or rows[0][0] < run.on:
        raise InvalidInput("每期金额应大于零，缴纳期限不能早于今天。")
    plan = PaymentPlan.objects.create(
        case=case,
        arrangement=arrangement,
        schedule=[{"due_on": f"{d:%Y-%m-%d}", "amount": f"{a:.2f}"} for d, a in rows],
        reason=require_text(reason, "当事人申请理由"),
        approved_by=run.actor,
    )
    run.record(f"批准{plan.get_arrangement_display()}，共 {len(rows)} 期", reason=reason)
    issue(
        case,
        run.actor,
        "payment_approval",
        decision_number=_decision_number(case),
        fine_amount=case.final_fine,
        arrangement_label=plan.get_arrangement_display(),
        schedule=[{"due_on": d, "amount": a} for d, a in rows],
        reason=plan.reason,
    )
    return plan


class RecordPaymentForm(CaseForm):
    paid_on = forms.DateField(label="缴款日期", widget=DATE, initial=timezone.localdate)
    amount = money("金额（元）")
    receipt_number = forms.CharField(label="票据号", max_length=60)
    is_surcharge = forms.BooleanField(label="本笔为加处罚款", required=False)


def _record_payment(
    run: Run[Case], *, paid_on: dt.date, amount: Decimal, receipt_number: str, is_surcharge: bool = False
) -> Payment:
    """缴款 at the bank (决定与收缴分离, 第六十七条); the case is paid up when principal and surcharge are."""
    case = run.subject
    amount = yuan(amount, what="缴款金额")
    if amount <= 0:
        raise InvalidInput("缴款金额应大于零。")
    not_in_future(paid_on, "缴款日期", run.on)
    earlier = list(case.payments.all())
    status = selectors.payment_status(case, paid_on, payments=earlier)
    owed = status.surcharge.amount - status.surcharge_paid if is_surcharge else status.outstanding
    if amount > owed:
        raise InvalidInput(f"缴款金额超过应缴的{'加处罚款' if is_surcharge else '罚款'}（{owed} 元）。")
    payment = Payment.objects.create(
        case=case,
        paid_on=paid_on,
        amount=amount,
        receipt_number=require_text(receipt_number, "票据号"),
        is_surcharge=is_surcharge,
        recorded_by=run.actor,
    )
    # The same computation with this payment in, from the rows and due dates already at hand.
    after = selectors.payment_status(case, paid_on, payments=[*earlier, payment], schedule=status.schedule)
    if after.outstanding == 0 and after.surcharge_paid >= after.surcharge.amount:
        case.fine_paid_on = paid_on
        case.save()
    run.record(
        f"登记缴款{'（加处罚款）' if is_surcharge else ''} {amount} 元"
        + ("，罚款已缴清" if case.fine_paid_on else ""),
        amount=amount,
    )
    return payment


# ── 催告、申请强制执行 ─────────────────────────────────────────────────────────────────


class RemindForm(CaseForm):
    perform_within_days = forms.IntegerField(label="履行期限（日）", min_value=1, max_value=60, initial=10)


def _guard_remind(case: Case, on: dt.date) -> None:
    _guard_unpaid(case, on)
    if not selectors.payment_status(case, on).overdue:
        raise DomainError("罚款尚未到缴纳期限，不能催告（《行政强制法》第三十五条、第五十四条）。")


def _remind(run: Run[Case], *, perform_within_days: int = 10) -> Case:
    """催告书 (行政强制法 第三十五条、第五十四条): the amount owed, the surcharge so far, the rights."""
    case, on = run.subject, run.on
    status = selectors.payment_status(case, on)
    run.record(f"制发催告书：罚款 {status.outstanding} 元，加处罚款 {status.surcharge.amount} 元")
    issue(
        case,
        run.actor,
        "reminder",
        decision_number=_decision_number(case),
        fine_amount=status.outstanding,
        surcharge_amount=status.surcharge.amount,
        as_of=on,
        perform_by=on + dt.timedelta(days=perform_within_days),
        rights_text="当事人收到催告书后有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）。",
    )
    return case


class ApplyEnforcementForm(CaseForm):
    court = forms.CharField(label="受理法院", max_length=100)
    non_performance = forms.CharField(label="当事人不履行的情况", widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].initial = self.case.agency.litigation_court


def _guard_enforce(case: Case, on: dt.date) -> None:
    _guard_unpaid(case, on)
    if case.enforcement_applied_on is not None:
        raise DomainError("已经申请人民法院强制执行。")
    if case.reminder_served_on is None:
        raise DomainError("申请人民法院强制执行前，应当催告当事人履行义务（《行政强制法》第五十四条）。")
    ripe = deadlines.reminder_ripe(case.reminder_served_on).due
    if ripe is not None and on < ripe:
        raise DomainError(
            f"催告书送达十日后当事人仍未履行的，方可申请强制执行；最早可于 {ripe:%Y-%m-%d} 申请（《行政强制法》第五十四条）。"
        )
    start, end = selectors.enforcement_window(case)
    deferred = hasattr(case, "payment_plan")
    if on < start:
        raise DomainError(
            f"{'延期（分期）缴纳期限或' if deferred else ''}当事人提起行政诉讼的期限尚未届满，"
            f"应自 {start:%Y-%m-%d} 起申请强制执行（《行政强制法》第五十三条"
            f"{'、《行政处罚法》第七十二条第二款' if deferred else ''}）。"
        )
    if on > end:
        raise DomainError(
            f"申请人民法院强制执行的期限已于 {end:%Y-%m-%d} 届满（《行政强制法》第五十三条：期限届满之日起三个月内"
            f"{'；《行政处罚法》第七十二条第二款：自暂缓或者分期缴纳罚款期限结束之日起计算' if deferred else ''}）。"
        )


def _apply_enforcement(run: Run[Case], *, court: str, non_performance: str) -> Case:
    """申请人民法院强制执行 within 3 months after the litigation period (行政强制法 第五十三条)."""
    case, on = run.subject, run.on
    recording_gate.ensure_recorded(case, recording_gate.Stage.ENFORCEMENT)
    status = selectors.payment_status(case, on)
    case.enforcement_applied_on = on
    case.enforcement_court = require_text(court or case.agency.litigation_court, "受理法院")
    case.save()
    run.record(f"向{case.enforcement_court}申请强制执行")
    issue(
        case,
        run.actor,
        "enforcement_application",
        court=case.enforcement_court,
        decision_number=_decision_number(case),
        fine_amount=status.outstanding,
        surcharge_amount=status.surcharge.amount,
        non_performance=require_text(non_performance, "当事人不履行的情况"),
        reminder_served_on=case.reminder_served_on,
    )
    return case


# ── 结案、归档 ────────────────────────────────────────────────────────────────────────


class RequestClosingForm(CaseForm):
    summary = forms.CharField(label="执行情况及结案意见", widget=TEXT)


def _guard_request_closing(case: Case, on: dt.date) -> None:
    if case.final_fine > 0 and case.fine_paid_on is None and case.enforcement_applied_on is None:
        raise DomainError("罚款尚未缴清，也未申请人民法院强制执行，不能结案。")
    if case.measures.filter(ended_on__isnull=True).exists():
        raise DomainError("还有未解除或未处理的查封扣押、先行登记保存措施，不能结案。")


def _request_closing(run: Run[Case], *, summary: str) -> Case:
    case = run.subject
    case.closing_summary = require_text(summary, "执行情况及结案意见")
    case.save()
    run.record("提请结案", reason=case.closing_summary)
    return case


class ApproveClosingForm(CaseForm):
    summary = forms.CharField(label="执行情况及结案意见", widget=TEXT, required=False)
    opinion = opinion_field("同意结案。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].initial = self.case.closing_summary


def _approve_closing(run: Run[Case], *, summary: str = "", opinion: str = "") -> Case:
    """结案 by the head; the closing approval form goes into the file."""
    case, on = run.subject, run.on
    if summary.strip():
        case.closing_summary = summary.strip()
    if not case.closing_summary:
        raise InvalidInput("请填写执行情况及结案意见。")
    case.closed_on = on
    case.closed_by = run.actor
    case.save()
    run.record("批准结案", opinion=opinion.strip())
    issue(
        case,
        run.actor,
        "closing_approval",
        outcome_label=case.get_outcome_display() if case.outcome else case.get_procedure_display(),
        execution_summary=case.closing_summary,
        handler_opinion=case.closing_summary,
        approver_name=run.actor.display_name,
        approver_opinion=opinion.strip(),
        approved_on=on,
    )
    return case


def _guard_archive(case: Case, on: dt.date) -> None:
    if case.archived_at is not None:
        raise DomainError("案卷已经移交归档。")


def _archive(run: Run[Case]) -> Case:
    """移交归档 (第四十七条): the case file is handed to the archive; the archive issue takes it from here."""
    case = run.subject
    case.archived_at = timezone.now()
    case.save()
    run.record("案卷移交归档")
    return case


STEPS = [
    Step(
        "plan_payment",
        "批准延期（分期）缴纳",
        HEAD,
        EXECUTION,
        _plan_payment,
        PlanPaymentForm,
        guard=_guard_plan,
    ),
    Step(
        "record_payment",
        "登记缴款",
        # The head too: a bank file's receipts are entered for every case of the agency at once.
        HANDLER_OR_HEAD,
        EXECUTION,
        _record_payment,
        RecordPaymentForm,
        guard=_guard_unpaid,
    ),
    Step("remind", "催告", HANDLER, EXECUTION, _remind, RemindForm, guard=_guard_remind),
    Step(
        "apply_enforcement",
        "申请人民法院强制执行",
        HEAD,
        EXECUTION,
        _apply_enforcement,
        ApplyEnforcementForm,
        guard=_guard_enforce,
    ),
    Step(
        "request_closing",
        "提请结案",
        HANDLER,
        EXECUTION,
        _request_closing,
        RequestClosingForm,
        leads_to=(Status.CLOSING,),
        guard=_guard_request_closing,
    ),
    Step(
        "approve_closing",
        "批准结案",
        HEAD,
        frozenset({Status.CLOSING}),
        _approve_closing,
        ApproveClosingForm,
        leads_to=(Status.CLOSED,),
    ),
    Step(
        "archive",
        "移交归档",
        HANDLER_OR_HEAD,
        frozenset({Status.CLOSED, Status.NOT_FILED, Status.TRANSFERRED, Status.REVOKED}),
        _archive,
        StepForm,
        guard=_guard_archive,
    ),
]
