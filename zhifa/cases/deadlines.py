"""Legal time limits of the 行政处罚 case procedure, computed from stored dates when read.

Counting follows 《民法典》第二百零一条: the day an event happens is not counted, the period
starts the next day. Periods the law calls "二日、三日、五日、七日" (《行政处罚法》第八十五条) or
"十日以内" (《行政强制法》第六十九条) are working days and go through zhifa.core.calendar; longer
periods are calendar days. Only the party's payment period rolls forward past rest days
(see payment_due): the agency's own limits are kept at their strict calendar date.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from zhifa.core import calendar, jurisdiction
from zhifa.core.calendar import WorkdayResult
from zhifa.core.errors import InvalidInput
from zhifa.org.certificates import Level

ONE_DAY = dt.timedelta(days=1)

FILING_WORKDAYS = (
    15  # 《市场监督管理行政处罚程序规定》第十八条, extendable once by 15; applied to all domains
)
PRESERVATION_WORKDAYS = 7  # 《行政处罚法》第五十六条
SEIZURE_DAYS = 30  # 《行政强制法》第二十五条, extendable once by 30
HEARING_REQUEST_WORKDAYS = 5  # 《行政处罚法》第六十四条第（一）项
HEARING_NOTICE_WORKDAYS = 7  # 《行政处罚法》第六十四条第（二）项
DECISION_DAYS = 90  # 《行政处罚法》第六十条
SERVICE_WORKDAYS = 7  # 《行政处罚法》第六十一条
PAYMENT_DAYS = 15  # 《行政处罚法》第六十七条
REMINDER_WORKDAYS = 10  # 《行政强制法》第五十四条、第六十九条
LITIGATION_MONTHS = 6  # 《行政诉讼法》第四十六条
ENFORCEMENT_APPLICATION_MONTHS = 3  # 《行政强制法》第五十三条


# A cited rule belongs to its 执法类别 (EnforcementDomain.code): a 人社局 case must not cite the
# rules of market supervision. GENERAL is the 行政处罚法's own rule, for any domain without one.
GENERAL = ""
MARKET = "《市场监督管理行政处罚程序规定》"
FILING_RULES = {
    "SCJG": f"{MARKET}第十八条、《行政处罚法》第五十四条",
    "SPAQ": f"{MARKET}第十八条、《行政处罚法》第五十四条",
    "LDBZJC": "《劳动保障监察条例》第十四条第二款、《行政处罚法》第五十四条第二款",
    GENERAL: "《行政处罚法》第五十四条第二款",
}
STATEMENT_RULES = {
    "SCJG": f"《行政处罚法》第四十四条、第四十五条；{MARKET}第五十九条",
    "SPAQ": f"《行政处罚法》第四十四条、第四十五条；{MARKET}第五十九条",
    GENERAL: "《行政处罚法》第四十四条、第四十五条",
}


def cited(rules: dict[str, str], domain: str) -> str:
    """The rule of the case's domain, else the general one."""
    return rules.get(domain, rules[GENERAL])


@dataclass(frozen=True)
class Deadline:
    """A legal time limit: its last day, where it comes from, and whether it is done or paused."""

    key: str
    label: str
    due: dt.date | None
    basis: str
    # The due date depends on a year whose official holidays are not yet published.
    provisional: bool = False
    met_on: dt.date | None = None
    # An open suspension (中止): the period does not run, so there is nothing to count down.
    paused: bool = False

    def days_left(self, on: dt.date) -> int | None:
        """Calendar days from `on` to the due date; negative when overdue."""
        if self.due is None or self.paused:
            return None
        return (self.due - on).days

    def level(self, on: dt.date, *, warning_days: int | None = None) -> str:
        """ok / warning / danger for the list colour; pass warning_days to spare a query per row."""
        left = self.days_left(on)
        if self.met_on is not None or left is None:
            return Level.OK
        if left < 0:
            return Level.DANGER
        if warning_days is None:
            warning_days = warning_window()
        return Level.WARNING if left <= warning_days else Level.OK

    def phrase(self, on: dt.date) -> str:
        """The countdown shown next to the deadline, in Chinese."""
        if self.met_on is not None:
            return f"已于 {self.met_on:%Y-%m-%d} 完成"
        if self.paused:
            return "期限中止计算"
        left = self.days_left(on)
        if self.due is None or left is None:
            return "未设期限"
        if left > 0:
            text = f"剩余 {left} 天（{self.due:%Y-%m-%d} 届满）"
        elif left == 0:
            text = "今日届满"
        else:
            text = f"已超期 {-left} 天"
        return text + ("（推定）" if self.provisional else "")


def _whole_days(key: str) -> int:
    """A jurisdiction setting that counts days; a fractional day has no meaning."""
    number = jurisdiction.value(key)
    if number != number.to_integral_value():
        label = jurisdiction.DEFINITIONS[key].label
        raise InvalidInput(f"本地参数“{label}”的取值 {number} 应为整数天数，请在系统配置中更正。")
    return int(number)


