"""Working-day calendar for legal periods.

行政处罚法 第八十五条: "二日、三日、五日、七日" counted under that law are working days.
Official holidays and adjusted working days come from the chinesecalendar package;
administrators can override single days (CalendarOverride). For a year the package does not
know yet, weekends rest and weekdays work, and every answer says it is provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import chinese_calendar

from zhifa.core import process_cache
from zhifa.core.errors import InvalidInput

if TYPE_CHECKING:
    from django.db.models import QuerySet

# Legal periods are days to months; ten years of working days is far beyond any of them.
MAX_WORKDAYS = 2_500
LAST_DAY = dt.date(2199, 12, 31)


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    provisional: bool
    reason: str


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool


def _official(day: dt.date) -> tuple[bool, bool, str]:
    """(is_workday, provisional, reason) from the official calendar, or the weekend rule."""
    try:
        on_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        weekend = day.weekday() >= 5
        return (not weekend, True, "周末" if weekend else "工作日")
    if on_holiday:
        if holiday_name:
            return (False, False, f"法定节假日：{_HOLIDAY_NAMES.get(holiday_name, holiday_name)}")
        return (False, False, "周末")
    if day.weekday() >= 5:
        return (True, False, "调休上班")
    return (True, False, "工作日")


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, tuple[bool, str]]:
    from zhifa.core.models import CalendarOverride

    def load(rows: QuerySet[CalendarOverride]) -> dict[dt.date, tuple[bool, str]]:
        return {d: (w, r) for d, w, r in rows.values_list("date", "is_workday", "reason")}

    # A handful of local adjustments: every one is kept in the process (process_cache).
    every = process_cache.remembered("calendar_overrides", lambda: load(CalendarOverride.objects.all()))
    return {d: v for d, v in every.items() if start <= d <= end}


def day_info(day: dt.date) -> DayInfo:
    override = _overrides(day, day).get(day)
    if override is not None:
        return DayInfo(day, override[0], False, f"本地调整：{override[1]}")
    workday, provisional, reason = _official(day)
    return DayInfo(day, workday, provisional, reason)


def is_workday(day: dt.date) -> bool:
    return day_info(day).is_workday


def add_workdays(start: dt.date, count: int) -> WorkdayResult:
    """The count-th working day after start; the start day itself is not counted."""
    if count < 0 or count > MAX_WORKDAYS:
        raise InvalidInput(f"工作日天数应为 0 至 {MAX_WORKDAYS} 之间的整数。")
    if start > LAST_DAY:
        raise InvalidInput(f"起算日不能晚于 {LAST_DAY:%Y-%m-%d}。")
    day, found, provisional = start, 0, False
    # Overrides for a generous window in one query; extended if the window runs out.
    window_end = start + dt.timedelta(days=count * 2 + 40)
    overrides = _overrides(start, window_end)
    while found < count:
        day += dt.timedelta(days=1)
        if day > window_end:
            window_end = day + dt.timedelta(days=count * 2 + 40)
            overrides.update(_overrides(day, window_end))
        if day in overrides:
            workday = overrides[day][0]
        else:
            workday, prov, _ = _official(day)
            provisional = provisional or prov
        if workday:
            found += 1
    return WorkdayResult(day, provisional)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after start up to and including end (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    total, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        workday = overrides[day][0] if day in overrides else _official(day)[0]
        total += workday
    return total


def month_days(year: int, month: int) -> list[DayInfo]:
    """Every day of a month with its status, for the calendar page."""
    first = dt.date(year, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    overrides = _overrides(first, last)
    days = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        if day in overrides:
            days.append(DayInfo(day, overrides[day][0], False, f"本地调整：{overrides[day][1]}"))
        else:
            workday, provisional, reason = _official(day)
            days.append(DayInfo(day, workday, provisional, reason))
    return days


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"日期“{text}”格式不正确，应为 YYYY-MM-DD，例如 2025-09-26。") from None


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
