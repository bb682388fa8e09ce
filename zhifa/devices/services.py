"""Every write of 非现场执法 (《行政处罚法》第四十一条).

A device's records are used only when the device passed 法制审核 (zhifa.review.subjects) and its
location is published; each record is stored with its hashes on import, reviewed by a person,
and only a record found usable starts a case (through the cases' `case_register_clue`, its file
added as the case's evidence through `evidence_add`). Every refusal names 第四十一条.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from zhifa.cases.models import ClueSource
from zhifa.cases.policies import officer_of
from zhifa.cases.services import case_register_clue
from zhifa.cases.timeline import event as case_event
from zhifa.core.calendar import today
from zhifa.core.errors import Conflict, DomainError, InvalidInput
from zhifa.devices import ledger, notice, policies
from zhifa.devices.manifest import Entry
from zhifa.devices.models import Device, DeviceEvent, DeviceKind, EventReview
from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceKind
from zhifa.evidence.services import Metadata, blob_stage, blob_store, evidence_add
from zhifa.ledger.services import ledger_append
from zhifa.review import subjects

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.catalog.models import Matter
    from zhifa.documents.models import Document
    from zhifa.org.models import Agency
    from zhifa.review.models import SubjectReview

ARTICLE = "《行政处罚法》第四十一条"
REVIEW_BASIS = "《行政处罚法》第四十一条第一款：电子技术监控设备应当经过法制和技术审核"


def _device_leaf(device: Device) -> None:
    ledger_append(kind=ledger.DEVICE, ref=device.ref, payload=ledger.device_payload(device))


def _event_leaf(record: DeviceEvent) -> None:
    ledger_append(kind=ledger.EVENT, ref=record.ref, payload=ledger.event_payload(record))


# ── the register ──────────────────────────────────────────────────────────────────────────


@transaction.atomic
def device_register(
    *,
    actor: User,
    agency: Agency,
    code: str,
    name: str,
    kind: str,
    location: str,
    latitude: Decimal,
    longitude: Decimal,
    detects: str,
    legal_basis: str,
    check_body: str,
    check_report: str,
    checked_on: dt.date,
) -> Device:
    policies.ensure_may_register(actor, agency)
    if kind not in DeviceKind.values:
        raise InvalidInput("请选择设备类型。")
    texts = {
        "设备编号": code,
        "名称": name,
        "设置地点": location,
        "监控的违法行为": detects,
        "设置依据": legal_basis,
        "技术检验机构": check_body,
        "检验报告编号": check_report,
    }
    missing = [label for label, value in texts.items() if not value.strip()]
    if missing:
        raise InvalidInput(
            f"请填写{'、'.join(missing)}（{ARTICLE}：设备应当经过技术审核，设置地点应当公布）。"
        )
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise InvalidInput("经纬度超出范围。")
    if checked_on > today():
        raise InvalidInput("技术检验日期不能晚于今天。")
    if Device.objects.filter(agency=agency, code=code.strip()).exists():
        raise InvalidInput(f"本机关已登记编号为“{code.strip()}”的设备。")
    device = Device.objects.create(
        agency=agency,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        location=location.strip(),
        latitude=latitude,
        longitude=longitude,
        detects=detects.strip(),
        legal_basis=legal_basis.strip(),
        check_body=check_body.strip(),
        check_report=check_report.strip(),
        checked_on=checked_on,
        registered_by=actor,
    )
    _device_leaf(device)
    return device


def device_submit_review(*, actor: User, device: Device, materials: str = "") -> SubjectReview:
    """送法制审核 through the review app: the device's basis, location, check and what it detects."""
    policies.ensure_may_register(actor, device.agency)
    summary = materials.strip() or (
        f"设备：{device}（{device.get_kind_display()}）；设置地点：{device.location}"
        f"（{device.latitude}, {device.longitude}）；监控的违法行为：{device.detects}；设置依据：{device.legal_basis}；"
        f"技术检验：{device.check_body} {device.check_report}，{device.checked_on:%Y-%m-%d}。"
    )
    return subjects.subject_review_submit(
        actor=actor,
        agency=device.agency,
        subject_ref=device.ref,
        label=f"电子技术监控设备 {device}",
        basis=REVIEW_BASIS,
        materials=summary,
    )