def warning_window() -> int:
    """Calendar days before the due date from which a deadline shows yellow."""
    return _whole_days("deadline_warning_days")


def _workday_deadline(key: str, label: str, start: dt.date, count: int, basis: str) -> Deadline:
    result = calendar.add_workdays(start, count)
    return Deadline(key, label, result.date, basis, provisional=result.provisional)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a day the target month lacks becomes its last day.

    《民法典》第二百零二条: 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InvalidInput(f"日期 {day:%Y-%m-%d} 加 {months} 个月超出可表示的范围。")
    last = month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _roll_past_rest_days(day: dt.date) -> WorkdayResult:
    """The day itself if it is a working day, else the next working day (《民法典》第二百零三条)."""
    provisional = False
    while True:
        info = calendar.day_info(day)
        provisional = provisional or info.provisional
        if info.is_workday:
            return WorkdayResult(day, provisional)
        day += ONE_DAY


def filing_decision_due(received_on: dt.date, *, extended: bool, domain: str = GENERAL) -> Deadline:
    """Decide whether to file a case within 15 working days of the clue, +15 when approved."""
    count = FILING_WORKDAYS * (2 if extended else 1)
    basis = cited(FILING_RULES, domain)
    if extended:
        basis += "（经负责人批准延长十五个工作日）"
    return _workday_deadline("filing_decision", "立案决定期限", received_on, count, basis)


def preservation_decision_due(preserved_on: dt.date) -> Deadline:
    """Registered preservation must be followed by a decision on the evidence within 7 working days."""
    return _workday_deadline(
        "preservation_decision",
        "先行登记保存处理决定期限",
        preserved_on,
        PRESERVATION_WORKDAYS,
        "《行政处罚法》第五十六条、第八十五条",
    )


def seizure_due(seized_on: dt.date, *, extended: bool) -> Deadline:
    """Sealing or seizure lasts at most 30 calendar days, extendable once by at most 30."""
    days = SEIZURE_DAYS * (2 if extended else 1)
    basis = "《行政强制法》第二十五条"
    if extended:
        basis += "（经负责人批准延长三十日）"
    return Deadline("seizure", "查封、扣押期限", seized_on + dt.timedelta(days=days), basis)


def statement_due(notice_served_on: dt.date, *, domain: str = GENERAL) -> Deadline:
    """The party's period for statement and defence after the prior notice (告知书) is served."""
    count = _whole_days("statement_period_workdays")
    definition = jurisdiction.DEFINITIONS["statement_period_workdays"]
    if count == definition.default:
        basis = cited(STATEMENT_RULES, domain)
    else:
        basis = f"《行政处罚法》第四十四条、第四十五条；本地参数“{definition.label}”：{count} 个工作日"
    return _workday_deadline("statement", "陈述、申辩期限", notice_served_on, count, basis)


def hearing_request_due(notice_served_on: dt.date) -> Deadline:
    """The party must ask for a hearing within 5 working days of being told of the right."""
    return _workday_deadline(
        "hearing_request",
        "听证申请期限",
        notice_served_on,
        HEARING_REQUEST_WORKDAYS,
        "《行政处罚法》第六十四条第（一）项、第八十五条",
    )


def earliest_hearing_day(hearing_notice_served_on: dt.date) -> WorkdayResult:
    """The hearing notice must reach the party 7 working days before the hearing."""
    return calendar.add_workdays(hearing_notice_served_on, HEARING_NOTICE_WORKDAYS)


def hearing_date_allowed(notice_served_on: dt.date, hearing_on: dt.date) -> bool:
    """Whether a hearing on `hearing_on` respects the 7-working-day notice (第六十四条第（二）项)."""
    return hearing_on >= earliest_hearing_day(notice_served_on).date


def decision_due(
    filed_on: dt.date,
    *,
    extension_days: int,
    suspensions: Sequence[tuple[dt.date, dt.date | None]],
    on: dt.date,
) -> Deadline:
    """90 calendar days from filing, plus approved extensions, not counting suspended periods.

    A closed suspension (start, end) adds end - start days. An open one (end None) pauses the
    deadline; its due date is computed as if the case resumed on `on`, so the page can still
    show how much time would be left.
    """
    if extension_days < 0:
        raise InvalidInput("延长办案期限的天数不能为负数（《行政处罚法》第六十条）。")
    suspended_days = 0
    paused = False
    previous_end: dt.date | None = filed_on
    for start, end in sorted(suspensions, key=lambda s: s[0]):
        if start < filed_on:
            raise InvalidInput(f"案件中止日期 {start:%Y-%m-%d} 早于立案日期 {filed_on:%Y-%m-%d}。")
        if previous_end is None or start < previous_end:
            raise InvalidInput(f"案件中止期间相互重叠（{start:%Y-%m-%d} 起），请核对中止和恢复日期。")
        if end is None:
            if start > on:
                raise InvalidInput(f"尚未恢复的中止自 {start:%Y-%m-%d} 起，不能晚于今天 {on:%Y-%m-%d}。")
            suspended_days += (on - start).days
            paused = True
        elif end < start:
            raise InvalidInput(f"案件恢复日期 {end:%Y-%m-%d} 早于中止日期 {start:%Y-%m-%d}。")
        else:
            suspended_days += (end - start).days
        previous_end = end
    due = filed_on + dt.timedelta(days=DECISION_DAYS + extension_days + suspended_days)
    notes = []
    if extension_days:
        notes.append(f"经批准延长 {extension_days} 日")
    if suspended_days:
        notes.append(f"中止期间 {suspended_days} 日不计入")
    basis = "《行政处罚法》第六十条" + (f"（{'；'.join(notes)}）" if notes else "")
    return Deadline("decision", "作出处罚决定期限", due, basis, paused=paused)


