"""Cells of the CSV and XLSX files zhifa exports (open data, the access log)."""

from __future__ import annotations

from typing import Any

# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"); a leading tab or
# carriage return is dropped by some and the rest then runs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula is prefixed with an apostrophe; other
    values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_width(value: Any) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character is about two Latin ones."""
    text = "" if value is None else str(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in longest)


def dress_table(
    sheet: Any, *, header_row: int, columns: int, last_row: int, widths: list[int] | None = None
) -> None:
    """What a reader of an XLSX table expects (openpyxl, write-only sheets too): the header row
    frozen while scrolling, an autofilter over the table, and columns wide enough to read.
    Widths are set before the first row of a write-only sheet is written, so pass them then."""
    from openpyxl.utils import get_column_letter

    last = get_column_letter(columns)
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last}{max(last_row, header_row)}"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(6, min(width, 60)) + 2
