"""案件: one row per case from the clue (案源) to closing (结案), with its people, records and events.

The case is the aggregate: what the procedure decided lives in its columns (each set by one
service in zhifa.cases.services), what happened lives in CaseEvent rows. Deadlines are derived
from the stored dates when read (zhifa.cases.deadlines), never stored.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhifa.catalog.models import Matter, MatterVersion
from zhifa.core.models import TimeStampedModel, WorkflowEvent
from zhifa.org.models import Agency, Officer


def money(verbose_name: str, **kwargs: Any) -> models.DecimalField:
    """Yuan with fen (DESIGN §3.3): never float, never negative."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))], **kwargs
    )


class Procedure(models.TextChoices):
    GENERAL = "general", "一般程序"
    ON_THE_SPOT = "on_the_spot", "简易程序"


class Status(models.TextChoices):
    CLUE = "clue", "案源待处理"
    FILING = "filing", "立案待审批"
    NOT_FILED = "not_filed", "不予立案"
    INVESTIGATION = "investigation", "调查取证"
    REPORTED = "reported", "调查终结"
    NOTICE = "notice", "告知及陈述申辩"
    DECIDED = "decided", "已决定待送达"
    EXECUTION = "execution", "执行中"
    CLOSING = "closing", "结案待审批"
    CLOSED = "closed", "已结案"
    TRANSFERRED = "transferred", "已移送"
    REVOKED = "revoked", "已撤销立案"


# The status groups of the procedure, defined here once for every app (zhifa.cases.workflow
# declares the steps between them).
# A case that has ended: nothing more is done on it but archiving.
TERMINAL = frozenset({Status.NOT_FILED, Status.CLOSED, Status.TRANSFERRED, Status.REVOKED})
# Filed and not yet decided: the 90-day limit of 第六十条 runs.
OPEN_BEFORE_DECISION = frozenset({Status.INVESTIGATION, Status.REPORTED, Status.NOTICE})
# Decided and not yet closing: the decision is being served or carried out.
WITH_DECISION = frozenset({Status.DECIDED, Status.EXECUTION})
# Ended before any decision: not filed, transferred, or the filing revoked.
ENDED_WITHOUT_DECISION = TERMINAL - {Status.CLOSED}
# A decision exists (to challenge, to publish, to count): from the decision to the closing.
DECIDED = WITH_DECISION | {Status.CLOSING, Status.CLOSED}


class ClueSource(models.TextChoices):
    INSPECTION = "inspection", "监督检查"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    REFERRAL = "referral", "其他机关移送"
    ASSIGNED = "assigned", "上级交办"
    MEDIA = "media", "媒体曝光"
    OTHER = "other", "其他"


class PartyKind(models.TextChoices):
    CITIZEN = "citizen", "公民"
    ORGANISATION = "organisation", "法人或者其他组织"


