"""罚缴分离 (《行政处罚法》第六十七条): receipt files from the collecting bank or the 非税收入 system,
their lines, and what became of each line.

A line is keyed by the bank's own transaction number, unique in the database: the same file,
the same line in two files, or two imports at once never record one payment twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ReceiptImport(TimeStampedModel):
    """One receipt file, imported for one agency by its head; the task updates the progress."""

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="receipt_imports", verbose_name="执法主体"
    )
    file_name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    content = models.BinaryField("文件内容", editable=False)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField("行数", default=0)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    applied = models.PositiveIntegerField("已入账", default=0)
    queued = models.PositiveIntegerField("待处理", default=0)
    duplicates = models.PositiveIntegerField("重复（已导入过）", default=0)
    error = models.TextField("错误", blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="导入人"
    )
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "缴款文件导入"
        verbose_name_plural = "缴款文件导入"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def ref(self) -> str:
        return f"payments.receiptimport:{self.pk}"


class LineState(models.TextChoices):
    APPLIED = "applied", "已入账"
    UNMATCHED = "unmatched", "未匹配"
    MISMATCH = "mismatch", "金额不符"
    RESOLVED = "resolved", "已人工入账"
    DISMISSED = "dismissed", "不予入账"


# The states that wait in the staff's queue.
OPEN_STATES = (LineState.UNMATCHED, LineState.MISMATCH)


class ReceiptLine(models.Model):
    """One bank transaction: who paid what with which 缴款码, and where it went."""

    source = models.ForeignKey(ReceiptImport, models.PROTECT, related_name="lines", verbose_name="导入批次")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="执法主体")
    line_number = models.PositiveIntegerField("行号")
    transaction_id = models.CharField("交易流水号", max_length=60, unique=True)
    payment_code = models.CharField("缴款码", max_length=40, blank=True)
    paid_on = models.DateField("缴款日期")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    payer = models.CharField("缴款人", max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="receipt_lines", verbose_name="案件"
    )
    state = models.CharField("状态", max_length=10, choices=LineState.choices)
    reason = models.CharField("说明", max_length=300, blank=True)
    principal = models.DecimalField("入账罚款（元）", max_digits=14, decimal_places=2, default=Decimal(0))
    surcharge = models.DecimalField("入账加处罚款（元）", max_digits=14, decimal_places=2, default=Decimal(0))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "缴款流水"
        verbose_name_plural = "缴款流水"
        ordering = ["source", "line_number"]
        indexes = [models.Index(fields=["agency", "state"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_line_positive"),
            models.CheckConstraint(
                condition=~Q(state__in=["applied", "resolved"]) | Q(case__isnull=False),
                name="receipt_line_applied_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.amount} 元"

    @property
    def ref(self) -> str:
        return f"payments.receiptline:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES
