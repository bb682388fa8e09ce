"""The provider of zhifa.cases.review_gate (installed by ReviewConfig.ready) and the review deadline.

A case that meets the catalog is cleared for a decision only when its latest round is 同意, or a
collective discussion decided a disagreement about it (seeds: 不能达成一致意见的，由行政执法机关集体
讨论决定). Every other state keeps the decision refused under 第五十八条.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from zhifa.cases.deadlines import Deadline
from zhifa.cases.review_gate import Clearance
from zhifa.core import calendar, jurisdiction
from zhifa.review.catalog import matches
from zhifa.review.models import Opinion, ReviewRound

if TYPE_CHECKING:
    from zhifa.cases.models import Case

REVIEW_BASIS = "法制审核期限（本地参数，默认自收到完整送审材料之日起10个工作日）"


def latest_round(case: Case) -> ReviewRound | None:
    return case.review_rounds.order_by("-number").first()


def round_cleared(round_: ReviewRound | None) -> bool:
    return round_ is not None and (round_.opinion == Opinion.AGREE or round_.discussion_id is not None)


def clearance(case: Case) -> Clearance:
    found = matches(case)
    latest = latest_round(case) if found else None
    return Clearance(bool(found), round_cleared(latest), tuple(str(m) for m in found))


def period_workdays() -> int:
    number = jurisdiction.value("review_period_workdays")
    return max(1, math.floor(number))


def review_due(round_: ReviewRound) -> Deadline:
    """审核期限, counted in working days from the day the complete materials were submitted."""
    start = round_.submitted_at.astimezone().date()
    result = calendar.add_workdays(start, period_workdays())
    met = round_.reviewed_at.astimezone().date() if round_.reviewed_at else None
    return Deadline(
        "review", "法制审核期限", result.date, REVIEW_BASIS, provisional=result.provisional, met_on=met
    )


def working_days_taken(round_: ReviewRound, on: dt.date) -> int:
    start = round_.submitted_at.astimezone().date()
    end = round_.reviewed_at.astimezone().date() if round_.reviewed_at else on
    return calendar.workdays_between(start, end)
