"""案卷评查 (case-file evaluation) by the 司法局: the standard, the campaign, its sample, the
scored files and the rectification of the failed ones.

Sources: 004 (四)1 (持续做好行政执法案卷评查), 004 (四)3 (每年至少组织一次行政执法案卷评查，并通报有关情况),
001 §9(1) (全过程记录信息用于案卷评查). The rules are in docs/supervision-evaluation.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency, EnforcementDomain

__all__ = [
    "Campaign",
    "CampaignStatus",
    "EvaluationEvent",
    "EvaluationFile",
    "FileCheck",
    "FileKind",
    "FileStatus",
    "Grade",
    "ItemCategory",
    "Rectification",
    "RectificationStatus",
    "Standard",
    "StandardItem",
]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ItemCategory(models.TextChoices):
    VETO = "veto", "基本标准（一票否决）"
    SUBJECT = "subject", "执法主体"
    FACTS = "facts", "事实证据"
    PROCEDURE = "procedure", "执法程序"
    LAW = "law", "法律适用"
    DOCUMENTS = "documents", "执法文书"
    DISCRETION = "discretion", "行政裁量"


class Standard(TimeStampedModel):
    """A 评查标准, versioned: a campaign keeps the version it was started with."""

    code = models.CharField("标准代码", max_length=40)
    version = models.PositiveIntegerField("版本")
    title = models.CharField("名称", max_length=200)
    source = models.CharField("依据", max_length=300)
    excellent_min = models.DecimalField("优秀分数线", max_digits=6, decimal_places=2)
    pass_min = models.DecimalField("合格分数线", max_digits=6, decimal_places=2)
    effective_from = models.DateField("施行日期")

    class Meta:
        verbose_name = "案卷评查标准"
        verbose_name_plural = "案卷评查标准"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="evaluation_standard_version_unique"),
            models.CheckConstraint(
                condition=models.Q(excellent_min__gte=models.F("pass_min")),
                name="evaluation_thresholds_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"

    @property
    def max_points(self) -> Decimal:
        return sum((i.points for i in self.items.all()), Decimal(0))


class StandardItem(models.Model):
    """One item: a veto item (一票否决) or a scored item with its points. `check` names the
    automatic check (`auto_check`) that pre-fills it (zhifa/supervision/evaluation_checks.py), blank when only
    the evaluator can judge it."""

    standard = models.ForeignKey(Standard, models.CASCADE, related_name="items", verbose_name="评查标准")
    category = models.CharField("类别", max_length=12, choices=ItemCategory.choices)
    code = models.CharField("条目代码", max_length=20)
    label = models.CharField("评查内容", max_length=200)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2, default=Decimal(0))
    auto_check = models.CharField("自动核查", max_length=30, blank=True)
    applies_to = models.CharField("适用案卷", max_length=12, blank=True, help_text="空：各类案卷。")
    basis = models.CharField("依据", max_length=200, blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评查条目"
        verbose_name_plural = "评查条目"
        ordering = ["standard", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="evaluation_item_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def is_veto(self) -> bool:
        return self.category == ItemCategory.VETO


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    APPROVED = "approved", "已批准"
    LOCKED = "locked", "已锁定案卷范围"
    SAMPLED = "sampled", "评查中"
    FINISHED = "finished", "已通报"


class Campaign(TimeStampedModel):
    """A 案卷评查 campaign of a 司法局: its scope, its sample and its result."""

    bureau = models.ForeignKey(
        Agency, models.PROTECT, related_name="evaluation_campaigns", verbose_name="司法局"
    )
    number = models.CharField("评查编号", max_length=60, unique=True)
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    standard = models.ForeignKey(Standard, models.PROTECT, related_name="campaigns", verbose_name="评查标准")
    agencies = models.ManyToManyField(Agency, related_name="+", verbose_name="被评查执法主体")
    domains = models.ManyToManyField(EnforcementDomain, blank=True, related_name="+", verbose_name="执法类别")
    period_start = models.DateField("结案（办结）日期自")
    period_end = models.DateField("结案（办结）日期至")
    include_cases = models.BooleanField("行政处罚案卷", default=True)
    include_inspections = models.BooleanField("行政检查案卷", default=False)
    ratio = models.DecimalField("每个执法主体抽取比例", max_digits=5, decimal_places=4, null=True, blank=True)
    count = models.PositiveIntegerField("每个执法主体抽取件数", null=True, blank=True)
    witness_rule = models.CharField("见证值规则", max_length=300)
    rectification_workdays = models.PositiveIntegerField("整改期限（工作日）", default=20)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+", verbose_name="创建人"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准人",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    # The population frozen at the lock: file numbers sorted, each one's agency in the same order.
    snapshot_numbers = models.TextField("案卷编号（排序）", blank=True)
    snapshot_agencies = models.TextField("所属执法主体（同序）", blank=True)
    snapshot_count = models.PositiveIntegerField("案卷总数", default=0)
    snapshot_sha256 = models.CharField("快照哈希", max_length=64, blank=True)
    snapshot_leaf_index = models.BigIntegerField("锁定记录账本序号", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    # The draw's public inputs.
    witness_name = models.CharField("见证人", max_length=100, blank=True)
    witness_value = models.CharField("见证值", max_length=100, blank=True)
    checkpoint_size = models.BigIntegerField("检查点大小", null=True, blank=True)
    checkpoint_root = models.CharField("检查点根哈希", max_length=64, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    notice = models.ForeignKey(
        "documents.Document", models.PROTECT, null=True, blank=True, related_name="+", verbose_name="评查通报"
    )
    finished_at = models.DateTimeField("通报时间", null=True, blank=True)

    class Meta:
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ratio__isnull=True) ^ models.Q(count__isnull=True),
                name="evaluation_ratio_or_count",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="evaluation_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def subject_ref(self) -> str:
        return f"supervision.campaign:{self.pk}"


class FileKind(models.TextChoices):
    CASE = "case", "行政处罚案卷"
    INSPECTION = "inspection", "行政检查案卷"


class FileStatus(models.TextChoices):
    DRAWN = "drawn", "待分配评查人员"
    ASSIGNED = "assigned", "评查中"
    SCORED = "scored", "已评分"


class EvaluationFile(TimeStampedModel):
    """One drawn case file, its evaluator and its result."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="files", verbose_name="案卷评查")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="被评查执法主体")
    kind = models.CharField("案卷类别", max_length=12, choices=FileKind.choices)
    number = models.CharField("案卷编号", max_length=60)
    case = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="+")
    task = models.ForeignKey(
        "inspections.InspectionTask", models.PROTECT, null=True, blank=True, related_name="+"
    )
    draw_key = models.CharField("抽取键（HMAC）", max_length=64)
    status = models.CharField("状态", max_length=12, choices=FileStatus.choices, default=FileStatus.DRAWN)
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="评查人员",
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField("触发一票否决", default=False)
    comment = models.TextField("评查意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        verbose_name = "评查案卷"
        verbose_name_plural = "评查案卷"
        ordering = ["campaign", "agency", "draw_key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="evaluation_file_once"),
        ]

    def __str__(self) -> str:
        return self.number


class FileCheck(models.Model):
    """One item of the standard for one file: what zhifa found, and what the evaluator decided.

    `auto_met` None: zhifa cannot decide it. For a veto item `met` False is the veto; for a
    scored item `points` is what it earns (0 to the item's points).
    """

    file = models.ForeignKey(EvaluationFile, models.CASCADE, related_name="checks", verbose_name="评查案卷")
    item = models.ForeignKey(StandardItem, models.PROTECT, related_name="+", verbose_name="评查条目")
    auto_met = models.BooleanField("系统核查结果", null=True)
    evidence = models.TextField("核查依据", blank=True)
    met = models.BooleanField("符合", default=True)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2, default=Decimal(0))
    overridden = models.BooleanField("改变系统核查结果", default=False)
    reason = models.CharField("理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "评查记录"
        verbose_name_plural = "评查记录"
        ordering = ["file", "item__order", "item__pk"]
        constraints = [models.UniqueConstraint(fields=["file", "item"], name="evaluation_check_once")]

    def __str__(self) -> str:
        return f"{self.file_id} {self.item_id}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    REPORTED = "reported", "已报告整改"
    ACCEPTED = "accepted", "整改已确认"


class Rectification(TimeStampedModel):
    """The 整改 of a 不合格 file: due to the agency, reported by its head, accepted by the bureau."""

    file = models.OneToOneField(EvaluationFile, models.CASCADE, related_name="rectification")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="执法主体")
    status = models.CharField(
        "状态", max_length=12, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    problems = models.TextField("存在问题")
    due_on = models.DateField("整改期限")
    report = models.TextField("整改情况报告", blank=True)
    reported_at = models.DateTimeField("报告时间", null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "评查整改"
        verbose_name_plural = "评查整改"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.file.number} 整改"


class EvaluationEvent(WorkflowEvent):
    """Each step of a campaign, of one of its files or of a rectification, with its ledger leaf."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="events", verbose_name="案卷评查")
    file = models.ForeignKey(
        EvaluationFile, models.CASCADE, null=True, blank=True, related_name="events", verbose_name="评查案卷"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = "案卷评查记录"
        verbose_name_plural = "案卷评查记录"
