"""法制审核 (《行政处罚法》第五十八条): the agency's review catalog, the marks that put a case in
it, and the review rounds with their coordination records.

Whether a case needs review is computed when read (zhifa.review.catalog) from the catalog and
the stored facts of the case; nothing here stores "required". A round is one submission of the
handler and the reviewer's answer to it; every round is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency


class ReviewCatalog(TimeStampedModel):
    """重大执法决定法制审核目录清单 of one agency: which criteria send a case to review.

    Defaults follow the seeds (川办发〔2019〕34号, 宁政办发〔2019〕33号): every criterion on; the
    amounts left empty use the jurisdiction's hearing thresholds (较大数额).
    """

    agency = models.OneToOneField(
        Agency, models.CASCADE, related_name="review_catalog", verbose_name="执法主体"
    )
    public_interest = models.BooleanField("涉及重大公共利益", default=True)
    social_impact = models.BooleanField("可能造成重大社会影响或者引发社会风险", default=True)
    major_rights = models.BooleanField("直接关系行政相对人或者第三人重大权益", default=True)
    major_kinds = models.JSONField(
        "属于重大权益的处罚种类",
        default=list,
        blank=True,
        help_text="留空时使用默认：降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业、行政拘留。",
    )
    fine_citizen = models.DecimalField(
        "重大权益罚款标准：自然人（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="留空时使用本地参数“听证较大数额罚款标准”。",
    )
    fine_organisation = models.DecimalField(
        "重大权益罚款标准：法人或者其他组织（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    after_hearing = models.BooleanField("经过听证程序", default=True)
    complex_case = models.BooleanField("案件情况疑难复杂、涉及多个法律关系", default=True)
    all_general = models.BooleanField(
        "一般程序案件一律审核（一案一卷一审）",
        default=False,
        help_text="浙江省统计局：积极推进法定简易程序外所有执法决定法制审核，做到“一案一卷一审”。",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )

    class Meta:
        verbose_name = "法制审核目录清单"
        verbose_name_plural = "法制审核目录清单"
        constraints = [
            models.CheckConstraint(
                condition=(Q(fine_citizen__isnull=True) | Q(fine_citizen__gte=0))
                & (Q(fine_organisation__isnull=True) | Q(fine_organisation__gte=0)),
                name="review_catalog_amounts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}法制审核目录清单"


class Criterion(models.TextChoices):
    """What a person marks on a case; the rest of the catalog is read from the case's facts."""

    PUBLIC_INTEREST = "public_interest", "涉及重大公共利益"
    SOCIAL_IMPACT = "social_impact", "可能造成重大社会影响或者引发社会风险"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"
    HEAD_ADDED = "head_added", "机关负责人决定进行法制审核"


class ReviewMark(models.Model):
    """A criterion marked on a case by a handler or head, with the reason. Never removed."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="review_marks", verbose_name="案件")
    criterion = models.CharField("情形", max_length=20, choices=Criterion.choices)
    reason = models.CharField("理由", max_length=300)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="标记人"
    )
    marked_at = models.DateTimeField("标记时间", auto_now_add=True)

    class Meta:
        verbose_name = "法制审核情形标记"
        verbose_name_plural = "法制审核情形标记"
        ordering = ["marked_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "criterion"], name="review_mark_once")]

    def __str__(self) -> str:
        return self.get_criterion_display()


class Opinion(models.TextChoices):
    AGREE = "agree", "同意"
    PROBLEMS = "problems", "存在问题"


class ReviewRound(TimeStampedModel):
    """One submission for review and its answer (送审 → 分配 → 审核意见), kept for good."""

    case = models.ForeignKey("cases.Case", models.CASCADE, related_name="review_rounds", verbose_name="案件")
    number = models.PositiveIntegerField("轮次")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="送审人"
    )
    submitted_at = models.DateTimeField("送审时间")
    materials = models.JSONField("送审材料", default=list, help_text="[{code, label, ref}]")
    note = models.TextField("送审说明（整改情况）", blank=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="分配人",
    )
    assigned_at = models.DateTimeField("分配时间", null=True, blank=True)

    opinion = models.CharField("审核意见", max_length=10, choices=Opinion.choices, blank=True)
    items = models.JSONField("审核事项", default=list, blank=True, help_text="[{code, finding, note}]")
    problems = models.TextField("存在的问题及修改建议", blank=True)
    reviewed_at = models.DateTimeField("审核完成时间", null=True, blank=True)
    document_number = models.CharField("法制审核意见书文号", max_length=60, blank=True)

    disagreed_at = models.DateTimeField("承办人提出异议时间", null=True, blank=True)
    disagreement = models.TextField("异议理由", blank=True)
    discussion = models.OneToOneField(
        "cases.CollectiveDiscussion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="review_round",
        verbose_name="集体讨论",
    )

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="review_round_unique_number"),
            models.CheckConstraint(
                condition=Q(opinion="") | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="review_round_opinion_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(disagreed_at__isnull=True) | Q(opinion="problems"),
                name="review_round_disagreement_on_problems",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 第{self.number}轮法制审核"

    @property
    def state(self) -> str:
        if self.discussion_id is not None:
            return "集体讨论已决定"
        if self.opinion:
            if self.disagreed_at is not None:
                return "承办人有异议"
            return self.get_opinion_display()
        return "审核中" if self.reviewer_id else "待分配审核人员"


class Coordination(TimeStampedModel):
    """协调记录: the handling unit and the review body talk a disagreement over."""

    round = models.ForeignKey(
        ReviewRound, models.CASCADE, related_name="coordinations", verbose_name="审核轮次"
    )
    held_at = models.DateTimeField("协调时间")
    participants = models.CharField("参加人员", max_length=300)
    summary = models.TextField("协调情况")
    agreed = models.BooleanField("达成一致", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="记录人"
    )

    class Meta:
        verbose_name = "协调记录"
        verbose_name_plural = "协调记录"
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"协调 {self.held_at:%Y-%m-%d}"


class SubjectReview(TimeStampedModel):
    """法制审核 of something other than a case: e.g. an electronic monitoring device before its
    records may be used (《行政处罚法》第四十一条). The owning app names it by a string ref
    ("devices.device:7") so this app knows nothing of it; every submission and answer is kept."""

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="subject_reviews", verbose_name="执法主体"
    )
    subject_ref = models.CharField("审核对象", max_length=100, db_index=True)
    subject_label = models.CharField("审核对象名称", max_length=200)
    basis = models.CharField("审核依据", max_length=200)
    materials = models.TextField("送审材料摘要")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="送审人"
    )
    submitted_at = models.DateTimeField("送审时间")
    opinion = models.CharField("审核意见", max_length=10, choices=Opinion.choices, blank=True)
    reasons = models.TextField("审核意见说明", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "其他事项法制审核"
        verbose_name_plural = "其他事项法制审核"
        ordering = ["subject_ref", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opinion="") | (Q(reviewer__isnull=False) & Q(reviewed_at__isnull=False)),
                name="subject_review_opinion_has_reviewer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} 法制审核"

    @property
    def ref(self) -> str:
        return f"review.subjectreview:{self.pk}"

    @property
    def state(self) -> str:
        return self.get_opinion_display() if self.opinion else "审核中"