def reviewed(device: Device) -> bool:
    return subjects.cleared(device.ref)


def refusal(device: Device) -> str:
    """Why the device's records may not be used, or "" (第四十一条第一款)."""
    if not reviewed(device):
        return (
            f"电子技术监控设备“{device}”未经法制审核或者审核未同意，其记录不得作为行政处罚的证据使用"
            f"（{ARTICLE}第一款）。"
        )
    if device.published_at is None:
        return (
            f"电子技术监控设备“{device}”的设置地点尚未向社会公布，其记录不得作为行政处罚的证据使用"
            f"（{ARTICLE}第一款）。"
        )
    return ""


@transaction.atomic
def device_publish(*, actor: User, device: Device) -> Device:
    """Publish the location on the portal (第四十一条第一款); only a reviewed device."""
    policies.ensure_may_publish(actor, device.agency)
    device = Device.objects.select_for_update(of=("self",)).get(pk=device.pk)
    if device.published_at is not None:
        raise Conflict("该设备的设置地点已经公布。")
    if not reviewed(device):
        raise DomainError(
            f"电子技术监控设备“{device}”尚未经法制审核同意，不能投入使用并公布（{ARTICLE}第一款）。"
        )
    device.published_at, device.published_by = timezone.now(), actor
    device.save()
    _device_leaf(device)
    return device


# ── records ───────────────────────────────────────────────────────────────────────────────


@dataclass
class ImportResult:
    imported: list[DeviceEvent] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    duplicates: int = 0


