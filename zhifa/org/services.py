"""Every write to agencies and their people. Each checks its guard and runs in one transaction."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.validation import clean_or_raise
from zhifa.org import policies
from zhifa.org.models import (
    Agency,
    AnnualReview,
    Certificate,
    CertificateEvent,
    CertificateEventKind,
    CertificateStatus,
    EnforcementDomain,
    Officer,
    Region,
    TrainingRecord,
    Unit,
    uscc_invalid_message,
)
from zhifa.org.seal import seal_png_validate
from zhifa.org.selectors import certificate_states, officer_standing

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def validate_uscc(code: str) -> str:
    """统一社会信用代码 with its GB 32100-2015 check character."""
    code = code.strip().upper()
    try:
        return uscc.validate(code)
    except StdnumError:
        raise InvalidInput(uscc_invalid_message(code)) from None


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    region = Region(code=code, name=name, level=level, parent=parent)
    region.path = f"{parent.path if parent else '/'}{code}/"
    clean_or_raise(region)
    region.save()
    return region


@transaction.atomic
def domain_create(*, actor: User | None, code: str, name: str) -> EnforcementDomain:
    """执法类别 are shared configuration: only the system administrator adds them."""
    if actor is not None and not actor.is_sysadmin:
        raise NotPermitted("只有系统管理员可以新增执法类别。")
    domain = EnforcementDomain(code=code.strip(), name=name.strip())
    clean_or_raise(domain)
    domain.save()
    return domain


_AGENCY_FIELDS = {
    "name",
    "short_name",
    "region",
    "kind",
    "is_justice_bureau",
    "parent",
    "entrusted_by",
    "uscc",
    "address",
    "phone",
    "duties",
    "supervision_channel",
    "complaint_channel",
    "remedies",
    "reconsideration_body",
    "litigation_court",
    "collecting_bank",
    "is_active",
    "document_abbr",
    "document_number_pattern",
}


def _check_fields(fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")


@transaction.atomic
def agency_create(*, actor: User | None, **fields: Any) -> Agency:
    if actor is not None and not actor.is_sysadmin:
        raise NotPermitted("只有系统管理员可以登记新的执法主体。")
    _check_fields(fields, _AGENCY_FIELDS)
    fields["uscc"] = validate_uscc(fields.get("uscc", ""))
    agency = Agency(**fields)
    clean_or_raise(agency)
    agency.save()
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: Agency, **fields: Any) -> Agency:
    policies.ensure_can_manage_agency(actor, agency)
    _check_fields(fields, _AGENCY_FIELDS - {"is_justice_bureau", "region", "kind", "parent", "entrusted_by"})
    if "uscc" in fields:
        fields["uscc"] = validate_uscc(fields["uscc"])
    for key, value in fields.items():
        setattr(agency, key, value)
    clean_or_raise(agency)
    agency.save()
    return agency


@transaction.atomic
def agency_seal_set(*, actor: User, agency: Agency, png: bytes | None) -> Agency:
    """Set the seal image the agency's documents show over the 落款; None goes back to the generated one."""
    policies.ensure_can_manage_agency(actor, agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.seal_png = seal_png_validate(png) if png is not None else b""
    agency.save(update_fields=["seal_png", "updated_at"])
    return agency


@transaction.atomic
def unit_create(*, actor: User | None, agency: Agency, name: str, is_legal_review_body: bool = False) -> Unit:
    if actor is not None:
        policies.ensure_can_manage_agency(actor, agency)
    if is_legal_review_body:
        Unit.objects.filter(agency=agency, is_legal_review_body=True).update(is_legal_review_body=False)
    unit = Unit(agency=agency, name=name.strip(), is_legal_review_body=is_legal_review_body)
    clean_or_raise(unit)
    unit.save()
    return unit


@transaction.atomic
def unit_designate_legal_review_body(*, actor: User, unit: Unit) -> Unit:
    """Make this unit the agency's 法制审核机构 (there is one per agency)."""
    policies.ensure_can_manage_agency(actor, unit.agency)
    Unit.objects.filter(agency=unit.agency, is_legal_review_body=True).exclude(pk=unit.pk).update(
        is_legal_review_body=False
    )
    unit.is_legal_review_body = True
    unit.save(update_fields=["is_legal_review_body", "updated_at"])
    return unit


_OFFICER_FIELDS = {
    "unit",
    "user",
    "name",
    "gender",
    "title",
    "post",
    "legal_qualification_no",
    "legal_qualification_date",
    "is_active",
}


def _ensure_can_manage_certificate(actor: User | None, officer: Officer) -> None:
    """Certificates are managed by the agency's head or the administrator, never by their holder."""
    if actor is None:
        return
    policies.ensure_can_manage_agency(actor, officer.agency)
    if officer.user_id is not None and officer.user_id == actor.pk:
        raise NotPermitted("不能办理本人执法证的登记、年审或状态变更，请由其他负责人或系统管理员办理。")


def _check_unit(officer: Officer) -> None:
    if officer.unit is not None and officer.unit.agency_id != officer.agency_id:
        raise InvalidInput(f"内设机构“{officer.unit.name}”不属于“{officer.agency.name}”。")


@transaction.atomic
def officer_create(*, actor: User | None, agency: Agency, **fields: Any) -> Officer:
    if actor is not None:
        policies.ensure_can_manage_agency(actor, agency)
    _check_fields(fields, _OFFICER_FIELDS)
    officer = Officer(agency=agency, **fields)
    _check_unit(officer)
    clean_or_raise(officer)
    officer.save()
    return officer


@transaction.atomic
def officer_update(*, actor: User, officer: Officer, **fields: Any) -> Officer:
    policies.ensure_can_manage_agency(actor, officer.agency)
    _check_fields(fields, _OFFICER_FIELDS - {"user"})
    for key, value in fields.items():
        setattr(officer, key, value)
    _check_unit(officer)
    clean_or_raise(officer)
    officer.save()
    return officer


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 800  # enough for a phone screen; the stored copy is scaled down to this
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def _photo_jpeg(upload: IO[bytes]) -> bytes:
    """The upload as a plain JPEG: checked to be an image, scaled down, without EXIF (no GPS)."""
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise InvalidInput("照片不能超过 5 MB，请压缩后重新上传。")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("上传的文件不是可以识别的图片，请上传 JPEG、PNG 或 WebP 格式的照片。") from None
    if kind not in PHOTO_FORMATS:
        raise InvalidInput("照片只接受 JPEG、PNG 或 WebP 格式。")
    if min(image.size) < 80:
        raise InvalidInput("照片太小，无法辨认，请上传宽和高均不少于 80 像素的照片。")
    rgb = image.convert("RGB")
    rgb.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=85)
    return out.getvalue()


