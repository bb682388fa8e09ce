"""执行 → 结案 → 归档: payment, deferral and instalments, surcharge, 催告, court enforcement, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhifa.cases import recording_gate, workflow
from zhifa.cases.models import Case, Payment, PaymentArrangement, PaymentPlan, Status
from zhifa.cases.money import yuan
from zhifa.cases.selectors import payment_status
from zhifa.cases.services._common import event, issue, not_in_future, require_text
from zhifa.core.calendar import today
from zhifa.core.errors import InvalidInput

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _decision_number(case: Case) -> str:
    from zhifa.documents.models import Document

    doc = (
        Document.objects.filter(
            subject_ref=case.subject_ref,
            status="issued",
            kind__in=["penalty_decision", "on_the_spot_decision"],
        )
        .order_by("-issued_at")
        .first()
    )
    return doc.number if doc else ""


@transaction.atomic
def case_plan_payment(
    *, actor: User, case: Case, arrangement: str, schedule: Sequence[tuple[dt.date, Decimal]], reason: str
) -> PaymentPlan:
    """延期或者分期缴纳罚款, on the party's application and the head's approval (第六十六条第二款)."""
    workflow.ensure("plan_payment", case, actor)
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
    if any(a <= 0 for _, a in rows) or rows[0][0] < today():
        raise InvalidInput("每期金额应大于零，缴纳期限不能早于今天。")
    plan = PaymentPlan.objects.create(
        case=case,
        arrangement=arrangement,
        schedule=[{"due_on": f"{d:%Y-%m-%d}", "amount": f"{a:.2f}"} for d, a in rows],
        reason=require_text(reason, "当事人申请理由"),
        approved_by=actor,
    )
    event(
        case, actor, "plan_payment", f"批准{plan.get_arrangement_display()}，共 {len(rows)} 期", reason=reason
    )
    issue(
        case,
        actor,
        "payment_approval",
        decision_number=_decision_number(case),
        fine_amount=case.final_fine,
        arrangement_label=plan.get_arrangement_display(),
        schedule=[{"due_on": d, "amount": a} for d, a in rows],
        reason=plan.reason,
    )
    return plan


@transaction.atomic
def case_record_payment(
    *,
    actor: User,
    case: Case,
    paid_on: dt.date,
    amount: Decimal,
    receipt_number: str,
    is_surcharge: bool = False,
) -> Payment:
    """缴款 at the bank (决定与收缴分离, 第六十七条); the case is paid up when principal and surcharge are."""
    workflow.ensure("record_payment", case, actor)
    amount = yuan(amount, what="缴款金额")
    if amount <= 0:
        raise InvalidInput("缴款金额应大于零。")
    not_in_future(paid_on, "缴款日期", today())
    status = payment_status(case, paid_on)
    owed = status.surcharge.amount - status.surcharge_paid if is_surcharge else status.outstanding
    if amount > owed:
        raise InvalidInput(f"缴款金额超过应缴的{'加处罚款' if is_surcharge else '罚款'}（{owed} 元）。")
    payment = Payment.objects.create(
        case=case,
        paid_on=paid_on,
        amount=amount,
        receipt_number=require_text(receipt_number, "票据号"),
        is_surcharge=is_surcharge,
        recorded_by=actor,
    )
    after = payment_status(case, paid_on)
    if after.outstanding == 0 and after.surcharge_paid >= after.surcharge.amount:
        case.fine_paid_on = paid_on
        case.save()
    event(
        case,
        actor,
        "record_payment",
        f"登记缴款{'（加处罚款）' if is_surcharge else ''} {amount} 元"
        + ("，罚款已缴清" if case.fine_paid_on else ""),
        amount=amount,
    )
    return payment


@transaction.atomic
def case_remind(*, actor: User, case: Case, perform_within_days: int = 10) -> Case:
    """催告书 (行政强制法 第三十五条、第五十四条): the amount owed, the surcharge so far, the rights."""
    on = today()
    workflow.ensure("remind", case, actor, on)
    status = payment_status(case, on)
    perform_by = on + dt.timedelta(days=perform_within_days)
    event(
        case,
        actor,
        "remind",
        f"制发催告书：罚款 {status.outstanding} 元，加处罚款 {status.surcharge.amount} 元",
    )
    issue(
        case,
        actor,
        "reminder",
        decision_number=_decision_number(case),
        fine_amount=status.outstanding,
        surcharge_amount=status.surcharge.amount,
        as_of=on,
        perform_by=perform_by,
        rights_text="当事人收到催告书后有权进行陈述和申辩（《中华人民共和国行政强制法》第三十六条）。",
    )
    return case


@transaction.atomic
def case_apply_enforcement(*, actor: User, case: Case, court: str, non_performance: str) -> Case:
    """申请人民法院强制执行 within 3 months after the litigation period (行政强制法 第五十三条)."""
    on = today()
    workflow.ensure("apply_enforcement", case, actor, on)
    recording_gate.ensure_recorded(case, recording_gate.Stage.ENFORCEMENT)
    status = payment_status(case, on)
    case.enforcement_applied_on = on
    case.enforcement_court = require_text(court or case.agency.litigation_court, "受理法院")
    case.save()
    event(case, actor, "apply_enforcement", f"向{case.enforcement_court}申请强制执行")
    issue(
        case,
        actor,
        "enforcement_application",
        court=case.enforcement_court,
        decision_number=_decision_number(case),
        fine_amount=status.outstanding,
        surcharge_amount=status.surcharge.amount,
        non_performance=require_text(non_performance, "当事人不履行的情况"),
        reminder_served_on=case.reminder_served_on,
    )
    return case


@transaction.atomic
def case_request_closing(*, actor: User, case: Case, summary: str) -> Case:
    workflow.ensure("request_closing", case, actor)
    case.closing_summary = require_text(summary, "执行情况及结案意见")
    case.status = Status.CLOSING
    case.save()
    event(case, actor, "request_closing", "提请结案", reason=case.closing_summary)
    return case


@transaction.atomic
def case_approve_closing(*, actor: User, case: Case, summary: str = "") -> Case:
    """结案 by the head; the closing approval form goes into the file."""
    on = today()
    workflow.ensure("approve_closing", case, actor, on)
    if summary.strip():
        case.closing_summary = summary.strip()
    if not case.closing_summary:
        raise InvalidInput("请填写执行情况及结案意见。")
    case.status = Status.CLOSED
    case.closed_on = on
    case.closed_by = actor
    case.save()
    event(case, actor, "approve_closing", "批准结案")
    issue(
        case,
        actor,
        "closing_approval",
        outcome_label=case.get_outcome_display() if case.outcome else case.get_procedure_display(),
        execution_summary=case.closing_summary,
        handler_opinion=case.closing_summary,
        approver_name=str(actor),
        approved_on=on,
    )
    return case


@transaction.atomic
def case_archive(*, actor: User, case: Case) -> Case:
    """移交归档 (第四十七条): the case file is handed to the archive; the archive issue takes it from here."""
    workflow.ensure("archive", case, actor)
    case.archived_at = timezone.now()
    case.save()
    event(case, actor, "archive", "案卷移交归档")
    return case
