"""缴款码: the code a party pays a fine with at the collecting bank (决定与收缴分离, 第六十七条).

Twenty digits, as 非税收入 payment codes are: the agency's six-digit region code, the case's
id in thirteen digits, and a Luhn check digit, so a mistyped code is caught at the bank file
import instead of paying somebody else's fine. It is derived from the case, never stored: it
cannot drift from the case and two cases can never share one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stdnum import luhn

if TYPE_CHECKING:
    from zhifa.cases.models import Case

LENGTH = 20
_ID_DIGITS = 13


def _prefix(region_code: str) -> str:
    digits = "".join(c for c in region_code if c.isdigit())
    return (digits + "000000")[:6]


def payment_code(case: Case) -> str:
    body = f"{_prefix(case.agency.region.code)}{case.pk:0{_ID_DIGITS}d}"
    return body + luhn.calc_check_digit(body)


def case_id_of(code: str) -> int | None:
    """The case id a well-formed code names (its check digit holds), else None."""
    code = code.strip().replace(" ", "")
    if len(code) != LENGTH or not code.isascii() or not code.isdigit() or not luhn.is_valid(code):
        return None
    pk = int(code[6:-1])
    return pk or None


def matches(case: Case, code: str) -> bool:
    return payment_code(case) == code.strip().replace(" ", "")
