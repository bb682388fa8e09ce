"""Every write of the receipts: import a file, apply its lines to cases, resolve the queue.

A line whose 缴款码 names an unpaid case of the agency and whose amount is exactly what is owed
on the day of payment (the fine still unpaid plus the surcharge accrued to that day, 第七十二条)
pays the case through the cases' own `record_payment` step, in one transaction with the line:
fine first, then surcharge. Every other line waits in the queue for the head: unmatched (no such
code, a bad check digit, another agency's case) or mismatched (partial, too much, a case already
paid or not in execution).

The lines of a file are written in chunks: one query to find the transaction numbers already
imported, one to load the cases named, one bulk insert of the lines that go to the queue; a line
that pays goes through the step runner (the case's lock, event and ledger leaf).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhifa.cases.models import Case, Status
from zhifa.cases.payment_code import case_id_of, matches
from zhifa.cases.workflow import take
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.core.tasks import after_commit
from zhifa.ledger.services import ledger_append
from zhifa.org.policies import agency_of
from zhifa.payments import ledger, policies
from zhifa.payments.models import ImportStatus, LineState, ReceiptImport, ReceiptLine
from zhifa.payments.selectors import Owed, owed_on
from zhifa.payments.sources import FileSource, Receipt, ensure_readable

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency

CHUNK = 500
MAX_BYTES = 20 * 1024 * 1024
ARTICLE = "《行政处罚法》第六十七条、第七十二条"


@dataclass
class Tally:
    applied: int = 0
    queued: int = 0
    duplicates: int = 0
    cases: list[int] = field(default_factory=list)


def _agency_for(actor: User) -> Agency:
    agency = agency_of(actor)
    if agency is None:
        raise NotPermitted("缴款文件的导入应由执法主体的负责人办理。")
    policies.ensure_may_handle(actor, agency)
    return agency


def receipt_import_create(
    *, actor: User, file_name: str, content: bytes, queue: bool = True
) -> ReceiptImport:
    """Check the file (format of docs/payment.md), keep it, and queue its import (a Huey task)."""
    if actor is None or not actor.is_authenticated:
        raise InvalidInput("导入缴款文件须指明操作人（机关负责人）。")
    agency = _agency_for(actor)
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"缴款文件不能超过 {MAX_BYTES // 1024 // 1024} MB，请分批导入。")
    receipts = ensure_readable(FileSource(file_name, content))
    with transaction.atomic():
        source = ReceiptImport.objects.create(
            agency=agency,
            file_name=file_name[-200:] or "缴款文件",
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            total=len(receipts),
            imported_by=actor,
        )
        if queue:
            from zhifa.payments.tasks import receipt_import_task

            after_commit(receipt_import_task, source.pk)
    return source


def receipt_import_run(*, pk: int, progress: Callable[[int], object] | None = None) -> ReceiptImport | None:
    """The import task: claims a queued import, ingests its lines, records the result."""
    claimed = ReceiptImport.objects.filter(pk=pk, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, updated_at=timezone.now()
    )
    source = ReceiptImport.objects.select_related("agency", "imported_by").get(pk=pk)
    if not claimed:
        return None  # another worker has it, or it is finished
    try:
        receipts = FileSource(source.file_name, bytes(source.content)).receipts()
        receipts_ingest(source=source, receipts=receipts, progress=progress)
    except DomainError as error:
        ReceiptImport.objects.filter(pk=pk).update(
            status=ImportStatus.FAILED, error=error.message, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        source.refresh_from_db()
        source.status, source.finished_at = ImportStatus.DONE, timezone.now()
        source.save(update_fields=["status", "finished_at", "updated_at"])
        ledger_append(kind=ledger.KIND, ref=source.ref, payload=ledger.import_payload(source))
    return source


def _line(source: ReceiptImport, r: Receipt, *, state: str, reason: str, case: Case | None) -> ReceiptLine:
    return ReceiptLine(
        source=source,
        agency=source.agency,
        line_number=r.line_number,
        transaction_id=r.transaction_id,
        payment_code=r.payment_code,
        paid_on=r.paid_on,
        amount=r.amount,
        payer=r.payer,
        case=case,
        state=state,
        reason=reason[:300],
    )


def _owed_text(owed: Owed) -> str:
    return f"应缴 {owed.total} 元（罚款 {owed.principal} 元，加处罚款计至缴款日 {owed.surcharge} 元）"


def _refusal(case: Case, amount: Decimal, paid_on: dt.date, on: dt.date) -> tuple[str, Owed | None]:
    """Why this receipt cannot pay this case by itself, or ("", owed) when it pays it exactly."""
    if case.final_fine <= 0:
        return "该案件没有罚款。", None
    if case.fine_paid_on is not None:
        return f"该案件罚款已于 {case.fine_paid_on:%Y-%m-%d} 缴清，可能为重复缴款，应核实后退付。", None
    if case.status != Status.EXECUTION or case.decision_served_on is None:
        return f"案件处于“{case.get_status_display()}”阶段，不在执行阶段。", None
    if paid_on > on:
        return "缴款日期晚于今天。", None
    owed = owed_on(case, paid_on)
    if amount < owed.total:
        return f"部分缴款：缴款 {amount} 元，{_owed_text(owed)}。", owed
    if amount > owed.total:
        return f"缴款 {amount} 元超过{_owed_text(owed)}，多缴部分应当退付。", owed
    return "", owed


def _pay(
    actor: User, case: Case, line: ReceiptLine, owed_principal: Decimal, owed_surcharge: Decimal
) -> None:
    """The case's own step, once for the fine and once for the surcharge (principal first)."""
    receipt = line.transaction_id
    if owed_principal > 0:
        take(
            "record_payment",
            actor=actor,
            case=case,
            paid_on=line.paid_on,
            amount=owed_principal,
            receipt_number=receipt,
        )
    if owed_surcharge > 0:
        take(
            "record_payment",
            actor=actor,
            case=case,
            paid_on=line.paid_on,
            amount=owed_surcharge,
            receipt_number=receipt,
            is_surcharge=True,
        )


