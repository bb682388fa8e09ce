"""公示: what the portal shows. A Publication is one thing on the portal (a decision, a list, an
annual report); what it says lives in its versions, each an explicitly redacted projection
(DESIGN §3.6), so the portal, feeds, exports and search index never read a case directly.

Time-derived state (overdue, display period over) is computed when read (zhifa.disclosure.periods).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency, Certificate


class Kind(models.TextChoices):
    DECISION = "decision", "行政执法决定"
    AGENCY = "agency", "执法主体信息"
    OFFICERS = "officers", "执法人员清单"
    MATTERS = "matters", "执法事项清单"
    INSPECTIONS = "inspections", "随机抽查事项清单"
    BENCHMARKS = "benchmarks", "行政裁量基准"
    GUIDES = "guides", "服务指南"
    ANNUAL_REPORT = "annual_report", "行政执法统计年报"
    INSPECTION_RESULT = "check_result", "行政检查结果"


# 事前公开: lists an agency keeps current; each new version replaces the previous one.
PRIOR_KINDS = (Kind.AGENCY, Kind.OFFICERS, Kind.MATTERS, Kind.INSPECTIONS, Kind.BENCHMARKS, Kind.GUIDES)


class State(models.TextChoices):
    """What the disclosure administrator did; 逾期 and 期满 are derived from dates, never stored."""

    DRAFT = "draft", "待审核发布"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤回"


class DisplayClass(models.TextChoices):
    """Which display period applies (《市场监督管理行政处罚信息公示规定》第十三条)."""

    MINOR = "minor", "警告、通报批评或较低数额罚款"
    STANDARD = "standard", "其他执法决定"
    CURRENT = "current", "现行有效期间持续公开"


class Publication(TimeStampedModel):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="publications", verbose_name="执法主体")
    kind = models.CharField("公示类别", max_length=16, choices=Kind.choices)
    # What is published: "cases.case:<pk>" for a decision, the kind for a prior list, "annual:<year>".
    subject = models.CharField("公示对象", max_length=80)
    case = models.ForeignKey(
        Case, models.PROTECT, null=True, blank=True, related_name="publications", verbose_name="案件"
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    due_on = models.DateField("公开期限", null=True, blank=True)
    published_at = models.DateTimeField("首次公开时间", null=True, blank=True)
    display_class = models.CharField(
        "公示期类别", max_length=10, choices=DisplayClass.choices, default=DisplayClass.CURRENT
    )
    party_is_natural_person = models.BooleanField("当事人为自然人", default=False)

    # Copied from the current version for the portal's filters and search (never personal data).
    title = models.CharField("标题", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    category = models.CharField("执法类别", max_length=50, blank=True)
    matter_kind = models.CharField("行为类别", max_length=16, blank=True)
    outcome = models.CharField("执法结论类别", max_length=16, blank=True)
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    search_text = models.TextField("检索分词", blank=True, editable=False)

    # 撤回 (《行政处罚法》第四十八条第二款)
    withdrawal_due_on = models.DateField("应撤回期限", null=True, blank=True)
    withdrawal_cause = models.CharField("撤回事由", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="撤回人",
    )
    withdrawal_reason = models.TextField("撤回理由", blank=True)

    # 提前停止公示 (信用修复, 《市场监督管理行政处罚信息公示规定》第十四条): the display ends on this
    # day instead of at the end of its period; the publication stays, with the reason.
    display_ended_on = models.DateField("提前停止公示日期", null=True, blank=True)
    display_end_reason = models.TextField("提前停止公示理由", blank=True)
    display_ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提前停止公示决定人",
    )

    # Open-data cursor: every public change takes the next number (zhifa.core.numbering).
    revision = models.PositiveBigIntegerField("变更序号", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "公示信息"
        verbose_name_plural = "公示信息"
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "subject"], name="publication_unique_subject"),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdrawal_reason=""),
                name="publication_withdrawal_has_reason",
                violation_error_message="撤回公示信息须说明理由（《行政处罚法》第四十八条第二款）。",
            ),
            models.CheckConstraint(
                condition=Q(display_ended_on__isnull=True) | ~Q(display_end_reason=""),
                name="publication_display_end_has_reason",
                violation_error_message="提前停止公示须记录理由。",
            ),
            models.CheckConstraint(
                condition=Q(fine__isnull=True) | Q(fine__gte=Decimal(0)),
                name="publication_fine_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "state", "decided_on"]),
            models.Index(fields=["agency", "kind", "state"]),
            # An agency's publications newest first: a search with the agency filter walks it.
            models.Index(fields=["agency", "id"], name="publication_agency_newest"),
        ]

    def __str__(self) -> str:
        return self.title


class PublicationVersion(models.Model):
    """One approved (or awaiting approval) text of a publication; corrections add versions."""

    publication = models.ForeignKey(
        Publication, models.CASCADE, related_name="versions", verbose_name="公示信息"
    )
    number = models.PositiveIntegerField("版本")
    # The redacted projection: field → value, in display order.
    content = models.JSONField("公示内容", default=dict)
    # Masked spans for the administrator's review: field → [[start, end, category], ...].
    marks = models.JSONField("遮蔽位置", default=dict, blank=True)
    content_sha256 = models.CharField("内容摘要", max_length=64)
    effective_from = models.DateField("生效日期", null=True, blank=True)
    note = models.CharField("更正或修改说明", max_length=300, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拟稿人",
    )
    prepared_at = models.DateTimeField("拟稿时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核发布人",
    )
    approved_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示信息版本"
        verbose_name_plural = "公示信息版本"
        ordering = ["publication", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publication_version_unique"),
            models.UniqueConstraint(
                fields=["publication"],
                condition=Q(approved_at__isnull=True),
                name="publication_one_draft",
                violation_error_message="一条公示信息同时只能有一个待审核版本。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publication}（第{self.number}版）"


class DraftEditAction(models.TextChoices):
    UNMASK = "unmask", "取消遮蔽"
    MASK = "mask", "补充遮蔽"
    SEND_BACK = "send_back", "退回"


class DraftEdit(models.Model):
    """What the disclosure administrator changed in a draft before approval, by whom and why. The
    unmasked and masked words are applied again whenever the draft is made again; a send-back
    stands until the draft is prepared anew."""

    version = models.ForeignKey(
        PublicationVersion, models.CASCADE, related_name="edits", verbose_name="公示信息版本"
    )
    action = models.CharField("操作", max_length=10, choices=DraftEditAction.choices)
    field = models.CharField("字段", max_length=40, blank=True)
    start = models.PositiveIntegerField("起", null=True, blank=True)  # in the draft text before the edit
    end = models.PositiveIntegerField("止", null=True, blank=True)
    # The words unmasked or masked: staff side only, never on a public surface.
    words = models.CharField("文字", max_length=100, blank=True)
    reason = models.CharField("理由", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示稿修改记录"
        verbose_name_plural = "公示稿修改记录"
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}：{self.get_action_display()}"


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    PRAISE = "praise", "表扬"


class Feedback(TimeStampedModel):
    """A member of the public's complaint or praise, e.g. from an officer's credential page."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="feedback", verbose_name="执法主体")
    certificate = models.ForeignKey(
        Certificate, models.SET_NULL, null=True, blank=True, related_name="feedback", verbose_name="执法证"
    )
    kind = models.CharField("类别", max_length=10, choices=FeedbackKind.choices)
    content = models.TextField("内容")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    reply = models.TextField("处理情况", blank=True)

    class Meta:
        verbose_name = "投诉表扬"
        verbose_name_plural = "投诉表扬"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"
