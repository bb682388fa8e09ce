"""Where receipts come from: the adapter a real 非税收入 system would implement, the receipt file
(CSV or XLSX, the format of docs/payment.md), and a simulator for the demo and the tests.

No gateway is called anywhere: a real system is connected by writing a `ReceiptSource` that
reads its export or its API and handing it to `zhifa.payments.services.receipts_ingest`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from zhifa.cases.money import yuan
from zhifa.core.errors import DomainError, InvalidInput

MAX_LINES = 200_000

# Column headings, Chinese as the bank exports them, or the English names of the format.
COLUMNS: dict[str, tuple[str, ...]] = {
    "transaction_id": ("交易流水号", "流水号", "transaction_id"),
    "payment_code": ("缴款码", "缴款识别码", "payment_code"),
    "paid_on": ("缴款日期", "交易日期", "paid_on"),
    "amount": ("金额", "缴款金额", "交易金额", "amount"),
    "payer": ("缴款人", "付款人", "payer"),
}
REQUIRED = ("transaction_id", "payment_code", "paid_on", "amount")


@dataclass(frozen=True)
class Receipt:
    """One transaction the bank confirms: money received against a 缴款码 on a day."""

    line_number: int
    transaction_id: str
    payment_code: str
    paid_on: dt.date
    amount: Decimal
    payer: str = ""


class ReceiptSource(Protocol):
    """What an adapter of a 非税收入 system provides: its receipts, all of them checked."""

    name: str

    def receipts(self) -> Sequence[Receipt]: ...


def _date(text: str, where: str) -> dt.date:
    text = text.strip().replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidInput(f"{where}缴款日期“{text}”应为 YYYY-MM-DD 格式。") from None


def _receipt(number: int, row: dict[str, str]) -> Receipt:
    where = f"第 {number} 行："
    transaction_id = row["transaction_id"].strip()
    if not transaction_id:
        raise InvalidInput(f"{where}缺少交易流水号；每笔缴款须有银行的唯一流水号，才能防止重复入账。")
    if len(transaction_id) > 60:
        raise InvalidInput(f"{where}交易流水号超过 60 个字符。")
    try:
        amount = yuan(row["amount"].replace(",", "").strip(), what=f"{where}金额")
    except InvalidInput as error:
        raise InvalidInput(error.message) from None
    if amount <= 0:
        raise InvalidInput(f"{where}金额应大于零。")
    return Receipt(
        line_number=number,
        transaction_id=transaction_id,
        payment_code=row["payment_code"].strip().replace(" ", "")[:40],
        paid_on=_date(row["paid_on"], where),
        amount=amount,
        payer=row.get("payer", "").strip()[:200],
    )


def _rows(rows: Iterable[Sequence[object]]) -> list[Receipt]:
    iterator = iter(rows)
    try:
        heading = [str(c or "").strip().lstrip("\ufeff") for c in next(iterator)]
    except StopIteration:
        raise InvalidInput("缴款文件是空的。") from None
    index: dict[str, int] = {}
    for field, names in COLUMNS.items():
        for position, title in enumerate(heading):
            if title in names:
                index[field] = position
                break
    missing = [COLUMNS[f][0] for f in REQUIRED if f not in index]
    if missing:
        raise InvalidInput(f"缴款文件缺少“{'”“'.join(missing)}”列（格式见 docs/payment.md）。")
    receipts: list[Receipt] = []
    for number, cells in enumerate(iterator, start=2):
        values = ["" if c is None else str(c) for c in cells]
        if not any(v.strip() for v in values):
            continue
        if len(receipts) >= MAX_LINES:
            raise InvalidInput(f"一个缴款文件最多 {MAX_LINES} 行，请分批导入。")
        row = {f: (values[i] if i < len(values) else "") for f, i in index.items()}
        receipts.append(_receipt(number, row))
    return receipts


def _xlsx_rows(content: bytes) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput("无法读取该 XLSX 文件，请确认它是银行导出的 Excel 工作簿。") from None
    for row in book.worksheets[0].iter_rows(values_only=True):
        yield [c.date().isoformat() if isinstance(c, dt.datetime) else c for c in row]


class FileSource:
    """A receipt file the collecting bank or the 非税收入 system exports (CSV in UTF-8 or GB18030, or XLSX)."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self.content = content

    def receipts(self) -> list[Receipt]:
        if self.name.lower().endswith(".xlsx") or self.content[:2] == b"PK":
            return _rows(_xlsx_rows(self.content))
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = self.content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("缴款文件应为 UTF-8 或 GB18030 编码的 CSV，或 XLSX 工作簿。")
        return _rows(csv.reader(io.StringIO(text)))


@dataclass(frozen=True)
class Simulated:
    payment_code: str
    paid_on: dt.date
    amount: Decimal
    payer: str = "模拟缴款人"


class SimulatedSource:
    """A stand-in for the 非税收入 system (demo, tests, bench): the receipts you tell it of."""

    def __init__(
        self, payments: Iterable[Simulated], *, name: str = "模拟非税收入系统", prefix: str = "SIM"
    ) -> None:
        self.name = name
        self._payments = list(payments)
        self._prefix = prefix

    def receipts(self) -> list[Receipt]:
        return [
            Receipt(n, f"{self._prefix}{n:08d}", p.payment_code, p.paid_on, p.amount, p.payer)
            for n, p in enumerate(self._payments, start=2)
        ]

    def as_csv(self) -> bytes:
        """The same receipts as a receipt file of docs/payment.md (what the bank would send)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["交易流水号", "缴款码", "缴款日期", "金额", "缴款人"])
        for r in self.receipts():
            writer.writerow(
                [r.transaction_id, r.payment_code, r.paid_on.isoformat(), f"{r.amount:.2f}", r.payer]
            )
        return out.getvalue().encode("utf-8")


def ensure_readable(source: ReceiptSource) -> list[Receipt]:
    receipts = list(source.receipts())
    if not receipts:
        raise DomainError("缴款文件中没有缴款记录。")
    return receipts
