"""预警 (000 四13; 004 (四)): warning rules kept as data, their hits, and what keeps the
evaluation incremental — a cursor per append-only event table and a watch per object for the
next moment a time-driven rule can change its answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency

__all__ = [
    "HitStatus",
    "WarningCursor",
    "WarningHit",
    "WarningLevel",
    "WarningRule",
    "WarningRuleEvent",
    "WarningWatch",
]


class WarningLevel(models.TextChoices):
    YELLOW = "yellow", "黄色预警"
    RED = "red", "红色预警"


class WarningRule(TimeStampedModel):
    code = models.CharField("规则代码", max_length=40, unique=True)
    name = models.CharField("规则名称", max_length=100)
    level = models.CharField("预警等级", max_length=8, choices=WarningLevel.choices)
    params = models.JSONField("阈值参数", default=dict, blank=True)
    enabled = models.BooleanField("启用", default=True)
    basis = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "预警规则"
        verbose_name_plural = "预警规则"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class WarningRuleEvent(models.Model):
    """A supervisor's change of a rule (threshold, enabled), with the reason and what it was
    before. Append-only; each row has its ledger leaf (supervision_warning_rule)."""

    rule = models.ForeignKey(WarningRule, models.PROTECT, related_name="events", verbose_name="预警规则")
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="修改人"
    )
    enabled = models.BooleanField("启用")
    params = models.JSONField("阈值参数", default=dict, blank=True)
    before = models.JSONField("修改前", default=dict, blank=True)
    reason = models.CharField("理由", max_length=300)

    class Meta:
        verbose_name = "预警规则修改记录"
        verbose_name_plural = "预警规则修改记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.rule.code}"


class HitStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已消除"
    DISMISSED = "dismissed", "已排除"
    CONVERTED = "converted", "已转为线索"


class WarningHit(TimeStampedModel):
    rule = models.ForeignKey(WarningRule, models.PROTECT, related_name="hits", verbose_name="预警规则")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="warning_hits", verbose_name="执法主体")
    # What the hit is about: "case", "filing", "agency", "inspection_warning".
    object_kind = models.CharField("对象类别", max_length=20)
    object_id = models.PositiveBigIntegerField("对象编号")
    object_label = models.CharField("对象", max_length=200)
    link = models.CharField("链接", max_length=200, blank=True)
    level = models.CharField("预警等级", max_length=8, choices=WarningLevel.choices)
    summary = models.CharField("预警内容", max_length=300)
    facts = models.JSONField("事实", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=HitStatus.choices, default=HitStatus.OPEN)
    closed_at = models.DateTimeField("处理时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="处理人",
    )
    close_reason = models.CharField("处理理由", max_length=300, blank=True)
    clue_ref = models.CharField("转办线索", max_length=60, blank=True)

    class Meta:
        verbose_name = "预警"
        verbose_name_plural = "预警"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_kind", "object_id"],
                condition=models.Q(status="open"),
                name="warning_hit_one_open_per_rule_and_object",
            )
        ]
        indexes = [
            models.Index(fields=["object_kind", "object_id"]),
            models.Index(fields=["agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.summary


class WarningCursor(models.Model):
    """The last row of an append-only table the evaluation has read (e.g. "case_events")."""

    name = models.CharField("游标", max_length=40, unique=True)
    position = models.PositiveBigIntegerField("已读至", default=0)

    class Meta:
        verbose_name = "预警游标"
        verbose_name_plural = "预警游标"

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class WarningWatch(models.Model):
    """When an object's time-driven rules next need a look: a run reads only rows whose day has come."""

    object_kind = models.CharField("对象类别", max_length=20)
    object_id = models.PositiveBigIntegerField("对象编号")
    due_on = models.DateField("下次评估日")

    class Meta:
        verbose_name = "预警关注"
        verbose_name_plural = "预警关注"
        constraints = [
            models.UniqueConstraint(fields=["object_kind", "object_id"], name="warning_watch_once_per_object")
        ]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.object_kind}:{self.object_id} {self.due_on}"