@transaction.atomic
def officer_set_photo(*, actor: User, officer: Officer, photo: IO[bytes] | None) -> Officer:
    """Put (or, with None, take off) the officer's photo shown on the public credential page."""
    policies.ensure_can_manage_agency(actor, officer.agency)
    locked = Officer.objects.select_for_update().get(pk=officer.pk)
    old = locked.photo.name
    if photo is None:
        locked.photo = ""
    else:
        locked.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(_photo_jpeg(photo)), save=False)
    locked.save(update_fields=["photo", "updated_at"])
    if old:
        # The old file goes once the new record is committed; a rollback keeps it.
        storage = locked.photo.storage
        transaction.on_commit(lambda: storage.delete(old))
    officer.photo = locked.photo
    return locked


@transaction.atomic
def certificate_issue(
    *,
    actor: User | None,
    officer: Officer,
    number: str,
    issuer: str,
    issued_on: dt.date,
    valid_until: dt.date,
    domains: Iterable[EnforcementDomain],
    area: Region,
) -> Certificate:
    _ensure_can_manage_certificate(actor, officer)
    domains = list(domains)
    if not domains:
        raise InvalidInput("执法证须至少登记一个执法类别。")
    if not area.path.startswith(officer.agency.region.path):
        raise InvalidInput(
            f"执法区域“{area.name}”超出了{officer.agency.name}的管辖区域“{officer.agency.region.name}”。"
        )
    certificate = Certificate(
        officer=officer,
        number=number.strip(),
        issuer=issuer,
        issued_on=issued_on,
        valid_until=valid_until,
        area=area,
    )
    clean_or_raise(certificate)
    certificate.save()
    certificate.domains.set(domains)
    _certificate_event(
        certificate,
        actor,
        CertificateEventKind.ISSUE,
        f"登记执法证 {certificate.number}（有效期至 {valid_until}）",
    )
    return certificate


def _certificate_event(certificate: Certificate, actor: User | None, kind: str, summary: str) -> None:
    CertificateEvent.objects.create(
        certificate=certificate,
        officer_id=certificate.officer_id,
        kind=kind,
        actor=actor,
        summary=summary[:300],
    )


