"""Writes owned by core: calendar overrides."""

import datetime as dt

from django.db import transaction

from zhifa.core.errors import InvalidInput
from zhifa.core.models import CalendarOverride


@transaction.atomic
def calendar_override_set(
    *, actor: object | None, date: dt.date, is_workday: bool, reason: str
) -> CalendarOverride:
    reason = reason.strip()
    if not reason:
        raise InvalidInput("设置工作日历调整须写明依据或说明。")
    override, _ = CalendarOverride.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "reason": reason}
    )
    return override


@transaction.atomic
def calendar_override_remove(*, actor: object | None, date: dt.date) -> bool:
    deleted, _ = CalendarOverride.objects.filter(date=date).delete()
    return deleted > 0
