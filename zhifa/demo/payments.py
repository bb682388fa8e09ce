"""A receipt file from the collecting bank, imported once: it pays an unpaid demo fine exactly
(with the surcharge to the day, 第七十二条) and holds one line whose 缴款码 has a wrong check
digit, which waits in the head's queue (/payments/queue/)."""

from __future__ import annotations

from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case, Status
from zhifa.cases.payment_code import payment_code
from zhifa.payments.models import ReceiptImport
from zhifa.payments.selectors import owed_on
from zhifa.payments.services import receipt_import_create, receipt_import_run
from zhifa.payments.sources import Simulated, SimulatedSource

FILE_NAME = "演示银行缴款文件.csv"


def _unpaid() -> Case | None:
    """The unpaid demo fine whose decision was served last (the overdue ones keep their surcharge)."""
    return (
        Case.objects.filter(
            status=Status.EXECUTION,
            final_fine__gt=0,
            fine_paid_on__isnull=True,
            decision_served_on__isnull=False,
            enforcement_applied_on__isnull=True,
            reminder_served_on__isnull=True,
            payment_plan__isnull=True,
        )
        .select_related("agency__region")
        .order_by("-decision_served_on", "-pk")
        .first()
    )


def load() -> str:
    """Import the demo receipt file once; the sentence the demo prints."""
    if ReceiptImport.objects.filter(file_name=FILE_NAME).exists():
        return "演示缴款文件已导入（只在首次加载时导入）。"
    case = _unpaid()
    head = (
        User.objects.filter(role=Role.HEAD, is_active=True, officer__agency=case.agency).first()
        if case is not None
        else None
    )
    if case is None or head is None:
        return "没有待缴罚款的演示案件，未导入演示缴款文件。"
    today = timezone.localdate()
    code = payment_code(case)
    wrong = code[:-1] + str((int(code[-1]) + 5) % 10)
    source = SimulatedSource(
        [
            Simulated(code, today, owed_on(case, today).total, payer=case.party_name),
            Simulated(wrong, today, case.final_fine, payer="缴款人（缴款码填错）"),
        ],
        name="示例银行非税收入代收",
        prefix=f"DEMO{today:%Y%m%d}",
    )
    imported = receipt_import_create(actor=head, file_name=FILE_NAME, content=source.as_csv(), queue=False)
    done = receipt_import_run(pk=imported.pk)
    assert done is not None
    return f"导入演示缴款文件 {done.total} 行：{case.number} 入账，{done.queued} 笔未匹配待处理。"
