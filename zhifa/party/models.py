"""The party's side of a case: access codes, attempts to open the page, and what the party sent.

No account: a code printed on a served document (or a notice) opens its own case together with a
second factor the agency knows. Only the SHA-256 of a code is stored (`code_hash`); the code
itself is printed on what the party received.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhifa.cases.models import Case
from zhifa.core.models import TimeStampedModel


class PartyAccess(TimeStampedModel):
    """One access code of a case's party: printed on one document or notice."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="party_accesses", verbose_name="案件")
    code_hash = models.CharField("查询码摘要", max_length=64, unique=True)
    purpose = models.CharField("用途", max_length=200, help_text="印有该查询码的文书或告知。")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    revoked_at = models.DateTimeField("注销时间", null=True, blank=True)
    revoke_reason = models.CharField("注销理由", max_length=200, blank=True)
    first_opened_at = models.DateTimeField("首次打开时间", null=True, blank=True)
    last_opened_at = models.DateTimeField("最近打开时间", null=True, blank=True)

    class Meta:
        verbose_name = "当事人查询码"
        verbose_name_plural = "当事人查询码"
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.purpose}"


class AccessAttempt(models.Model):
    """An attempt to open the party page, kept for the throttle (per code and per network address)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    # Hashes (SHA-256, truncated): no code and no address in clear text.
    code_key = models.CharField("查询码键", max_length=32, db_index=True)
    address_key = models.CharField("网络地址键", max_length=32, db_index=True)
    succeeded = models.BooleanField("成功", default=False)

    class Meta:
        verbose_name = "查询尝试"
        verbose_name_plural = "查询尝试"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {'成功' if self.succeeded else '失败'}"


class AccessThrottle(models.Model):
    """The failure count of one code or one network address in its current window.

    Counted by one conditional UPDATE (party.access._admit), so parallel guesses cannot pass the
    limit together: each attempt takes its place before the code is checked."""

    key = models.CharField("键", max_length=40, unique=True)  # "code:<hash>" or "address:<hash>"
    window_started_at = models.DateTimeField("窗口起算时间")
    failures = models.PositiveIntegerField("失败次数", default=0)

    class Meta:
        verbose_name = "查询限流计数"
        verbose_name_plural = "查询限流计数"

    def __str__(self) -> str:
        return f"{self.key[:16]} {self.failures}"


class SubmissionKind(models.TextChoices):
    STATEMENT = "statement", "陈述申辩"
    HEARING = "hearing", "听证申请"
    CONSENT = "consent", "同意电子送达"
    DEFERRAL = "deferral", "延期缴纳罚款申请"
    INSTALMENT = "instalment", "分期缴纳罚款申请"
    COMPLAINT = "complaint", "投诉"
    CREDIT_REPAIR = "credit_repair", "信用修复申请"


# What needs a staff decision on the queue page (the others take effect as the party sends them).
DECIDED_KINDS = frozenset({SubmissionKind.DEFERRAL, SubmissionKind.INSTALMENT, SubmissionKind.CREDIT_REPAIR})


class SubmissionStatus(models.TextChoices):
    RECORDED = "recorded", "已记录"
    PENDING = "pending", "待办理"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class Submission(TimeStampedModel):
    """What the party sent through the party page. A statement or a hearing request is taken on
    the case by its step (the record and event are the case's); a deferral, instalment or credit
    repair request waits here for the agency's decision."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="party_submissions", verbose_name="案件")
    access = models.ForeignKey(PartyAccess, models.PROTECT, related_name="submissions", verbose_name="查询码")
    kind = models.CharField("类别", max_length=16, choices=SubmissionKind.choices)
    status = models.CharField("状态", max_length=10, choices=SubmissionStatus.choices)
    content = models.TextField("内容", blank=True)
    address = models.CharField("电子送达地址", max_length=200, blank=True)
    # 分期: [{due_on, amount}] as the party proposes it; 延期: one row.
    schedule = models.JSONField("申请的缴纳计划", default=list, blank=True)
    publication = models.ForeignKey(
        "disclosure.Publication",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_repairs",
        verbose_name="申请提前停止公示的信息",
    )
    record = models.ForeignKey(
        "cases.Record", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="陈述申辩记录"
    )
    decided_at = models.DateTimeField("办理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
    )
    decision_reason = models.TextField("办理意见或理由", blank=True)
    # The form's one-time token: a resent form (double click, retry) finds its first submission.
    nonce = models.CharField("表单令牌", max_length=40, blank=True)

    class Meta:
        verbose_name = "当事人提交"
        verbose_name_plural = "当事人提交"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["access", "nonce"], condition=~Q(nonce=""), name="party_submission_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="party_submission_refusal_has_reason",
                violation_error_message="不予批准应当说明理由。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class Attachment(models.Model):
    """A file the party attached (proof of performance, material for a statement), with its hash."""

    submission = models.ForeignKey(
        Submission, models.CASCADE, related_name="attachments", verbose_name="提交"
    )
    file = models.FileField("文件", upload_to="party/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
