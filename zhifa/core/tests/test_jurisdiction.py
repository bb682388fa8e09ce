"""Jurisdiction settings: the statutory default, an administrator's row, a malformed row."""

from decimal import Decimal

import pytest

from zhifa.core import jurisdiction
from zhifa.core.errors import InvalidInput
from zhifa.core.models import JurisdictionSetting

pytestmark = pytest.mark.django_db


def test_defaults_carry_their_source():
    assert jurisdiction.value("training_hours_per_year") == Decimal(60)
    assert jurisdiction.value("reviewer_ratio_percent") == Decimal(5)
    assert jurisdiction.value("reviewer_minimum") == Decimal(1)
    for definition in jurisdiction.DEFINITIONS.values():
        assert definition.source, definition.key
        assert definition.label, definition.key


def test_a_row_overrides_the_default():
    JurisdictionSetting.objects.create(key="training_hours_per_year", value="40", note="本省规定")
    assert jurisdiction.value("training_hours_per_year") == Decimal(40)
    assert jurisdiction.value("reviewer_ratio_percent") == Decimal(5)  # others untouched


@pytest.mark.parametrize("stored", ["六十", "", "NaN", "Infinity"])
def test_a_value_that_is_no_number_is_refused_with_the_label(stored):
    JurisdictionSetting.objects.create(key="training_hours_per_year", value=stored)
    with pytest.raises(InvalidInput, match="执法人员每年培训学时下限") as exc:
        jurisdiction.value("training_hours_per_year")
    assert "不是数字" in exc.value.message


@pytest.mark.parametrize(
    ("key", "raw", "ok"),
    [
        ("training_hours_per_year", "40", True),
        ("reviewer_minimum", "-3", False),
        ("nope", "1", False),
        ("reviewer_ratio_percent", "x", False),
    ],
)
def test_admin_form_validates_values(key, raw, ok):
    from zhifa.core.admin import JurisdictionSettingForm

    form = JurisdictionSettingForm(data={"key": key, "value": raw, "note": ""})
    assert form.is_valid() is ok
