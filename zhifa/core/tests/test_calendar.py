"""Working days for legal periods (《行政处罚法》第八十五条): official calendar, overrides, 2027."""

import datetime as dt

import chinese_calendar
import pytest

from zhifa.core import calendar
from zhifa.core.errors import InvalidInput
from zhifa.core.models import CalendarOverride
from zhifa.core.services import calendar_override_remove, calendar_override_set
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

# Checked against chinesecalendar 1.11 (the State Council's notices for 2025 and 2026).
HOLIDAYS = [
    ("2025-01-01", "元旦"),
    ("2025-01-28", "春节"),
    ("2025-02-04", "春节"),
    ("2025-05-01", "劳动节"),
    ("2025-05-05", "劳动节"),
    ("2025-10-01", "国庆节"),
    ("2025-10-08", "国庆节"),
    ("2026-01-01", "元旦"),
    ("2026-02-15", "春节"),
    ("2026-02-23", "春节"),
    ("2026-10-07", "国庆节"),
]
ADJUSTED_WORKDAYS = [
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
]


@pytest.mark.parametrize(("day", "name"), HOLIDAYS)
def test_official_holidays_are_rest_days(day, name):
    assert not chinese_calendar.is_workday(D(day))  # the package agrees with the fixture
    info = calendar.day_info(D(day))
    assert not info.is_workday
    assert not info.provisional
    assert info.reason == f"法定节假日：{name}"


@pytest.mark.parametrize("day", ADJUSTED_WORKDAYS)
def test_adjusted_weekend_days_are_working_days(day):
    assert chinese_calendar.is_workday(D(day))
    assert D(day).weekday() >= 5
    info = calendar.day_info(D(day))
    assert info.is_workday
    assert info.reason == "调休上班"
    assert not info.provisional


def test_the_days_around_a_holiday_are_ordinary():
    assert calendar.day_info(D("2025-10-09")).reason == "工作日"  # Thursday after National Day
    assert calendar.is_workday(D("2025-10-09"))
    saturday = calendar.day_info(D("2025-10-18"))
    assert (saturday.is_workday, saturday.reason) == (False, "周末")


def test_add_workdays_across_national_day_2025():
    # 9-27 Sat rest, 9-28 Sun works (1), 9-29 (2), 9-30 (3), 10-1..10-8 holiday,
    # 10-9 (4), 10-10 (5), 10-11 Sat works (6), 10-12 Sun rest, 10-13 (7).
    result = calendar.add_workdays(D("2025-09-26"), 7)
    assert result == calendar.WorkdayResult(D("2025-10-13"), provisional=False)


def test_add_workdays_across_spring_festival_2026():
    assert calendar.add_workdays(D("2026-02-13"), 1).date == D("2026-02-14")  # adjusted Saturday
    assert calendar.add_workdays(D("2026-02-13"), 2).date == D("2026-02-24")  # after the holiday


def test_add_zero_workdays_is_the_start_day_even_on_a_holiday():
    assert calendar.add_workdays(D("2025-10-01"), 0) == calendar.WorkdayResult(D("2025-10-01"), False)


@pytest.mark.parametrize("count", [-1, calendar.MAX_WORKDAYS + 1])
def test_add_workdays_refuses_counts_out_of_range(count):
    with pytest.raises(InvalidInput, match="工作日天数应为 0 至"):
        calendar.add_workdays(D("2025-09-26"), count)


def test_2027_is_provisional_weekend_rule():
    friday = calendar.day_info(D("2027-01-01"))
    assert friday.is_workday and friday.provisional
    saturday = calendar.day_info(D("2027-01-02"))
    assert not saturday.is_workday and saturday.provisional
    assert saturday.reason == "周末"


def test_add_workdays_into_2027_is_flagged_provisional():
    # 12-31 (1), 2027-01-01 Friday counted by the weekend rule (2), 01-04 Monday (3).
    assert calendar.add_workdays(D("2026-12-30"), 3) == calendar.WorkdayResult(D("2027-01-04"), True)
    assert calendar.add_workdays(D("2026-12-28"), 3).provisional is False  # ends 2026-12-31


