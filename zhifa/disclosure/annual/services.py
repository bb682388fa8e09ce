"""Writes of the 年报: the snapshot goes to the publication lifecycle as a draft for approval."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from zhifa.core.calendar import today
from zhifa.core.errors import InvalidInput
from zhifa.disclosure import policies
from zhifa.disclosure.annual.report import Scope, build_snapshot, due_on
from zhifa.disclosure.models import Kind, PublicationVersion
from zhifa.disclosure.services import publication_prepare

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency

FIRST_YEAR = 2000
RULE = (
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
    "：建立行政执法数据统计年报制度，报送并公开本部门上年度行政执法数据"
)


def annual_report_submit(
    *, actor: User, agency: Agency, year: int, aggregate: bool = False, as_of: dt.datetime | None = None
) -> PublicationVersion:
    """生成并提交发布: the figures of a finished year, as a draft the agency then approves."""
    policies.ensure_can_manage(actor, agency)
    if aggregate and not agency.is_justice_bureau:
        raise InvalidInput(f"“{agency.name}”不是司法行政部门，只能生成本机关的年报，不能生成辖区汇总年报。")
    if not FIRST_YEAR <= year < today().year:
        raise InvalidInput(f"{year}年度尚未结束或超出范围，不能生成年报（{RULE}）。")
    scope = Scope(agency, aggregate)
    snapshot = build_snapshot(scope, year, as_of=as_of or timezone.now())
    return publication_prepare(
        actor=actor,
        agency=agency,
        kind=Kind.ANNUAL_REPORT,
        subject=scope.subject(year),
        title=scope.title(year),
        content=snapshot,
        due_on=due_on(year),
        note=f"统计数据截至{snapshot['as_of']}，{timezone.localtime():%Y-%m-%d %H:%M}生成。",
    )
