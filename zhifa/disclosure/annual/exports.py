"""The 年报 snapshot shown: as page sections with SVG charts, as an A4 PDF, as an XLSX workbook."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from zhifa.core.spreadsheets import dress_table, text_width
from zhifa.disclosure.annual import charts


def shown(value: Any, kind: str = "int") -> str:
    """How a figure reads on a page: thousands separators, two places for yuan, “—” for none."""
    if value is None or value == "":
        return "—"
    if kind == "percent":
        return f"{Decimal(str(value)):.1f}%"
    number = Decimal(str(value))
    return f"{number:,.2f}" if kind == "money" else f"{number:,.0f}"


def display_sections(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's sections with each value formatted and each chart drawn."""
    result = []
    for section in snapshot.get("sections", []):
        result.append(
            {
                **section,
                "rows": [{**row, "shown": shown(row["value"], row["kind"])} for row in section["rows"]],
                "tables": [_shown_table(t) for t in section.get("tables", [])],
                "svgs": [charts.render(c) for c in section.get("charts", [])],
            }
        )
    return result


def _kinds(table: dict[str, Any]) -> list[str]:
    """Column kinds of a table: the first column is text, the rest whole numbers unless told."""
    return table.get("kinds") or ["text", *("int" for _ in table["columns"][1:])]


def _shown_table(table: dict[str, Any]) -> dict[str, Any]:
    kinds = _kinds(table)
    rows = [[c if k == "text" else shown(c, k) for c, k in zip(r, kinds, strict=True)] for r in table["rows"]]
    return {**table, "rows": rows}


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def context(snapshot: dict[str, Any]) -> dict[str, Any]:
    by_agency = snapshot.get("by_agency")
    return {
        "snapshot": snapshot,
        "sections": display_sections(snapshot),
        "by_agency": _shown_table(by_agency) if by_agency else None,
    }


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # The report is self-contained (inline SVG, system fonts); nothing is fetched.
    raise ValueError(f"the annual report may not load external resources ({url})")


def render_pdf(snapshot: dict[str, Any]) -> bytes:
    """A4 PDF with the tables and charts (fonts from fontconfig: fonts-noto-cjk)."""
    html = render_to_string("disclosure/annual/report_pdf.html", context(snapshot))
    import weasyprint  # slow to import; only this export needs it in a web process

    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return pdf


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters and none of []:*?/\ ; the numbering prefix goes ("一、").
    return _SHEET_NAME.sub("", title.split("、", 1)[-1])[:31]


def _cell(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "text":
        return value
    if kind == "money" or kind == "percent":
        return Decimal(str(value))
    if isinstance(value, str) and _is_number(value):
        return Decimal(value) if "." in value else int(value)
    return value


_FORMATS = {"money": "#,##0.00", "percent": '0.0"%"', "int": "#,##0"}


def _widths(sheet: Any, header_row: int) -> list[int]:
    """Each column as wide as its widest cell from the header row down (titles above it span)."""
    return [
        max((text_width(c.value) for c in column[header_row - 1 :]), default=8)
        for column in sheet.iter_cols()
    ]


def render_xlsx(snapshot: dict[str, Any]) -> bytes:
    """One sheet per section plus a cover sheet; numbers are numbers, yuan with two places."""
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "概况"
    bold = Font(bold=True)
    cover.append([snapshot["title"]])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(["年度", snapshot["year"]])
    cover.append(["执法主体", snapshot["agency"]])
    cover.append(["范围", "辖区汇总" if snapshot.get("aggregate") else "本机关"])
    cover.append(["数据截至", snapshot["as_of"]])
    cover.append(["公开截止日", snapshot["due_on"]])
    if snapshot.get("agencies"):
        cover.append(["汇总的执法主体", "、".join(snapshot["agencies"])])
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 60
    for section in snapshot["sections"]:
        sheet = book.create_sheet(_sheet_title(section["title"]))
        sheet.append([section["title"]])
        sheet["A1"].font = bold
        sheet.append(["项目", "数值", "单位"])
        for row in section["rows"]:
            sheet.append([row["label"], _cell(row["value"], row["kind"]), row["unit"]])
            sheet.cell(sheet.max_row, 2).number_format = _FORMATS[row["kind"]]
        # The filter covers the items table; the tables below it keep their own headers.
        items_end = sheet.max_row
        for table in section.get("tables", []):
            sheet.append([])
            sheet.append([table["title"]])
            sheet.cell(sheet.max_row, 1).font = bold
            sheet.append(table["columns"])
            kinds = _kinds(table)
            for row in table["rows"]:
                sheet.append([_cell(c, k) for c, k in zip(row, kinds, strict=True)])
        dress_table(
            sheet, header_row=2, columns=sheet.max_column, last_row=items_end, widths=_widths(sheet, 2)
        )
    if snapshot.get("by_agency"):
        table = snapshot["by_agency"]
        sheet = book.create_sheet("各执法主体")
        sheet.append(table["columns"])
        kinds = _kinds(table)
        for row in table["rows"]:
            sheet.append([_cell(c, k) for c, k in zip(row, kinds, strict=True)])
        dress_table(
            sheet, header_row=1, columns=sheet.max_column, last_row=sheet.max_row, widths=_widths(sheet, 1)
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
