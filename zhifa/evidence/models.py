"""证据 and 音像记录: items of the eight kinds of 《行政处罚法》第四十六条, their files, derived
copies, and the head-approved exceptions to the AV-recording list.

A file is stored once, content-addressed by its SHA-256 (Blob), and never modified; items point
at it. Derived copies (thumbnails, poster frames) are separate objects under their own names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case, Record
from zhifa.catalog.models import Stage
from zhifa.org.models import Officer


class EvidenceKind(models.TextChoices):
    """《行政处罚法》第四十六条第一款."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    STATEMENT = "statement", "当事人的陈述"
    EXPERT = "expert", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


class Retention(models.TextChoices):
    """保管期限 (docs/evidence.md gives the basis of each category)."""

    PERMANENT = "permanent", "永久"
    Y30 = "y30", "30年"
    Y10 = "y10", "10年"


RETENTION_YEARS = {Retention.PERMANENT: None, Retention.Y30: 30, Retention.Y10: 10}


class Blob(models.Model):
    """One stored file, named by its SHA-256; written once, complete, and never changed."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    sm3 = models.CharField("SM3", max_length=64)
    size = models.BigIntegerField("字节数")
    name = models.CharField("存储路径", max_length=200)
    created_at = models.DateTimeField("入库时间", auto_now_add=True)
    # Emptied when the file is lawfully disposed of after its retention period.
    purged_at = models.DateTimeField("销毁时间", null=True, blank=True)

    class Meta:
        verbose_name = "证据文件"
        verbose_name_plural = "证据文件"
        constraints = [models.CheckConstraint(condition=Q(size__gte=0), name="blob_size_not_negative")]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}… {self.size} B"


class EvidenceItem(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="evidence_items", verbose_name="案件")
    record = models.ForeignKey(
        Record,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_items",
        verbose_name="所属笔录",
    )
    kind = models.CharField("证据种类", max_length=12, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200)
    proves = models.TextField("证明对象")
    collected_at = models.DateTimeField("采集时间")
    place = models.CharField("采集地点", max_length=200)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    collector = models.ForeignKey(Officer, models.PROTECT, related_name="+", verbose_name="采集人")
    device = models.CharField("采集设备", max_length=100, blank=True)
    source = models.CharField("来源", max_length=200, blank=True, help_text="提供人、调取单位或原始出处。")
    stage = models.CharField("执法环节", max_length=16, choices=Stage.choices, blank=True)
    recording_started_at = models.DateTimeField("录制开始时间", null=True, blank=True)
    recording_ended_at = models.DateTimeField("录制结束时间", null=True, blank=True)
    blob = models.ForeignKey(Blob, models.PROTECT, related_name="items", verbose_name="文件")
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    retention = models.CharField("保管期限", max_length=10, choices=Retention.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )
    added_at = models.DateTimeField("上传时间", auto_now_add=True)
    disposed_at = models.DateTimeField("销毁时间", null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="销毁批准人",
    )
    disposal_reason = models.CharField("销毁依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["collected_at", "pk"]
        indexes = [models.Index(fields=["case", "kind", "stage"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(recording_ended_at__isnull=True)
                | Q(recording_started_at__isnull=True)
                | Q(recording_ended_at__gte=models.F("recording_started_at")),
                name="evidence_recording_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(stage="") | Q(kind=EvidenceKind.AUDIOVISUAL),
                name="evidence_stage_only_for_av",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    @property
    def ref(self) -> str:
        """How the ledger and the access log refer to this item."""
        return f"evidence.evidenceitem:{self.pk}"

    @property
    def is_whole_process(self) -> bool:
        return self.recording_started_at is not None and self.recording_ended_at is not None

    @property
    def media(self) -> str:
        """ "video", "audio", "image" or "" — what the browser can show of it."""
        major = self.content_type.split("/", 1)[0]
        return major if major in ("video", "audio", "image") else ""


class DerivativeKind(models.TextChoices):
    THUMBNAIL = "thumbnail", "缩略图"
    POSTER = "poster", "视频封面"


class Derivative(models.Model):
    """A copy made from an item's file for display; never a substitute for the original."""

    blob = models.ForeignKey(Blob, models.CASCADE, related_name="derivatives", verbose_name="原文件")
    kind = models.CharField("种类", max_length=10, choices=DerivativeKind.choices)
    name = models.CharField("存储路径", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.BigIntegerField("字节数")

    class Meta:
        verbose_name = "派生文件"
        verbose_name_plural = "派生文件"
        constraints = [models.UniqueConstraint(fields=["blob", "kind"], name="derivative_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.blob}"


class RecordingException(models.Model):
    """The head's approval that a step the list names goes without its AV record, and why."""

    case = models.ForeignKey(Case, models.PROTECT, related_name="recording_exceptions", verbose_name="案件")
    stage = models.CharField("执法环节", max_length=16, choices=Stage.choices)
    reason = models.TextField("理由")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="批准人"
    )
    approved_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "音像记录例外"
        verbose_name_plural = "音像记录例外"
        ordering = ["approved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.reason[:30]}"

    @property
    def ref(self) -> str:
        return f"evidence.recordingexception:{self.pk}"
