"""演示公示: the disclosure administrators' year, replayed on the demo cases' travelling clock.

One story (zhifa.demo.cases runs it with the case stories, in the order of their moments) looks
at each working day's end: it publishes the 事前公开 lists on the first day and refreshes them
halfway, publishes each decision some working days after it was made, and acts out what the
portal must show — one decision published late, one left overdue, two withdrawn (one revoked
by a reconsideration, one by a court judgment: the 败诉 the 纠错率/败诉率 warning counts), one corrected, minor ones whose display period has ended, one
draft awaiting approval — and last year's 年报 in January.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case, RemedyKind, RemedyResult
from zhifa.cases.services.remedies import DECIDED, remedy_conclude, remedy_record
from zhifa.core import calendar
from zhifa.disclosure.annual.services import annual_report_submit
from zhifa.disclosure.models import Kind, Publication, State
from zhifa.disclosure.prior import prior_refresh
from zhifa.disclosure.selectors import current_version
from zhifa.disclosure.services import (
    decision_prepare,
    publication_approve,
    publication_correct,
    publication_withdraw,
)
from zhifa.org.services import agency_update

if TYPE_CHECKING:
    from zhifa.demo.cases import Cast, DemoCases, Story


@dataclass(frozen=True)
class Plan:
    """What happens to one decision, in working days after the previous step."""

    publish_after: int | None = 3  # None: never published (overdue, or still within its period)
    draft_only: bool = False
    correct_after: int | None = None
    challenge: Challenge | None = None  # reconsideration or lawsuit, decision revoked, publication withdrawn


@dataclass(frozen=True)
class Challenge:
    """A 行政复议 or 行政诉讼 against a published decision that revokes it (working days)."""

    kind: str
    body: str
    note: str
    ruling: str  # the document number, {year} filled in
    why: str  # the conclusion's note
    filed_after: int  # after publication
    concluded_after: int  # after filing


# Decisions by party. Each one's due date is 7 working days after the decision (行政处罚).
RECONSIDERATION = Challenge(
    RemedyKind.RECONSIDERATION,
    "示例县人民政府",
    "当事人认为统计数据差异系会计核算口径不同所致，申请撤销处罚决定。",
    "示复决〔{year}〕3号",
    "复议机关认为认定事实的证据不足，决定撤销。",
    filed_after=10,
    concluded_after=15,
)
# A court is slower than a reconsideration body (《行政诉讼法》第八十一条: six months at most).
LAWSUIT = Challenge(
    RemedyKind.LITIGATION,
    "示例县人民法院",
    "当事人认为延长工作时间已依法与工会协商，起诉请求撤销处罚决定。",
    "（{year}）示0121行初12号",
    "人民法院认为被诉处罚决定未查明加班是否经与工会和劳动者协商，主要证据不足，判决撤销。",
    filed_after=20,
    concluded_after=45,
)
PLANS = {
    "示例档案数字化服务有限公司": Plan(publish_after=10),  # published late
    "示例装饰工程有限公司": Plan(publish_after=None),  # overdue: the queue shows it red
    "示例家具有限公司": Plan(publish_after=None),  # still within its period
    "示例电子科技有限公司": Plan(publish_after=1, draft_only=True),  # awaiting approval
    "示例化工有限公司": Plan(publish_after=4, correct_after=6),
    "示例水泥有限公司": Plan(publish_after=3, challenge=RECONSIDERATION),
    "示例建材有限公司": Plan(publish_after=3, challenge=LAWSUIT),
}
DEFAULT = Plan()
REFRESH_WORKDAYS_AGO = 120
HOTLINE = "示例县12345政务服务便民热线：12345（全天受理投诉举报）"
CORRECTION_NOTE = "更正：处罚依据中法律名称使用了简称，现更正为全称。"
WITHDRAWAL_REASON = "{body}{kind}撤销了该行政处罚决定（{ruling}），依照《中华人民共和国行政处罚法》第四十八条第二款撤回公示信息。"


def publisher(builder: DemoCases) -> Story:
    """Yields the end of every working day of the history and does that day's disclosure work."""
    casts = {cast.agency.pk: cast for cast in builder.casts.values()}
    refresh_day = builder.workdays_ago(REFRESH_WORKDAYS_AGO)
    day = builder.start
    first = True
    while True:
        day += dt.timedelta(days=1)
        if day >= builder.today:
            return
        if not calendar.is_workday(day):
            continue
        yield dt.datetime.combine(day, dt.time(17, 30), tzinfo=builder.tz)
        for cast in casts.values():
            if day == refresh_day:
                _new_complaint_channel(cast)
            if first or day == refresh_day:
                _refresh_prior(cast, day)
            if day.month == 1 and day.day >= 15 and not _annual_done(cast, day.year - 1):
                _annual_report(cast, day.year - 1)
        first = False
        for case in Case.objects.filter(agency__in=list(casts), status__in=DECIDED, decided_on__lt=day):
            _decision_day(casts[case.agency_id], case, day)