def _lock(pk: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency__region", "payment_plan")
        .prefetch_related("payments")  # read twice by owed_on
        .get(pk=pk)
    )


def _apply_exact(source: ReceiptImport, r: Receipt, case_pk: int, on: dt.date) -> str:
    """Pay the case if the receipt still pays it exactly under the lock; else queue the line."""
    actor = source.imported_by
    try:
        with transaction.atomic():
            case = _lock(case_pk)
            reason, owed = _refusal(case, r.amount, r.paid_on, on)
            if reason:
                _line(source, r, state=LineState.MISMATCH, reason=reason, case=case).save()
                return LineState.MISMATCH
            assert owed is not None
            line = _line(source, r, state=LineState.APPLIED, reason="", case=case)
            line.principal, line.surcharge = owed.principal, owed.surcharge
            line.save()  # the unique transaction number is claimed before the case is paid
            _pay(actor, case, line, owed.principal, owed.surcharge)
            return LineState.APPLIED
    except IntegrityError:
        return "duplicate"  # the same transaction, imported at this moment by another worker


def receipts_ingest(
    *, source: ReceiptImport, receipts: Sequence[Receipt], progress: Callable[[int], object] | None = None
) -> Tally:
    """Write the lines of `receipts` for the import's agency, chunk by chunk (see the module doc)."""
    agency, on = source.agency, timezone.localdate()
    tally, seen = Tally(), set()
    for start in range(0, len(receipts), CHUNK):
        chunk = receipts[start : start + CHUNK]
        ids = [r.transaction_id for r in chunk]
        known = set(
            ReceiptLine.objects.filter(transaction_id__in=ids).values_list("transaction_id", flat=True)
        )
        named = {r.transaction_id: case_id_of(r.payment_code) for r in chunk}
        wanted = {pk for pk in named.values() if pk is not None}
        cases = {
            c.pk: c
            for c in Case.objects.filter(agency=agency, pk__in=wanted)
            .select_related("agency__region", "payment_plan")
            .prefetch_related("payments")
        }
        queued: list[ReceiptLine] = []
        exact: list[tuple[Receipt, int]] = []
        for r in chunk:
            if r.transaction_id in known or r.transaction_id in seen:
                tally.duplicates += 1
                continue
            seen.add(r.transaction_id)
            pk = named[r.transaction_id]
            case = cases.get(pk) if pk is not None else None
            if case is None or not matches(case, r.payment_code):
                why = (
                    "缴款码校验不通过，可能填写有误。" if pk is None else "没有找到该缴款码对应的本机关案件。"
                )
                queued.append(_line(source, r, state=LineState.UNMATCHED, reason=why, case=None))
                continue
            reason, _ = _refusal(case, r.amount, r.paid_on, on)
            if reason:
                queued.append(_line(source, r, state=LineState.MISMATCH, reason=reason, case=case))
            else:
                exact.append((r, case.pk))
        # One commit per chunk (one fsync on SQLite); each payment is a savepoint of its own.
        with transaction.atomic():
            made = ReceiptLine.objects.bulk_create(queued, ignore_conflicts=True)
            tally.queued += len(made)
            for r, pk in exact:
                outcome = _apply_exact(source, r, pk, on)
                if outcome == LineState.APPLIED:
                    tally.applied += 1
                    tally.cases.append(pk)
                elif outcome == LineState.MISMATCH:
                    tally.queued += 1
                else:
                    tally.duplicates += 1
        ReceiptImport.objects.filter(pk=source.pk).update(
            processed=F("processed") + len(chunk),
            applied=tally.applied,
            queued=tally.queued,
            duplicates=tally.duplicates,
            updated_at=timezone.now(),
        )
        if progress is not None:
            progress(len(chunk))
    return tally


