"""formula_safe: the one guard against formula cells, shared by the open-data and access-log exports."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhifa.core.spreadsheets import FORMULA_STARTS, formula_safe


@given(start=st.sampled_from(FORMULA_STARTS), rest=st.text(max_size=40))
def test_a_cell_that_would_run_as_a_formula_is_quoted(start, rest):
    cell = start + rest
    assert formula_safe(cell) == "'" + cell


@given(st.text(max_size=40).filter(lambda t: not t.startswith(FORMULA_STARTS)))
def test_other_text_is_unchanged(text):
    assert formula_safe(text) == text


@given(st.one_of(st.integers(), st.none(), st.decimals(allow_nan=False), st.dates()))
def test_other_values_are_unchanged(value):
    assert formula_safe(value) == value


def test_the_starts_named_by_owasp():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    assert formula_safe("-5") == "'-5" and formula_safe("5-") == "5-"
