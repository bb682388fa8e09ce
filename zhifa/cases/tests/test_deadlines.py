"""Legal time limits of the case procedure, across the 2025/2026 holidays.

Dates checked against chinesecalendar 1.11 (the State Council's holiday notices for 2025 and
2026): 2025 National Day/Mid-autumn rest 10-01..10-08 with 09-28 (Sun) and 10-11 (Sat) worked;
2026 Spring Festival rests 02-15..02-23 with 02-14 (Sat) and 02-28 (Sat) worked.
"""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.cases import deadlines
from zhifa.cases.deadlines import Deadline, add_months
from zhifa.core.errors import InvalidInput
from zhifa.core.models import CalendarOverride, JurisdictionSetting
from zhifa.org.certificates import Level

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def setting(key: str, value: str) -> None:
    JurisdictionSetting.objects.create(key=key, value=value, note="本地规定")


class TestDeadline:
    due = Deadline("x", "测试期限", D("2025-10-10"), "《行政处罚法》第六十条")

    def test_days_left_counts_calendar_days_and_goes_negative(self):
        assert self.due.days_left(D("2025-10-01")) == 9
        assert self.due.days_left(D("2025-10-10")) == 0
        assert self.due.days_left(D("2025-10-13")) == -3

    def test_days_left_is_none_without_a_date_or_while_paused(self):
        assert Deadline("x", "无期限", None, "").days_left(D("2025-10-01")) is None
        paused = Deadline("x", "中止", D("2025-10-10"), "", paused=True)
        assert paused.days_left(D("2025-10-01")) is None

    @pytest.mark.parametrize(
        ("on", "level"),
        [
            ("2025-10-06", Level.OK),  # 4 days left: outside the default 3-day window
            ("2025-10-07", Level.WARNING),  # 3 days left
            ("2025-10-10", Level.WARNING),  # last day
            ("2025-10-11", Level.DANGER),  # overdue
        ],
    )
    def test_level_uses_the_default_three_day_window(self, on, level):
        assert self.due.level(D(on)) == level

    def test_level_is_ok_once_met_even_if_met_late(self):
        met = Deadline("x", "测试", D("2025-10-10"), "", met_on=D("2025-10-12"))
        assert met.level(D("2025-10-20")) == Level.OK

    def test_level_is_ok_while_paused(self):
        paused = Deadline("x", "测试", D("2025-10-10"), "", paused=True)
        assert paused.level(D("2025-10-20")) == Level.OK

    def test_warning_window_comes_from_the_jurisdiction_setting(self):
        assert self.due.level(D("2025-10-04")) == Level.OK
        setting("deadline_warning_days", "7")
        assert self.due.level(D("2025-10-04")) == Level.WARNING  # 6 days left
        assert self.due.level(D("2025-10-02")) == Level.OK  # 8 days left

    def test_warning_days_can_be_passed_to_spare_the_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert self.due.level(D("2025-10-04"), warning_days=7) == Level.WARNING

    def test_a_fractional_warning_window_is_refused_with_the_label(self):
        setting("deadline_warning_days", "2.5")
        with pytest.raises(InvalidInput, match=r"办案期限预警提前天数.*整数"):
            self.due.level(D("2025-10-04"))

    @pytest.mark.parametrize(
        ("deadline", "on", "text"),
        [
            (due, "2025-10-01", "剩余 9 天（2025-10-10 届满）"),
            (due, "2025-10-10", "今日届满"),
            (due, "2025-10-13", "已超期 3 天"),
            (
                Deadline("x", "测试", D("2025-10-10"), "", met_on=D("2025-10-08")),
                "2025-10-13",
                "已于 2025-10-08 完成",
            ),
            (Deadline("x", "测试", D("2025-10-10"), "", paused=True), "2025-10-13", "期限中止计算"),
            (Deadline("x", "测试", None, ""), "2025-10-13", "未设期限"),
            (
                Deadline("x", "测试", D("2027-01-10"), "", provisional=True),
                "2027-01-05",
                "剩余 5 天（2027-01-10 届满）（推定）",
            ),
            (
                Deadline("x", "测试", D("2027-01-10"), "", provisional=True),
                "2027-01-12",
                "已超期 2 天（推定）",
            ),
        ],
    )
    def test_phrase(self, deadline, on, text):
        assert deadline.phrase(D(on)) == text


