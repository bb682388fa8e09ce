"""监督线索: one inbox of clues and complaints for the 司法局 (and, by region, the 司法所).

A clue is registered (登记), assigned to the responsible agency with a deadline in working days
(分办), handled and answered by that agency (办理), reviewed by the supervisor (审核: accepted or
returned), and closed with a reply to the complainant (办结). Every step is taken by the runner
(zhifa.supervision.clue_workflow) and leaves a ClueEvent with its ledger leaf. 督办通知书 and
行政执法监督意见书/建议书 are ClueNotices: a signed document with the agency's 整改报告 due.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency

__all__ = [
    "Clue",
    "ClueAttachment",
    "ClueEvent",
    "ClueNotice",
    "ClueSource",
    "ClueStatus",
    "NoticeKind",
    "NoticeStatus",
]


class ClueSource(models.TextChoices):
    PORTAL = "portal", "投诉举报（门户网站）"
    CREDENTIAL = "credential", "执法证查询页反馈"
    HOTLINE = "hotline", "12345 转办"
    MOJ = "moj", "司法部行政执法监督平台转办"
    FINDING = "finding", "监督人员发现"
    WARNING = "warning", "预警"


# Sources the public sends in themselves: the complainant gets a query code and a reply.
PUBLIC_SOURCES = frozenset({ClueSource.PORTAL, ClueSource.CREDENTIAL})


class ClueStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    ASSIGNED = "assigned", "办理中"
    REPLIED = "replied", "待审核"
    CLOSED = "closed", "已办结"


class Clue(TimeStampedModel):
    """One clue or complaint in the bureau's inbox."""

    number = models.CharField("线索编号", max_length=30, unique=True)
    bureau = models.ForeignKey(
        Agency, models.PROTECT, related_name="supervision_clues", verbose_name="受理的司法行政部门"
    )
    source = models.CharField("来源", max_length=12, choices=ClueSource.choices)
    origin_ref = models.CharField(
        "来源标识", max_length=80, blank=True, help_text="如 warning:42、12345 工单号、feedback:7。"
    )
    link = models.CharField("关联对象链接", max_length=300, blank=True)
    title = models.CharField("标题", max_length=200)
    content = models.TextField("内容")
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="clues",
        verbose_name="承办执法主体",
        help_text="登记时为被反映的执法主体（可空），分办时确定承办执法主体。",
    )
    case = models.ForeignKey(
        "cases.Case",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supervision_clues",
        verbose_name="关联案件",
    )
    feedback = models.OneToOneField(
        "disclosure.Feedback",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="clue",
        verbose_name="执法证查询页反馈",
    )
    status = models.CharField(
        "状态", max_length=12, choices=ClueStatus.choices, default=ClueStatus.REGISTERED
    )
    registered_on = models.DateField("登记日期")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    # Personal data of the complainant: shown to the bureau and the agency, never on a public page.
    contact_name = models.CharField("反映人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    contact_address = models.CharField("联系地址", max_length=200, blank=True)
    code_hash = models.CharField("查询码摘要", max_length=64, unique=True, null=True, blank=True)
    # 分办
    assigned_on = models.DateField("分办日期", null=True, blank=True)
    due_on = models.DateField("办理期限", null=True, blank=True)
    assignment_note = models.TextField("分办意见", blank=True)
    # 办理
    reply = models.TextField("办理情况", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    returns = models.PositiveSmallIntegerField("退回次数", default=0)
    review_note = models.TextField("审核意见", blank=True)
    # 办结
    closed_on = models.DateField("办结日期", null=True, blank=True)
    public_reply = models.TextField("答复反映人", blank=True)

    class Meta:
        verbose_name = "监督线索"
        verbose_name_plural = "监督线索"
        ordering = ["-registered_on", "-pk"]
        indexes = [models.Index(fields=["bureau", "status"]), models.Index(fields=["agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="registered") | Q(agency__isnull=False, due_on__isnull=False),
                name="clue_assigned_has_agency_and_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ref(self) -> str:
        return f"supervision.clue:{self.pk}"

    @property
    def is_public(self) -> bool:
        return self.source in PUBLIC_SOURCES


class ClueEvent(WorkflowEvent):
    """The record of each step of a clue, with its ledger leaf."""

    clue = models.ForeignKey(Clue, models.CASCADE, related_name="events", verbose_name="监督线索")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "监督线索记录"
        verbose_name_plural = "监督线索记录"

    @property
    def ref(self) -> str:
        return f"supervision.clueevent:{self.pk}"


class ClueAttachment(models.Model):
    """A file the agency sends with its reply or 整改报告 (content-addressed, hashed in the ledger)."""

    clue = models.ForeignKey(Clue, models.CASCADE, related_name="attachments", verbose_name="监督线索")
    notice = models.ForeignKey(
        "ClueNotice",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name="整改报告所属文书",
    )
    blob = models.ForeignKey("evidence.Blob", models.PROTECT, related_name="+", verbose_name="文件")
    filename = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )

    class Meta:
        verbose_name = "线索附件"
        verbose_name_plural = "线索附件"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.filename


class NoticeKind(models.TextChoices):
    SUPERVISION = "supervision_notice", "督办通知书"
    OPINION = "supervision_opinion", "行政执法监督意见书"
    SUGGESTION = "supervision_suggestion", "行政执法监督建议书"


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", "待整改报告"
    REPORTED = "reported", "整改报告待审核"
    ACCEPTED = "accepted", "整改报告已认可"


class ClueNotice(TimeStampedModel):
    """A signed 督办通知书 or 监督意见书/建议书 to the agency, with its 整改报告 due by a date."""

    clue = models.ForeignKey(Clue, models.PROTECT, related_name="notices", verbose_name="监督线索")
    kind = models.CharField("文书种类", max_length=30, choices=NoticeKind.choices)
    document = models.OneToOneField(
        "documents.Document", models.PROTECT, related_name="clue_notice", verbose_name="文书"
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="clue_notices", verbose_name="被监督执法主体"
    )
    issues = models.TextField("发现的问题")
    requirement = models.TextField("监督意见和整改要求")
    report_due = models.DateField("整改报告期限")
    status = models.CharField(
        "状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    report = models.TextField("整改报告", blank=True)
    reported_on = models.DateField("报送日期", null=True, blank=True)
    accepted_on = models.DateField("认可日期", null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "督办和监督意见文书"
        verbose_name_plural = "督办和监督意见文书"
        ordering = ["report_due", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.clue.number}"