# ── the queue ─────────────────────────────────────────────────────────────────────────────


def _open_line(actor: User, line: ReceiptLine) -> ReceiptLine:
    policies.ensure_may_handle(actor, line.agency)
    locked = ReceiptLine.objects.select_for_update(of=("self",)).select_related("agency").get(pk=line.pk)
    if not locked.is_open:
        raise Conflict(f"该笔缴款已{locked.get_state_display()}，不能再次处理。")
    return locked


def _close(actor: User, line: ReceiptLine, state: str, reason: str) -> ReceiptLine:
    line.state, line.reason = state, reason[:300]
    line.resolved_by, line.resolved_at = actor, timezone.now()
    line.save()
    ledger_append(kind=ledger.LINE_KIND, ref=line.ref, payload=ledger.line_payload(line))
    return line


@transaction.atomic
def receipt_line_resolve(*, actor: User, line: ReceiptLine, case_number: str = "") -> ReceiptLine:
    """入账 by hand: the head names the case (for an unmatched line) and the amount is entered,
    fine first and then surcharge; a partial payment leaves the rest owed. More than is owed on
    the day is refused: the excess is refunded, not kept."""
    line = _open_line(actor, line)
    number = case_number.strip()
    if number:
        found = Case.objects.filter(agency=line.agency, number=number).first()
        if found is None:
            raise InvalidInput(f"本机关没有案件编号为“{number}”的案件。")
        pk = found.pk
    elif line.case_id is not None:
        pk = line.case_id
    else:
        raise InvalidInput("该笔缴款未匹配到案件，请填写案件编号。")
    case = _lock(pk)
    reason, owed = _refusal(case, line.amount, line.paid_on, timezone.localdate())
    if owed is None:
        raise DomainError(f"不能入账：{reason}")
    if line.amount > owed.total:
        raise DomainError(f"不能入账：{reason}请选择“不予入账”并注明退付情况（{ARTICLE}）。")
    principal = min(line.amount, owed.principal)
    extra = line.amount - principal
    line.case, line.principal, line.surcharge = case, principal, extra
    _pay(actor, case, line, principal, extra)
    summary = "足额入账" if not reason else "部分缴款入账，余额仍应缴纳"
    return _close(actor, line, LineState.RESOLVED, f"{summary}（{actor.display_name}核实）")


@transaction.atomic
def receipt_line_dismiss(*, actor: User, line: ReceiptLine, reason: str) -> ReceiptLine:
    """不予入账 (e.g. refunded to the payer, paid twice), with the reason on file."""
    line = _open_line(actor, line)
    if not reason.strip():
        raise InvalidInput("请填写不予入账的理由（如已退付缴款人）。")
    return _close(actor, line, LineState.DISMISSED, reason.strip())