def _admin(cast: Cast) -> User:
    """The agency's 公示管理员, or its head where the demo has none."""
    return User.objects.filter(role=Role.DISCLOSURE_ADMIN, officer__agency=cast.agency).first() or cast.head


def _new_complaint_channel(cast: Cast) -> None:
    """Halfway through, the county joins the 12345 hotline: every agency's list gets a second version."""
    channel = cast.agency.complaint_channel
    if HOTLINE not in channel:
        agency_update(actor=cast.head, agency=cast.agency, complaint_channel=f"{channel}\n{HOTLINE}")


def _refresh_prior(cast: Cast, day: dt.date) -> None:
    admin = _admin(cast)
    for draft in prior_refresh(actor=admin, agency=cast.agency, on=day):
        publication_approve(actor=admin, version=draft)


def _annual_done(cast: Cast, year: int) -> bool:
    return Publication.objects.filter(
        agency=cast.agency, kind=Kind.ANNUAL_REPORT, subject=f"annual:{year}"
    ).exists()


def _annual_report(cast: Cast, year: int) -> None:
    admin = _admin(cast)
    publication_approve(actor=admin, version=annual_report_submit(actor=admin, agency=cast.agency, year=year))


def _decision_day(cast: Cast, case: Case, day: dt.date) -> None:
    plan = PLANS.get(case.party_name, DEFAULT)
    assert case.decided_on is not None
    publication = case.publications.filter(kind="decision").first()
    admin = _admin(cast)
    if publication is None:
        if (
            plan.publish_after is not None
            and calendar.workdays_between(case.decided_on, day) >= plan.publish_after
        ):
            draft = decision_prepare(actor=admin, case=case)
            if not plan.draft_only:
                publication_approve(actor=admin, version=draft)
        return
    if publication.state != State.PUBLISHED or publication.published_at is None:
        return
    published_on = timezone.localdate(publication.published_at)
    if (
        plan.correct_after is not None
        and publication.versions.count() == 1
        and calendar.workdays_between(published_on, day) >= plan.correct_after
    ):
        _correct(admin, publication)
    if plan.challenge is not None:
        _withdraw_step(cast, admin, case, publication, published_on, day, plan.challenge)


def _correct(admin: User, publication: Publication) -> None:
    version = current_version(publication)
    assert version is not None
    content = {
        key: value.replace("《劳动保障监察条例》", "《中华人民共和国劳动保障监察条例》")
        if isinstance(value, str)
        else value
        for key, value in version.content.items()
    }
    if content == version.content:
        content = {**content, "更正说明": CORRECTION_NOTE}
    draft = publication_correct(
        actor=admin, publication=publication, content=content, marks=version.marks, note=CORRECTION_NOTE
    )
    publication_approve(actor=admin, version=draft)


def _withdraw_step(
    cast: Cast,
    admin: User,
    case: Case,
    publication: Publication,
    published_on: dt.date,
    day: dt.date,
    challenge: Challenge,
) -> None:
    """The challenge filed, the decision revoked, the publication withdrawn 2 working days after."""
    remedy = case.remedies.first()
    if remedy is None:
        if calendar.workdays_between(published_on, day) >= challenge.filed_after:
            remedy_record(
                actor=cast.head,
                case=case,
                kind=challenge.kind,
                filed_on=day,
                body=challenge.body,
                note=challenge.note,
            )
    elif not remedy.result:
        if calendar.workdays_between(remedy.filed_on, day) >= challenge.concluded_after:
            remedy_conclude(
                actor=cast.head,
                remedy=remedy,
                result=RemedyResult.REVOKED,
                concluded_on=day,
                document_ref=challenge.ruling.format(year=day.year),
                note=challenge.why,
            )
    elif remedy.concluded_on is not None and calendar.workdays_between(remedy.concluded_on, day) >= 2:
        publication_withdraw(
            actor=admin,
            publication=publication,
            reason=WITHDRAWAL_REASON.format(
                body=remedy.body,
                kind="判决" if remedy.kind == RemedyKind.LITIGATION else "行政复议决定",
                ruling=remedy.document_ref,
            ),
        )
