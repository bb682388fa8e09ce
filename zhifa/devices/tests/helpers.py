"""Devices at each stage of 第四十一条 and record manifests, for the device tests."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import time_machine
from django.utils import timezone

from zhifa.devices import manifest, services
from zhifa.devices.models import Device
from zhifa.review import subjects

JPEG = b"\xff\xd8\xff\xe0" + b"monitoring-record-" * 20


def registered(w, code: str = "SZ-001") -> Device:
    return services.device_register(
        actor=w.head,
        agency=w.agency,
        code=code,
        name="人民路口电子监控",
        kind="fixed",
        location="示例县人民路与解放路交叉口",
        latitude=Decimal("23.123456"),
        longitude=Decimal("113.654321"),
        detects="占道经营",
        legal_basis="《城市市容和环境卫生管理条例》第三十六条",
        check_body="示例县计量检定所",
        check_report="JD-2026-001",
        checked_on=timezone.localdate() - dt.timedelta(days=30),
    )


def reviewed(w, code: str = "SZ-001") -> Device:
    device = registered(w, code)
    review = services.device_submit_review(actor=w.head, device=device)
    subjects.subject_review_record(
        actor=w.reviewer, review=review, opinion="agree", reasons="设置依据充分，技术检验合格。"
    )
    return device


def published(w, code: str = "SZ-001") -> Device:
    """Reviewed and published an hour ago, so records of the last minutes may be used."""
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1)):
        return services.device_publish(actor=w.head, device=reviewed(w, code))


def rows(device_code: str, *ids: str, at: dt.datetime | None = None) -> list[dict[str, str]]:
    when = (at or timezone.now() - dt.timedelta(minutes=5)).isoformat()
    return [
        {
            "device": device_code,
            "id": i,
            "time": when,
            "place": "人民路与解放路交叉口北侧",
            "subject": "示A12345",
            "violation": "占道经营",
            "file": f"{i}.jpg",
        }
        for i in rows_ids(ids)
    ]


def rows_ids(ids: tuple[str, ...]) -> tuple[str, ...]:
    return ids or ("E1",)


def zip_of(records: list[dict[str, str]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"events": records}, ensure_ascii=False))
        for r in records:
            archive.writestr(r["file"], JPEG + r["id"].encode())
    return out.getvalue()


def entries(records: list[dict[str, str]]) -> list[manifest.Entry]:
    return manifest.from_zip(zip_of(records))


def directory(tmp: Path, records: list[dict[str, str]]) -> Path:
    for r in records:
        (tmp / r["file"]).write_bytes(JPEG + r["id"].encode())
    path = tmp / "manifest.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def imported(w, device: Device, *ids: str):
    result = services.device_events_import(actor=w.officer, entries=entries(rows(device.code, *ids)))
    assert not result.refused, result.refused
    return result.imported
