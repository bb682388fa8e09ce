"""factory_boy factories for the core apps, and helpers for objects built through services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory
from stdnum.cn import uscc

from zhifa.accounts.models import Role, User
from zhifa.catalog.models import BasisRole, Matter, MatterKind, MatterVersion
from zhifa.catalog.services import BasisInput, matter_create
from zhifa.org.models import (
    Agency,
    AgencyKind,
    AnnualReview,
    Certificate,
    EnforcementDomain,
    Gender,
    Officer,
    Post,
    Region,
    RegionLevel,
    TrainingCategory,
    TrainingRecord,
    Unit,
)

TEST_PASSWORD = "zhifa-test-passphrase"


def make_uscc(serial: int) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015 check character) for a serial number."""
    base = f"91110000{serial:09d}"
    return base + uscc.calc_check_digit(base)


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = RegionLevel.COUNTY
    parent = None
    # The same chain services.region_create builds: "/<province>/<city>/<county>/".
    path = factory.LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试执法局{n}")
    short_name = factory.Sequence(lambda n: f"执法局{n}")
    region = factory.SubFactory(RegionFactory)
    kind = AgencyKind.STATUTORY
    is_justice_bureau = False
    uscc = factory.Sequence(make_uscc)
    address = "测试路1号"
    phone = "020-12345678"
    duties = "依法实施行政处罚、行政检查。"
    supervision_channel = "司法局行政执法监督科，电话 020-12340000"
    complaint_channel = "12345 政务服务便民热线"
    remedies = "可依法申请行政复议或提起行政诉讼。"


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"科室{n}")
    is_legal_review_body = False


class EnforcementDomainFactory(DjangoModelFactory):
    class Meta:
        model = EnforcementDomain

    code = factory.Sequence(lambda n: f"D{n:04d}")
    name = factory.Sequence(lambda n: f"执法类别{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICER
    is_active = True
    password = factory.django.Password(TEST_PASSWORD)


class OfficerFactory(DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    unit = None
    user = None
    name = factory.Sequence(lambda n: f"执法员{n}")
    gender = Gender.MALE
    post = Post.ENFORCEMENT
    is_active = True


class CertificateFactory(DjangoModelFactory):
    """A certificate issued 2025-01-01, valid until 2030-01-01 (review due 2026-01-01).

    `domains=[...]` sets the enforcement domains; without it the certificate gets a new one.
    """

    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    officer = factory.SubFactory(OfficerFactory)
    number = factory.Sequence(lambda n: f"ZF{n:08d}")
    issuer = "测试市人民政府"
    issued_on = dt.date(2025, 1, 1)
    valid_until = dt.date(2030, 1, 1)
    area = factory.LazyAttribute(lambda o: o.officer.agency.region)

    @factory.post_generation
    def domains(self, create: bool, extracted: Iterable[EnforcementDomain] | None, **kwargs: Any) -> None:
        if not create:
            return
        domains = list(extracted) if extracted is not None else [EnforcementDomainFactory()]
        self.domains.set(domains)  # type: ignore[attr-defined]


class AnnualReviewFactory(DjangoModelFactory):
    class Meta:
        model = AnnualReview

    certificate = factory.SubFactory(CertificateFactory)
    year = 2025
    reviewed_on = dt.date(2025, 12, 1)
    passed = True


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    officer = factory.SubFactory(OfficerFactory)
    date = dt.date(2025, 3, 1)
    title = factory.Sequence(lambda n: f"行政执法培训{n}")
    category = TrainingCategory.PUBLIC_LAW
    hours = Decimal("8.0")


def make_user(
    role: str = Role.OFFICER,
    *,
    agency: Agency | None = None,
    post: str | None = None,
    officer_active: bool = True,
    **user_fields: Any,
) -> User:
    """A login with the role, on the roster of `agency` (a new agency when omitted).

    Pass `agency=None` with role sysadmin for a system administrator with no officer row.
    """
    user = UserFactory(role=role, **user_fields)
    if agency is None and role == Role.SYSADMIN:
        return user
    default_post = {
        Role.HEAD: Post.LEADERSHIP,
        Role.REVIEWER: Post.LEGAL_REVIEW,
        Role.SUPERVISOR: Post.SUPERVISION,
    }.get(Role(role), Post.ENFORCEMENT)
    OfficerFactory(
        agency=agency or AgencyFactory(), user=user, post=post or default_post, is_active=officer_active
    )
    user.refresh_from_db()
    return user


DEFAULT_BASES = (
    BasisInput(BasisRole.VIOLATED, "劳动保障监察条例", "第二十六条"),
    BasisInput(BasisRole.PENALTY, "劳动保障监察条例", "第二十六条"),
)


def make_matter(
    *,
    agency: Agency | None = None,
    domain: EnforcementDomain | None = None,
    code: str | None = None,
    effective_from: dt.date = dt.date(2024, 1, 1),
    kind: str = MatterKind.PENALTY,
    name: str = "用人单位未按时足额支付劳动报酬",
    bases: Iterable[BasisInput] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Matter:
    """A matter with its first version, created through catalog.services.matter_create."""
    agency = agency or AgencyFactory()
    return matter_create(
        actor=actor,
        agency=agency,
        code=code or f"M{Matter.objects.count() + 1:04d}",
        effective_from=effective_from,
        bases=DEFAULT_BASES if bases is None and kind == MatterKind.PENALTY else (bases or ()),
        name=name,
        kind=kind,
        domain=domain or EnforcementDomainFactory(),
        **fields,
    )


def first_version(matter: Matter) -> MatterVersion:
    return matter.versions.get(version=1)
