"""The cockpit's (驾驶舱) projection: one fact row per case and the rows summed from them.

Neither is a record of its own: both are derived from the cases and rebuilt at will
(`zhifa cockpit rebuild`). The projection is kept current by zhifa.supervision.cockpit_projection
from a cursor over the case events (see docs/supervision-cockpit.md for why).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from zhifa.cases.models import Case
from zhifa.catalog.models import Matter
from zhifa.org.models import Agency

__all__ = ["CaseFact", "CockpitCell", "CockpitCursor"]


class CaseFact(models.Model):
    """What the cockpit counts about one case, as of its last event."""

    case = models.OneToOneField(Case, models.CASCADE, primary_key=True, related_name="+", verbose_name="案件")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+", verbose_name="执法主体")
    domain = models.CharField("执法类别", max_length=20, blank=True)
    matter = models.ForeignKey(
        Matter, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="执法事项"
    )
    year = models.PositiveSmallIntegerField("年度（案源登记）")
    status = models.CharField("状态", max_length=16)
    outcome = models.CharField("处理意见", max_length=16, blank=True)
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=Decimal(0))
    is_open = models.BooleanField("在办", default=True)
    # The nearest open legal time limit; overdue is judged from it when read (DESIGN §3.2).
    due_on = models.DateField("最近的办案期限", null=True, blank=True)
    decided = models.BooleanField("已作出决定", default=False)
    decided_late = models.BooleanField("超期决定", default=False)
    reviewed = models.BooleanField("经法制审核", default=False)
    publish_due_on = models.DateField("决定公开期限", null=True, blank=True)
    published_on = models.DateField("决定公开日期", null=True, blank=True)
    reconsidered = models.BooleanField("经行政复议并审结", default=False)
    reconsideration_corrected = models.BooleanField("复议纠错", default=False)
    litigated = models.BooleanField("经行政诉讼并审结", default=False)
    litigation_lost = models.BooleanField("诉讼败诉", default=False)
    self_corrected = models.BooleanField("自行纠正", default=False)
    refreshed_at = models.DateTimeField("投影时间", auto_now=True)

    class Meta:
        verbose_name = "驾驶舱案件投影"
        verbose_name_plural = "驾驶舱案件投影"
        indexes = [
            models.Index(fields=["agency", "domain", "matter"], name="cockpit_fact_drill"),
            # Every read is of one year: equality columns first, the date range last.
            # With the agency (PostgreSQL), the first view's counts by agency read the index alone.
            models.Index(fields=["year", "is_open", "due_on"], include=["agency"], name="cockpit_fact_due"),
            models.Index(fields=["year", "published_on", "publish_due_on"], name="cockpit_fact_publish"),
            # The supervisor's 待办 counts the region's open cases of every year by deadline.
            models.Index(
                fields=["due_on", "agency"], condition=models.Q(is_open=True), name="cockpit_fact_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"case:{self.case_id} {self.status}"


# The counters a cell sums from its facts (the boolean fact fields, counted where true).
FLAGS = (
    "is_open",
    "decided",
    "decided_late",
    "reviewed",
    "reconsidered",
    "reconsideration_corrected",
    "litigated",
    "litigation_lost",
    "self_corrected",
)
# The fields that identify a cell.
CELL_KEY = ("agency_id", "domain", "matter_id", "year", "status", "outcome")


class CockpitCell(models.Model):
    """The facts of one agency × domain × matter × year × status × outcome, summed: what the
    cockpit's first view and every drill-down level add up (a few rows per matter, not per case)."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+", verbose_name="执法主体")
    domain = models.CharField("执法类别", max_length=20, blank=True)
    matter = models.ForeignKey(
        Matter, models.CASCADE, null=True, blank=True, related_name="+", verbose_name="执法事项"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=16)
    outcome = models.CharField("处理意见", max_length=16, blank=True)
    cases = models.PositiveIntegerField("案件数", default=0)
    fines = models.DecimalField("罚款金额（元）", max_digits=16, decimal_places=2, default=Decimal(0))
    is_open = models.PositiveIntegerField("在办", default=0)
    decided = models.PositiveIntegerField("已作出决定", default=0)
    decided_late = models.PositiveIntegerField("超期决定", default=0)
    reviewed = models.PositiveIntegerField("经法制审核", default=0)
    publish_due = models.PositiveIntegerField("应公开决定", default=0)
    published_on_time = models.PositiveIntegerField("按期公开", default=0)
    published_late = models.PositiveIntegerField("逾期公开", default=0)
    reconsidered = models.PositiveIntegerField("复议审结", default=0)
    reconsideration_corrected = models.PositiveIntegerField("复议纠错", default=0)
    litigated = models.PositiveIntegerField("诉讼审结", default=0)
    litigation_lost = models.PositiveIntegerField("诉讼败诉", default=0)
    self_corrected = models.PositiveIntegerField("自行纠正", default=0)

    class Meta:
        verbose_name = "驾驶舱汇总"
        verbose_name_plural = "驾驶舱汇总"
        indexes = [models.Index(fields=["year", "agency"], name="cockpit_cell_year_agency")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.domain}/{self.matter_id}/{self.year}/{self.status}: {self.cases}"


class CockpitCursor(models.Model):
    """How far the projection has read the case events (one row, name "cases")."""

    name = models.CharField("名称", max_length=20, primary_key=True)
    last_event_id = models.BigIntegerField("已读到的案件事件", default=0)
    refreshed_at = models.DateTimeField("更新时间", null=True, blank=True)

    class Meta:
        verbose_name = "驾驶舱游标"
        verbose_name_plural = "驾驶舱游标"

    def __str__(self) -> str:
        return f"{self.name}: {self.last_event_id}"
