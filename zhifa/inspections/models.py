"""行政检查 and 双随机一公开: the registries, the plans and their verifiable draws.

- Subject: one row of the 检查对象名录库, unique by its 统一社会信用代码 (GB 32100-2015).
- Recusal: an officer's 回避声明 for one subject (《行政处罚法》第四十三条).
- Plan: a 抽查计划 of a lead agency (and, for a 跨部门联合抽查, its participating agencies, each
  with its own items and inspectors), on the step runner: 草拟 → 待审批 → 已批准 → 已公示 →
  已锁定 → 已抽取.
- PlanSnapshot: the population frozen at the lock (sorted credit codes and their SHA-256).
- Draw, DrawAssignment, DrawInspector: the draw's inputs and outputs, one assignment per drawn
  subject, the inspectors of each participating agency in rank order (with the history of
  recusals after the draw).

The inspection tasks themselves (检查任务, visits, records, results) live in models_tasks.py.
See docs/inspections.md for the draw algorithm.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models_public import InspectionItem
from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency, Certificate, EnforcementDomain, Officer, Region, validate_uscc_code


class Subject(TimeStampedModel):
    """检查对象名录库: a market subject (企业、个体工商户、其他组织) with its credit-risk class.

    The risk classes are a jurisdiction's scale (settings.ZHIFA_CREDIT_RISK_CLASSES, A/B/C/D by
    default); the services refuse a class outside the scale.
    """

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc_code])
    name = models.CharField("名称", max_length=200)
    address = models.CharField("住所（经营场所）", max_length=300, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="subjects", verbose_name="所在区划")
    industry = models.CharField("行业", max_length=100, blank=True, db_index=True)
    licences = models.JSONField("许可证照", default=list, blank=True, help_text="许可证名称及编号的列表。")
    risk_class = models.CharField("信用风险分类", max_length=8, db_index=True)
    is_active = models.BooleanField(
        "存续", default=True, help_text="注销、吊销或迁出的主体不再进入抽查名录（保留历史记录）。"
    )
    last_import = models.ForeignKey(
        "RegistryImport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最近一次导入",
    )

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"
        ordering = ["uscc"]
        indexes = [models.Index(fields=["region", "risk_class"], name="inspection_subject_region_risk")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "待确认"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class RegistryImport(TimeStampedModel):
    """One import of the registry from an XLSX or CSV file: preview, then a background task."""

    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("文件内容", editable=False)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导入人",
    )
    total = models.PositiveIntegerField("数据行数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    # [{"row": 5, "message": "..."}], at most a few hundred kept (the count is `error_count`).
    errors = models.JSONField("错误行", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误行数", default=0)
    # The first rows as checked at the upload, so the preview page does not parse the file again.
    preview = models.JSONField("预览", default=dict, blank=True, editable=False)
    message = models.CharField("说明", max_length=300, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "名录导入"
        verbose_name_plural = "名录导入"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else (100 if self.status == "done" else 0)


class Recusal(TimeStampedModel):
    """回避声明: the officer shall not inspect this subject (《行政处罚法》第四十三条)."""

    officer = models.ForeignKey(Officer, models.PROTECT, related_name="recusals", verbose_name="执法人员")
    subject = models.ForeignKey(Subject, models.PROTECT, related_name="recusals", verbose_name="检查对象")
    reason = models.CharField("回避理由", max_length=300)
    declared_at = models.DateTimeField("声明时间")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )

    class Meta:
        verbose_name = "回避声明"
        verbose_name_plural = "回避声明"
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "subject"], name="inspection_recusal_once"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.subject}"


class PlanKind(models.TextChoices):
    YEARLY = "yearly", "年度抽查计划"
    AD_HOC = "ad_hoc", "专项抽查计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    PUBLISHED = "published", "已公示"
    LOCKED = "locked", "已锁定"
    DRAWN = "drawn", "已抽取"


class Plan(TimeStampedModel):
    """抽查计划 of a lead agency; with participating agencies, a 跨部门联合抽查 (综合查一次).

    `population` filters the registry: {"regions": [region codes, each with its subtree],
    "industries": [...], "risk_classes": [...]} (each key optional; empty means all). Only
    subjects that still exist (`is_active`) are drawn from.
    """

    number = models.CharField("计划编号", max_length=60, unique=True)
    title = models.CharField("计划名称", max_length=200)
    kind = models.CharField("计划类别", max_length=10, choices=PlanKind.choices, default=PlanKind.YEARLY)
    year = models.PositiveSmallIntegerField("年度")
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="inspection_plans", verbose_name="牵头机关"
    )
    agencies = models.ManyToManyField(
        Agency, through="PlanAgency", related_name="joint_inspection_plans", verbose_name="参与机关"
    )
    items = models.ManyToManyField(
        InspectionItem, through="PlanItem", related_name="plans", verbose_name="抽查事项"
    )
    population = models.JSONField("抽查对象范围", default=dict, blank=True)
    window_start = models.DateField("检查开始日期")
    window_end = models.DateField("检查截止日期")
    draw_at = models.DateTimeField("抽取时间")
    witness_rule = models.CharField(
        "见证值规则",
        max_length=300,
        help_text="事先公布、抽取时由见证人录入的公开数值，如“抽取日上证综合指数收盘点位（保留两位小数）”。",
    )
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="拟稿人",
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
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=models.F("window_start")),
                name="inspection_plan_window_ordered",
                violation_error_message="检查截止日期不能早于开始日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_joint(self) -> bool:
        return self.plan_agencies.count() > 1


class PlanAgency(models.Model):
    """An agency taking part in a plan: it contributes inspectors certified for `domain`.

    The lead agency has a row too (`is_lead`), so every agency's pool is drawn alike.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="plan_agencies", verbose_name="抽查计划")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="参与机关")
    domain = models.ForeignKey(
        EnforcementDomain, models.PROTECT, related_name="+", verbose_name="检查人员执法类别"
    )
    is_lead = models.BooleanField("牵头", default=False)
    position = models.PositiveSmallIntegerField("次序", default=0)

    class Meta:
        verbose_name = "参与机关"
        verbose_name_plural = "参与机关"
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspection_plan_agency_once"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(is_lead=True), name="inspection_plan_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.agency}"


