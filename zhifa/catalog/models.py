"""执法事项 / 权责清单 (versioned), and the law library their legal bases link to."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from zhifa.catalog.discretion import FINE, KIND_LABELS
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


# ── 裁量基准 and the four lists (《行政处罚法》第三十二至三十四条) ──────────────────────────


class Circumstance(models.TextChoices):
    """Circumstance tiers (情节档次) of a benchmark, lightest first."""

    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    SEVERE = "severe", "严重"


class FactorEffect(models.TextChoices):
    """The four lists (四张清单); 不予强制 does not move the penalty range."""

    EXEMPT = "exempt", "不予处罚"
    MITIGATE = "mitigate", "减轻处罚"
    LENIENT = "lenient", "从轻处罚"
    AGGRAVATE = "aggravate", "从重处罚"
    NO_COERCION = "no_coercion", "不予实施行政强制措施"


class MultipleBase(models.TextChoices):
    NONE = "", "不按倍数"
    ILLEGAL_GAINS = "illegal_gains", "违法所得"
    GOODS_VALUE = "goods_value", "货值金额"
    PERSONS = "persons", "受侵害人数（按每人金额）"


class ConflictRule(models.TextChoices):
    """What applies when 从轻 and 从重 factors meet (jurisdictions differ; docs/discretion.md)."""

    OFFSET = "offset", "相互抵消，在本档次全幅度内裁量"
    LENIENT = "lenient", "从轻优先"
    AGGRAVATE = "aggravate", "从重优先"


class Benchmark(TimeStampedModel):
    """One version of a matter's 裁量基准, in force from `effective_from` to `effective_to` (inclusive)."""

    matter = models.ForeignKey(Matter, models.PROTECT, related_name="benchmarks", verbose_name="执法事项")
    version = models.PositiveIntegerField("版本号")
    title = models.CharField("基准名称", max_length=200)
    document_ref = models.CharField(
        "制定文件及文号",
        max_length=200,
        help_text="公布本基准的文件名称及文号（《行政处罚法》第三十四条：行政处罚裁量基准应当向社会公布）。",
    )
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    change_note = models.CharField("制定或修改说明", max_length=300)
    leniency_share = models.DecimalField(
        "从轻、从重幅度比例",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        help_text="从轻在本档次幅度较低的该比例部分内裁量，从重在较高的该比例部分内裁量（0.01–1）。",
    )
    conflict_rule = models.CharField(
        "从轻、从重并存时", max_length=10, choices=ConflictRule.choices, default=ConflictRule.OFFSET
    )
    mitigation_floor = models.DecimalField(
        "减轻处罚罚款下限（元）",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text="减轻处罚在法定最低罚款数额以下、本数额以上裁量；法律未规定下限的为零。",
    )

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["matter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "version"], name="benchmark_version_unique"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="benchmark_period_ordered",
                violation_error_message="失效日期不能早于施行日期。",
            ),
            models.CheckConstraint(
                condition=Q(leniency_share__gt=0) & Q(leniency_share__lte=1),
                name="benchmark_share_in_range",
                violation_error_message="从轻、从重幅度比例应大于0且不超过1。",
            ),
            models.CheckConstraint(condition=Q(mitigation_floor__gte=0), name="benchmark_floor_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


def validate_penalty_kinds(kinds: object) -> None:
    """A tier lists at least one kind, each one of 《行政处罚法》第九条 (the codes of discretion.KIND_LABELS)."""
    allowed = "、".join(f"{code}（{label}）" for code, label in KIND_LABELS.items())
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) for k in kinds):
        raise ValidationError(
            f'处罚种类须至少列一种，写作代码列表，如 ["warning", "fine"]；可用代码：{allowed}。'
        )
    unknown = [k for k in kinds if k not in KIND_LABELS]
    if unknown:
        raise ValidationError(
            f"处罚种类“{'、'.join(unknown)}”不是《行政处罚法》第九条规定的种类；可用代码：{allowed}。"
        )


