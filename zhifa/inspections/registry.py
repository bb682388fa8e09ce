"""Reading a 检查对象名录库 file (XLSX or CSV) and writing its rows in bulk.

The file has a header row naming the columns (Chinese names, a few spellings accepted); each data
row is checked on its own and a bad row is reported with its row number and a Chinese sentence,
without stopping the others. Rows are deduplicated by credit code (a repeated code is an error
naming the first row), and written in batches: new codes with bulk_create, changed ones with
bulk_update, unchanged ones left alone. 100,000 rows is a normal file (bench/inspections_import.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.inspections.models import Subject
from zhifa.org.models import Region

BATCH = 2000
MAX_ERRORS_KEPT = 500
MAX_ROWS = 1_000_000

# Column → accepted header spellings.
COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "信用代码", "uscc"),
    "name": ("名称", "主体名称", "企业名称", "name"),
    "address": ("住所", "地址", "经营场所", "住所（经营场所）", "address"),
    "region": ("区划代码", "行政区划代码", "所在区划", "region"),
    "industry": ("行业", "所属行业", "industry"),
    "licences": ("许可证照", "许可证", "licences"),
    "risk_class": ("信用风险分类", "风险分类", "信用风险等级", "risk_class"),
    "is_active": ("存续", "状态", "is_active"),
}
REQUIRED = ("uscc", "name", "region", "risk_class")
HEADER = ["统一社会信用代码", "名称", "住所", "区划代码", "行业", "许可证照", "信用风险分类", "存续"]
INACTIVE_WORDS = {"否", "注销", "吊销", "迁出", "0", "false", "no"}

FIELDS = ("name", "address", "region_id", "industry", "licences", "risk_class", "is_active")


class FileError(Exception):
    """The file as a whole cannot be read (no header, unknown format); the message is Chinese."""


@dataclass
class Parsed:
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # by credit code, in file order
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0
    total: int = 0

    def error(self, row: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"row": row, "message": message})


_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DIGITS = frozenset("0123456789")


def valid_uscc(code: str) -> bool:
    """python-stdnum's cn.uscc.validate rules (length, eight digits, alphabet, GB 32100 check
    character) on an already compacted code, without its per-call cleaning: the import checks
    100,000 codes. tests/test_import.py holds it equal to stdnum on generated codes."""
    if len(code) != 18 or not _DIGITS.issuperset(code[:8]):
        return False
    value = _VALUE.get
    total = 0
    for c, w in zip(code[:17], _WEIGHTS, strict=True):
        v = value(c)
        if v is None:
            return False
        total += v * w
    return _VALUE.get(code[17]) is not None and code[17] == _ALPHABET[(31 - total) % 31]


def risk_classes() -> list[str]:
    return [code for code, _ in settings.ZHIFA_CREDIT_RISK_CLASSES]


def _cells(filename: str, content: bytes) -> Iterator[list[Any]]:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise FileError("无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。") from None
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
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
            raise FileError("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GB18030 编码。")
        yield from csv.reader(io.StringIO(text))
    else:
        raise FileError("只能导入 XLSX 或 CSV 文件（文件名以 .xlsx 或 .csv 结尾）。")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _columns(header: list[Any]) -> dict[str, int]:
    names = [_text(h) for h in header]
    found: dict[str, int] = {}
    for key, spellings in COLUMNS.items():
        for i, name in enumerate(names):
            if name in spellings:
                found[key] = i
                break
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in found]
    if missing:
        raise FileError(f"第 1 行（表头）缺少“{'”“'.join(missing)}”列；表头应为：{'，'.join(HEADER)}。")
    return found


def parse(filename: str, content: bytes, *, regions: dict[str, int] | None = None) -> Parsed:
    """Every data row checked: the good ones by credit code, the bad ones as errors."""
    regions = regions if regions is not None else dict(Region.objects.values_list("code", "pk"))
    scale = set(risk_classes())
    scale_text = "、".join(risk_classes())
    result = Parsed()
    first_row: dict[str, int] = {}
    cells = _cells(filename, content)
    header = next(cells, None)
    if header is None:
        raise FileError("文件是空的：第 1 行应为表头。")
    columns = _columns(header)
    for number, values in enumerate(cells, start=2):
        if not any(_text(v) for v in values):
            continue
        result.total += 1
        if result.total > MAX_ROWS:
            raise FileError(f"一次最多导入 {MAX_ROWS} 行，请拆分文件后分批导入。")

        def cell(key: str, values: list[Any] = values) -> str:
            i = columns.get(key)
            return _text(values[i]) if i is not None and i < len(values) else ""

        code = raw_code = cell("uscc").upper().replace(" ", "").replace("-", "")
        if not valid_uscc(code):
            result.error(
                number,
                f"第 {number} 行：统一社会信用代码“{raw_code}”无效（应为 18 位且校验码符合 GB 32100-2015）。",
            )
            continue
        if code in first_row:
            result.error(number, f"第 {number} 行：统一社会信用代码 {code} 与第 {first_row[code]} 行重复。")
            continue
        name = cell("name")
        if not name:
            result.error(number, f"第 {number} 行：名称不能为空。")
            continue
        region_code = cell("region")
        region_id = regions.get(region_code)
        if region_id is None:
            result.error(number, f"第 {number} 行：区划代码“{region_code}”不在本平台的行政区划中。")
            continue
        risk = cell("risk_class").upper()
        if risk not in scale:
            result.error(number, f"第 {number} 行：信用风险分类“{risk}”不在本地分类（{scale_text}）中。")
            continue
        licences = [p.strip() for p in cell("licences").replace("；", ";").split(";") if p.strip()]
        if len(name) > 200 or len(cell("address")) > 300 or len(cell("industry")) > 100:
            result.error(number, f"第 {number} 行：名称、住所或行业过长（分别不超过 200、300、100 字）。")
            continue
        first_row[code] = number
        result.rows[code] = {
            "name": name,
            "address": cell("address"),
            "region_id": region_id,
            "industry": cell("industry"),
            "licences": licences,
            "risk_class": risk,
            "is_active": cell("is_active").lower() not in INACTIVE_WORDS,
        }
    return result


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _update_sql() -> tuple[str, list[Any]]:
    """UPDATE … WHERE id = %s for executemany: bulk_update's CASE WHEN grows with the batch."""
    from django.db import connection

    meta = Subject._meta
    fields = [meta.get_field(f) for f in (*FIELDS, "last_import_id", "updated_at")]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(getattr(f, 'column', '')))} = %s" for f in fields)
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('id')} = %s", fields


