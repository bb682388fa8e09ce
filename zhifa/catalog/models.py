"""执法事项 / 权责清单 (versioned), and the law library their legal bases link to."""

from django.db import models
from django.db.models import Q

from zhifa.core.models import TimeStampedModel
from zhifa.org.models import Agency, EnforcementDomain


class Law(TimeStampedModel):
    """One version of a statute, imported from a Markdown text at run time."""

    title = models.CharField("名称", max_length=100)
    short_title = models.CharField("简称", max_length=80, db_index=True)
    version_date = models.DateField("版本日期", help_text="最近一次通过、修正或修订的日期。")
    history = models.TextField("制定修改沿革", blank=True)
    source_name = models.CharField("来源文件", max_length=200)

    class Meta:
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"
        ordering = ["short_title", "-version_date"]
        constraints = [models.UniqueConstraint(fields=["title", "version_date"], name="law_unique_version")]

    def __str__(self) -> str:
        return f"{self.title}（{self.version_date:%Y-%m-%d}）"


class LawArticle(models.Model):
    law = models.ForeignKey(Law, models.CASCADE, related_name="articles", verbose_name="法律法规")
    position = models.PositiveIntegerField("顺序")
    number = models.PositiveIntegerField("条号")
    label = models.CharField("条目", max_length=20, help_text="如“第五十八条”“第十条之一”。")
    chapter = models.CharField("章", max_length=100, blank=True)
    section = models.CharField("节", max_length=100, blank=True)
    text = models.TextField("条文")

    class Meta:
        verbose_name = "法条"
        verbose_name_plural = "法条"
        ordering = ["law", "position"]
        constraints = [models.UniqueConstraint(fields=["law", "label"], name="law_article_unique_label")]

    def __str__(self) -> str:
        return f"《{self.law.short_title}》{self.label}"


class MatterKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    INSPECTION = "inspection", "行政检查"
    LICENSING = "licensing", "行政许可"
    EXPROPRIATION = "expropriation", "行政征收征用"
    REWARD = "reward", "行政奖励"
    OTHER = "other", "其他"


class AVLevel(models.TextChoices):
    FULL = "full", "全程音像记录"
    AV = "av", "音像记录"
    TEXT = "text", "文字记录"


class Stage(models.TextChoices):
    """Procedural steps the AV-recording list (音像记录事项清单) speaks of."""

    ON_SITE = "on_site", "现场执法"
    INVESTIGATION = "investigation", "调查取证"
    SEIZURE = "seizure", "查封扣押"
    DEMOLITION = "demolition", "强制拆除"
    HEARING = "hearing", "听证"
    SERVICE_LEFT = "service_left", "留置送达"
    SERVICE_PUBLIC = "service_public", "公告送达"
    ENFORCEMENT = "enforcement", "强制执行"
    DECISION = "decision", "审查决定"


class Matter(TimeStampedModel):
    """The identity of an enforcement matter; what it says lives in its versions (立改废)."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="matters", verbose_name="实施主体")
    code = models.CharField("事项编码", max_length=40)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    repeal_reason = models.CharField("废止理由", max_length=200, blank=True)

    class Meta:
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"
        ordering = ["agency", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="matter_unique_code")]

    def __str__(self) -> str:
        return self.code


class MatterVersion(TimeStampedModel):
    """What a matter says from `effective_from` to `effective_to` (inclusive; open when null)."""

    matter = models.ForeignKey(Matter, models.CASCADE, related_name="versions", verbose_name="执法事项")
    version = models.PositiveIntegerField("版本号")
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("事项类别", max_length=16, choices=MatterKind.choices)
    domain = models.ForeignKey(
        EnforcementDomain, models.PROTECT, related_name="matter_versions", verbose_name="执法类别"
    )
    description = models.TextField("事项说明", blank=True)
    review_always_required = models.BooleanField(
        "一律法制审核", default=False, help_text="该事项的决定不论情形均须经法制审核。"
    )
    av_levels = models.JSONField("音像记录要求", default=dict, help_text="各执法环节的记录方式。")
    disclosure_workdays = models.PositiveSmallIntegerField(
        "公开时限（工作日）",
        null=True,
        blank=True,
        help_text="决定作出后多少个工作日内公开；空表示依法不主动公开。",
    )
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    change_note = models.CharField("制定或修改说明", max_length=300)

    class Meta:
        verbose_name = "执法事项版本"
        verbose_name_plural = "执法事项版本"
        ordering = ["matter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "version"], name="matter_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="matter_version_period_ordered",
                violation_error_message="失效日期不能早于施行日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    def av_level(self, stage: str) -> str:
        return str(self.av_levels.get(stage, AVLevel.TEXT))


class BasisRole(models.TextChoices):
    VIOLATED = "violated", "违法依据"
    PENALTY = "penalty", "处罚依据"
    AUTHORITY = "authority", "实施依据"
    PROCEDURE = "procedure", "程序依据"


class LegalBasis(models.Model):
    """A legal basis of a matter version: the citation as written, and the article once imported."""

    version = models.ForeignKey(MatterVersion, models.CASCADE, related_name="bases", verbose_name="事项版本")
    role = models.CharField("依据类别", max_length=12, choices=BasisRole.choices)
    law_title = models.CharField("法律法规名称", max_length=100)
    article_label = models.CharField("条款", max_length=40, help_text="如“第四十二条”或“第四十二条第一款”。")
    article = models.ForeignKey(
        LawArticle, models.SET_NULL, null=True, blank=True, related_name="bases", verbose_name="法条"
    )

    class Meta:
        verbose_name = "法律依据"
        verbose_name_plural = "法律依据"
        ordering = ["version", "role", "pk"]

    def __str__(self) -> str:
        return f"《{self.law_title}》{self.article_label}"