class PlanItem(models.Model):
    """An item of the published 随机抽查事项清单 in the plan, inspected by its own agency."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="plan_items", verbose_name="抽查计划")
    item = models.ForeignKey(InspectionItem, models.PROTECT, related_name="+", verbose_name="抽查事项")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="实施机关")

    class Meta:
        verbose_name = "计划抽查事项"
        verbose_name_plural = "计划抽查事项"
        ordering = ["plan", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "item"], name="inspection_plan_item_once")]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.item}"


class PlanRatio(models.Model):
    """The share of one credit-risk class to draw: ceil(n × ratio) subjects of the class."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="ratios", verbose_name="抽查计划")
    risk_class = models.CharField("信用风险分类", max_length=8)
    ratio = models.DecimalField("抽查比例", max_digits=7, decimal_places=6)

    class Meta:
        verbose_name = "抽查比例"
        verbose_name_plural = "抽查比例"
        ordering = ["plan", "risk_class"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "risk_class"], name="inspection_plan_ratio_once"),
            models.CheckConstraint(
                condition=Q(ratio__gte=0) & Q(ratio__lte=1),
                name="inspection_plan_ratio_range",
                violation_error_message="抽查比例应在 0 到 1 之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.risk_class}: {self.ratio}"


class PlanEvent(WorkflowEvent):
    """The record of each step of a plan, with its ledger leaf."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="events", verbose_name="抽查计划")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "抽查计划记录"
        verbose_name_plural = "抽查计划记录"


class PlanSnapshot(models.Model):
    """The population frozen at the lock: the sorted credit codes and each one's risk class.

    `codes` and `classes` are newline-joined, in the same order; `sha256` is SHA-256 of `codes`
    as UTF-8 (the codes joined by "\\n"). `leaf_index` is the lock's ledger leaf: the draw's seed
    takes the first signed checkpoint that includes it.
    """

    plan = models.OneToOneField(Plan, models.PROTECT, related_name="snapshot", verbose_name="抽查计划")
    codes = models.TextField("统一社会信用代码（排序）")
    classes = models.TextField("信用风险分类（同序）")
    count = models.PositiveIntegerField("对象数")
    sha256 = models.CharField("snapshot_sha256", max_length=64)
    leaf_index = models.BigIntegerField("锁定账本叶序号")
    locked_at = models.DateTimeField("锁定时间")
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="锁定人",
    )

    class Meta:
        verbose_name = "抽查对象快照"
        verbose_name_plural = "抽查对象快照"

    def __str__(self) -> str:
        return f"{self.plan.number} {self.count} {self.sha256[:12]}"


class Draw(models.Model):
    """A plan's draw: the inputs of the seed and what it selected.

    `strata`: [{"class", "ratio" (decimal string), "population" (count), "selected": [codes in
    draw order]}]. `pools`: [{"agency": name, "domain": code, "eligible": [certificate numbers]}]
    per participating agency, frozen at the draw. `outputs`: the tasks as first drawn (the public
    JSON shows them as they stand, with recusals after the draw).
    """

    plan = models.OneToOneField(Plan, models.PROTECT, related_name="draw", verbose_name="抽查计划")
    seed = models.CharField("种子", max_length=64)
    witness_value = models.CharField("见证值", max_length=100)
    witness_name = models.CharField("见证人", max_length=100)
    checkpoint = models.ForeignKey(
        "ledger.Checkpoint", models.PROTECT, related_name="+", verbose_name="检查点"
    )
    checkpoint_size = models.BigIntegerField("检查点叶数")
    checkpoint_root = models.CharField("检查点根哈希", max_length=64)
    strata = models.JSONField("分层抽取结果", default=list)
    pools = models.JSONField("检查人员名录", default=list)
    outputs = models.JSONField("首次抽取结果", default=list)
    drawn_at = models.DateTimeField("抽取时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="抽取人",
    )

    class Meta:
        verbose_name = "抽取"
        verbose_name_plural = "抽取"
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan.number} {self.seed[:12]}"


class DrawAssignment(models.Model):
    """One drawn subject of a draw; its inspection task (models_tasks) points here."""

    draw = models.ForeignKey(Draw, models.PROTECT, related_name="assignments", verbose_name="抽取")
    subject = models.ForeignKey(
        Subject, models.PROTECT, related_name="draw_assignments", verbose_name="检查对象"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18)
    risk_class = models.CharField("信用风险分类", max_length=8)
    # Position in the draw's order: strata in order, then ascending HMAC key inside each.
    position = models.PositiveIntegerField("抽取次序")
    key = models.CharField("排序键", max_length=64, help_text="HMAC-SHA256(种子, 统一社会信用代码)。")

    class Meta:
        verbose_name = "抽中对象"
        verbose_name_plural = "抽中对象"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "subject"], name="inspection_assignment_subject_once"),
            models.UniqueConstraint(fields=["draw", "position"], name="inspection_assignment_position_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw.plan.number} #{self.position} {self.uscc}"


class InspectorStatus(models.TextChoices):
    ASSIGNED = "assigned", "承担检查"
    SKIPPED = "skipped", "回避（抽取时）"
    REPLACED = "replaced", "回避（抽取后）"


class DrawInspector(models.Model):
    """An inspector met in rank order for one drawn subject and agency.

    Assigned ones carry the task; a skipped one was recused at the draw, a replaced one recused
    after it (its `reason` and `replaced_by`, the next in rank, are kept).
    """

    assignment = models.ForeignKey(
        DrawAssignment, models.CASCADE, related_name="inspectors", verbose_name="抽中对象"
    )
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="所属机关")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="draw_slots", verbose_name="检查人员")
    certificate = models.ForeignKey(Certificate, models.PROTECT, related_name="+", verbose_name="执法证")
    certificate_number = models.CharField("执法证号", max_length=40)
    rank = models.PositiveIntegerField("名次", help_text="在本机关检查人员名录中按 HMAC 排序的名次（0 起）。")
    key = models.CharField("排序键", max_length=64)
    status = models.CharField(
        "状态", max_length=10, choices=InspectorStatus.choices, default=InspectorStatus.ASSIGNED
    )
    reason = models.CharField("回避理由", max_length=300, blank=True)
    replaced_by = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaces", verbose_name="替换为"
    )
    changed_at = models.DateTimeField("变更时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽中检查人员"
        verbose_name_plural = "抽中检查人员"
        ordering = ["assignment", "agency", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "officer"], name="inspection_inspector_once"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.uscc} {self.certificate_number}（{self.get_status_display()}）"


# The inspection tasks (visits, checklists, records, results, warnings) live in their own module.
from zhifa.inspections.models_tasks import (  # noqa: E402
    CONCLUDED_STATUSES as CONCLUDED_STATUSES,
)
from zhifa.inspections.models_tasks import PROBLEM_RESULTS as PROBLEM_RESULTS  # noqa: E402
from zhifa.inspections.models_tasks import Answer as Answer  # noqa: E402
from zhifa.inspections.models_tasks import AttachmentKind as AttachmentKind  # noqa: E402
from zhifa.inspections.models_tasks import InspectionTask as InspectionTask  # noqa: E402
from zhifa.inspections.models_tasks import InspectionWarning as InspectionWarning  # noqa: E402
from zhifa.inspections.models_tasks import ItemCheck as ItemCheck  # noqa: E402
from zhifa.inspections.models_tasks import Signature as Signature  # noqa: E402
from zhifa.inspections.models_tasks import TaskAttachment as TaskAttachment  # noqa: E402
from zhifa.inspections.models_tasks import TaskEvent as TaskEvent  # noqa: E402
from zhifa.inspections.models_tasks import TaskKind as TaskKind  # noqa: E402
from zhifa.inspections.models_tasks import TaskResult as TaskResult  # noqa: E402
from zhifa.inspections.models_tasks import TaskStatus as TaskStatus  # noqa: E402
from zhifa.inspections.models_tasks import WarningKind as WarningKind  # noqa: E402
