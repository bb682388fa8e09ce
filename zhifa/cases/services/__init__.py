"""The writes to cases that are not steps of an existing case: starting one (登记案源, the
on-the-spot decision and its pre-numbered forms) and recording its remedies. Every step of a
case is declared in zhifa.cases.steps and taken through zhifa.cases.workflow."""

from zhifa.cases.services.entries import (
    MAX_FORMS,
    case_clue_carry_record,
    case_decide_on_the_spot,
    case_register_clue,
    field_officer,
    forms_held_by,
    on_the_spot_form_void,
    on_the_spot_forms_reserve,
)
from zhifa.cases.services.remedies import remedy_conclude, remedy_record

__all__ = [
    "MAX_FORMS",
    "case_clue_carry_record",
    "case_decide_on_the_spot",
    "case_register_clue",
    "field_officer",
    "forms_held_by",
    "on_the_spot_form_void",
    "on_the_spot_forms_reserve",
    "remedy_conclude",
    "remedy_record",
]
