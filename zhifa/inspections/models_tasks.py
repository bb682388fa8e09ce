"""行政检查任务: one visit of one subject by two inspectors, its checklist, its 现场检查笔录 with
photos and video, its result, and the warnings of 无事不扰.

A task comes from a draw (双随机: one per DrawAssignment) or is created for another kind of
inspection (专项检查, 投诉举报核查, 上级交办), which has no draw and is counted apart. Its status
moves only through the step runner (zhifa.inspections.workflow). Its files are evidence blobs
(zhifa.evidence: content-addressed, hashed with SHA-256 and SM3); a transfer to a case carries
them into the case's evidence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.catalog.models import InspectionItem, Stage
from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency, Officer


class TaskKind(models.TextChoices):
    RANDOM = "random", "双随机抽查"
    SPECIAL = "special", "专项检查"
    COMPLAINT = "complaint", "投诉举报核查"
    ASSIGNED = "assigned", "上级交办"


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "待检查"
    ON_SITE = "on_site", "现场检查中"
    RECORDED = "recorded", "笔录已制作"
    RECTIFYING = "rectifying", "责令改正待复查"
    CLOSED = "closed", "已办结"
    TRANSFERRED = "transferred", "已移送立案"


# Where a task has its result (the portal publishes it from then on).
CONCLUDED_STATUSES = frozenset({TaskStatus.RECTIFYING, TaskStatus.CLOSED, TaskStatus.TRANSFERRED})


class TaskResult(models.TextChoices):
    NO_PROBLEM = "no_problem", "未发现问题"
    CORRECTED = "corrected", "发现问题已责令改正"
    TRANSFERRED = "transferred", "移送立案"
    NOT_OPERATING = "not_operating", "未发现经营"
    UNREACHABLE = "unreachable", "无法联系"


# Results that count as "problems found" in the figures.
PROBLEM_RESULTS = frozenset({TaskResult.CORRECTED, TaskResult.TRANSFERRED})


class Signature(models.TextChoices):
    SIGNED = "signed", "当事人签名确认"
    REFUSED = "refused", "当事人拒绝签名"
    ABSENT = "absent", "当事人不在场"


class Answer(models.TextChoices):
    PASS = "pass", "符合"
    FAIL = "fail", "不符合"
    NA = "na", "不适用"


class InspectionTask(TimeStampedModel):
    number = models.CharField("检查编号", max_length=60, unique=True)
    kind = models.CharField("检查类别", max_length=10, choices=TaskKind.choices)
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="inspection_tasks", verbose_name="检查机关"
    )
    subject = models.ForeignKey(
        "inspections.Subject", models.PROTECT, related_name="tasks", verbose_name="检查对象"
    )
    assignment = models.OneToOneField(
        "inspections.DrawAssignment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
        verbose_name="抽取结果",
    )
    items = models.ManyToManyField(InspectionItem, related_name="tasks", verbose_name="检查事项")
    inspector_a = models.ForeignKey(Officer, models.PROTECT, related_name="+", verbose_name="检查人员")
    inspector_b = models.ForeignKey(Officer, models.PROTECT, related_name="+", verbose_name="检查人员")
    # 跨部门联合抽查 (综合查一次): the participating agencies' inspectors, on the same visit.
    joint_inspectors = models.ManyToManyField(
        Officer, blank=True, related_name="joint_inspection_tasks", verbose_name="联合检查人员"
    )
    reason = models.TextField(
        "检查依据或来源", blank=True, help_text="专项检查的部署、投诉举报或交办的事由。"
    )
    # 检查码: a random token the QR code carries; the public page it opens shows the task.
    code = models.CharField("检查码", max_length=32, unique=True)
    valid_from = models.DateField("检查期间自")
    valid_until = models.DateField("检查期间至")
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)

    # The visit
    started_at = models.DateTimeField("到达现场时间", null=True, blank=True)
    code_shown = models.BooleanField("已出示检查码", default=False)
    code_scanned_at = models.DateTimeField("检查码首次被扫描时间", null=True, blank=True)

    # 现场检查笔录
    record_started_at = models.DateTimeField("检查开始时间", null=True, blank=True)
    record_ended_at = models.DateTimeField("检查结束时间", null=True, blank=True)
    place = models.CharField("检查地点", max_length=200, blank=True)
    present_person = models.CharField("在场人", max_length=100, blank=True)
    findings = models.TextField("检查情况", blank=True)
    signature = models.CharField("当事人签字", max_length=8, choices=Signature.choices, blank=True)
    signature_note = models.CharField("拒签或不在场情况", max_length=300, blank=True)

    # The result
    result = models.CharField("检查结果", max_length=14, choices=TaskResult.choices, blank=True)
    result_note = models.TextField("结果说明", blank=True)
    concluded_on = models.DateField("结果作出日期", null=True, blank=True)
    rectification_document = models.ForeignKey(
        "documents.Document",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责令改正通知书",
    )
    follow_up_on = models.DateField("复查日期", null=True, blank=True)
    followed_up_on = models.DateField("复查完成日期", null=True, blank=True)
    follow_up_note = models.TextField("复查情况", blank=True)
    case = models.ForeignKey(
        "cases.Case",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_tasks",
        verbose_name="移送立案的案源",
    )

    class Meta:
        verbose_name = "行政检查任务"
        verbose_name_plural = "行政检查任务"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["subject", "concluded_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(inspector_a=models.F("inspector_b")),
                name="inspection_task_two_inspectors",
                violation_error_message="行政检查应由两名不同的执法人员进行（《行政处罚法》第四十二条）。",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")), name="inspection_task_window"
            ),
            models.CheckConstraint(
                condition=Q(kind="random") | Q(assignment__isnull=True),
                name="inspection_task_draw_only_random",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(concluded_on__isnull=False),
                name="inspection_task_result_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def ref(self) -> str:
        return f"inspections.inspectiontask:{self.pk}"

    @property
    def subject_ref(self) -> str:
        """How documents name this task (documents know no inspections)."""
        return f"inspection:{self.pk}"

    @property
    def inspectors(self) -> list[Officer]:
        return [self.inspector_a, self.inspector_b]

    def is_inspector(self, officer: Officer | None) -> bool:
        if officer is None:
            return False
        if officer.pk in (self.inspector_a_id, self.inspector_b_id):
            return True
        return self.pk is not None and self.joint_inspectors.filter(pk=officer.pk).exists()

    @property
    def is_concluded(self) -> bool:
        return self.status in CONCLUDED_STATUSES


class ItemCheck(models.Model):
    """One line of the checklist: an item of the task, 符合/不符合/不适用, and what was seen."""

    task = models.ForeignKey(InspectionTask, models.CASCADE, related_name="checks", verbose_name="检查任务")
    item = models.ForeignKey(InspectionItem, models.PROTECT, related_name="+", verbose_name="检查事项")
    answer = models.CharField("检查结论", max_length=4, choices=Answer.choices)
    note = models.CharField("说明", max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="填写人"
    )
    checked_at = models.DateTimeField("填写时间", auto_now=True)

    class Meta:
        verbose_name = "检查事项结论"
        verbose_name_plural = "检查事项结论"
        ordering = ["task", "item__code"]
        constraints = [models.UniqueConstraint(fields=["task", "item"], name="item_check_once_per_task")]

    def __str__(self) -> str:
        return f"{self.item.name}：{self.get_answer_display()}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "现场照片"
    VIDEO = "video", "现场视频"
    AUDIO = "audio", "现场录音"
    DOCUMENT = "document", "书证材料"


class TaskAttachment(models.Model):
    """A photo, video or paper taken on the visit: an evidence blob with its metadata."""

    task = models.ForeignKey(
        InspectionTask, models.PROTECT, related_name="attachments", verbose_name="检查任务"
    )
    kind = models.CharField("种类", max_length=10, choices=AttachmentKind.choices)
    title = models.CharField("名称", max_length=200)
    blob = models.ForeignKey("evidence.Blob", models.PROTECT, related_name="+", verbose_name="文件")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    collected_at = models.DateTimeField("采集时间")
    collector = models.ForeignKey(Officer, models.PROTECT, related_name="+", verbose_name="采集人")
    stage = models.CharField("执法环节", max_length=16, choices=Stage.choices, default=Stage.ON_SITE)
    # A whole-process recording states when it started and ended (全程音像记录).
    recording_started_at = models.DateTimeField("录制开始时间", null=True, blank=True)
    recording_ended_at = models.DateTimeField("录制结束时间", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    added_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "现场检查音像资料"
        verbose_name_plural = "现场检查音像资料"
        ordering = ["collected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recording_ended_at__isnull=True)
                | Q(recording_started_at__isnull=True)
                | Q(recording_ended_at__gte=models.F("recording_started_at")),
                name="task_attachment_recording_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def ref(self) -> str:
        return f"inspections.taskattachment:{self.pk}"

    @property
    def is_av(self) -> bool:
        return self.kind in (AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.AUDIO)


class TaskEvent(WorkflowEvent):
    """The full-process record of a task (执法全过程记录), each with its ledger leaf."""

    task = models.ForeignKey(InspectionTask, models.CASCADE, related_name="events", verbose_name="检查任务")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "检查任务记录"
        verbose_name_plural = "检查任务记录"

    def __str__(self) -> str:
        return self.summary


class WarningKind(models.TextChoices):
    FREQUENCY = "frequency", "同一对象年度检查次数超过上限"
    NO_CODE = "no_code", "未出示检查码进行检查"


class InspectionWarning(models.Model):
    """无事不扰: a warning for the agency head and the 司法局 (a later issue makes clues of them)."""

    kind = models.CharField("预警类别", max_length=10, choices=WarningKind.choices)
    subject = models.ForeignKey(
        "inspections.Subject", models.PROTECT, related_name="warnings", verbose_name="检查对象"
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="inspection_warnings", verbose_name="检查机关"
    )
    task = models.ForeignKey(
        InspectionTask, models.PROTECT, related_name="warnings", verbose_name="引发预警的检查"
    )
    year = models.PositiveIntegerField("年度")
    count = models.PositiveIntegerField("年度检查次数", default=0)
    message = models.CharField("预警内容", max_length=300)
    raised_at = models.DateTimeField("预警时间", auto_now_add=True)

    class Meta:
        verbose_name = "行政检查预警"
        verbose_name_plural = "行政检查预警"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="inspection_warning_once_per_task")
        ]

    def __str__(self) -> str:
        return self.message
