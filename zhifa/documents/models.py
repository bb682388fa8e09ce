"""执法文书 (numbered, signed documents) and the signing credentials agencies sign them with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel
from zhifa.documents.kinds import KINDS, kind_choices
from zhifa.org.models import Agency


class DocumentStatus(models.TextChoices):
    RESERVED = "reserved", "预留编号"
    ISSUED = "issued", "已签发"
    VOID = "void", "已作废"


def document_upload_to(instance: Document, filename: str) -> str:
    return f"documents/{instance.agency_id}/{instance.year}/{filename}"


class Document(TimeStampedModel):
    """One numbered document. Issued documents never change (services refuse it).

    A reserved document holds a number for a pre-numbered form (简易程序当场处罚决定书) until it
    is issued or voided; voided numbers stay here, so every number of a year is accounted for.
    """

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="documents", verbose_name="制发机关")
    kind = models.CharField("文书种类", max_length=40, choices=kind_choices)
    number = models.CharField("文号", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号")
    title = models.CharField("标题", max_length=100)
    status = models.CharField(
        "状态", max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.RESERVED
    )
    subject_ref = models.CharField("所属对象", max_length=100, blank=True, db_index=True)
    subject_label = models.CharField("所属对象名称", max_length=100, blank=True)
    content = models.JSONField("文书内容", default=dict, blank=True)
    pdf = models.FileField("签章 PDF", upload_to=document_upload_to, max_length=255, blank=True)
    docx = models.FileField("DOCX", upload_to=document_upload_to, max_length=255, blank=True)
    sha256 = models.CharField("PDF 的 SHA-256", max_length=64, blank=True)
    verification_code = models.CharField("核验码", max_length=10, unique=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name="签发人",
    )
    signer_subject = models.CharField("签章证书主体", max_length=300, blank=True)
    # Set once the PDF is rendered and signed (a task right after the issue, zhifa.documents.tasks).
    rendered_at = models.DateTimeField("签章完成时间", null=True, blank=True)
    render_error = models.CharField("签章失败原因", max_length=300, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["-year", "agency", "kind", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="document_unique_number"),
            models.UniqueConstraint(
                fields=["agency", "kind", "year", "sequence"], name="document_unique_sequence"
            ),
            models.CheckConstraint(
                condition=~Q(status="issued") | Q(issued_at__isnull=False),
                name="document_issued_has_time",
                violation_error_message="已签发的文书须有签发时间。",
            ),
            models.CheckConstraint(
                condition=Q(rendered_at__isnull=True) | (~Q(sha256="") & ~Q(pdf="")),
                name="document_rendered_is_complete",
                violation_error_message="已签章的文书须有签章 PDF 和 SHA-256。",
            ),
            models.CheckConstraint(
                condition=~Q(status="void") | (~Q(void_reason="") & Q(voided_at__isnull=False)),
                name="document_void_has_reason",
                violation_error_message="作废文书须写明作废原因。",
            ),
        ]
        indexes = [models.Index(fields=["agency", "kind", "status"], name="document_agency_kind_status")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    @property
    def is_rendered(self) -> bool:
        return self.rendered_at is not None

    @property
    def kind_title(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.title if kind else self.kind


class SigningCredential(TimeStampedModel):
    """An agency's signing key and certificate (PKCS#12 under ZHIFA_VAR_DIR/keys, mode 0600).

    Installed with `zhifa documents install-cert` or, for the demo, a certificate from the local
    demo CA. The private key never enters the database or the repository.
    """

    agency = models.OneToOneField(
        Agency, models.PROTECT, related_name="signing_credential", verbose_name="执法主体"
    )
    pkcs12_path = models.CharField(
        "PKCS#12 文件", max_length=255, help_text="相对于 ZHIFA_VAR_DIR 的路径，如 keys/agency-3-….p12。"
    )
    passphrase_env = models.CharField(
        "口令环境变量",
        max_length=100,
        blank=True,
        help_text="保存 PKCS#12 口令的环境变量名；留空表示文件未加密（仅靠文件权限 0600 保护）。",
    )
    subject = models.CharField("证书主体", max_length=300)
    issuer = models.CharField("签发者", max_length=300)
    serial_number = models.CharField("证书序列号", max_length=64)
    not_after = models.DateTimeField("有效期至")
    installed_at = models.DateTimeField("安装时间")

    class Meta:
        verbose_name = "签章证书"
        verbose_name_plural = "签章证书"
        ordering = ["agency"]

    def __str__(self) -> str:
        return f"{self.agency}：{self.subject}"
