"""年度考核 (the yearly assessment of the agencies in a 司法局's region; 000 三(一)/四13, 004 (四)).

The indicators are data: a versioned 考核指标 set whose rows carry each indicator's code, name,
points, direction and target; how an indicator is computed is code, keyed by its code
(zhifa.supervision.assessment_indicators.COMPUTE). An assessment keeps the scores it computed as a
snapshot (each agency's raw value and points per indicator, this year and the year before).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency

__all__ = [
    "Assessment",
    "AssessmentEvent",
    "AssessmentStatus",
    "Direction",
    "Indicator",
    "IndicatorSet",
]


class IndicatorSet(TimeStampedModel):
    """A version of the 考核指标 (the indicators, their points and targets)."""

    version = models.CharField("版本", max_length=40, unique=True)
    title = models.CharField("名称", max_length=200)
    source = models.CharField("依据", max_length=300)
    is_current = models.BooleanField("现行", default=False)
    # 最低覆盖: an agency whose indicators with data carry less than this share of the set's
    # points is shown with its total but not ranked (a total resting on one figure says little).
    min_coverage = models.DecimalField(
        "参加排名的最低指标覆盖（%）",
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        help_text="有数据指标的分值合计占全部分值的比例低于此值的执法主体，列示得分但不参加排名；0 为不限。",
    )

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_coverage__gte=0, min_coverage__lte=100),
                name="assessment_set_min_coverage_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好"
    LOWER = "lower", "越低越好"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, models.CASCADE, related_name="indicators", verbose_name="考核指标"
    )
    code = models.CharField("代码", max_length=40)
    name = models.CharField("指标", max_length=100)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    direction = models.CharField("方向", max_length=8, choices=Direction.choices)
    # HIGHER: full points at or above the target, in proportion below it.
    # LOWER: full points at zero, none at or above the target (the ceiling), in proportion between.
    target = models.DecimalField("目标值", max_digits=8, decimal_places=4)
    unit = models.CharField("单位", max_length=10, default="%")
    source = models.CharField("依据", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核指标项"
        verbose_name_plural = "考核指标项"
        ordering = ["indicator_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="assessment_indicator_code_once"),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="assessment_indicator_points"),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="assessment_indicator_target"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    APPROVED = "approved", "已审定"
    PUBLISHED = "published", "已发布"


class Assessment(TimeStampedModel):
    """A 司法局's yearly assessment of the agencies in its region."""

    bureau = models.ForeignKey(Agency, models.PROTECT, related_name="assessments", verbose_name="司法局")
    year = models.PositiveIntegerField("考核年度")
    number = models.CharField("编号", max_length=60, unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    indicator_set = models.ForeignKey(
        IndicatorSet, models.PROTECT, related_name="assessments", verbose_name="考核指标"
    )
    # {"indicators": [...], "rows": [{"agency", "name", "rank", "total", "previous_total", "scores": [...]}]}
    snapshot = models.JSONField("考核结果", default=dict)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="创建人"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审定人",
    )
    approved_at = models.DateTimeField("审定时间", null=True, blank=True)
    notice = models.ForeignKey(
        "documents.Document", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="考核通报"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度考核"
        verbose_name_plural = "年度考核"
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["bureau", "year"], name="assessment_once_per_bureau_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.year} 年度行政执法工作考核"

    @property
    def subject_ref(self) -> str:
        return f"supervision.assessment:{self.pk}"


class AssessmentEvent(WorkflowEvent):
    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="events", verbose_name="年度考核")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "年度考核记录"
        verbose_name_plural = "年度考核记录"
