"""The change record of the discretion benchmarks and the agency-wide four lists (裁量基准变更记录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhifa.catalog.models import Benchmark, DiscretionFactor


class DiscretionAction(models.TextChoices):
    CREATE = "create", "制定"
    AMEND = "amend", "修改（新版本）"
    REPEAL = "repeal", "废止"
    FACTOR_CREATE = "factor_create", "新增裁量情节"
    FACTOR_AMEND = "factor_amend", "修改裁量情节"


class DiscretionEvent(models.Model):
    """One write to a benchmark version or an agency-wide list entry: who, when, what and why.

    Written by zhifa.catalog.services.benchmarks only, each with its ledger leaf. Append-only.
    """

    benchmark = models.ForeignKey(
        Benchmark, models.PROTECT, null=True, blank=True, related_name="events", verbose_name="裁量基准"
    )
    factor = models.ForeignKey(
        DiscretionFactor,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="裁量情节",
    )
    action = models.CharField("事项", max_length=16, choices=DiscretionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
        help_text="空表示系统（管理命令、演示数据）。",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    note = models.CharField("说明", max_length=300, blank=True)
    data = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "裁量基准变更记录"
        verbose_name_plural = "裁量基准变更记录"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(benchmark__isnull=False, factor__isnull=True)
                | Q(benchmark__isnull=True, factor__isnull=False),
                name="discretion_event_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