def test_override_makes_a_holiday_a_working_day():
    calendar_override_set(actor=None, date=D("2025-10-08"), is_workday=True, reason="本地调整上班")
    info = calendar.day_info(D("2025-10-08"))
    assert info.is_workday
    assert info.reason == "本地调整：本地调整上班"
    assert calendar.add_workdays(D("2025-09-30"), 1).date == D("2025-10-08")


def test_override_makes_a_working_day_a_rest_day():
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="抗台风停工")
    assert not calendar.is_workday(D("2025-10-09"))
    assert calendar.add_workdays(D("2025-09-26"), 7).date == D("2025-10-14")


def test_override_beats_the_provisional_2027_rule():
    calendar_override_set(actor=None, date=D("2027-01-01"), is_workday=False, reason="元旦")
    calendar_override_set(actor=None, date=D("2027-02-06"), is_workday=True, reason="春节调休")
    new_year = calendar.day_info(D("2027-01-01"))
    assert (new_year.is_workday, new_year.provisional) == (False, False)
    assert calendar.add_workdays(D("2026-12-31"), 1).date == D("2027-01-04")
    saturday = calendar.add_workdays(D("2027-02-05"), 1)
    assert saturday == calendar.WorkdayResult(D("2027-02-06"), provisional=False)


def test_overrides_beyond_the_first_lookup_window_are_honoured():
    # add_workdays loads overrides for count * 2 + 40 days, then extends the window.
    rest = [D("2025-03-01") + dt.timedelta(days=i) for i in range(46)]  # through 2025-04-15
    CalendarOverride.objects.bulk_create(
        CalendarOverride(date=d, is_workday=False, reason="停工") for d in rest
    )
    assert calendar.add_workdays(D("2025-02-28"), 1).date == D("2025-04-16")


def test_override_set_updates_the_existing_row():
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="停工")
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=True, reason="复工")
    assert list(CalendarOverride.objects.values_list("date", "is_workday", "reason")) == [
        (D("2025-10-09"), True, "复工")
    ]


def test_override_without_reason_is_refused():
    with unchanged_db(), pytest.raises(InvalidInput, match="须写明依据或说明"):
        calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="  ")
    assert calendar.is_workday(D("2025-10-09"))


def test_override_remove():
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="停工")
    assert calendar_override_remove(actor=None, date=D("2025-10-09")) is True
    assert calendar.is_workday(D("2025-10-09"))
    assert calendar_override_remove(actor=None, date=D("2025-10-09")) is False


def test_workdays_between():
    assert calendar.workdays_between(D("2025-09-26"), D("2025-10-13")) == 7
    assert calendar.workdays_between(D("2025-10-01"), D("2025-10-08")) == 0
    assert calendar.workdays_between(D("2025-10-13"), D("2025-09-26")) == 0
    assert calendar.workdays_between(D("2025-10-13"), D("2025-10-13")) == 0


def test_workdays_between_counts_overrides():
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="停工")
    assert calendar.workdays_between(D("2025-09-26"), D("2025-10-13")) == 6


@pytest.mark.parametrize("start", ["2025-01-20", "2025-09-26", "2026-02-10", "2026-12-25"])
def test_workdays_between_inverts_add_workdays(start):
    for count in (1, 3, 5, 7, 15):
        end = calendar.add_workdays(D(start), count).date
        assert calendar.workdays_between(D(start), end) == count
        assert calendar.is_workday(end)


def test_month_days():
    october = calendar.month_days(2025, 10)
    assert [d.date.day for d in october] == list(range(1, 32))
    assert not october[0].is_workday
    assert (october[10].is_workday, october[10].reason) == (True, "调休上班")
    assert len(calendar.month_days(2024, 2)) == 29
    assert calendar.month_days(2025, 12)[-1].date == D("2025-12-31")


def test_month_days_shows_overrides():
    calendar_override_set(actor=None, date=D("2025-10-09"), is_workday=False, reason="停工")
    assert calendar.month_days(2025, 10)[8].reason == "本地调整：停工"


def test_parse_date():
    assert calendar.parse_date(" 2025-09-26 ") == D("2025-09-26")
    for text in ["2025-13-01", "2025/09/26", "明天", ""]:
        with pytest.raises(InvalidInput, match="格式不正确"):
            calendar.parse_date(text)
