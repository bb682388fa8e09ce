"""非现场执法 (《行政处罚法》第四十一条): the register of electronic monitoring devices and the
records they make.

A device's records may be used only once it has passed 法制审核 (through the review app) and its
location is published on the portal; each record is stored as evidence (SHA-256 and SM3) on
import and reviewed by a person (usable or not, with the reason) before it can start a case.
Whether a device is cleared is read from the review and the publication, never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency


class DeviceKind(models.TextChoices):
    FIXED = "fixed", "固定式电子监控设备"
    MOBILE = "mobile", "移动式电子监控设备"
    DRONE = "drone", "无人机"
    SENSOR = "sensor", "在线监测设备"
    OTHER = "other", "其他技术监控设备"


class Device(TimeStampedModel):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="devices", verbose_name="执法主体")
    code = models.CharField("设备编号", max_length=40)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=DeviceKind.choices)
    location = models.CharField("设置地点", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    detects = models.CharField("监控的违法行为", max_length=300)
    legal_basis = models.CharField("设置依据", max_length=300)
    check_body = models.CharField("技术检验（检定）机构", max_length=100)
    check_report = models.CharField("检验报告编号", max_length=60)
    checked_on = models.DateField("技术检验日期")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )
    published_at = models.DateTimeField("设置地点公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="公布人",
    )

    class Meta:
        verbose_name = "电子技术监控设备"
        verbose_name_plural = "电子技术监控设备"
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="device_code_unique"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180),
                name="device_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def ref(self) -> str:
        return f"devices.device:{self.pk}"


class EventReview(models.TextChoices):
    PENDING = "pending", "待审核"
    USABLE = "usable", "可以使用"
    UNUSABLE = "unusable", "不能使用"


class DeviceEvent(models.Model):
    """One record of a device: when, where, who or which plate, the image or clip (as evidence)."""

    device = models.ForeignKey(Device, models.PROTECT, related_name="events", verbose_name="设备")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="+", verbose_name="执法主体")
    external_id = models.CharField("设备记录编号", max_length=60)
    occurred_at = models.DateTimeField("记录时间")
    place = models.CharField("地点", max_length=200)
    subject = models.CharField("车牌号或者当事人", max_length=100)
    description = models.CharField("记录的违法行为", max_length=300)
    blob = models.ForeignKey("evidence.Blob", models.PROTECT, related_name="+", verbose_name="图像或视频")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="导入人"
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    review = models.CharField(
        "审核结果", max_length=10, choices=EventReview.choices, default=EventReview.PENDING
    )
    review_reason = models.CharField("审核理由", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    case = models.OneToOneField(
        "cases.Case", models.PROTECT, null=True, blank=True, related_name="device_event", verbose_name="案件"
    )
    noticed_at = models.DateTimeField("告知当事人时间", null=True, blank=True)

    class Meta:
        verbose_name = "电子技术监控记录"
        verbose_name_plural = "电子技术监控记录"
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["device", "external_id"], name="device_event_once"),
            models.CheckConstraint(
                condition=Q(review="pending") | (Q(reviewed_by__isnull=False) & ~Q(review_reason="")),
                name="device_event_review_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True) | Q(review="usable"), name="device_event_case_needs_review"
            ),
        ]
        indexes = [models.Index(fields=["agency", "review"])]

    def __str__(self) -> str:
        return f"{self.device.code} {self.external_id}"

    @property
    def ref(self) -> str:
        return f"devices.deviceevent:{self.pk}"
