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
