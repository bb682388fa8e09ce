"""12345 / 司法部平台 transfers from an XLSX or CSV file: every row checked first (the preview, with
per-row errors), then the good rows registered as clues in one transaction.

Columns (the first row; 标题 and 内容 required): 来源（12345 或 司法部平台）, 工单编号, 被反映执法主体,
标题, 内容, 反映人, 联系电话, 联系地址. A work order already registered by the bureau is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.core.errors import InvalidInput
from zhifa.supervision import clue_services, policies
from zhifa.supervision.models_clues import Clue, ClueSource

if TYPE_CHECKING:
    from zhifa.accounts.models import User

MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = {
    "source": ("来源",),
    "origin_ref": ("工单编号", "转办编号"),
    "agency": ("被反映执法主体", "执法主体"),
    "title": ("标题",),
    "content": ("内容", "反映内容"),
    "contact_name": ("反映人",),
    "contact_phone": ("联系电话",),
    "contact_address": ("联系地址",),
}
HEADER = [spellings[0] for spellings in COLUMNS.values()]
SOURCES = {"12345": ClueSource.HOTLINE, "12345转办": ClueSource.HOTLINE, "司法部平台": ClueSource.MOJ}
SOURCES["司法部行政执法监督平台"] = ClueSource.MOJ


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cells(filename: str, content: bytes) -> Iterator[list[Any]]:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise InvalidInput("无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。") from None
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield list(values)
        book.close()
    elif lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030 编码。")
        yield from csv.reader(io.StringIO(text))
    else:
        raise InvalidInput("只能导入 XLSX 或 CSV 文件（文件名以 .xlsx 或 .csv 结尾）。")


@dataclass
class Parsed:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.errors)


def parse(*, actor: User, filename: str, content: bytes) -> Parsed:
    """Check every row against the supervisor's region; nothing is written."""
    bureau = policies.ensure_supervisor(actor)
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"导入文件不能超过 {MAX_BYTES // 1024 // 1024} MB。")
    agencies = {a.name: a for a in policies.supervised_agencies(actor).filter(is_justice_bureau=False)}
    known = set(
        Clue.objects.filter(bureau=bureau, source__in=[ClueSource.HOTLINE, ClueSource.MOJ]).values_list(
            "source", "origin_ref"
        )
    )
    cells = _cells(filename, content)
    header = [_text(h) for h in next(cells, [])]
    where = {
        key: next((i for i, h in enumerate(header) if h in names), None) for key, names in COLUMNS.items()
    }
    missing = [COLUMNS[k][0] for k in ("source", "title", "content") if where[k] is None]
    if missing:
        raise InvalidInput(f"第 1 行（表头）缺少“{'”“'.join(missing)}”列；表头应为：{'，'.join(HEADER)}。")
    parsed, seen = Parsed(), set[tuple[str, str]]()
    for number, values in enumerate(cells, start=2):
        row = {k: (_text(values[i]) if i is not None and i < len(values) else "") for k, i in where.items()}
        if not any(row.values()):
            continue
        if parsed.total >= MAX_ROWS:
            raise InvalidInput(f"一次最多导入 {MAX_ROWS} 行，请分批导入。")
        problem = _problem(row, agencies, known, seen)
        if problem:
            parsed.errors.append({"row": number, "message": problem, "title": row["title"][:60]})
            continue
        source = SOURCES[row["source"]]
        seen.add((source, row["origin_ref"]))
        agency = agencies.get(row["agency"])
        parsed.rows.append({**row, "row": number, "source": source, "agency": agency})
    return parsed


def _problem(row: dict[str, str], agencies: dict[str, Any], known: set[Any], seen: set[Any]) -> str:
    source = SOURCES.get(row["source"])
    if source is None:
        return f"来源“{row['source']}”应为 12345 或 司法部平台。"
    if not row["title"] or not row["content"]:
        return "标题和内容不能为空。"
    if len(row["title"]) > 200:
        return "标题不能超过 200 个字。"
    if row["agency"] and row["agency"] not in agencies:
        return f"执法主体“{row['agency']}”不在本机关的监督范围内（请填写全称）。"
    if row["origin_ref"] and (source, row["origin_ref"]) in known:
        return f"工单“{row['origin_ref']}”已登记，不再重复导入。"
    if row["origin_ref"] and (source, row["origin_ref"]) in seen:
        return f"工单“{row['origin_ref']}”在文件中重复。"
    return ""


@transaction.atomic
def clue_import_transfers(*, actor: User, filename: str, content: bytes) -> tuple[list[Clue], Parsed]:
    """Register the good rows (checked again now); the bad ones stay as the errors to show."""
    parsed = parse(actor=actor, filename=filename, content=content)
    created = [
        clue_services.clue_register(
            actor=actor,
            source=row["source"],
            agency=row["agency"],
            title=row["title"],
            content=row["content"],
            origin_ref=row["origin_ref"],
            contact_name=row["contact_name"],
            contact_phone=row["contact_phone"],
            contact_address=row["contact_address"],
        )
        for row in parsed.rows
    ]
    return created, parsed