INSERT_FIELDS = ("uscc", *FIELDS, "last_import_id", "created_at", "updated_at")


def _insert_sql() -> tuple[str, list[Any]]:
    from django.db import connection

    meta = Subject._meta
    fields = [meta.get_field(f) for f in INSERT_FIELDS]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(getattr(f, "column", ""))) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})", fields


def write(
    rows: dict[str, dict[str, Any]],
    *,
    import_id: int | None = None,
    progress: Callable[[int, Counts], None] | None = None,
    batch: int = BATCH,
) -> Counts:
    """Create the new codes, update the changed ones, a batch per transaction.

    Existing rows are compared as plain values (no model instances); new ones go in with
    a parameterised INSERT and changed ones with a parameterised UPDATE, both run by
    executemany (bulk_create and bulk_update spend most of their time preparing values).
    """
    from django.db import connection
    from django.utils import timezone

    counts = Counts()
    codes = list(rows)
    sql, update_fields = _update_sql()
    insert_sql, _ = _insert_sql()
    licences = Subject._meta.get_field("licences")
    prep = connection.ops.adapt_datetimefield_value
    done = 0
    for start in range(0, len(codes), batch):
        chunk = codes[start : start + batch]
        with transaction.atomic():
            existing = {
                row[0]: row[1:]
                for row in Subject.objects.filter(uscc__in=chunk).values_list("uscc", "pk", *FIELDS)
            }
            new, changed = [], []
            now = timezone.now()
            for code in chunk:
                values = rows[code]
                stored = existing.get(code)
                if stored is None:
                    new.append(
                        (
                            code,
                            values["name"],
                            values["address"],
                            values["region_id"],
                            values["industry"],
                            licences.get_db_prep_save(values["licences"], connection),
                            values["risk_class"],
                            values["is_active"],
                            import_id,
                            prep(now),
                            prep(now),
                        )
                    )
                elif any(stored[i + 1] != values[f] for i, f in enumerate(FIELDS)):
                    params = [values[f] for f in FIELDS] + [import_id, now]
                    changed.append(
                        [
                            field.get_db_prep_save(value, connection)
                            for field, value in zip(update_fields, params, strict=True)
                        ]
                        + [stored[0]]
                    )
                else:
                    counts.unchanged += 1
            with connection.cursor() as cursor:
                if new:
                    cursor.executemany(insert_sql, new)
                if changed:
                    cursor.executemany(sql, changed)
            counts.created += len(new)
            counts.updated += len(changed)
        done += len(chunk)
        if progress is not None:
            progress(done, counts)
    return counts