class TestWorkdayDeadlines:
    def test_filing_decision_crosses_national_day(self):
        # Clue on Fri 2025-09-26: 09-28 (Sun, worked), 09-29, 09-30, then 10-09 onwards.
        deadline = deadlines.filing_decision_due(D("2025-09-26"), extended=False, domain="SCJG")
        assert deadline.due == D("2025-10-23")
        assert not deadline.provisional
        assert deadline.basis == "《市场监督管理行政处罚程序规定》第十八条、《行政处罚法》第五十四条"

    @pytest.mark.parametrize(
        ("domain", "basis"),
        [
            ("LDBZJC", "《劳动保障监察条例》第十四条第二款、《行政处罚法》第五十四条第二款"),
            ("TJZF", "《行政处罚法》第五十四条第二款"),  # no rule of its own: the general one
            ("", "《行政处罚法》第五十四条第二款"),
        ],
    )
    def test_the_filing_period_cites_the_rule_of_the_cases_domain(self, domain, basis):
        deadline = deadlines.filing_decision_due(D("2025-09-26"), extended=False, domain=domain)
        assert deadline.basis == basis and "市场监督管理" not in deadline.basis
        assert deadline.due == D("2025-10-23")  # the same period

    def test_the_statement_period_cites_market_rules_only_in_market_cases(self):
        assert "第五十九条" in deadlines.statement_due(D("2025-09-26"), domain="SPAQ").basis
        labour = deadlines.statement_due(D("2025-09-26"), domain="LDBZJC")
        assert labour.basis == "《行政处罚法》第四十四条、第四十五条"

    def test_filing_decision_extended_by_fifteen_working_days(self):
        deadline = deadlines.filing_decision_due(D("2025-09-26"), extended=True)
        assert deadline.due == D("2025-11-13")
        assert "延长十五个工作日" in deadline.basis

    def test_a_year_without_an_official_calendar_is_provisional(self):
        with pytest.raises(NotImplementedError):
            chinese_calendar.is_workday(D("2027-03-01"))
        deadline = deadlines.filing_decision_due(D("2027-03-01"), extended=False)  # a Monday
        assert deadline.due == D("2027-03-22")  # weekdays only
        assert deadline.provisional
        assert deadline.phrase(D("2027-03-01")).endswith("（推定）")

    def test_a_local_calendar_override_moves_the_deadline(self):
        CalendarOverride.objects.create(date=D("2025-10-23"), is_workday=False, reason="台风停工")
        assert deadlines.filing_decision_due(D("2025-09-26"), extended=False).due == D("2025-10-24")

    def test_preservation_decision_crosses_new_year(self):
        # 2026-01-01..03 rest, Sun 2026-01-04 worked.
        deadline = deadlines.preservation_decision_due(D("2025-12-30"))
        assert deadline.due == D("2026-01-09")
        assert "第五十六条" in deadline.basis

    def test_statement_period_crosses_spring_festival(self):
        # Thu 2026-02-12: 02-13, 02-14 (Sat, worked), then 02-24, 02-25, 02-26.
        deadline = deadlines.statement_due(D("2026-02-12"), domain="SCJG")
        assert deadline.due == D("2026-02-26")
        assert "第五十九条" in deadline.basis

    def test_statement_period_follows_the_jurisdiction_setting(self):
        setting("statement_period_workdays", "7")
        deadline = deadlines.statement_due(D("2026-02-12"))
        assert deadline.due == D("2026-02-28")  # a Saturday worked after the festival
        assert "本地参数" in deadline.basis and "7 个工作日" in deadline.basis
        assert "第五十九条" not in deadline.basis

    @pytest.mark.parametrize("stored", ["0", "5.5"])
    def test_a_statement_period_that_is_no_whole_positive_number_is_refused(self, stored):
        setting("statement_period_workdays", stored)
        with pytest.raises(InvalidInput, match="陈述、申辩期限"):
            deadlines.statement_due(D("2026-02-12"))

    def test_hearing_request_crosses_spring_festival(self):
        deadline = deadlines.hearing_request_due(D("2026-02-12"))
        assert deadline.due == D("2026-02-26")
        assert "第六十四条第（一）项" in deadline.basis

    def test_earliest_hearing_day_counts_seven_working_days(self):
        result = deadlines.earliest_hearing_day(D("2025-09-29"))
        assert result.date == D("2025-10-15")
        assert not result.provisional

    @pytest.mark.parametrize(
        ("hearing_on", "allowed"),
        [("2025-10-14", False), ("2025-10-15", True), ("2025-10-20", True), ("2025-10-01", False)],
    )
    def test_hearing_date_allowed(self, hearing_on, allowed):
        assert deadlines.hearing_date_allowed(D("2025-09-29"), D(hearing_on)) is allowed

    def test_service_crosses_national_day(self):
        deadline = deadlines.service_due(D("2025-09-26"))
        assert deadline.due == D("2025-10-13")
        assert "第六十一条" in deadline.basis

    def test_reminder_is_ripe_the_day_after_the_tenth_working_day(self):
        deadline = deadlines.reminder_ripe(D("2025-09-26"))
        assert deadline.due == D("2025-10-17")  # the 10th working day is 2025-10-16
        assert "2025-10-16 届满" in deadline.basis
        assert not deadlines.may_apply_to_court(D("2025-09-26"), D("2025-10-16"))
        assert deadlines.may_apply_to_court(D("2025-09-26"), D("2025-10-17"))

    def test_clue_age_counts_working_days(self):
        assert deadlines.clue_age_workdays(D("2025-09-26"), D("2025-10-09")) == 4
        assert deadlines.clue_age_workdays(D("2025-09-26"), D("2025-09-26")) == 0
        assert deadlines.clue_age_workdays(D("2025-09-26"), D("2025-09-20")) == 0


