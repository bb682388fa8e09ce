"""Reading the demo's printed party codes (the tests are in zhifa/demo/tests/test_demo.py,
which builds the full demo once for all of its checks)."""

from __future__ import annotations

import re

from zhifa.cases.models import Case
from zhifa.party import access as codes


def printed_codes(output: str) -> list[tuple[str, str, str]]:
    """(code, factor, case number) of each row of the printed party table."""
    return re.findall(r"^\s+([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\s+(\S+)\s+\S+\s+(\S+)", output, re.M)


def factor_of(case: Case) -> str:
    number = codes.normalized(case.party_id_number)
    return number if case.party_kind == "organisation" else number[-6:]
