from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One step of a workflow's full-process record (第四十七条): who did what, when and why.

    Every workflow on the runner (zhifa.core.workflow) keeps its own append-only table of these,
    with the foreign key to its subject; each row gets its ledger leaf in the step's transaction.
    """

    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    action = models.CharField("环节", max_length=40)
    summary = models.CharField("摘要", max_length=300)
    reason = models.TextField("理由", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"


class CalendarOverride(TimeStampedModel):
    """An administrator's correction of the official calendar for one day.

    Used for local adjustments and for years the chinesecalendar package does not know yet.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    reason = models.CharField("依据或说明", max_length=200)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'}（{self.reason}）"


class JurisdictionSetting(TimeStampedModel):
    """A jurisdiction's value for a rule whose number the law or policy lets vary.

    The keys, defaults and their sources are declared in zhifa.core.jurisdiction; a row here
    overrides the default for this deployment.
    """

    key = models.CharField("参数", max_length=60, unique=True)
    value = models.CharField("取值", max_length=100)
    note = models.CharField("调整依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "本地参数"
        verbose_name_plural = "本地参数"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"


class NumberSequence(TimeStampedModel):
    """The last number handed out in one numbering scope and year (文号 and the like).

    Only zhifa.core.numbering.next_number writes these rows; it keeps every scope gap-free.
    """

    scope = models.CharField("编号范围", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用至", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        ordering = ["scope", "year"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="number_sequence_unique_scope_year"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.year}：{self.last}"


class AccessAction(models.TextChoices):
    VIEW = "view", "查看"
    PLAY = "play", "播放"
    DOWNLOAD = "download", "下载"


class AccessPurpose(models.TextChoices):
    HANDLING = "handling", "办案"
    APPROVAL = "approval", "审批"
    REVIEW = "review", "法制审核"
    SUPERVISION = "supervision", "监督检查"
    EVALUATION = "evaluation", "案卷评查"
    COMPLAINT = "complaint", "投诉举报核查"
    ARCHIVE = "archive", "档案管理"
    OTHER = "other", "其他"


class AccessLog(models.Model):
    """调阅记录: one look at a record (evidence, a 笔录, a case document). Append-only.

    It lives in core, not in evidence, because cases and documents log too and sit below
    evidence in the dependency order (docs/decisions.md). Case and agency are kept as plain
    values for the same reason: core may not point at the apps above it.
    """

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="调阅人"
    )
    user_label = models.CharField("调阅人姓名及角色", max_length=100)
    action = models.CharField("方式", max_length=10, choices=AccessAction.choices)
    ref = models.CharField("对象", max_length=80, help_text="如 evidence.evidenceitem:12。")
    label = models.CharField("对象名称", max_length=200)
    case_ref = models.CharField("案件", max_length=40, blank=True, db_index=True)
    case_number = models.CharField("案件编号", max_length=60, blank=True)
    agency_id = models.BigIntegerField("所属执法主体", null=True, blank=True, db_index=True)
    purpose = models.CharField("调阅目的", max_length=12, choices=AccessPurpose.choices)
    purpose_note = models.CharField("目的说明", max_length=200, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)

    class Meta:
        verbose_name = "调阅记录"
        verbose_name_plural = "调阅记录"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {self.label}"


class StepReceipt(models.Model):
    """A workflow step taken under an idempotency key (zhifa.core.workflow.run).

    A retried request with the same key finds this row inside the step's lock and gets the
    first answer back; nothing is done a second time. Old receipts are removed by a scheduled
    task once no client would still retry (settings.ZHIFA_IDEMPOTENCY_HOURS).
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name="办理人"
    )
    key = models.CharField("幂等键", max_length=100)
    workflow = models.CharField("流程", max_length=40)
    subject_id = models.BigIntegerField("办理对象")
    step = models.CharField("环节", max_length=40)
    status = models.CharField("办理后状态", max_length=20)
    at = models.DateTimeField("办理时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "幂等办理回执"
        verbose_name_plural = "幂等办理回执"
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="step_receipt_unique_actor_key")]

    def __str__(self) -> str:
        return f"{self.workflow}:{self.subject_id} {self.step}（{self.key}）"

    @classmethod
    def find(cls, *, actor: Any, key: str) -> StepReceipt | None:
        return cls.objects.filter(actor=actor, key=key).first()
