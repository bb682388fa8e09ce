"""Writes to the 随机抽查事项清单 (published before enforcement, 国发〔2019〕5号).

An item is versioned like a matter: a new version is a new row from a day, the previous one ends
the day before; a published version is history and only gets its end date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.catalog import policies
from zhifa.catalog.models import InspectionItem, Matter
from zhifa.core.errors import Conflict, InvalidInput
from zhifa.core.validation import clean_or_raise
from zhifa.org.models import Agency

if TYPE_CHECKING:
    from zhifa.accounts.models import User

_FIELDS = {"name", "matter", "subject_type", "basis", "content", "method", "ratio"}


def _write(item: InspectionItem) -> InspectionItem:
    if item.matter is not None and item.matter.agency_id != item.agency_id:
        raise InvalidInput(
            f"执法事项“{item.matter.code}”不属于“{item.agency.name}”，不能作为本机关抽查事项的对应事项。"
        )
    clean_or_raise(item)
    item.save()
    return item


def _locked_latest(actor: User | None, item: InspectionItem, action: str) -> InspectionItem:
    agency = Agency.objects.select_for_update().get(pk=item.agency_id)
    if actor is not None:
        policies.ensure_can_manage_matters(actor, agency)
    latest = InspectionItem.objects.filter(agency=agency, code=item.code).order_by("-version").first()
    assert latest is not None
    if latest.pk != item.pk:
        raise Conflict(
            f"抽查事项“{item.code}”的第{item.version}版已被第{latest.version}版取代，"
            f"只能在现行的第{latest.version}版基础上{action}。"
        )
    return latest


@transaction.atomic
def inspection_item_create(
    *,
    actor: User | None,
    agency: Agency,
    code: str,
    effective_from: dt.date,
    change_note: str = "首次制定。",
    matter: Matter | None = None,
    **fields: Any,
) -> InspectionItem:
    """Version 1 of a new item of the agency's list."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if actor is not None:
        policies.ensure_can_manage_matters(actor, agency)
    unknown = set(fields) - _FIELDS
    if unknown:
        raise InvalidInput(f"抽查事项没有这些字段：{'、'.join(sorted(unknown))}。")
    code = code.strip()
    if InspectionItem.objects.filter(agency=agency, code=code).exists():
        raise Conflict(f"“{agency.name}”已有编码为“{code}”的抽查事项；调整请修改（制定新版本）。")
    return _write(
        InspectionItem(
            agency=agency,
            code=code,
            version=1,
            matter=matter,
            effective_from=effective_from,
            change_note=change_note.strip() or "首次制定。",
            **fields,
        )
    )


@transaction.atomic
def inspection_item_amend(
    *, actor: User | None, item: InspectionItem, effective_from: dt.date, change_note: str, **changes: Any
) -> InspectionItem:
    """A new version from `effective_from`; the current one ends the day before and is kept."""
    latest = _locked_latest(actor, item, "修改")
    unknown = set(changes) - _FIELDS
    if unknown:
        raise InvalidInput(f"抽查事项没有这些字段：{'、'.join(sorted(unknown))}。")
    if not change_note.strip():
        raise InvalidInput("修改抽查事项须写明修改说明。")
    if effective_from <= latest.effective_from:
        raise InvalidInput(
            f"新版本的施行日期须晚于第{latest.version}版的施行日期（{latest.effective_from:%Y-%m-%d}）："
            "同一抽查事项同一日只能有一个施行的版本。"
        )
    if latest.effective_to is None or latest.effective_to >= effective_from:
        latest.effective_to = effective_from - dt.timedelta(days=1)
        latest.save(update_fields=["effective_to", "updated_at"])
    fields = {name: getattr(latest, name) for name in _FIELDS} | changes
    return _write(
        InspectionItem(
            agency=latest.agency,
            code=latest.code,
            version=latest.version + 1,
            effective_from=effective_from,
            change_note=change_note.strip(),
            **fields,
        )
    )


@transaction.atomic
def inspection_item_repeal(
    *, actor: User | None, item: InspectionItem, effective_on: dt.date
) -> InspectionItem:
    """The item leaves the list from `effective_on` (its current version ends the day before)."""
    latest = _locked_latest(actor, item, "废止")
    if latest.effective_to is not None:
        raise Conflict(
            f"抽查事项“{latest.code}”第{latest.version}版已于 {latest.effective_to:%Y-%m-%d} 失效。"
        )
    if effective_on <= latest.effective_from:
        raise InvalidInput(
            f"废止日期须晚于第{latest.version}版的施行日期（{latest.effective_from:%Y-%m-%d}）。"
        )
    latest.effective_to = effective_on - dt.timedelta(days=1)
    latest.save(update_fields=["effective_to", "updated_at"])
    return latest