def service_due(decided_on: dt.date) -> Deadline:
    """A decision not handed over on the spot must be served within 7 working days."""
    return _workday_deadline(
        "service",
        "处罚决定书送达期限",
        decided_on,
        SERVICE_WORKDAYS,
        "《行政处罚法》第六十一条、第八十五条",
    )


def on_the_spot_filing_due(decided_on: dt.date) -> Deadline:
    """An on-the-spot decision is filed with the officer's agency (第五十二条第二款) within the local period."""
    count = _whole_days("on_the_spot_filing_workdays")
    return _workday_deadline(
        "on_the_spot_filing",
        "当场处罚决定备案期限",
        decided_on,
        count,
        "《行政处罚法》第五十二条第二款；本地参数",
    )


def payment_due(served_on: dt.date) -> Deadline:
    """The fine is due 15 calendar days after service, rolled forward past rest days.

    《行政处罚法》第六十七条 says nothing of a last day that falls on a holiday; the platform
    applies 《民法典》第二百零三条 by analogy, which gives the party the later date — the safe
    side, since late-payment surcharges (第七十二条) run from the day after this one.
    """
    last = _roll_past_rest_days(served_on + dt.timedelta(days=PAYMENT_DAYS))
    basis = "《行政处罚法》第六十七条；期间最后一日为休息日的，顺延至其后第一个工作日（参照《民法典》第二百零三条，有利于当事人）"
    return Deadline("payment", "缴纳罚款期限", last.date, basis, provisional=last.provisional)


def reminder_ripe(reminder_served_on: dt.date) -> Deadline:
    """The first day the agency may apply to court after a 催告书 (《行政强制法》第五十四条).

    "催告书送达十日后当事人仍未履行义务的" : the party has 10 working days (第六十九条) and the
    whole of the 10th; the application is ripe the day after. Unlike the other deadlines,
    `due` here is a first allowed day, not a last one.
    """
    period = calendar.add_workdays(reminder_served_on, REMINDER_WORKDAYS)
    return Deadline(
        "reminder",
        "催告期满、可申请人民法院强制执行之日",
        period.date + ONE_DAY,
        f"《行政强制法》第五十四条、第六十九条（催告书送达后十个工作日，至 {period.date:%Y-%m-%d} 届满）",
        provisional=period.provisional,
    )


def may_apply_to_court(reminder_served_on: dt.date, on: dt.date) -> bool:
    """Whether the 催告 period has run out so the court application may be made on `on`."""
    return on > calendar.add_workdays(reminder_served_on, REMINDER_WORKDAYS).date


def enforcement_application_window(
    served_on: dt.date, *, deferred_until: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """First and last day to apply for court enforcement of a decision served on `served_on`.

    The party may sue within 6 months of knowing the decision (《行政诉讼法》第四十六条; the
    60-day review period is shorter, so it is covered). The end of that period rolls past rest
    days in the party's favour (《行政诉讼法》第一百零一条 applies the civil-procedure rule on
    periods), which only delays the window. Court enforcement may then be applied for within
    3 months (《行政强制法》第五十三条); that end is not rolled, keeping the agency on the safe
    side. With approved deferral or instalments (`deferred_until`, the last day to pay), the
    3 months run from the end of that period (《行政处罚法》第七十二条第二款); the rule extends
    the window, so a deferral ending before the litigation period changes nothing.
    """
    litigation_end = _roll_past_rest_days(add_months(served_on, LITIGATION_MONTHS)).date
    start = end_of_period = litigation_end
    if deferred_until is not None and deferred_until > litigation_end:
        start = end_of_period = deferred_until
    return start + ONE_DAY, add_months(end_of_period, ENFORCEMENT_APPLICATION_MONTHS)


def clue_age_workdays(received_on: dt.date, on: dt.date) -> int:
    """Working days since a clue was received, for the list of clues awaiting a filing decision."""
    return calendar.workdays_between(received_on, on)
