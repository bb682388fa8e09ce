"""CSV and XLSX exports of public decisions (/public/export.csv, /public/export.xlsx).

The same filters and keyword as the decision list; a fixed column set (docs/opendata.md) built
from Publication and its current approved version only. At most MAX_ROWS rows: past that a last
row says the export was cut and asks for narrower filters. CSV is streamed as UTF-8 with a BOM
(Excel opens it as UTF-8); XLSX is written row by row by openpyxl's write-only mode into a
temporary file and then streamed.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from zhifa.core.spreadsheets import dress_table, formula_safe, text_width
from zhifa.disclosure import opendata, search, selectors
from zhifa.disclosure.models import Kind, Publication, PublicationVersion
from zhifa.disclosure.search_forms import DecisionFilterForm

MAX_ROWS = 100_000
FILENAME = "行政执法决定公示"
Row = tuple[Publication, PublicationVersion | None]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _content(row: Row) -> dict[str, Any]:
    return dict(row[1].content) if row[1] is not None else {}


# (header, value) — the documented column set, in order.
COLUMNS: list[tuple[str, Callable[[Row], Any]]] = [
    ("编号", lambda r: r[0].pk),
    ("执法机关", lambda r: r[0].agency.name),
    ("公示类别", lambda r: Kind(r[0].kind).label),
    ("标题", lambda r: r[0].title),
    ("文号", lambda r: r[0].document_number),
    ("决定日期", lambda r: r[0].decided_on),
    ("执法类别", lambda r: r[0].category),
    ("行为类别", lambda r: opendata.matter_kind_label(r[0].matter_kind)),
    ("执法结论类别", lambda r: opendata.outcome_label(r[0].outcome)),
    ("处罚种类", lambda r: opendata.penalty_labels(r[0].penalty_kinds or [])),
    ("罚款金额（元）", lambda r: r[0].fine),
    ("执法对象", lambda r: str(_content(r).get("party", ""))),
    ("公示内容", lambda r: opendata.labelled_content(_content(r))),
    ("首次公开时间", lambda r: _local(r[0].published_at)),
    ("版本", lambda r: r[1].number if r[1] else None),
    ("变更序号", lambda r: r[0].revision),
    ("链接", lambda r: settings.ZHIFA_PUBLIC_URL + opendata.portal_path(r[0])),
]
# Column widths of the XLSX (characters; Chinese counts two): the sheet is streamed, so they
# are set from what a column holds rather than measured.
XLSX_WIDTHS = {
    "编号": 8,
    "标题": 40,
    "文号": 24,
    "决定日期": 12,
    "处罚种类": 20,
    "公示内容": 60,
    "首次公开时间": 20,
    "链接": 44,
}
TRUNCATED = f"结果超过 {MAX_ROWS} 行，仅导出前 {MAX_ROWS} 行；请缩小筛选范围后分批导出，或使用增量同步接口 /api/disclosure/changes。"


def _rows(request: HttpRequest) -> Iterator[Row] | None:
    form = DecisionFilterForm(request.GET)
    if not form.is_valid():
        return None
    rows = search.search(search.apply_filters(selectors.public_publications(), form.filters()), form.query)
    return opendata.in_batches(rows[: MAX_ROWS + 1])


def _bad_request(request: HttpRequest) -> HttpResponse:
    form = DecisionFilterForm(request.GET)
    form.is_valid()
    problems = "；".join(
        f"{form.fields[k].label if k in form.fields else k}：{'、'.join(str(e) for e in v)}"
        for k, v in form.errors.items()
    )
    return HttpResponseBadRequest(
        f"导出条件有误：{problems}。".encode(), content_type="text/plain; charset=utf-8"
    )


def _values(rows: Iterator[Row]) -> Iterator[list[Any]]:
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            yield [TRUNCATED]
            return
        yield [formula_safe(get(row)) for _, get in COLUMNS]


def _disposition(extension: str) -> str:
    name = f"{FILENAME}-{timezone.localdate():%Y%m%d}.{extension}"
    return f"attachment; filename=\"decisions.{extension}\"; filename*=UTF-8''{quote(name)}"


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_safe
def export_csv(request: HttpRequest) -> HttpResponseBase:
    rows = _rows(request)
    if rows is None:
        return _bad_request(request)

    def lines() -> Iterator[bytes]:
        writer = csv.writer(_Echo())
        yield "\ufeff".encode()  # utf-8-sig: Excel reads the file as UTF-8
        yield writer.writerow([header for header, _ in COLUMNS]).encode()
        for values in _values(rows):
            yield writer.writerow(["" if v is None else v for v in values]).encode()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition("csv")
    return response


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


@require_safe
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    rows = _rows(request)
    if rows is None:
        return _bad_request(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("执法决定")
    headers = [header for header, _ in COLUMNS]
    widths = [XLSX_WIDTHS.get(h, max(text_width(h), 14)) for h in headers]
    # Write-only sheets take their widths before the first row, the filter's extent at the end.
    dress_table(sheet, header_row=1, columns=len(headers), last_row=1, widths=widths)
    sheet.append(headers)
    count = 1
    for values in _values(rows):
        sheet.append([_xlsx_cell(v) for v in values])
        count += 1
    dress_table(sheet, header_row=1, columns=len(headers), last_row=count)
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = _disposition("xlsx")
    return response
