"""What every 年报 figure query shares: the year in Asia/Shanghai, the cut-off, grouping by agency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.cases.models import ENDED_WITHOUT_DECISION, Outcome

Figures = dict[str, int | Decimal]

# How a case ended, as the report counts it (《行政处罚法》第五十七条 plus 不予立案 and 撤销立案).
CONCLUSIONS: dict[str, str] = {
    Outcome.PENALTY: "给予行政处罚",
    Outcome.NO_PENALTY: "不予行政处罚",
    Outcome.NOT_ESTABLISHED: "违法事实不能成立",
    Outcome.TRANSFER: "移送",
    "not_filed": "不予立案",
    "revoked": "撤销立案",
}
DECIDED_OUTCOMES = (Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED)
ENDED_BEFORE_DECISION = ENDED_WITHOUT_DECISION
MONEY_KEYS = frozenset(
    {"money.fine_total", "money.confiscation_total", "money.paid_total", "money.surcharge_total"}
)
SHANGHAI = ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    """A calendar year in Asia/Shanghai, and the moment its figures are taken (year end or now)."""

    year: int
    as_of: dt.datetime

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, 1, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime(self.year + 1, 1, 1, tzinfo=SHANGHAI)

    @property
    def cutoff(self) -> dt.datetime:
        """Overdue is judged at the year's end, or now while the year is running."""
        return min(self.as_of, self.end)

    @property
    def cutoff_day(self) -> dt.date:
        return timezone.localtime(self.cutoff, SHANGHAI).date()

    def days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})

    def moments(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})


def add(out: dict[int, Figures], agency_id: int, key: str, value: int | Decimal | None) -> None:
    if value:
        out[agency_id][key] += value


def grouped(qs: QuerySet, field: str = "agency_id", **aggregates: Any) -> QuerySet:
    # order_by() drops the models' default ordering, which would otherwise split the groups.
    return qs.values(field).annotate(**aggregates).order_by()


def decided(period: Period) -> Q:
    return Q(outcome__in=DECIDED_OUTCOMES) & period.days("decided_on") & ~Q(status__in=ENDED_BEFORE_DECISION)


def money(value: Decimal | None) -> Decimal:
    # Two places on every back end (SQLite sums come back as 1500 or 1500.5).
    return Decimal(value or 0).quantize(Decimal("0.01"))
