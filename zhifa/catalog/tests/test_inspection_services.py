"""The 随机抽查事项清单 services: versions from a day, the previous one ends, history kept."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.accounts.models import Role
from zhifa.catalog.services.inspections import (
    inspection_item_amend,
    inspection_item_create,
    inspection_item_repeal,
)
from zhifa.core.errors import Conflict, InvalidInput, NotPermitted
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory, make_matter, make_user

pytestmark = pytest.mark.django_db

FIELDS = {
    "name": "劳动用工检查",
    "subject_type": "用人单位",
    "basis": "《劳动保障监察条例》第十五条",
    "content": "工资支付",
    "method": "现场检查",
    "ratio": "5%",
}
D1 = dt.date(2025, 1, 1)


@pytest.fixture
def agency():
    return AgencyFactory()


def create(agency, actor=None, **kw):
    return inspection_item_create(
        actor=actor, agency=agency, code="CC-01", effective_from=D1, **(FIELDS | kw)
    )


def test_create_then_amend_ends_the_previous(agency):
    head = make_user(Role.HEAD, agency=agency)
    v1 = create(agency, actor=head, matter=make_matter(agency=agency))
    v2 = inspection_item_amend(
        actor=head, item=v1, effective_from=dt.date(2026, 1, 1), change_note="比例调整", ratio="10%"
    )
    v1.refresh_from_db()
    assert (v2.version, v2.ratio, v2.matter_id, v1.effective_to) == (
        2,
        "10%",
        v1.matter_id,
        dt.date(2025, 12, 31),
    )


def test_create_refused_twice_for_another_agency_and_a_foreign_matter(agency):
    outsider = make_user(Role.HEAD)
    with unchanged_db(), pytest.raises(NotPermitted):
        create(agency, actor=outsider)
    foreign = make_matter()
    with unchanged_db(), pytest.raises(InvalidInput, match="不属于"):
        create(agency, matter=foreign)
    create(agency)
    with unchanged_db(), pytest.raises(Conflict, match="已有编码为“CC-01”"):
        create(agency)


def test_amend_rules(agency):
    v1 = create(agency)
    with unchanged_db(), pytest.raises(InvalidInput, match="修改说明"):
        inspection_item_amend(actor=None, item=v1, effective_from=dt.date(2026, 1, 1), change_note="")
    with unchanged_db(), pytest.raises(InvalidInput, match="同一日只能有一个施行的版本"):
        inspection_item_amend(actor=None, item=v1, effective_from=D1, change_note="改")
    inspection_item_amend(actor=None, item=v1, effective_from=dt.date(2026, 1, 1), change_note="改")
    v1.refresh_from_db()
    with unchanged_db(), pytest.raises(Conflict, match="已被第2版取代"):
        inspection_item_amend(actor=None, item=v1, effective_from=dt.date(2027, 1, 1), change_note="再改")


def test_repeal_rules(agency):
    v1 = create(agency)
    with unchanged_db(), pytest.raises(InvalidInput, match="须晚于第1版的施行日期"):
        inspection_item_repeal(actor=None, item=v1, effective_on=D1)
    assert inspection_item_repeal(
        actor=None, item=v1, effective_on=dt.date(2026, 1, 1)
    ).effective_to == dt.date(2025, 12, 31)
    with unchanged_db(), pytest.raises(Conflict, match="已于 2025-12-31 失效"):
        inspection_item_repeal(actor=None, item=v1, effective_on=dt.date(2026, 6, 1))