@transaction.atomic
def certificate_set_status(
    *, actor: User | None, certificate: Certificate, status: str, reason: str
) -> Certificate:
    _ensure_can_manage_certificate(actor, certificate.officer)
    if status not in CertificateStatus.values:
        raise InvalidInput(f"证件状态“{status}”不存在。")
    if not reason.strip():
        raise InvalidInput("变更执法证状态（暂扣、吊销、注销或恢复有效）须写明理由。")
    if certificate.status in (CertificateStatus.REVOKED, CertificateStatus.CANCELLED):
        raise DomainError("已吊销或注销的执法证不能再变更状态，请重新申领。")
    certificate.status = status
    certificate.status_reason = reason.strip()
    certificate.save(update_fields=["status", "status_reason", "updated_at"])
    _certificate_event(
        certificate,
        actor,
        CertificateEventKind.STATUS,
        f"执法证 {certificate.number} {CertificateStatus(status).label}：{certificate.status_reason}",
    )
    return certificate


@transaction.atomic
def annual_review_record(
    *,
    actor: User | None,
    certificate: Certificate,
    year: int,
    reviewed_on: dt.date,
    passed: bool,
    note: str = "",
) -> AnnualReview:
    """Record a 年审. A failed review cancels the certificate (年度审验不合格的注销行政执法证件)."""
    _ensure_can_manage_certificate(actor, certificate.officer)
    if reviewed_on > today():
        raise InvalidInput("年审日期不能晚于今天。")
    if reviewed_on < certificate.issued_on:
        raise InvalidInput("年审日期不能早于发证日期。")
    if reviewed_on.year not in (year, year + 1):
        raise InvalidInput(f"{year} 年度的年审应在 {year} 年或 {year + 1} 年内进行，审验日期与年度不符。")
    if AnnualReview.objects.filter(certificate=certificate, year=year).exists():
        raise InvalidInput(f"执法证 {certificate.number} 已有 {year} 年度的年审记录。")
    review = AnnualReview(
        certificate=certificate, year=year, reviewed_on=reviewed_on, passed=passed, note=note
    )
    clean_or_raise(review)
    review.save()
    _certificate_event(
        certificate,
        actor,
        CertificateEventKind.REVIEW,
        f"执法证 {certificate.number} {year} 年度审验{'合格' if passed else '不合格'}",
    )
    if not passed:
        certificate_set_status(
            actor=None,
            certificate=certificate,
            status=CertificateStatus.CANCELLED,
            reason=f"{year} 年度审验不合格",
        )
    return review


@transaction.atomic
def training_record_add(
    *,
    actor: User | None,
    officer: Officer,
    date: dt.date,
    title: str,
    category: str,
    hours: Decimal,
    organizer: str = "",
) -> TrainingRecord:
    if actor is not None:
        policies.ensure_can_manage_agency(actor, officer.agency)
    if date > today():
        raise InvalidInput("培训日期不能晚于今天。")
    record = TrainingRecord(
        officer=officer, date=date, title=title, category=category, hours=hours, organizer=organizer
    )
    clean_or_raise(record)
    record.save()
    return record


def officer_ensure_can_enforce(
    *, officer: Officer, domain: EnforcementDomain, on: dt.date | None = None
) -> Certificate:
    """The guard for assigning an officer to a case of a matter in `domain`.

    《行政处罚法》第四十二条: 行政处罚应当由具有行政执法资格的执法人员实施. Returns the certificate
    that entitles the officer, or raises with the reason.
    """
    on = on or today()
    if not officer.is_active:
        raise DomainError(f"{officer.name}已不在岗，不能承办案件（《行政处罚法》第四十二条）。")
    states = certificate_states(officer, on=on)
    if not states:
        raise DomainError(
            f"{officer.name}未取得行政执法证件，不能承办案件"
            "（《行政处罚法》第四十二条：行政处罚应当由具有行政执法资格的执法人员实施）。"
        )
    usable = [(c, s) for c, s in states if s.can_act]
    if not usable:
        reason = officer_standing(officer, on=on).state.message.rstrip("。")  # type: ignore[union-attr]
        raise DomainError(f"{officer.name}的{reason}，不能承办案件（《行政处罚法》第四十二条）。")
    covering = [c for c, _ in usable if any(d.pk == domain.pk for d in c.domains.all())]
    region_path = officer.agency.region.path
    for certificate in covering:
        if region_path.startswith(certificate.area.path):
            return certificate
    if covering:
        raise DomainError(
            f"{officer.name}的执法证执法区域为“{covering[0].area.name}”，不包括{officer.agency.name}的管辖区域，"
            "不能承办该案件（《行政处罚法》第四十二条）。"
        )
    raise DomainError(
        f"{officer.name}的执法证执法类别不包括“{domain.name}”，不能承办该事项的案件（《行政处罚法》第四十二条）。"
    )
