"""执法主体 (agencies), 执法人员 (officers), 执法证 (certificates), 年审, 培训学时."""

import string
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

from zhifa.core.models import TimeStampedModel


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇（街道）"


class Region(TimeStampedModel):
    """行政区划. `path` is the chain of codes from the province down, for subtree queries."""

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级区划"
    )
    path = models.CharField("区划路径", max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


DOCUMENT_NUMBER_PLACEHOLDERS = ("abbr", "kind", "year", "number")
DEFAULT_DOCUMENT_NUMBER_PATTERN = "{abbr}{kind}〔{year}〕{number}号"


def validate_document_number_pattern(pattern: str) -> None:
    """A 文号 pattern uses only {abbr} {kind} {year} {number}, and always {year} and {number}.

    Without the year or the serial number, two documents could carry the same 文号.
    """
    allowed = "、".join(f"{{{name}}}" for name in DOCUMENT_NUMBER_PLACEHOLDERS)
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        raise ValidationError(
            f"文号格式“{pattern}”中的花括号不成对；占位符只能是 {allowed}，其余花括号请写作 {{{{ 或 }}}}。"
        ) from None
    used = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in DOCUMENT_NUMBER_PLACEHOLDERS or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValidationError(f"文号格式中的“{shown}”不是可用的占位符；只能使用 {allowed}。")
        used.add(name)
    missing = [f"{{{name}}}" for name in ("year", "number") if name not in used]
    if missing:
        raise ValidationError(f"文号格式须包含 {'、'.join(missing)}，否则不同年度或序号的文书会重号。")


def uscc_invalid_message(code: str) -> str:
    return f"统一社会信用代码“{code}”无效：应为 18 位，且第 18 位校验码须符合 GB 32100-2015。"


def validate_uscc_code(code: str) -> None:
    """统一社会信用代码 (GB 32100-2015 check character), on the field so that every form refuses a bad
    code; org.services.validate_uscc also normalises it (spaces, case) before it is stored."""
    try:
        stdnum_uscc.validate(code)
    except StdnumError:
        raise ValidationError(uscc_invalid_message(code.strip().upper()), code="invalid_uscc") from None


class AgencyKind(models.TextChoices):
    STATUTORY = "statutory", "法定行政机关"
    AUTHORIZED = "authorized", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"


class Agency(TimeStampedModel):
    """执法主体."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, related_name="agencies", verbose_name="所在区划")
    kind = models.CharField(
        "主体类别", max_length=12, choices=AgencyKind.choices, default=AgencyKind.STATUTORY
    )
    is_justice_bureau = models.BooleanField(
        "司法行政部门", default=False, help_text="承担本级行政执法监督职责的司法局（司法厅）。"
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name="上级主管部门",
    )
    entrusted_by = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="entrustees", verbose_name="委托机关"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc_code])
    address = models.CharField("办公地址", max_length=200)
    phone = models.CharField("联系电话", max_length=40)
    duties = models.TextField("执法职责")
    supervision_channel = models.TextField("监督渠道", help_text="执法监督机构名称、监督电话、地址等。")
    complaint_channel = models.TextField("投诉举报渠道")
    remedies = models.TextField("救济渠道", help_text="行政复议机关、行政诉讼管辖法院等。")
    # Named in every decision's remedies clause (《行政处罚法》第五十九条第一款第（五）项).
    reconsideration_body = models.CharField("行政复议机关", max_length=100, blank=True)
    litigation_court = models.CharField("行政诉讼管辖法院", max_length=100, blank=True)
    # Named on every penalty decision beside its 缴款码 (决定与收缴分离, 《行政处罚法》第六十七条).
    collecting_bank = models.CharField(
        "罚款代收机构",
        max_length=100,
        blank=True,
        help_text="代收罚款的银行或者非税收入收缴系统，如“示例银行示例市分行（非税收入代收）”。",
    )
    is_active = models.BooleanField("有效", default=True)
    document_abbr = models.CharField(
        "文书机关代字",
        max_length=20,
        blank=True,
        help_text="执法文书文号中的机关代字，如“南人社监”；留空时使用简称（或名称）。",
    )
    document_number_pattern = models.CharField(
        "文号格式",
        max_length=60,
        default=DEFAULT_DOCUMENT_NUMBER_PATTERN,
        validators=[validate_document_number_pattern],
        help_text="可用占位符：{abbr} 机关代字、{kind} 文书类别字、{year} 年度、{number} 序号；"
        "须包含 {year} 和 {number}。例如“{abbr}{kind}〔{year}〕{number}号”。",
    )
    # Set only through services.agency_seal_set (validated PNG); empty: a generated round seal.
    seal_png = models.BinaryField("电子印章图像", blank=True, default=b"", editable=False)

    class Meta:
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"
        ordering = ["region__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="entrusted", entrusted_by__isnull=False)
                | (~Q(kind="entrusted") & Q(entrusted_by__isnull=True)),
                name="agency_entrusted_has_entruster",
                violation_error_message="受委托组织须登记委托机关，其他主体不得登记委托机关。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def legal_review_unit(self) -> "Unit | None":
        return next((u for u in self.units.all() if u.is_legal_review_body), None)


class Unit(TimeStampedModel):
    """内设机构; one of them may be the agency's legal-review body (法制审核机构)."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="units", verbose_name="执法主体")
    name = models.CharField("名称", max_length=60)
    is_legal_review_body = models.BooleanField("法制审核机构", default=False)

    class Meta:
        verbose_name = "内设机构"
        verbose_name_plural = "内设机构"
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name"),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(is_legal_review_body=True),
                name="unit_one_legal_review_body",
                violation_error_message="每个执法主体只能指定一个法制审核机构。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name or self.agency.name}·{self.name}"


class EnforcementDomain(TimeStampedModel):
    """执法类别 (e.g. 劳动保障监察); a certificate covers some, a matter belongs to one."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)

    class Meta:
        verbose_name = "执法类别"
        verbose_name_plural = "执法类别"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Post(models.TextChoices):
    ENFORCEMENT = "enforcement", "行政执法岗位"
    LEGAL_REVIEW = "legal_review", "法制审核岗位"
    LEADERSHIP = "leadership", "机关负责人"
    SUPERVISION = "supervision", "行政执法监督岗位"
    SUPPORT = "support", "综合岗位"


class Officer(TimeStampedModel):
    """A person on an agency's roster (执法人员, 法制审核人员, 负责人 ...), optionally with a login."""

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="officers", verbose_name="执法主体")
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="officers", verbose_name="内设机构"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
        verbose_name="登录账号",
    )
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    title = models.CharField("职务", max_length=50, blank=True)
    post = models.CharField("岗位", max_length=20, choices=Post.choices, default=Post.ENFORCEMENT)
    legal_qualification_no = models.CharField("法律职业资格证书编号", max_length=40, blank=True)
    legal_qualification_date = models.DateField("法律职业资格取得日期", null=True, blank=True)
    is_active = models.BooleanField("在岗", default=True)
    # Shown on the public credential page only (事中公示), so the public can match the face;
    # stored re-encoded without metadata by `officer_set_photo`, served by that page's own view.
    photo = models.ImageField("照片", upload_to="officers/", blank=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_legal_qualification(self) -> bool:
        return bool(self.legal_qualification_no)


class CertificateStatus(models.TextChoices):
    """The status an issuing authority sets; expiry and overdue review are derived from dates."""

    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"


class Certificate(TimeStampedModel):
    """执法证."""

    officer = models.ForeignKey(Officer, models.CASCADE, related_name="certificates", verbose_name="持证人")
    number = models.CharField("证件编号", max_length=40, unique=True)
    issuer = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    status = models.CharField(
        "证件状态", max_length=12, choices=CertificateStatus.choices, default=CertificateStatus.ACTIVE
    )
    status_reason = models.CharField("状态说明", max_length=200, blank=True)
    domains = models.ManyToManyField(EnforcementDomain, related_name="certificates", verbose_name="执法类别")
    area = models.ForeignKey(Region, models.PROTECT, related_name="certificates", verbose_name="执法区域")

    class Meta:
        verbose_name = "执法证"
        verbose_name_plural = "执法证"
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_after_issue",
                violation_error_message="有效期须晚于发证日期。",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateEventKind(models.TextChoices):
    ISSUE = "issue", "登记发证"
    STATUS = "status", "状态变更"
    REVIEW = "review", "年审"


class CertificateEvent(models.Model):
    """One change to a certificate (issued, status set, 年审 recorded), written by the certificate
    services in their transaction. Append-only: readers elsewhere (the warning rules of
    zhifa.supervision) follow it with a cursor instead of rescanning every certificate."""

    certificate = models.ForeignKey(Certificate, models.CASCADE, related_name="events", verbose_name="执法证")
    # The holder, denormalised so a reader goes from the change to the officer's cases in one query.
    officer = models.ForeignKey(Officer, models.CASCADE, related_name="+", verbose_name="持证人")
    kind = models.CharField("事项", max_length=10, choices=CertificateEventKind.choices)
    at = models.DateTimeField("时间", auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理人",
        help_text="空表示系统（如年审不合格自动注销、管理命令、演示数据）。",
    )
    summary = models.CharField("摘要", max_length=300)

    class Meta:
        verbose_name = "执法证变更记录"
        verbose_name_plural = "执法证变更记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"


class AnnualReview(TimeStampedModel):
    """年审 (年度审验) of a certificate."""

    certificate = models.ForeignKey(
        Certificate, models.CASCADE, related_name="annual_reviews", verbose_name="执法证"
    )
    year = models.PositiveSmallIntegerField("审验年度")
    reviewed_on = models.DateField("审验日期")
    passed = models.BooleanField("审验合格")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "年审记录"
        verbose_name_plural = "年审记录"
        ordering = ["-reviewed_on"]
        constraints = [
            models.UniqueConstraint(fields=["certificate", "year"], name="annual_review_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} {self.year} {'合格' if self.passed else '不合格'}"


class TrainingCategory(models.TextChoices):
    PUBLIC_LAW = "public_law", "公共法律知识"
    BUSINESS = "business", "业务知识"
    SKILLS = "skills", "行政执法技能"


class TrainingRecord(TimeStampedModel):
    """培训学时."""

    officer = models.ForeignKey(
        Officer, models.CASCADE, related_name="training_records", verbose_name="执法人员"
    )
    date = models.DateField("培训日期")
    title = models.CharField("培训内容", max_length=100)
    category = models.CharField("类别", max_length=12, choices=TrainingCategory.choices)
    hours = models.DecimalField(
        "学时", max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    organizer = models.CharField("组织单位", max_length=100, blank=True)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="training_hours_in_range",
                violation_error_message="单次培训学时应大于 0 且不超过 24。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.date} {self.title}"