class TestCalendarDayDeadlines:
    def test_seizure_is_thirty_calendar_days_and_not_rolled(self):
        deadline = deadlines.seizure_due(D("2025-09-05"), extended=False)
        assert deadline.due == D("2025-10-05")  # a holiday: the agency's limit does not move
        assert "《行政强制法》第二十五条" in deadline.basis

    def test_seizure_extended_once(self):
        deadline = deadlines.seizure_due(D("2025-09-05"), extended=True)
        assert deadline.due == D("2025-11-04")
        assert "延长三十日" in deadline.basis

    def test_payment_due_on_a_working_day_stays(self):
        deadline = deadlines.payment_due(D("2025-03-03"))
        assert deadline.due == D("2025-03-18")
        assert "第六十七条" in deadline.basis and "第二百零三条" in deadline.basis

    @pytest.mark.parametrize(
        ("served_on", "due"),
        [
            ("2025-09-22", "2025-10-09"),  # 10-07 National Day → after the holiday
            ("2026-01-31", "2026-02-24"),  # 02-15 Spring Festival → after the holiday
            ("2025-03-08", "2025-03-24"),  # Sunday → Monday
            ("2025-09-13", "2025-09-28"),  # a Sunday that is worked: no roll
        ],
    )
    def test_payment_due_on_a_rest_day_rolls_forward(self, served_on, due):
        assert deadlines.payment_due(D(served_on)).due == D(due)

    def test_payment_due_follows_a_local_override(self):
        CalendarOverride.objects.create(date=D("2025-03-18"), is_workday=False, reason="停电停工")
        assert deadlines.payment_due(D("2025-03-03")).due == D("2025-03-19")

    def test_decision_due_is_ninety_days_from_filing(self):
        deadline = deadlines.decision_due(
            D("2025-03-03"), extension_days=0, suspensions=[], on=D("2025-04-01")
        )
        assert deadline.due == D("2025-06-01")
        assert deadline.basis == "《行政处罚法》第六十条"
        assert not deadline.paused

    def test_decision_due_with_extension_and_closed_and_open_suspensions(self):
        deadline = deadlines.decision_due(
            D("2025-03-03"),
            extension_days=30,
            suspensions=[(D("2025-06-10"), None), (D("2025-04-01"), D("2025-04-21"))],
            on=D("2025-06-20"),
        )
        # 90 + 30 extension + 20 closed + 10 open so far (as if resumed on 06-20).
        assert deadline.due == D("2025-07-31")
        assert deadline.paused
        assert deadline.phrase(D("2025-06-20")) == "期限中止计算"
        assert deadline.level(D("2025-08-20")) == Level.OK
        assert "延长 30 日" in deadline.basis and "中止期间 30 日不计入" in deadline.basis

    def test_decision_due_after_resumption_runs_again(self):
        deadline = deadlines.decision_due(
            D("2025-03-03"),
            extension_days=0,
            suspensions=[(D("2025-04-01"), D("2025-04-10")), (D("2025-04-10"), D("2025-04-20"))],
            on=D("2025-06-20"),
        )
        assert deadline.due == D("2025-06-20")  # adjacent periods do not overlap: 19 days
        assert not deadline.paused
        assert deadline.phrase(D("2025-06-20")) == "今日届满"

    @pytest.mark.parametrize(
        ("suspensions", "message"),
        [
            ([("2025-04-01", "2025-04-21"), ("2025-04-10", "2025-04-30")], "重叠"),
            ([("2025-04-01", None), ("2025-05-01", "2025-05-10")], "重叠"),
            ([("2025-04-21", "2025-04-01")], "早于中止日期"),
            ([("2025-02-01", "2025-03-10")], "早于立案日期"),
            ([("2025-07-01", None)], "不能晚于今天"),
        ],
    )
    def test_decision_due_refuses_inconsistent_suspensions(self, suspensions, message):
        parsed = [(D(s), D(e) if e else None) for s, e in suspensions]
        with pytest.raises(InvalidInput, match=message):
            deadlines.decision_due(D("2025-03-03"), extension_days=0, suspensions=parsed, on=D("2025-06-20"))

    def test_decision_due_refuses_a_negative_extension(self):
        with pytest.raises(InvalidInput, match="第六十条"):
            deadlines.decision_due(D("2025-03-03"), extension_days=-1, suspensions=[], on=D("2025-06-20"))


