"""公示 periods, computed from stored dates when read (DESIGN §3.2), never by a scheduled job.

- Publication due: the decision date + N working days (《行政处罚法》第四十八条, 第八十五条: days
  counted under that law are working days). N is the jurisdiction setting for 行政处罚/行政许可 (7)
  or for other decisions (20), and never later than the matter's own 公开时限. A matter whose
  公开时限 is empty is 依法不主动公开: nothing is due (an administrator may still publish it).
- Withdrawal due: the date the changing, revoking or confirming result took effect + 3 working
  days (《行政处罚法》第四十八条第二款).
- Display end: the first publication date + the display months of the class
  (《市场监督管理行政处罚信息公示规定》第十三条), capped for natural persons when configured,
  or earlier when the display was ended early (信用修复, 第十四条: `display_ended_on`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from zhifa.catalog.models import MatterKind
from zhifa.core import jurisdiction
from zhifa.core.calendar import add_workdays, workdays_between
from zhifa.disclosure.models import DisplayClass

if TYPE_CHECKING:
    from zhifa.cases.models import Case
    from zhifa.catalog.models import MatterVersion
    from zhifa.disclosure.models import Publication

# 行政处罚法 第四十八条 names these two kinds; everything else takes the longer period.
SHORT_PERIOD_KINDS = frozenset({MatterKind.PENALTY, MatterKind.LICENSING})
# Kinds of penalty that alone keep a decision in the short display class (第十三条第一款).
MINOR_PENALTY_KINDS = frozenset({"warning", "criticism"})
# Yellow in the queue: due within this many working days.
DUE_SOON_WORKDAYS = 2


def _setting_int(key: str) -> int:
    return int(jurisdiction.value(key))


def disclosure_workdays(version: MatterVersion | None) -> int | None:
    """Working days allowed to publish a decision of this matter version; None: not published."""
    kind = version.kind if version is not None else MatterKind.PENALTY  # no matter: on-the-spot 处罚
    key = (
        "disclosure_workdays_penalty_licensing" if kind in SHORT_PERIOD_KINDS else "disclosure_workdays_other"
    )
    days = _setting_int(key)
    if version is None:
        return days
    if version.disclosure_workdays is None:
        return None
    return min(days, version.disclosure_workdays)


def publication_due_on(case: Case) -> dt.date | None:
    """When the decision of the case must be on the portal; None when nothing is due."""
    if case.decided_on is None:
        return None
    days = disclosure_workdays(case.matter_version)
    if days is None:
        return None
    return add_workdays(case.decided_on, days).date


def withdrawal_due_on(concluded_on: dt.date) -> dt.date:
    return add_workdays(concluded_on, _setting_int("withdrawal_workdays")).date


def urgency(due: dt.date | None, *, on: dt.date, done: bool = False) -> str:
    """ "late" (red), "soon" (yellow, within DUE_SOON_WORKDAYS working days) or "" for a due date."""
    if due is None or done:
        return ""
    if due < on:
        return "late"
    if workdays_between(on, due) <= DUE_SOON_WORKDAYS:
        return "soon"
    return ""


def display_class_for(*, outcome: str, penalty_kinds: Iterable[str], fine: Decimal | None) -> str:
    """MINOR: 警告、通报批评 or a fine up to the threshold with no other kind; 不予处罚 decisions too."""
    kinds = set(penalty_kinds)
    if outcome != "penalty":
        return DisplayClass.MINOR
    threshold = jurisdiction.value("minor_fine_threshold")
    others = kinds - MINOR_PENALTY_KINDS - {"fine"}
    fine_is_small = "fine" not in kinds or (fine is not None and fine <= threshold)
    if kinds and not others and fine_is_small:
        return DisplayClass.MINOR
    return DisplayClass.STANDARD


def display_months(display_class: str, *, natural_person: bool) -> int | None:
    """Months on display, or None for lists kept on display while current."""
    if display_class == DisplayClass.CURRENT:
        return None
    key = "display_months_minor" if display_class == DisplayClass.MINOR else "display_months_other"
    months = _setting_int(key)
    cap = _setting_int("display_months_natural_person")
    if natural_person and cap > 0:
        months = min(months, cap)
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, the month's last day when it has no such day (8-31 + 6 → 2-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def display_ends_on(publication: Publication) -> dt.date | None:
    """The first day the publication is no longer on display; None when it has no end."""
    if publication.published_at is None:
        return None
    months = display_months(publication.display_class, natural_person=publication.party_is_natural_person)
    ended = publication.display_ended_on
    if months is None:
        return ended
    end = add_months(timezone.localdate(publication.published_at), months)
    return min(end, ended) if ended is not None else end


def _last_expired_day(on: dt.date, months: int) -> dt.date:
    """The latest publication date whose display has ended by `on` (add_months is not injective)."""
    last = add_months(on, -months)
    while add_months(last + dt.timedelta(days=1), months) <= on:
        last += dt.timedelta(days=1)
    return last


def _published_after(day: dt.date) -> Q:
    """published_at later than the whole local day (an index-friendly range on the column)."""
    start = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return Q(published_at__gte=start)


def on_display(on: dt.date | None = None) -> Q:
    """The database filter "still on display on `on`": a query, so the portal scales."""
    on = on or timezone.localdate()
    minor = _setting_int("display_months_minor")
    other = _setting_int("display_months_other")
    cap = _setting_int("display_months_natural_person")
    condition = (
        Q(display_class=DisplayClass.CURRENT)
        | (Q(display_class=DisplayClass.MINOR) & _published_after(_last_expired_day(on, minor)))
        | (Q(display_class=DisplayClass.STANDARD) & _published_after(_last_expired_day(on, other)))
    )
    if cap > 0:
        condition &= (
            Q(display_class=DisplayClass.CURRENT)
            | Q(party_is_natural_person=False)
            | _published_after(_last_expired_day(on, cap))
        )
    # Ended early (信用修复): off display from the day the display was ended.
    condition &= Q(display_ended_on__isnull=True) | Q(display_ended_on__gt=on)
    return Q(published_at__isnull=False) & condition