def _kind_of(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def device_events_import(*, actor: User, entries: list[Entry]) -> ImportResult:
    """Store each record of a device whose records may be used; refuse the others with the article.

    Each stored record is its own transaction (file, row, ledger leaf): a record refused or
    already imported leaves the others in.
    """
    agency = policies.ensure_reader(actor)
    policies.ensure_may_handle_events(actor, agency)
    devices = {d.code: d for d in Device.objects.filter(agency=agency, code__in={e.device for e in entries})}
    result = ImportResult()
    for entry in entries:
        device = devices.get(entry.device)
        if device is None:
            result.refused.append(
                (entry.number, f"本机关没有登记编号为“{entry.device}”的电子技术监控设备（{ARTICLE}）。")
            )
            continue
        why = refusal(device)
        if not why and device.published_at is not None and entry.occurred_at < device.published_at:
            why = (
                f"记录时间早于设备“{device}”设置地点的公布时间（{timezone.localtime(device.published_at):%Y-%m-%d %H:%M}），"
                f"该记录不得使用（{ARTICLE}第一款）。"
            )
        if not why and entry.occurred_at > timezone.now():
            why = "记录时间晚于现在。"
        if why:
            result.refused.append((entry.number, why))
            continue
        if DeviceEvent.objects.filter(device=device, external_id=entry.external_id).exists():
            result.duplicates += 1
            continue
        with entry.open() as stream:
            staged = storage.stage_stream(stream)
        with transaction.atomic():
            blob = blob_store(staged=staged)
            record = DeviceEvent.objects.create(
                device=device,
                agency=agency,
                external_id=entry.external_id,
                occurred_at=entry.occurred_at,
                place=entry.place,
                subject=entry.subject,
                description=entry.violation,
                blob=blob,
                original_name=entry.file_name,
                content_type=_kind_of(entry.file_name)[:100],
                imported_by=actor,
            )
            _event_leaf(record)
        result.imported.append(record)
    return result


def _locked(record: DeviceEvent) -> DeviceEvent:
    return (
        DeviceEvent.objects.select_for_update(of=("self",))
        .select_related("device__agency", "blob", "agency")
        .get(pk=record.pk)
    )


@transaction.atomic
def device_event_review(*, actor: User, record: DeviceEvent, usable: bool, reason: str) -> DeviceEvent:
    """A person's review of one record (第四十一条第二款: 真实、清晰、完整、准确), with the reason."""
    policies.ensure_may_handle_events(actor, record.agency)
    record = _locked(record)
    if record.review != EventReview.PENDING:
        raise Conflict(f"该记录已审核：{record.get_review_display()}。")
    if not reason.strip():
        raise InvalidInput(f"请填写审核理由（{ARTICLE}第二款：记录应当真实、清晰、完整、准确）。")
    record.review = EventReview.USABLE if usable else EventReview.UNUSABLE
    record.review_reason = reason.strip()[:300]
    record.reviewed_by, record.reviewed_at = actor, timezone.now()
    record.save()
    _event_leaf(record)
    return record


def case_refusal(record: DeviceEvent) -> str:
    """Why this record cannot start a case, or ""."""
    why = refusal(record.device)
    if why:
        return why
    if record.review == EventReview.PENDING:
        return (
            "该电子技术监控记录尚未经审核确认真实、清晰、完整、准确，不得作为行政处罚的证据使用"
            f"（{ARTICLE}第二款）。"
        )
    if record.review == EventReview.UNUSABLE:
        return f"该电子技术监控记录经审核不能使用（{record.review_reason}），不得作为行政处罚的证据（{ARTICLE}第二款）。"
    if record.case_id is not None:
        return "该记录已经据以立案登记。"
    return ""


@transaction.atomic
def device_event_case_start(
    *, actor: User, record: DeviceEvent, cause: str = "", matter: Matter | None = None
) -> Case:
    """登记案源 from a usable record, its file added as the case's evidence (电子数据 or 视听资料)."""
    policies.ensure_may_handle_events(actor, record.agency)
    record = _locked(record)
    why = case_refusal(record)
    if why:
        raise Conflict(why) if record.case_id is not None else DomainError(why)
    officer = officer_of(actor)
    if officer is None:
        raise InvalidInput("立案登记人应为本机关在岗的执法人员或负责人。")
    device = record.device
    when = timezone.localtime(record.occurred_at)
    case = case_register_clue(
        actor=actor,
        agency=record.agency,
        source=ClueSource.OTHER,
        received_on=today(),
        cause=cause.strip() or record.description,
        clue_summary=(
            f"电子技术监控设备{device}于 {when:%Y-%m-%d %H:%M} 在{record.place}记录到{record.subject}"
            f"涉嫌{record.description}；记录编号 {record.external_id}，经审核可以使用（{record.review_reason}）。"
        ),
        matter=matter,
    )
    video = record.content_type.startswith(("video/", "audio/"))
    evidence_add(
        actor=actor,
        case=case,
        staged=blob_stage(record.blob),
        meta=Metadata(
            kind=EvidenceKind.AUDIOVISUAL if video else EvidenceKind.ELECTRONIC,
            title=f"电子技术监控记录 {device.code}-{record.external_id}"[:200],
            proves=f"{record.subject}涉嫌{record.description}",
            collected_at=record.occurred_at,
            place=record.place,
            collector=officer,
            latitude=device.latitude,
            longitude=device.longitude,
            device=f"{device.code} {device.name}"[:100],
            source=f"非现场执法设备“{device}”（设置地点已公布，法制审核同意）"[:200],
        ),
        original_name=record.original_name,
        content_type=record.content_type,
    )
    case_event(
        case,
        actor,
        "monitoring_record",
        f"据电子技术监控记录立案登记（{device.code} {record.external_id}）",
        record=record.pk,
        sha256=record.blob.sha256,
    )
    record.case = case
    record.save()
    _event_leaf(record)
    return case


@transaction.atomic
def device_event_notify(*, actor: User, record: DeviceEvent) -> Document:
    """告知当事人 (第四十一条第三款): the case's handler or the head, once per record."""
    policies.ensure_may_handle_events(actor, record.agency)
    record = _locked(record)
    if record.case is None:
        raise DomainError(f"该记录尚未据以立案登记，无需告知（{ARTICLE}第三款）。")
    if record.noticed_at is not None:
        raise Conflict("已经告知当事人。")
    document = notice.notice_party(actor=actor, case=record.case, record=record)
    record.save()
    _event_leaf(record)
    return document
