"""备案审查 (004 (四)3): what agencies file with the supervising 司法局, and how it is reviewed.

A Filing is opened when the duty arises (a major penalty decision, a township agency's 立案, a
changed 裁量基准 or document format), is due within N working days, is submitted by the
agency's head with the document attached, and is reviewed by the bureau within M working days:
备案 (recorded) or 纠错意见 (a signed opinion, with the agency's correction report due).
"""

from __future__ import annotations

from django.db import models

from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency

__all__ = ["Filing", "FilingEvent", "FilingKind", "FilingStatus"]


class FilingKind(models.TextChoices):
    MAJOR_DECISION = "major_decision", "重大行政处罚决定备案"
    TOWNSHIP_CASE = "township_case", "乡镇（街道）立案报备"
    DISCRETION = "discretion", "行政裁量权基准备案"
    DOCUMENT_FORMAT = "document_format", "执法文书格式备案"


class FilingStatus(models.TextChoices):
    DUE = "due", "待报备"
    SUBMITTED = "submitted", "待审查"
    RECORDED = "recorded", "已备案"
    CORRECTING = "correcting", "纠错整改中"
    CORRECTED = "corrected", "已报告整改"


class Filing(TimeStampedModel):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="filings", verbose_name="报备机关")
    bureau = models.ForeignKey(
        Agency, models.PROTECT, related_name="filings_received", verbose_name="备案机关"
    )
    kind = models.CharField("备案类别", max_length=20, choices=FilingKind.choices)
    status = models.CharField("状态", max_length=12, choices=FilingStatus.choices, default=FilingStatus.DUE)
    case = models.ForeignKey(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="filings", verbose_name="案件"
    )
    title = models.CharField("备案事项", max_length=200)
    description = models.TextField("说明", blank=True)
    # The day the duty arose: the decision, the 立案, the change of the benchmark or format.
    basis_on = models.DateField("起算日")
    due_on = models.DateField("报备期限")
    submitted_on = models.DateField("报备日期", null=True, blank=True)
    submitted_late = models.BooleanField("逾期报备", default=False)
    document = models.ForeignKey(
        "documents.Document",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报备文书",
    )
    review_due_on = models.DateField("审查期限", null=True, blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    opinion = models.TextField("审查意见", blank=True)
    correction_document = models.ForeignKey(
        "documents.Document",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="纠错意见书",
    )
    correction_due_on = models.DateField("整改报告期限", null=True, blank=True)
    correction_report = models.TextField("整改情况报告", blank=True)
    corrected_on = models.DateField("报告整改日期", null=True, blank=True)
    # What opened the filing by itself, once (e.g. "catalog.benchmark:42:amend"); empty when declared.
    origin_ref = models.CharField("来源标识", max_length=80, blank=True, default="")

    class Meta:
        verbose_name = "备案审查"
        verbose_name_plural = "备案审查"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "case"], condition=models.Q(case__isnull=False), name="filing_once_per_case"
            ),
            models.UniqueConstraint(
                fields=["origin_ref"], condition=~models.Q(origin_ref=""), name="filing_once_per_origin"
            ),
        ]
        indexes = [models.Index(fields=["bureau", "status"]), models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def subject_ref(self) -> str:
        return f"supervision.filing:{self.pk}"


class FilingEvent(WorkflowEvent):
    """Each step of a filing, with its ledger leaf."""

    filing = models.ForeignKey(Filing, models.CASCADE, related_name="events", verbose_name="备案")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "备案审查记录"
        verbose_name_plural = "备案审查记录"
