"""The import format of device records (docs/devices.md): a manifest, JSON or CSV, naming for
each record its device, its own id, time, place, plate or subject, the violation and its file
(image or clip) by a path relative to the manifest. The CLI reads a directory; the staff page a
ZIP holding the manifest (manifest.json or manifest.csv) and the files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils import timezone

from zhifa.core.errors import InvalidInput

MAX_RECORDS = 5000

FIELDS: dict[str, tuple[str, ...]] = {
    "device": ("device", "设备编号"),
    "id": ("id", "记录编号"),
    "time": ("time", "记录时间"),
    "place": ("place", "地点"),
    "subject": ("subject", "车牌号或当事人", "车牌号"),
    "violation": ("violation", "违法行为"),
    "file": ("file", "文件"),
}


@dataclass(frozen=True)
class Entry:
    number: int
    device: str
    external_id: str
    occurred_at: dt.datetime
    place: str
    subject: str
    violation: str
    file_name: str
    open: Callable[[], IO[bytes]]


def _field(row: dict[str, Any], name: str) -> str:
    for key in FIELDS[name]:
        if key in row and row[key] is not None:
            return str(row[key]).strip()
    return ""


def _time(text: str, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{where}记录时间“{text}”应为 ISO 格式，如 2026-03-01T09:30:00+08:00。") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _safe(name: str, where: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    if not name or path.is_absolute() or ".." in path.parts:
        raise InvalidInput(f"{where}文件“{name}”应为清单所在位置下的相对路径。")
    return str(path)


def _rows(name: str, content: bytes) -> list[dict[str, Any]]:
    text = content.decode("utf-8-sig")
    if name.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise InvalidInput(f"清单不是有效的 JSON：第 {error.lineno} 行附近。") from None
        rows = data.get("events") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput("JSON 清单应为记录对象的列表，或含“events”列表的对象。")
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def entries(name: str, content: bytes, opener: Callable[[str], Callable[[], IO[bytes]]]) -> list[Entry]:
    rows = _rows(name, content)
    if not rows:
        raise InvalidInput("清单中没有记录。")
    if len(rows) > MAX_RECORDS:
        raise InvalidInput(f"一次最多导入 {MAX_RECORDS} 条记录。")
    found = []
    for number, row in enumerate(rows, start=1):
        where = f"第 {number} 条记录："
        values = {f: _field(row, f) for f in FIELDS}
        missing = [FIELDS[f][1] for f, v in values.items() if not v]
        if missing:
            raise InvalidInput(f"{where}缺少{'、'.join(missing)}。")
        path = _safe(values["file"], where)
        found.append(
            Entry(
                number=number,
                device=values["device"][:40],
                external_id=values["id"][:60],
                occurred_at=_time(values["time"], where),
                place=values["place"][:200],
                subject=values["subject"][:100],
                violation=values["violation"][:300],
                file_name=PurePosixPath(path).name[-200:],
                open=opener(path),
            )
        )
    return found


def from_directory(manifest: Path) -> list[Entry]:
    base = manifest.parent

    def opener(path: str) -> Callable[[], IO[bytes]]:
        target = base / path
        if not target.is_file():
            raise InvalidInput(f"找不到记录文件“{path}”。")
        return lambda: open(target, "rb")

    return entries(manifest.name, manifest.read_bytes(), opener)


def from_zip(content: bytes) -> list[Entry]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise InvalidInput("请上传 ZIP 压缩包（含 manifest.json 或 manifest.csv 及记录文件）。") from None
    names = set(archive.namelist())
    manifest = next((n for n in ("manifest.json", "manifest.csv") if n in names), None)
    if manifest is None:
        raise InvalidInput("压缩包中没有 manifest.json 或 manifest.csv。")

    def opener(path: str) -> Callable[[], IO[bytes]]:
        if path not in names:
            raise InvalidInput(f"压缩包中没有记录文件“{path}”。")
        return lambda: archive.open(path)

    return entries(manifest, archive.read(manifest), opener)