class BenchmarkTier(models.Model):
    """A circumstance tier: when it applies, its penalty kinds and fine range, and the clause text."""

    benchmark = models.ForeignKey(Benchmark, models.CASCADE, related_name="tiers", verbose_name="裁量基准")
    circumstance = models.CharField("情节档次", max_length=8, choices=Circumstance.choices)
    conditions = models.TextField("适用情形")
    kinds = models.JSONField(
        "处罚种类",
        default=list,
        validators=[validate_penalty_kinds],
        help_text='《行政处罚法》第九条的种类代码，如 ["warning", "fine"]。',
    )
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_of = models.CharField(
        "倍数罚款计算基数", max_length=14, choices=MultipleBase.choices, default=MultipleBase.NONE, blank=True
    )
    multiple_min = models.DecimalField("倍数下限", max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField("倍数上限", max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_threshold = models.DecimalField(
        "按倍数计罚的起点（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="计算基数低于此数额（或没有）时，适用固定数额幅度，如“没有违法所得或者违法所得不足一万元的”。",
    )
    clause = models.TextField("基准条款")

    class Meta:
        verbose_name = "裁量档次"
        verbose_name_plural = "裁量档次"
        ordering = ["benchmark", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["benchmark", "circumstance"], name="benchmark_tier_once"),
            models.CheckConstraint(
                condition=Q(fine_min__isnull=True, fine_max__isnull=True)
                | Q(fine_min__gte=0, fine_max__gte=models.F("fine_min")),
                name="tier_fine_range_ordered",
                violation_error_message="罚款下限、上限应同时填写，且下限不大于上限。",
            ),
            models.CheckConstraint(
                condition=Q(multiple_min__isnull=True, multiple_max__isnull=True, multiple_of="")
                | Q(multiple_min__gte=0, multiple_max__gte=models.F("multiple_min"), multiple_of__gt=""),
                name="tier_multiple_range_ordered",
                violation_error_message="倍数罚款应同时填写计算基数、倍数下限和上限，且下限不大于上限。",
            ),
        ]

    def __str__(self) -> str:
        return self.get_circumstance_display()

    def clean(self) -> None:
        # The calculator needs a range for a tier that fines, and a range means the tier fines.
        has_range = self.fine_min is not None or bool(self.multiple_of)
        fines = isinstance(self.kinds, list) and FINE in self.kinds
        if fines and not has_range:
            raise ValidationError(
                f"“{self.get_circumstance_display()}”档次列有罚款，须写明罚款幅度（固定数额或倍数）。"
            )
        if has_range and isinstance(self.kinds, list) and not fines:
            raise ValidationError(
                f"“{self.get_circumstance_display()}”档次写明了罚款幅度，处罚种类应包括罚款（fine）。"
            )


class DiscretionFactor(TimeStampedModel):
    """An entry of the four lists: agency-wide (agency set) or of one benchmark version (benchmark set)."""

    agency = models.ForeignKey(
        Agency,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="discretion_factors",
        verbose_name="执法主体",
    )
    benchmark = models.ForeignKey(
        Benchmark, models.CASCADE, null=True, blank=True, related_name="factors", verbose_name="裁量基准"
    )
    effect = models.CharField("清单", max_length=12, choices=FactorEffect.choices)
    code = models.CharField("编码", max_length=40)
    label = models.CharField("情形", max_length=300)
    basis = models.CharField("法律依据", max_length=300)
    note = models.CharField("适用说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "裁量情节（四张清单）"
        verbose_name_plural = "裁量情节（四张清单）"
        ordering = ["effect", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True, benchmark__isnull=False)
                | Q(agency__isnull=False, benchmark__isnull=True),
                name="factor_one_owner",
                violation_error_message="裁量情节应属于一个执法主体（通用）或一个裁量基准（事项专用），二者择一。",
            ),
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(agency__isnull=False),
                name="factor_agency_code_unique",
                violation_error_message="本机关的裁量情节清单已有该编码的情节。",
            ),
            models.UniqueConstraint(
                fields=["benchmark", "code"],
                condition=Q(benchmark__isnull=False),
                name="factor_benchmark_code_unique",
                violation_error_message="本版本裁量基准的事项专用情节已有该编码。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_effect_display()}：{self.label}"


# Kept in their own modules (size), imported here so Django registers them: the change record of
# the benchmarks and the four lists, and the 事前公开 lists.
from zhifa.catalog.models_events import DiscretionAction as DiscretionAction  # noqa: E402
from zhifa.catalog.models_events import DiscretionEvent as DiscretionEvent  # noqa: E402
from zhifa.catalog.models_public import InspectionItem as InspectionItem  # noqa: E402
from zhifa.catalog.models_public import ServiceGuide as ServiceGuide  # noqa: E402