class Outcome(models.TextChoices):
    """《行政处罚法》第五十七条第一款的四种处理."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "违法行为轻微，不予行政处罚"
    NOT_ESTABLISHED = "not_established", "违法事实不能成立，不予行政处罚"
    TRANSFER = "transfer", "涉嫌犯罪，移送司法机关"


class TransferKind(models.TextChoices):
    AGENCY = "agency", "移送有管辖权的行政机关"
    JUDICIAL = "judicial", "移送司法机关"


class DefenceAdoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    REJECTED = "rejected", "不予采纳"
    NONE = "none", "当事人未陈述申辩"


class Case(TimeStampedModel):
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="cases", verbose_name="执法主体")
    number = models.CharField("案件编号", max_length=60, unique=True)
    procedure = models.CharField("程序", max_length=12, choices=Procedure.choices, default=Procedure.GENERAL)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CLUE)
    cause = models.CharField("案由", max_length=200)
    matter = models.ForeignKey(
        Matter, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="执法事项"
    )
    # Frozen at filing: later amendments of the matter do not change a filed case.
    matter_version = models.ForeignKey(
        MatterVersion, models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="事项版本"
    )

    # 案源
    source = models.CharField("案源", max_length=12, choices=ClueSource.choices)
    received_on = models.DateField("案源登记日期")
    clue_summary = models.TextField("案源内容")
    informant_name = models.CharField("投诉举报人", max_length=100, blank=True)
    informant_contact = models.CharField("投诉举报人联系方式", max_length=100, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )
    filing_extended = models.BooleanField("立案期限已延长", default=False)
    filing_extension_reason = models.CharField("延长立案期限理由", max_length=300, blank=True)

    # 当事人
    party_kind = models.CharField("当事人类别", max_length=12, choices=PartyKind.choices, blank=True)
    party_name = models.CharField("当事人", max_length=200, blank=True)
    party_id_number = models.CharField("身份证件号码或统一社会信用代码", max_length=30, blank=True)
    party_address = models.CharField("住所", max_length=200, blank=True)
    party_phone = models.CharField("联系电话", max_length=40, blank=True)
    party_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    electronic_service_consent = models.CharField(
        "同意电子送达的地址",
        max_length=200,
        blank=True,
        help_text="当事人书面同意电子送达时填写其确认的电子地址（《行政处罚法》第六十一条第二款）。",
    )

    # 立案
    filing_opinion = models.TextField("承办人立案意见", blank=True)
    filing_requested_at = models.DateTimeField("提请立案时间", null=True, blank=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    filing_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="立案审批人",
    )
    not_filed_reason = models.TextField("不予立案理由", blank=True)
    is_major = models.BooleanField("情节复杂或者重大违法行为", default=False)
    major_reason = models.CharField("集体讨论理由", max_length=300, blank=True)

    # 调查终结
    report_facts = models.TextField("违法事实", blank=True)
    report_evidence = models.TextField("证据", blank=True, help_text="每行一项。")
    report_analysis = models.TextField("分析意见", blank=True)
    report_discretion = models.TextField("裁量理由", blank=True)
    reported_at = models.DateTimeField("调查终结时间", null=True, blank=True)
    outcome = models.CharField("处理意见", max_length=16, choices=Outcome.choices, blank=True)
    intended_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    intended_fine = money("拟罚款金额（元）", default=Decimal(0))
    intended_confiscation = money("拟没收金额（元）", default=Decimal(0))
    intended_penalty = models.TextField("拟处罚内容", blank=True)

    # 事先告知, 陈述申辩, 听证
    notified_at = models.DateTimeField("制发告知书时间", null=True, blank=True)
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    notified_kinds = models.JSONField("告知的处罚种类", default=list, blank=True)
    notified_fine = money("告知的罚款金额（元）", default=Decimal(0))
    notified_confiscation = money("告知的没收金额（元）", default=Decimal(0))
    hearing_right = models.BooleanField("享有听证权利", default=False)
    hearing_right_reason = models.TextField("听证权利依据", blank=True)
    rights_waived_on = models.DateField("当事人放弃陈述申辩和听证的日期", null=True, blank=True)
    defence_adoption = models.CharField(
        "复核结论", max_length=10, choices=DefenceAdoption.choices, blank=True
    )
    defence_review = models.TextField("复核意见", blank=True)

    # 决定
    decided_on = models.DateField("决定日期", null=True, blank=True)
    # 第六十条: decided after the 90 days (less suspensions, plus approved extensions).
    decided_late = models.BooleanField("超过办案期限作出决定", default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    final_kinds = models.JSONField("处罚种类", default=list, blank=True)
    final_fine = money("罚款金额（元）", default=Decimal(0))
    final_confiscation = money("没收金额（元）", default=Decimal(0))
    final_penalty = models.TextField("处罚内容", blank=True)
    no_penalty_reason = models.TextField("不予处罚理由", blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)

    # 执行
    fine_paid_on = models.DateField("罚款缴清日期", null=True, blank=True)
    reminder_served_on = models.DateField("催告书送达日期", null=True, blank=True)
    enforcement_applied_on = models.DateField("申请强制执行日期", null=True, blank=True)
    enforcement_court = models.CharField("受理法院", max_length=100, blank=True)

    # 移送、撤销、结案
    transfer_kind = models.CharField("移送类别", max_length=10, choices=TransferKind.choices, blank=True)
    transferred_to = models.ForeignKey(
        Agency, models.PROTECT, null=True, blank=True, related_name="received_cases", verbose_name="移送至"
    )
    transfer_recipient = models.CharField("接收机关", max_length=200, blank=True)
    transfer_reason = models.TextField("移送理由", blank=True)
    transferred_on = models.DateField("移送日期", null=True, blank=True)
    revoke_reason = models.TextField("撤销立案理由", blank=True)
    closing_summary = models.TextField("执行情况及结案意见", blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="结案审批人",
    )
    archived_at = models.DateTimeField("移交归档时间", null=True, blank=True)

    # 简易程序 (第五十二条): the decision is filed with the agency after the fact.
    on_the_spot_place = models.CharField("当场处罚地点", max_length=200, blank=True)
    # 第四十四、四十五条 on the spot: what the party said once told (or that they said nothing).
    on_the_spot_statement = models.TextField("当事人陈述申辩（当场）", blank=True)
    on_the_spot_filed_on = models.DateField("备案日期", null=True, blank=True)

    class Meta:
        verbose_name = "案件"
        verbose_name_plural = "案件"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["agency", "status"]), models.Index(fields=["status", "received_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(final_confiscation__gte=0) & Q(final_fine__gte=0) & Q(intended_fine__gte=0),
                name="case_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | Q(matter_version__isnull=False),
                name="case_filed_has_matter_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.cause}"

    @property
    def subject_ref(self) -> str:
        """How documents and (later) the ledger refer to this case."""
        return f"case:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL

    @property
    def has_decision(self) -> bool:
        """A decision was made (and stands to be served, carried out, published or challenged)."""
        return self.status in DECIDED and self.decided_on is not None

    @property
    def party_is_organisation(self) -> bool:
        return self.party_kind == PartyKind.ORGANISATION


class CaseHandler(models.Model):
    """承办人: at least two per case (第四十二条), each having declared recusal (第四十三条)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="handlers", verbose_name="案件")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="case_roles", verbose_name="执法人员")
    is_lead = models.BooleanField("主办人", default=False)
    recusal_declared_at = models.DateTimeField("回避声明时间", null=True, blank=True)
    recusal_statement = models.CharField("回避声明", max_length=300, blank=True)
    active = models.BooleanField("在办", default=True)
    removed_reason = models.CharField("更换理由", max_length=300, blank=True)

    class Meta:
        verbose_name = "承办人"
        verbose_name_plural = "承办人"
        ordering = ["-is_lead", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_handler_once")]

    def __str__(self) -> str:
        return f"{self.officer.name}（{'主办' if self.is_lead else '协办'}）"


class RecordKind(models.TextChoices):
    INQUIRY = "inquiry", "询问笔录"
    INSPECTION = "inspection", "现场检查（勘验）笔录"
    SAMPLING = "sampling", "抽样取证记录"
    STATEMENT = "statement", "陈述申辩笔录"
    HEARING = "hearing", "听证笔录"


class Record(TimeStampedModel):
    """笔录: a structured text record. Evidence items attach to it from the evidence app."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="records", verbose_name="案件")
    kind = models.CharField("种类", max_length=12, choices=RecordKind.choices)
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200)
    officers = models.ManyToManyField(Officer, related_name="records", verbose_name="执法人员")
    subject_name = models.CharField("被询问人/当事人/在场人", max_length=100, blank=True)
    # Kind-specific fields (questions and answers, findings, samples); shape in zhifa.cases.steps.investigation.
    content = models.JSONField("内容", default=dict)
    # Empty for what the party submitted on the party page (a written 陈述申辩, zhifa.party).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="记录人",
    )

    class Meta:
        verbose_name = "笔录"
        verbose_name_plural = "笔录"
        ordering = ["started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="record_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        # Local time: the label lands in logs and lists read by people in Asia/Shanghai.
        return f"{self.get_kind_display()} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class MeasureKind(models.TextChoices):
    PRESERVATION = "preservation", "先行登记保存"
    SEIZURE = "seizure", "查封扣押"


class Measure(TimeStampedModel):
    """先行登记保存 (第五十六条) or 查封扣押 (行政强制法 第二十五条), approved by the head."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="measures", verbose_name="案件")
    kind = models.CharField("措施", max_length=12, choices=MeasureKind.choices)
    seizure_mode = models.CharField("方式", max_length=4, blank=True, help_text="查封或扣押。")
    started_on = models.DateField("实施日期")
    place = models.CharField("地点", max_length=200)
    items = models.JSONField("物品清单", default=list)
    reason = models.TextField("理由及依据")
    # Empty while the handler's request waits for the head (case_request_measure).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准人",
    )
    extended = models.BooleanField("已延长", default=False)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    ended_on = models.DateField("处理（解除）日期", null=True, blank=True)
    outcome = models.TextField("处理决定", blank=True)

    class Meta:
        verbose_name = "证据保全与强制措施"
        verbose_name_plural = "证据保全与强制措施"
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d}"


