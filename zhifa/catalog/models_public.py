"""Catalog lists published before enforcement (事前公开): the random-inspection item list
(随机抽查事项清单) and the service guide of a matter version (服务指南).

Both are versioned like MatterVersion and Benchmark: a row is one version, in force from
`effective_from` to `effective_to` (inclusive; open when null), so a published list can name
the version and date it was in force.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from zhifa.catalog.models import Matter, MatterVersion
from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency


class InspectionItem(TimeStampedModel):
    """One version of an item of the 随机抽查事项清单 (双随机一公开: 国发〔2019〕5号)."""

    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="inspection_items", verbose_name="实施主体"
    )
    code = models.CharField("事项编码", max_length=40)
    version = models.PositiveIntegerField("版本号")
    name = models.CharField("抽查事项名称", max_length=200)
    matter = models.ForeignKey(
        Matter,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_items",
        verbose_name="对应执法事项",
    )
    subject_type = models.CharField("抽查对象", max_length=200)
    basis = models.TextField("抽查依据")
    content = models.TextField("抽查内容")
    method = models.CharField("抽查方式", max_length=200, help_text="如现场检查、书面检查、网络监测。")
    ratio = models.CharField("抽查比例和频次", max_length=200)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    change_note = models.CharField("制定或修改说明", max_length=300)

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项清单"
        ordering = ["agency", "code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code", "version"], name="inspection_item_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="inspection_item_period_ordered",
                violation_error_message="失效日期不能早于施行日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ServiceGuide(TimeStampedModel):
    """服务指南 of one matter version: how the public applies and what it takes."""

    version = models.OneToOneField(
        MatterVersion, models.CASCADE, related_name="guide", verbose_name="事项版本"
    )
    process = models.TextField("申请和办理流程")
    materials = models.TextField("申请材料")
    time_limit = models.CharField("办理时限", max_length=200)
    fees = models.CharField("收费标准", max_length=200, default="不收费")
    contacts = models.TextField("咨询和监督电话、办理地点")

    class Meta:
        verbose_name = "服务指南"
        verbose_name_plural = "服务指南"
        ordering = ["version"]

    def __str__(self) -> str:
        return f"{self.version.name}服务指南"
