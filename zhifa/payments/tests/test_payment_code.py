from decimal import Decimal

import pytest

from zhifa.cases.payment_code import LENGTH, case_id_of, matches, payment_code
from zhifa.payments.tests.helpers import unpaid_case


@pytest.mark.django_db
def test_code_names_its_case_and_a_typo_is_caught(world):
    case = unpaid_case(world)
    code = payment_code(case)
    assert len(code) == LENGTH and code.isdigit()
    assert case_id_of(code) == case.pk and matches(case, code)
    for position in range(LENGTH):
        wrong = code[:position] + str((int(code[position]) + 1) % 10) + code[position + 1 :]
        assert case_id_of(wrong) is None, "Luhn catches every single-digit error"
    assert case_id_of(code[:-1]) is None and case_id_of("abc") is None


@pytest.mark.django_db
def test_two_cases_never_share_a_code(world):
    codes = {payment_code(unpaid_case(world, fine=Decimal(100))) for _ in range(3)}
    assert len(codes) == 3