class TestEnforcementWindow:
    def test_window_opens_after_six_months_and_lasts_three(self):
        assert deadlines.enforcement_application_window(D("2025-03-10")) == (D("2025-09-11"), D("2025-12-10"))

    def test_litigation_period_ending_on_a_holiday_delays_the_window(self):
        # Six months end on 2025-10-01 (National Day): the party may still sue until 10-09.
        assert deadlines.enforcement_application_window(D("2025-04-01")) == (D("2025-10-10"), D("2026-01-09"))

    def test_month_end_service_clamps(self):
        # 2025-08-31 + 6 months = 2026-02-28, a Saturday worked after Spring Festival.
        assert deadlines.enforcement_application_window(D("2025-08-31")) == (D("2026-03-01"), D("2026-05-28"))


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "result"),
        [
            ("2025-03-10", 6, "2025-09-10"),
            ("2025-01-31", 1, "2025-02-28"),
            ("2024-01-31", 1, "2024-02-29"),  # leap year
            ("2024-02-29", 12, "2025-02-28"),
            ("2024-02-29", 48, "2028-02-29"),
            ("2025-08-31", 6, "2026-02-28"),
            ("2025-10-31", 1, "2025-11-30"),
            ("2025-12-15", 1, "2026-01-15"),
            ("2025-03-31", -1, "2025-02-28"),
            ("2025-01-15", -1, "2024-12-15"),
            ("2025-05-20", 0, "2025-05-20"),
        ],
    )
    def test_add_months(self, day, months, result):
        assert add_months(D(day), months) == D(result)

    def test_out_of_range_is_refused(self):
        with pytest.raises(InvalidInput, match="超出可表示的范围"):
            add_months(D("9999-12-01"), 1)

    @given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)), st.integers(-120, 120))
    def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(self, day, months):
        result = add_months(day, months)
        assert result.year * 12 + result.month == day.year * 12 + day.month + months
        assert result.day == day.day or (result.day < day.day and (result + dt.timedelta(days=1)).day == 1)