class CollectiveDiscussion(TimeStampedModel):
    """集体讨论 (第五十七条第二款): chaired by the head, every participant's opinion kept."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="discussions", verbose_name="案件")
    held_at = models.DateTimeField("讨论时间")
    place = models.CharField("地点", max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="主持人"
    )
    attendees = models.JSONField("参加人员", default=list, help_text="[{name, title, opinion}]")
    conclusion = models.TextField("讨论决定")
    outcome = models.CharField("决定的处理意见", max_length=16, choices=Outcome.choices)

    class Meta:
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"集体讨论 {self.held_at:%Y-%m-%d}"


class Hearing(TimeStampedModel):
    """听证 (第六十三、六十四条), once the party asked for it in time."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="hearing", verbose_name="案件")
    requested_on = models.DateField("申请日期")
    scheduled_at = models.DateTimeField("举行时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    is_public = models.BooleanField("公开举行", default=True)
    presiding = models.ForeignKey(
        Officer, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="主持人"
    )
    members = models.CharField("听证员", max_length=200, blank=True)
    recorder = models.CharField("记录员", max_length=50, blank=True)
    notice_served_on = models.DateField("听证通知送达日期", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    withdrawn_on = models.DateField("撤回听证申请日期", null=True, blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"听证 {self.case.number}"

    @property
    def concluded(self) -> bool:
        return self.held_on is not None or self.withdrawn_on is not None


class LimitKind(models.TextChoices):
    EXTENSION = "extension", "延长办案期限"
    SUSPENSION = "suspension", "中止"


class LimitAdjustment(TimeStampedModel):
    """Approved extensions and suspended periods of the 90-day decision limit (第六十条)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="limit_adjustments", verbose_name="案件")
    kind = models.CharField("类别", max_length=10, choices=LimitKind.choices)
    days = models.PositiveIntegerField("延长天数", default=0)
    starts_on = models.DateField("中止开始日期", null=True, blank=True)
    ends_on = models.DateField("恢复日期", null=True, blank=True)
    reason = models.CharField("理由", max_length=300)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="批准人"
    )

    class Meta:
        verbose_name = "办案期限调整"
        verbose_name_plural = "办案期限调整"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ServiceMethod(models.TextChoices):
    """送达方式 (第六十一条 and 民事诉讼法 on service)."""

    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ENTRUSTED = "entrusted", "委托送达"
    PUBLIC = "public", "公告送达"
    ELECTRONIC = "electronic", "电子送达"


class Service(TimeStampedModel):
    """送达: one record covers every document delivered together (双书同达)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="services", verbose_name="案件")
    method = models.CharField("送达方式", max_length=12, choices=ServiceMethod.choices)
    served_on = models.DateField("送达日期")
    place = models.CharField("送达地点或地址", max_length=200)
    recipient = models.CharField("受送达人或签收人", max_length=100)
    note = models.CharField(
        "说明", max_length=300, blank=True, help_text="留置送达的见证人、邮件单号、公告载体等。"
    )
    documents = models.ManyToManyField("documents.Document", related_name="services", verbose_name="送达文书")
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="送达人"
    )

    class Meta:
        verbose_name = "送达"
        verbose_name_plural = "送达"
        ordering = ["served_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.served_on:%Y-%m-%d}"


class PaymentArrangement(models.TextChoices):
    DEFERRED = "deferred", "延期缴纳"
    INSTALMENT = "instalment", "分期缴纳"


class PaymentPlan(TimeStampedModel):
    """延期或分期缴纳 (第六十六条第二款), approved by the head; replaces the 15-day due date."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="payment_plan", verbose_name="案件")
    arrangement = models.CharField("方式", max_length=10, choices=PaymentArrangement.choices)
    schedule = models.JSONField("缴纳计划", help_text="[{due_on, amount}]")
    reason = models.CharField("理由", max_length=300)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="批准人"
    )

    class Meta:
        verbose_name = "延期（分期）缴纳"
        verbose_name_plural = "延期（分期）缴纳"

    def __str__(self) -> str:
        return self.get_arrangement_display()


class Payment(TimeStampedModel):
    """罚款缴纳: paid at the designated bank or on the spot (第六十七、六十八条)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="payments", verbose_name="案件")
    paid_on = models.DateField("缴纳日期")
    amount = money("金额（元）")
    receipt_number = models.CharField("票据号", max_length=60)
    is_surcharge = models.BooleanField("加处罚款", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "缴款"
        verbose_name_plural = "缴款"
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return f"{self.paid_on:%Y-%m-%d} {self.amount} 元"


class CaseEvent(WorkflowEvent):
    """One step of the full-process record (第四十七条): who did what, when and why. Append-only."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events", verbose_name="案件")

    class Meta(WorkflowEvent.Meta):
        verbose_name = "案件过程记录"
        verbose_name_plural = "案件过程记录"
        indexes = [models.Index(fields=["case", "at"])]


class CaseAssessment(TimeStampedModel):
    """裁量: the benchmark version, tier and factors the handler applied (zhifa.cases.discretion).

    The range is computed from these when read; the reason is required when the intended penalty
    falls outside it, and the reviewer sees the departure (《行政处罚法》第三十四条).
    """

    case = models.OneToOneField(Case, models.CASCADE, related_name="assessment", verbose_name="案件")
    benchmark = models.ForeignKey(
        "catalog.Benchmark", models.PROTECT, related_name="assessments", verbose_name="适用的裁量基准"
    )
    version_note = models.CharField("适用版本说明", max_length=300)
    violation_on = models.DateField("违法行为发生日期")
    circumstance = models.CharField("情节档次", max_length=8)
    factors = models.ManyToManyField(
        "catalog.DiscretionFactor", blank=True, related_name="assessments", verbose_name="适用的裁量情节"
    )
    illegal_gains = money("违法所得（元）", default=Decimal(0))
    goods_value = money("货值金额（元）", default=Decimal(0))
    affected_persons = models.PositiveIntegerField("受侵害人数", default=0)
    rationale = models.TextField("裁量说明", blank=True)
    deviation_reason = models.TextField("偏离基准的理由", blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="裁量人"
    )

    class Meta:
        verbose_name = "裁量基准适用"
        verbose_name_plural = "裁量基准适用"

    def __str__(self) -> str:
        return f"裁量 {self.case.number}"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"
    SELF_CORRECTION = "self_correction", "行政机关自行纠正"


class RemedyResult(models.TextChoices):
    UPHELD = "upheld", "维持（驳回）"
    CHANGED = "changed", "变更"
    REVOKED = "revoked", "撤销"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    CONFIRMED_VOID = "confirmed_void", "确认无效"
    TERMINATED = "terminated", "终止（撤回申请或起诉）"


# Results after which a published decision must be withdrawn (《行政处罚法》第四十八条第二款,
# 《市场监督管理行政处罚信息公示规定》第十一条).
WITHDRAWING_RESULTS = frozenset(
    {RemedyResult.CHANGED, RemedyResult.REVOKED, RemedyResult.CONFIRMED_ILLEGAL, RemedyResult.CONFIRMED_VOID}
)


class Remedy(TimeStampedModel):
    """A challenge to a decision (复议, 诉讼) or the agency's own correction, and how it ended."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="remedies", verbose_name="案件")
    kind = models.CharField("类别", max_length=16, choices=RemedyKind.choices)
    body = models.CharField("复议机关或人民法院", max_length=100, blank=True)
    filed_on = models.DateField("申请、起诉或启动日期")
    result = models.CharField("结果", max_length=18, choices=RemedyResult.choices, blank=True)
    concluded_on = models.DateField("决定、裁判生效日期", null=True, blank=True)
    document_ref = models.CharField("复议决定书、裁判文书或纠正文书文号", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="登记人"
    )

    class Meta:
        verbose_name = "复议诉讼及纠正"
        verbose_name_plural = "复议诉讼及纠正"
        ordering = ["case", "filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(result="") & Q(concluded_on__isnull=True))
                | (~Q(result="") & Q(concluded_on__isnull=False)),
                name="remedy_result_has_date",
                violation_error_message="登记结果时须填写生效日期；尚未审结的不得填写生效日期。",
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=models.F("filed_on")),
                name="remedy_concluded_after_filed",
                violation_error_message="生效日期不能早于申请或起诉日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_on}"
