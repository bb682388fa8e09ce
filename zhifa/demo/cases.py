"""演示案件: cases in every status of the procedure, for the demo agencies that enforce.

Every case is a story: a generator that yields the moment of its next step and then takes that
step through zhifa.cases.services, as the handler, head or reviewer would in the web UI. The
scheduler runs the steps of all stories in chronological order on a travelling clock
(time_machine), so every date the services record (clue, filing, notice served, decision,
service, payment...) is a real one, every deadline the UI shows is computed from them as in
production, and case and document numbers follow the order of their dates.

History is laid out in working days before today, computed at run time, and stays within the
last ~360 days: the demo signing certificates are installed as of the first day of that history.
Parties are fictitious: 统一社会信用代码 and 居民身份证号码 of the unassigned region 990121 with valid
check characters, and birth dates on 1 January.
"""

from __future__ import annotations

import datetime as dt
import heapq
import sys
from collections import Counter
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.utils import timezone
from tqdm import tqdm

from zhifa.accounts.models import User
from zhifa.cases import deadlines, selectors, services
from zhifa.cases.models import (
    Case,
    ClueSource,
    DefenceAdoption,
    MeasureKind,
    Outcome,
    PartyKind,
    PaymentArrangement,
    RecordKind,
    ServiceMethod,
    Status,
)
from zhifa.cases.steps.investigation import RECORD_STAGE
from zhifa.cases.workflow import take
from zhifa.catalog.models import Matter, Stage
from zhifa.core import calendar
from zhifa.core.errors import DomainError
from zhifa.demo import evidence as demo_evidence
from zhifa.demo.data import OFFICERS, make_ric, make_uscc
from zhifa.demo.disclosure import publisher
from zhifa.demo.review import ReviewSteps
from zhifa.documents.models import Document
from zhifa.documents.services import demo_credential_ensure, documents_render_pending
from zhifa.ledger.services import checkpoint_make
from zhifa.org.models import Agency, Officer

# A story yields the moment of its next step; the scheduler travels there and resumes it.
Story = Generator[dt.datetime, None, Any]

# The agencies (data.AGENCIES keys) that get cases, with their 负责人 and 法制审核人员 by name.
CASE_AGENCIES = {
    "hrss": ("赵建国", "陈静"),
    "stats": ("郑海", "许文"),
    "archives": ("钱坤", "郭峰"),
    "samr": ("林涛", None),
}
# The earliest step is about 250 working days (~350 calendar days) before today, so the
# previous calendar year has closed cases for its 年报 (zhifa.demo.disclosure).
HISTORY_WORKDAYS = 250
RECUSAL = "本人与本案当事人及其法定代表人无近亲属关系，与本案没有直接利害关系，不存在应当回避的情形。"


# ── 当事人 ──────────────────────────────────────────────────────────────────────────────


def _org(name: str, serial: int, address: str, representative: str, phone: str) -> dict[str, str]:
    return {
        "party_kind": PartyKind.ORGANISATION,
        "party_name": name,
        "party_id_number": make_uscc("91", "990121", f"MA0D{serial:04d}"),
        "party_address": address,
        "party_representative": representative,
        "party_phone": phone,
    }


def _citizen(name: str, birth_year: int, sequence: int, address: str, phone: str) -> dict[str, str]:
    return {
        "party_kind": PartyKind.CITIZEN,
        "party_name": name,
        "party_id_number": make_ric(f"{birth_year}0101", sequence),
        "party_address": address,
        "party_phone": phone,
    }


_GY = "示例县城关镇工业园区"
JIANCAI = _org("示例建材有限公司", 1, f"{_GY}建材路8号", "王某某", "0999-6100101")
DIANZI = _org("示例电子科技有限公司", 2, f"{_GY}科技大道18号", "陈某某", "0999-6100102")
FANGZHI = _org("示例纺织有限公司", 3, f"{_GY}纺织路6号", "刘某某", "0999-6100103")
WULIU = _org("示例物流有限公司", 4, "示例县城关镇环城北路66号", "赵某某", "0999-6100104")
CANYIN = _org("示例餐饮管理有限公司", 5, "示例县城关镇人民路128号", "孙某某", "0999-6100105")
JIXIE = _org("示例机械制造有限公司", 6, f"{_GY}装备路3号", "周某某", "0999-6100106")
FUZHUANG = _org("示例服装有限公司", 7, "示例县河西乡工业集中区2号", "吴某某", "0999-6100107")
JIAJU = _org("示例家具有限公司", 8, "示例县河西乡木业路9号", "郑某某", "0999-6100108")
LAOWU = _org("示例建筑劳务有限公司", 9, "示例县城关镇建设路66号", "冯某某", "0999-6100109")
YINSHUA = _org("示例印刷有限公司", 10, "示例县城关镇文化路30号", "蒋某某", "0999-6100110")
JIUDIAN = _org("示例酒店管理有限公司", 11, "示例县城关镇人民路200号", "沈某某", "0999-6100111")
CHAOSHI = _org("示例超市有限公司", 12, "示例县城关镇府前街35号", "韩某某", "0999-6100112")
QIXIU = _org("示例汽车维修有限公司", 13, "示例县城关镇环城南路12号", "杨某某", "0999-6100113")
BAOAN = _org("示例保安服务有限公司", 14, "示例县城关镇府前街8号", "朱某某", "0999-6100114")
KUAIDI = _org("示例快递服务有限公司", 15, "示例县城关镇环城北路20号", "秦某某", "0999-6100115")
ZHUANGSHI = _org("示例装饰工程有限公司", 16, "示例县城关镇建设路40号", "许某某", "0999-6100116")
SHUINI = _org("示例水泥有限公司", 17, "示例县河西乡矿区路1号", "何某某", "0999-6100117")
HUAGONG = _org("示例化工有限公司", 18, f"{_GY}化工路2号", "吕某某", "0999-6100118")
NONGCHANPIN = _org("示例农产品有限公司", 19, "示例县河西乡农贸路5号", "施某某", "0999-6100119")
DANGAN = _org("示例档案数字化服务有限公司", 20, "示例县城关镇科技路9号", "张某某", "0999-6100120")
XINXI = _org("示例信息技术有限公司", 21, "示例县城关镇科技路15号", "孔某某", "0999-6100121")
SHIPIN = _org("示例食品有限公司", 22, f"{_GY}食品路7号", "曹某某", "0999-6100122")
ZHANG = _citizen("张某某", 1980, 11, "示例县城关镇和平街1号", "13999010011")
LI = _citizen("李某某", 1975, 21, "示例县河西乡河西村3组", "13999010021")
WANG = _citizen("王某某", 1990, 32, "示例县城关镇幸福巷6号", "13999010032")

LDBZ = "《劳动保障监察条例》"
OVERTIME_ANALYSIS = (
    "当事人安排劳动者延长工作时间超过《中华人民共和国劳动法》第四十一条规定的限度，违反了该条规定，"
    f"依据{LDBZ}第二十五条，应当给予警告，责令限期改正，并可以按照受侵害的劳动者每人100元以上500元以下的标准计算，处以罚款。"
)


# ── 时间线 ──────────────────────────────────────────────────────────────────────────────


class Timeline:
    """The day and time of one story's next step; it only ever moves forward, on working days."""

    def __init__(self, start: dt.date, tz: ZoneInfo) -> None:
        self.tz = tz
        self.day = start
        self.moment = self._combine(start, "08:30")

    def _combine(self, day: dt.date, hhmm: str) -> dt.datetime:
        hour, minute = (int(part) for part in hhmm.split(":"))
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def _move(self, moment: dt.datetime) -> dt.datetime:
        if moment < self.moment:
            raise RuntimeError(
                f"演示案件时间线不能倒退：{moment:%Y-%m-%d %H:%M} 早于 {self.moment:%Y-%m-%d %H:%M}"
            )
        self.moment, self.day = moment, moment.date()
        return moment

    def at(self, hhmm: str) -> dt.datetime:
        """Later the same day."""
        return self._move(self._combine(self.day, hhmm))

    def after(self, workdays: int, hhmm: str = "09:30") -> dt.datetime:
        """`workdays` working days later (0: the same day)."""
        return self._move(self._combine(calendar.add_workdays(self.day, workdays).date, hhmm))

    def on(self, day: dt.date, hhmm: str = "09:30") -> dt.datetime:
        return self._move(self._combine(day, hhmm))

    def minutes(self, count: int) -> dt.datetime:
        return self._move(self.moment + dt.timedelta(minutes=count))


def workday_on_or_before(day: dt.date) -> dt.date:
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def workday_after(day: dt.date) -> dt.date:
    return calendar.add_workdays(day, 1).date


# ── 各执法主体的人员 ──────────────────────────────────────────────────────────────────────


@dataclass
class Cast:
    """One agency's people: the head, the reviewer, and the officers with a login."""

    agency: Agency
    head: User
    reviewer: User | None
    officers: dict[str, Officer]

    def officer(self, name: str) -> Officer:
        return self.officers[name]

    def user(self, name: str) -> User:
        user = self.officers[name].user
        if user is None:
            raise DomainError(f"演示人员{name}没有登录账号，不能办理案件。")
        return user

    def matter(self, code: str) -> Matter:
        return Matter.objects.get(agency=self.agency, code=code)


def missing_logins(agencies: dict[str, Agency]) -> list[str]:
    """Names of the case people without a login (a demo database from before the demo cases)."""
    return [
        spec.name
        for spec in OFFICERS
        if spec.agency in CASE_AGENCIES
        and (spec.login or spec.username)
        and not Officer.objects.filter(
            agency=agencies[spec.agency], name=spec.name, user__isnull=False
        ).exists()
    ]


def _cast(agency: Agency, head: str, reviewer: str | None) -> Cast:
    officers = {o.name: o for o in Officer.objects.filter(agency=agency).select_related("user")}

    def login(name: str) -> User:
        user = officers[name].user
        assert user is not None
        return user

    return Cast(agency, login(head), login(reviewer) if reviewer else None, officers)


# ── 生成 ────────────────────────────────────────────────────────────────────────────────


@dataclass
class Result:
    cases: Counter[tuple[str, str]] = field(default_factory=Counter)  # (agency short name, status)
    documents: int = 0
    seconds: float = 0.0


class DemoCases(ReviewSteps):
    """Builds the demo cases once; `existing()` tells whether they are already there."""

    def __init__(self, agencies: dict[str, Agency], *, now: dt.datetime | None = None) -> None:
        self.agencies = agencies
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.now = (now or timezone.now()).astimezone(self.tz)
        self.today = self.now.date()
        self.start = self.workdays_ago(HISTORY_WORKDAYS)

    # Agencies and what they already hold

    def case_agencies(self) -> list[Agency]:
        return [self.agencies[key] for key in CASE_AGENCIES]

    def existing(self) -> int:
        return Case.objects.filter(agency__in=self.case_agencies()).count()

    # Dates

    def workdays_ago(self, count: int) -> dt.date:
        """The count-th working day before today (today itself is never a step of the demo)."""
        day, found = self.today, 0
        while found < count:
            day -= dt.timedelta(days=1)
            if calendar.is_workday(day):
                found += 1
        return day

    def last_years_start(self) -> dt.date:
        """240 working days ago, or early in last December when that would bring the decision
        (about three weeks after) into this year; never before the history's first day."""
        day = self.workdays_ago(240)
        latest = dt.date(self.today.year - 1, 12, 5)
        if day > latest:
            day = max(latest, self.start)
            while not calendar.is_workday(day):
                day += dt.timedelta(days=1)
        return day

    def timeline(self, workdays_ago: int) -> Timeline:
        return Timeline(self.workdays_ago(workdays_ago), self.tz)

    # The run

    def build(self, progress: bool = True) -> Result:
        started = timezone.now()
        before = Document.objects.count()
        # Installed as of the first day of the history, so every document of the history can be signed.
        with time_machine.travel(dt.datetime.combine(self.start, dt.time(8), tzinfo=self.tz), tick=False):
            for agency in self.case_agencies():
                demo_credential_ensure(agency)
        self.casts = {key: _cast(self.agencies[key], *people) for key, people in CASE_AGENCIES.items()}
        self.run(self.stories(), progress=progress)
        result = Result(documents=Document.objects.count() - before)
        for short_name, status in Case.objects.filter(agency__in=self.case_agencies()).values_list(
            "agency__short_name", "status"
        ):
            result.cases[short_name, status] += 1
        result.seconds = (timezone.now() - started).total_seconds()
        return result

    def run(self, stories: Iterable[tuple[str, Story]], *, progress: bool) -> None:
        """Take the steps of all stories in the order of their moments, each on its moment."""
        limit = self.now - dt.timedelta(minutes=1)
        queue: list[tuple[dt.datetime, int, str, Story]] = []
        for index, (name, story) in enumerate(stories):
            heapq.heappush(queue, (next(story), index, name, story))
        first = queue[0][0].date() if queue else self.today
        bar = tqdm(
            total=(self.today - first).days,
            desc="演示案件",
            unit="天",
            file=sys.stderr,
            disable=None if progress else True,
            leave=False,
        )
        shown = shown_month = first
        with bar:
            while queue:
                moment, index, name, story = heapq.heappop(queue)
                if moment > limit:
                    raise RuntimeError(f"演示案件“{name}”的步骤 {moment:%Y-%m-%d %H:%M} 晚于当前时间。")
                if moment.date() > shown:
                    bar.update((moment.date() - shown).days)
                    shown = moment.date()
                    bar.set_postfix_str(f"{shown:%Y-%m-%d}")
                with time_machine.travel(moment, tick=False):
                    if (moment.year, moment.month) != (shown_month.year, shown_month.month):
                        # A signed checkpoint a month, as an operator's timer would make them.
                        checkpoint_make(reason=f"定期（{shown_month:%Y年%m月}）", only_if_grown=True)
                        shown_month = moment.date()
                    try:
                        following = story.send(None)
                    except StopIteration:
                        continue
                    except DomainError as exc:
                        raise type(exc)(
                            f"演示案件“{name}”（{moment:%Y-%m-%d %H:%M}）：{exc.message}"
                        ) from exc
                    finally:
                        # The worker signs what the step issued, moments later on the same day.
                        documents_render_pending()
                heapq.heappush(queue, (following, index, name, story))

    # Shared steps (sub-stories used with `yield from`)

    @staticmethod
    def case(pk: int) -> Case:
        return Case.objects.get(pk=pk)

    def register(
        self,
        t: Timeline,
        cast: Cast,
        lead: str,
        *,
        source: str,
        cause: str,
        summary: str,
        party: dict[str, str] | None = None,
        matter: str | None = None,
        informant: tuple[str, str] = ("", ""),
        hhmm: str = "09:20",
    ) -> Story:
        yield t.at(hhmm)
        case = services.case_register_clue(
            actor=cast.user(lead),
            agency=cast.agency,
            source=source,
            received_on=t.day,
            cause=cause,
            clue_summary=summary,
            matter=cast.matter(matter) if matter else None,
            informant_name=informant[0],
            informant_contact=informant[1],
            **(party or {}),
        )
        return case.pk

    def request_filing(
        self,
        t: Timeline,
        cast: Cast,
        pk: int,
        handlers: tuple[str, str],
        matter: str,
        opinion: str,
        *,
        is_major: bool = False,
        major_reason: str = "",
    ) -> Story:
        """提请立案 and both handlers' recusal declarations."""
        take(
            "request_filing",
            actor=cast.user(handlers[0]),
            case=self.case(pk),
            matter=cast.matter(matter),
            handlers=[cast.officer(name) for name in handlers],
            opinion=opinion,
            is_major=is_major,
            major_reason=major_reason,
        )
        for name in handlers:
            yield t.minutes(15)
            take("declare_recusal", actor=cast.user(name), case=self.case(pk), statement=RECUSAL)

    def opened(
        self,
        t: Timeline,
        cast: Cast,
        handlers: tuple[str, str],
        matter: str,
        *,
        source: str,
        cause: str,
        summary: str,
        party: dict[str, str],
        opinion: str,
        informant: tuple[str, str] = ("", ""),
        is_major: bool = False,
        major_reason: str = "",
    ) -> Story:
        """案源 → 提请立案 the next working day → 立案 the day after. Returns the case's pk."""
        pk = yield from self.register(
            t,
            cast,
            handlers[0],
            source=source,
            cause=cause,
            summary=summary,
            party=party,
            informant=informant,
        )
        yield t.after(1, "10:00")
        yield from self.request_filing(
            t, cast, pk, handlers, matter, opinion, is_major=is_major, major_reason=major_reason
        )
        yield t.after(1, "15:00")
        take("approve_filing", actor=cast.head, case=self.case(pk))
        return pk

    def record(
        self,
        t: Timeline,
        cast: Cast,
        pk: int,
        handlers: tuple[str, str],
        kind: str,
        *,
        place: str,
        subject: str,
        qa: list[tuple[str, str]] | None = None,
        paragraphs: list[str] | None = None,
        minutes: int = 60,
    ) -> Story:
        """A record made by both handlers, entered once it has ended."""
        started = t.minutes(0)
        ended = started + dt.timedelta(minutes=minutes)
        yield t.minutes(minutes + 15)
        content: dict[str, Any] = {}
        if qa:
            content["qa"] = [{"q": q, "a": a} for q, a in qa]
        if paragraphs:
            content["paragraphs"] = paragraphs
        if kind in RECORD_STAGE:  # the body-camera recording the AV-recording list asks for
            demo_evidence.recording_before(
                self.case(pk),
                cast.user(handlers[0]),
                RECORD_STAGE[kind],
                started=started,
                ended=ended,
                place=place,
            )
        take(
            "add_record",
            actor=cast.user(handlers[0]),
            case=self.case(pk),
            kind=kind,
            started_at=started,
            ended_at=ended,
            place=place,
            officers=[cast.officer(name) for name in handlers],
            subject_name=subject,
            content=content,
        )

    def serve(
        self,
        cast: Cast,
        pk: int,
        handler: str,
        *,
        recipient: str,
        place: str = "",
        kinds: Iterable[str] | None = None,
        method: str = ServiceMethod.DIRECT,
        note: str = "",
    ) -> None:
        """Serve the case's unserved documents (of `kinds`) together, today."""
        case = self.case(pk)
        wanted = set(kinds) if kinds is not None else None
        documents = [d for d in selectors.unserved_documents(case) if wanted is None or d.kind in wanted]
        take(
            "serve",
            actor=cast.user(handler),
            case=case,
            documents=documents,
            method=method,
            served_on=calendar.today(),
            place=place or case.party_address,
            recipient=recipient,
            note=note,
        )

    def report_penalty(
        self,
        cast: Cast,
        pk: int,
        handler: str,
        *,
        facts: str,
        evidence: list[str],
        analysis: str,
        fine: Decimal,
        penalty: str,
        discretion: str = "",
        kinds: tuple[str, ...] = ("warning", "fine"),
    ) -> None:
        take(
            "submit_report",
            actor=cast.user(handler),
            case=self.case(pk),
            facts=facts,
            evidence="\n".join(evidence),
            analysis=analysis,
            outcome=Outcome.PENALTY,
            discretion=discretion,
            kinds=list(kinds),
            fine=fine,
            penalty=penalty,
        )

    def notice_to_decision(
        self,
        t: Timeline,
        cast: Cast,
        pk: int,
        handler: str,
        *,
        recipient: str,
        fine: Decimal,
        penalty: str,
        decide_on: dt.date | None = None,
        kinds: tuple[str, ...] = ("warning", "fine"),
    ) -> Story:
        """事先告知, served the next day; the decision once the statement period has run
        (or on `decide_on`), served together with the credit-repair notice that afternoon."""
        yield t.after(1, "09:30")
        take("notify", actor=cast.user(handler), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(cast, pk, handler, recipient=recipient)
        served = self.case(pk).notice_served_on
        assert served is not None
        period_end = deadlines.statement_due(served).due
        assert period_end is not None
        yield t.on(max(decide_on or workday_after(period_end), workday_after(period_end)), "10:00")
        take("decide", actor=cast.head, case=self.case(pk), kinds=list(kinds), fine=fine, penalty=penalty)
        yield t.at("15:30")
        self.serve(cast, pk, handler, recipient=recipient)

    def pay_in_time(self, t: Timeline, pk: int, after: int) -> dt.datetime:
        """`after` working days later, but no later than the last day to pay (a holiday may intervene)."""
        served = self.case(pk).decision_served_on
        assert served is not None
        due = deadlines.payment_due(served).due
        assert due is not None
        day = min(calendar.add_workdays(t.day, after).date, workday_on_or_before(due))
        return t.on(max(day, t.day), "11:00")

    def pay_and_close(
        self, t: Timeline, cast: Cast, pk: int, handler: str, *, paid_after: int, receipt: str, summary: str
    ) -> Story:
        yield self.pay_in_time(t, pk, paid_after)
        case = self.case(pk)
        take(
            "record_payment",
            actor=cast.user(handler),
            case=case,
            paid_on=t.day,
            amount=case.final_fine,
            receipt_number=receipt,
        )
        yield t.after(1, "09:40")
        take("request_closing", actor=cast.user(handler), case=self.case(pk), summary=summary)
        yield t.after(1, "16:00")
        take("approve_closing", actor=cast.head, case=self.case(pk))

    # The stories

    def stories(self) -> list[tuple[str, Story]]:
        hrss, stats, archives, samr = (self.casts[k] for k in CASE_AGENCIES)
        chengguan = self.agencies["chengguan"]
        return [
            ("人社局·上年度已结案（年报）", self.hrss_closed_last_year(hrss)),
            ("人社局·已结案（放弃陈述申辩、按期缴款）", self.hrss_closed(hrss)),
            ("人社局·执行中（加处罚款）", self.hrss_surcharge(hrss)),
            ("人社局·告知期间", self.hrss_notice(hrss)),
            ("人社局·法制审核中（重大案件）", self.hrss_major(hrss)),
            ("人社局·法制审核退回补正后通过", self.hrss_review_returned(hrss)),
            ("人社局·审核分歧经集体讨论决定", self.hrss_review_discussed(hrss)),
            ("人社局·法制审核已超期", self.hrss_review_overdue(hrss)),
            ("人社局·听证后作出决定", self.hrss_hearing(hrss)),
            ("人社局·不予处罚待结案", self.hrss_no_penalty(hrss)),
            ("人社局·移送公安机关", self.hrss_judicial(hrss)),
            ("人社局·撤销立案", self.hrss_revoked(hrss)),
            ("人社局·调查取证", self.hrss_investigation(hrss)),
            ("人社局·先行登记保存", self.hrss_preservation(hrss)),
            ("人社局·立案待审批", self.hrss_filing(hrss)),
            ("人社局·案源即将到期", self.hrss_clue_due_soon(hrss)),
            ("人社局·案源已超期", self.hrss_clue_overdue(hrss)),
            ("人社局·不予立案", self.hrss_not_filed(hrss)),
            ("人社局·预编号当场处罚决定书", self.hrss_forms(hrss)),
            ("人社局·当场警告", self.hrss_spot_warning(hrss)),
            ("人社局·当场罚款当场收缴", self.hrss_spot_citizen(hrss)),
            ("人社局·当场罚款银行缴纳", self.hrss_spot_organisation(hrss)),
            ("人社局·当场处罚待备案", self.hrss_spot_unfiled(hrss)),
            ("统计局·陈述申辩后结案", self.stats_closed(stats)),
            ("统计局·催告", self.stats_reminder(stats)),
            ("统计局·案源", self.stats_clue(stats)),
            ("档案局·分期缴纳", self.archives_instalments(archives)),
            ("档案局·违法事实不成立", self.archives_not_established(archives)),
            ("市场监管局·查封扣押", self.samr_seizure(samr)),
            ("市场监管局·移送城关镇", self.samr_transfer(samr, chengguan)),
            ("公示管理员·事前事后公开与年报", publisher(self)),
        ]

    # 示例县人力资源和社会保障局: officer 李明 with 王立新 or 张红梅; head 赵建国; reviewer 陈静.

    def hrss_closed(self, c: Cast) -> Story:
        t, team = self.timeline(160), ("李明", "王立新")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="该公司职工集体投诉：2026年以来生产旺季每天工作12小时，每月休息2天，加班时间远超法定上限。",
            informant=("刘某（职工代表）", "13999010301"),
            party=JIANCAI,
            opinion="投诉事项属于劳动保障监察范围，有明确的被投诉单位和违法事实线索，建议立案调查。",
        )
        yield t.after(2, "09:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例建材有限公司生产车间及人事部",
            subject="钱某（人事部经理）",
            paragraphs=[
                "执法人员出示执法证件，说明来意。现场调取该公司2026年1月至3月的考勤记录和工资支付记录。",
                "经核对，生产车间40名劳动者在上述期间每月延长工作时间在60至72小时之间。",
            ],
        )
        yield t.at("14:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="钱某（人事部经理）",
            qa=[
                ("你在公司担任什么职务？", "人事部经理，负责考勤和工资核算。"),
                ("车间工人每月加班多少小时？", "旺季每月加班六十多个小时，订单太多，赶工期。"),
                ("是否与工会和劳动者协商？", "没有协商，是公司统一安排的。"),
            ],
        )
        yield t.after(5, "10:00")
        fine = Decimal(10000)
        penalty = "警告，并按照受侵害的劳动者每人250元的标准计算，处以罚款人民币10000元。"
        self.report_penalty(
            c,
            pk,
            "李明",
            facts="当事人在2026年1月至3月期间安排生产车间40名劳动者每月延长工作时间60至72小时，超过法定上限。",
            evidence=["现场检查笔录", "询问笔录", "考勤记录复印件", "工资支付记录复印件"],
            analysis=OVERTIME_ANALYSIS,
            discretion="当事人系初次被查处，积极配合调查，按每人250元的中间标准计算罚款。",
            fine=fine,
            penalty=penalty,
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user("李明"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(c, pk, "李明", recipient="王某某（法定代表人）")
        yield t.after(1, "14:30")
        take(
            "waive_rights",
            actor=c.user("李明"),
            case=self.case(pk),
            waived_on=t.day,
            note="当事人法定代表人出具书面意见：对告知的违法事实和拟处罚无异议，放弃陈述、申辩的权利。",
        )
        yield t.after(1, "10:00")
        take(
            "decide", actor=c.head, case=self.case(pk), kinds=["warning", "fine"], fine=fine, penalty=penalty
        )
        yield t.at("15:30")
        self.serve(c, pk, "李明", recipient="王某某（法定代表人）")
        yield from self.pay_and_close(
            t,
            c,
            pk,
            "李明",
            paid_after=6,
            receipt="99012126000318",
            summary="当事人已于法定期限内缴清罚款10000元，并已整改，调整了生产班次。建议结案。",
        )
        yield t.after(2, "10:00")
        take("archive", actor=c.user("李明"), case=self.case(pk))

    def hrss_closed_last_year(self, c: Cast) -> Story:
        """Decided and closed about a year ago: last year's 年报 counts it, its publication has expired."""
        t, team = Timeline(self.last_years_start(), self.tz), ("王立新", "李明")
        year = t.day.year
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.INSPECTION,
            cause="违法延长劳动者工作时间",
            summary=f"日常巡查发现：该公司后厨人员{year}年下半年每天工作11小时以上，每周仅休息一天。",
            party=CANYIN,
            opinion="巡查发现的违法线索明确，属于劳动保障监察范围，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例餐饮管理有限公司后厨及办公室",
            subject="孙某某（法定代表人）",
            paragraphs=[
                f"执法人员出示执法证件，说明来意。现场调取该公司{year}年7月至9月的排班表和工资发放记录。",
                "经核对，后厨12名劳动者在上述期间每月延长工作时间在50至60小时之间。",
            ],
        )
        yield t.after(4, "10:00")
        fine = Decimal(3600)
        penalty = "警告，并按照受侵害的劳动者每人300元的标准计算，处以罚款人民币3600元。"
        self.report_penalty(
            c,
            pk,
            "王立新",
            facts=f"当事人在{year}年7月至9月期间安排后厨12名劳动者每月延长工作时间50至60小时，超过法定上限。",
            evidence=["现场检查笔录", "排班表复印件", "工资发放记录复印件"],
            analysis=OVERTIME_ANALYSIS,
            discretion="当事人系初次被查处，如实陈述违法事实，按每人300元的标准计算罚款。",
            fine=fine,
            penalty=penalty,
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user("王立新"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(c, pk, "王立新", recipient="孙某某（法定代表人）")
        yield t.after(1, "15:00")
        take(
            "waive_rights",
            actor=c.user("王立新"),
            case=self.case(pk),
            waived_on=t.day,
            note="当事人法定代表人书面表示对告知内容无异议，放弃陈述、申辩的权利。",
        )
        yield t.after(1, "10:00")
        take(
            "decide", actor=c.head, case=self.case(pk), kinds=["warning", "fine"], fine=fine, penalty=penalty
        )
        yield t.at("15:30")
        self.serve(c, pk, "王立新", recipient="孙某某（法定代表人）")
        yield from self.pay_and_close(
            t,
            c,
            pk,
            "王立新",
            paid_after=5,
            receipt="99012125001207",
            summary="当事人已缴清罚款3600元，并已调整后厨排班。建议结案。",
        )
        yield t.after(2, "10:00")
        take("archive", actor=c.user("王立新"), case=self.case(pk))

    def hrss_surcharge(self, c: Cast) -> Story:
        """Served about 40 days ago and unpaid: the surcharge (第七十二条) runs today."""
        t, team = self.timeline(52), ("张红梅", "李明")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.REPORT,
            cause="违法延长劳动者工作时间",
            summary="匿名举报：该公司织布车间实行两班倒，每班12小时，每月只休息两天。",
            informant=("匿名", ""),
            party=FANGZHI,
            opinion="举报内容具体，经电话核实该公司实行两班倒，建议立案调查。",
        )
        yield t.after(2, "09:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例纺织有限公司织布车间",
            subject="严某（车间主任）",
            paragraphs=[
                "现场查阅排班表和考勤记录：织布车间60名劳动者实行两班倒，每班12小时，每月延长工作时间约80小时。"
            ],
        )
        yield t.after(6, "10:00")
        fine = Decimal(18000)
        penalty = "警告，并按照受侵害的劳动者每人300元的标准计算，处以罚款人民币18000元。"
        self.report_penalty(
            c,
            pk,
            "张红梅",
            facts="当事人安排织布车间60名劳动者每月延长工作时间约80小时，超过法定上限。",
            evidence=["现场检查笔录", "排班表", "考勤记录"],
            analysis=OVERTIME_ANALYSIS,
            discretion="违法持续时间较长、涉及人数较多，按每人300元计算罚款。",
            fine=fine,
            penalty=penalty,
        )
        target = workday_on_or_before(self.today - dt.timedelta(days=40))
        yield from self.notice_to_decision(
            t, c, pk, "张红梅", recipient="刘某某（法定代表人）", fine=fine, penalty=penalty, decide_on=target
        )

    def hrss_notice(self, c: Cast) -> Story:
        """In the statement period: the prior notice was served two working days ago."""
        t, team = self.timeline(16), ("李明", "张红梅")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="分拣中心职工投诉：“双十一”前后连续一个月每天工作12小时以上，无休息日。",
            informant=("黄某", "13999010302"),
            party=WULIU,
            opinion="投诉事项明确，建议立案调查。",
        )
        yield t.after(2, "14:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例物流有限公司分拣中心办公室",
            subject="赵某某（法定代表人）",
            qa=[
                ("分拣中心有多少名劳动者？", "36名，都签了劳动合同。"),
                ("近一个月每天工作多长时间？", "业务高峰，每天大约12个小时，没有安排休息日。"),
            ],
        )
        yield t.on(self.workdays_ago(4), "10:00")
        self.report_penalty(
            c,
            pk,
            "李明",
            facts="当事人在业务高峰期安排分拣中心36名劳动者连续一个月每天工作约12小时，无休息日。",
            evidence=["询问笔录", "考勤记录", "排班表"],
            analysis=OVERTIME_ANALYSIS,
            fine=Decimal(10800),
            penalty="警告，并按照受侵害的劳动者每人300元的标准计算，处以罚款人民币10800元。",
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user("李明"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(c, pk, "李明", recipient="赵某某（法定代表人）")

    def hrss_major(self, c: Cast) -> Story:
        """Reported, complex: submitted for legal review and assigned, within its deadline (the reviewer's inbox)."""
        t, team = self.timeline(32), ("王立新", "李明")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-002",
            source=ClueSource.INSPECTION,
            cause="无理阻挠劳动保障监察",
            summary="执法人员在专项检查中要求该公司提供劳动合同和工资台账，该公司两次拒不提供并拒绝执法人员进入后厨。",
            party=CANYIN,
            opinion="当事人多次拒绝提供材料、阻挠检查，建议立案调查。因涉及连锁门店十余家、社会影响较大，建议按重大案件办理。",
            is_major=True,
            major_reason="当事人多次阻挠检查，涉及门店十余家，社会影响较大",
        )
        yield t.after(3, "10:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例餐饮管理有限公司人民路门店",
            subject="孙某某（法定代表人）",
            paragraphs=[
                "执法人员出示证件并送达《劳动保障监察询问通知书》，要求当事人提供劳动合同和工资台账。",
                "当事人法定代表人拒绝提供，并锁闭后厨、办公室，称“没有时间配合”。执法人员全程录音录像。",
            ],
        )
        yield t.after(5, "15:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="孙某某（法定代表人）",
            qa=[
                ("你为何拒绝提供劳动合同和工资台账？", "门店多，资料不全，怕被罚款。"),
                ("你是否知道无理阻挠劳动保障监察要承担法律责任？", "现在知道了。"),
            ],
        )
        yield t.on(self.workdays_ago(3), "10:00")
        self.report_penalty(
            c,
            pk,
            "王立新",
            facts="当事人在执法人员依法检查时，两次拒不提供劳动合同和工资台账，并锁闭后厨、办公室，阻挠检查。",
            evidence=["现场检查笔录", "询问笔录", "执法记录仪音像记录"],
            analysis=f"当事人无理抗拒、阻挠劳动保障行政部门实施劳动保障监察，违反了{LDBZ}第三十条第一款第（一）项的规定。",
            discretion="当事人两次阻挠检查、涉及门店较多，拟按较重情节处罚。",
            fine=Decimal(15000),
            penalty="责令改正，处以罚款人民币15000元。",
            kinds=("fine",),
        )
        yield t.at("14:00")
        yield from self.review_submitted(t, c, pk, "王立新")

    def hrss_hearing(self, c: Cast) -> Story:
        """A hearing requested, scheduled, held (presided by 杨帆, not on the case), reviewed, decided."""
        t, team = self.timeline(44), ("李明", "王立新")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.INSPECTION,
            cause="违法延长劳动者工作时间",
            summary="工时专项检查中发现该公司组装车间长期实行“做六休一、每天11小时”工作制。",
            party=DIANZI,
            opinion="涉及劳动者人数众多，违法情形明显，建议立案调查。",
        )
        yield t.after(2, "09:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例电子科技有限公司组装车间",
            subject="陈某某（法定代表人）",
            paragraphs=["现场调取考勤系统数据：组装车间220名劳动者近三个月每月延长工作时间70至90小时。"],
        )
        yield t.after(1, "14:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="陈某某（法定代表人）",
            qa=[("组装车间实行什么工作制度？", "做六休一，每天11个小时，工人自愿加班，有加班费。")],
        )
        yield t.after(7, "10:00")
        self.report_penalty(
            c,
            pk,
            "李明",
            facts="当事人安排组装车间220名劳动者近三个月每月延长工作时间70至90小时，超过法定上限。",
            evidence=["现场检查笔录", "询问笔录", "考勤系统数据"],
            analysis=OVERTIME_ANALYSIS,
            discretion="涉及人数众多、持续时间长，按每人500元的上限标准计算。",
            fine=Decimal(110000),
            penalty="警告，并按照受侵害的劳动者每人500元的标准计算，处以罚款人民币110000元。",
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user("李明"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(c, pk, "李明", recipient="陈某某（法定代表人）")
        yield t.after(2, "09:30")
        take("request_hearing", actor=c.user("李明"), case=self.case(pk), requested_on=t.day)
        yield t.after(1, "10:00")
        hearing_day = calendar.add_workdays(t.day, 8).date
        take(
            "schedule_hearing",
            actor=c.head,
            case=self.case(pk),
            scheduled_at=dt.datetime.combine(hearing_day, dt.time(9, 30), tzinfo=self.tz),
            place="示例县人力资源和社会保障局三楼听证室",
            presiding=c.officer("杨帆"),
            members="周敏",
            recorder="吴芳",
        )
        yield t.at("15:00")
        self.serve(c, pk, "李明", recipient="陈某某（法定代表人）")
        yield t.on(hearing_day, "11:40")
        demo_evidence.recording_before(
            self.case(pk),
            c.user("李明"),
            Stage.HEARING,
            started=dt.datetime.combine(hearing_day, dt.time(9, 30), tzinfo=self.tz),
            ended=dt.datetime.combine(hearing_day, dt.time(11, 20), tzinfo=self.tz),
            place="示例县人力资源和社会保障局三楼听证室",
        )
        take(
            "hold_hearing",
            actor=c.user("李明"),
            case=self.case(pk),
            started_at=dt.datetime.combine(hearing_day, dt.time(9, 30), tzinfo=self.tz),
            ended_at=dt.datetime.combine(hearing_day, dt.time(11, 20), tzinfo=self.tz),
            attendees="当事人委托代理人陈某（公司法务）；案件调查人员李明、王立新",
            proceedings=(
                "调查人员陈述了当事人违法的事实、证据和拟作出的行政处罚。\n"
                "当事人代理人提出：组装车间44名劳动者系以完成一定工作任务为期限的临时用工，已与公司另行约定工作时间；"
                "其余劳动者延长工作时间属实，请求从轻处罚。\n"
                "双方就上述意见进行了质证和辩论。当事人作最后陈述，请求减轻处罚。"
            ),
        )
        yield t.after(2, "10:00")
        take(
            "review_defence",
            actor=c.user("李明"),
            case=self.case(pk),
            adoption=DefenceAdoption.PARTLY,
            review="经核实，44名劳动者确为以完成一定工作任务为期限的劳务人员，不计入受侵害人数，该意见予以采纳；"
            "其余176名劳动者延长工作时间的事实清楚，从轻处罚的请求不予采纳。",
        )
        yield t.after(2, "14:00")
        yield from self.review_submitted(t, c, pk, "李明")
        yield t.at("16:30")
        self.review_opinion(c, pk)
        yield t.on(self.workdays_ago(2), "10:00")
        take(
            "decide",
            actor=c.head,
            case=self.case(pk),
            kinds=["warning", "fine"],
            fine=Decimal(88000),
            penalty="警告，并按照受侵害的劳动者每人500元的标准计算，处以罚款人民币88000元。",
        )

    def hrss_no_penalty(self, c: Cast) -> Story:
        """First minor violation, corrected in time: no penalty (第三十三条第一款), awaiting closing."""
        t, team = self.timeline(20), ("王立新", "张红梅")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="职工投诉：油漆车间上月加班约40小时。",
            informant=("钟某", "13999010303"),
            party=JIAJU,
            opinion="投诉事项属于劳动保障监察范围，建议立案调查。",
        )
        yield t.after(1, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例家具有限公司油漆车间",
            subject="郑某某（法定代表人）",
            paragraphs=[
                "经查阅考勤记录，油漆车间3名劳动者上月延长工作时间40小时，超过法定上限4小时，此前无违法记录。"
            ],
        )
        yield t.at("11:00")
        take(
            "order_rectification",
            actor=c.user("王立新"),
            case=self.case(pk),
            violation="安排油漆车间3名劳动者延长工作时间超过每月36小时的法定上限",
            requirement="立即调整生产安排，保证劳动者延长工作时间每月不超过36小时，并依法支付加班工资",
            deadline=t.day + dt.timedelta(days=10),
        )
        yield t.at("11:20")
        self.serve(c, pk, "王立新", recipient="郑某某（法定代表人）")
        yield t.after(8, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例家具有限公司油漆车间",
            subject="郑某某（法定代表人）",
            paragraphs=["复查：当事人已调整排班，本月延长工作时间未超过法定上限，并已补发加班工资。"],
            minutes=40,
        )
        yield t.after(2, "10:00")
        take(
            "submit_report",
            actor=c.user("王立新"),
            case=self.case(pk),
            facts="当事人安排3名劳动者延长工作时间超过法定上限4小时，系初次违法，在责令改正期限内已改正。",
            evidence="现场检查笔录\n责令改正通知书\n复查笔录\n加班工资补发凭证",
            analysis="当事人初次违法且危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款，可以不予行政处罚。",
            outcome=Outcome.NO_PENALTY,
        )
        yield t.after(1, "10:00")
        take(
            "decide",
            actor=c.head,
            case=self.case(pk),
            no_penalty_reason="当事人初次违法且危害后果轻微，并在责令改正期限内已改正（《中华人民共和国行政处罚法》第三十三条第一款）。",
        )
        yield t.after(1, "10:30")
        self.serve(c, pk, "王立新", recipient="郑某某（法定代表人）")

    def hrss_judicial(self, c: Cast) -> Story:
        t, team = self.timeline(62), ("王立新", "张红梅")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-002",
            source=ClueSource.INSPECTION,
            cause="以暴力方法阻挠劳动保障监察",
            summary="欠薪专项检查中，当事人法定代表人带领多人围堵执法人员，抢夺执法记录仪。",
            party=LAOWU,
            opinion="当事人以暴力方法阻挠检查，建议立案调查。",
        )
        yield t.after(1, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例县城关镇某建筑工地项目部",
            subject="冯某某（法定代表人）",
            paragraphs=[
                "执法人员出示证件后要求查阅工资发放记录。当事人法定代表人带领五六人围堵执法人员，推搡并抢夺执法记录仪，致执法人员张红梅手臂受伤。",
                "执法人员当即报警，示例县公安局城关派出所民警到场处置。",
            ],
        )
        yield t.after(2, "14:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="钱某某（项目部施工员，现场目击者）",
            qa=[("当天发生了什么？", "冯总叫了几个人把检查的同志围住，推了女同志一把，还抢了记录仪。")],
        )
        yield t.after(3, "10:00")
        take(
            "submit_report",
            actor=c.user("王立新"),
            case=self.case(pk),
            facts="当事人法定代表人冯某某以暴力方法阻碍执法人员依法执行职务，致一名执法人员受伤。",
            evidence="现场检查笔录\n询问笔录\n执法记录仪音像记录\n伤情诊断证明",
            analysis="冯某某的行为涉嫌妨害公务罪（《中华人民共和国刑法》第二百七十七条），依据《中华人民共和国行政处罚法》"
            "第二十七条第一款、第五十七条第一款第（四）项，应当移送司法机关。",
            outcome=Outcome.TRANSFER,
        )
        yield t.after(1, "15:00")
        take(
            "transfer_judicial",
            actor=c.head,
            case=self.case(pk),
            recipient="示例县公安局",
            reason="当事人法定代表人冯某某以暴力方法阻碍执法人员依法执行职务，致一名执法人员受伤，涉嫌妨害公务罪。",
            materials=["现场检查笔录", "询问笔录", "执法记录仪音像资料（光盘1张）", "伤情诊断证明"],
        )

    def hrss_revoked(self, c: Cast) -> Story:
        t, team = self.timeline(72), ("张红梅", "王立新")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="原职工投诉该公司印刷车间长期加班。",
            informant=("高某", "13999010304"),
            party=YINSHUA,
            opinion="投诉事项属于劳动保障监察范围，建议立案调查。",
        )
        yield t.after(3, "10:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="高某（投诉人）",
            qa=[("你反映的加班发生在什么时间？", "2023年下半年，之后我就离职了。")],
        )
        yield t.after(1, "16:00")
        take(
            "revoke",
            actor=c.head,
            case=self.case(pk),
            reason="经调查，投诉反映的违法行为发生于2023年下半年，此后未再发生，已超过《劳动保障监察条例》第二十条规定的"
            "二年查处期限，依法不再查处，撤销立案。",
        )

    def hrss_investigation(self, c: Cast) -> Story:
        t, team = self.timeline(12), ("李明", "王立新")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.ASSIGNED,
            cause="违法延长劳动者工作时间",
            summary="示例市人力资源和社会保障局转交12345热线工单：该公司铸造车间长期加班。",
            party=JIXIE,
            opinion="上级交办，建议立案调查。",
        )
        yield t.after(2, "09:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例机械制造有限公司铸造车间",
            subject="周某某（法定代表人）",
            paragraphs=["现场查阅铸造车间考勤记录，发现部分劳动者延长工作时间较长，已复制考勤记录待核实。"],
        )
        yield t.after(3, "14:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject="马某（铸造车间工人）",
            qa=[("你每月加班多少小时？", "忙的时候每天加班三四个小时，周六也上班。")],
        )

    def hrss_preservation(self, c: Cast) -> Story:
        """A registered preservation (第五十六条) approved a few days ago, awaiting its decision."""
        t, team = self.timeline(9), ("李明", "张红梅")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-RS-CF-001",
            source=ClueSource.REPORT,
            cause="违法延长劳动者工作时间",
            summary="举报：该公司缝纫车间每天工作14小时，公司准备更换考勤系统、销毁原始考勤记录。",
            informant=("匿名", ""),
            party=FUZHUANG,
            opinion="证据可能灭失，建议立即立案调查。",
        )
        yield t.after(2, "09:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例服装有限公司缝纫车间及财务室",
            subject="吴某某（法定代表人）",
            paragraphs=["现场发现考勤机已拆下待更换，财务室存有2026年纸质工资表，当事人称将统一销毁。"],
        )
        yield t.at("10:40")
        measure = take(
            "request_measure",
            actor=c.user("李明"),
            case=self.case(pk),
            kind=MeasureKind.PRESERVATION,
            place="示例服装有限公司财务室",
            items=[
                {"name": "考勤机", "spec": "ZK-F18", "quantity": "1台", "note": "含2026年考勤数据"},
                {"name": "工资表", "spec": "纸质", "quantity": "10册", "note": "2026年1月至10月"},
            ],
            reason="考勤数据和工资表是认定延长工作时间的关键证据，当事人拟销毁，可能灭失（《中华人民共和国行政处罚法》第五十六条）。",
        )
        yield t.at("11:10")
        take("approve_measure", case=measure.case, actor=c.head, measure=measure)
        yield t.at("11:40")
        self.serve(c, pk, "李明", recipient="吴某某（法定代表人）", kinds={"preservation_notice"})

    def hrss_filing(self, c: Cast) -> Story:
        """Both handlers declared recusal; waiting for the head's filing approval."""
        t = self.timeline(3)
        pk = yield from self.register(
            t,
            c,
            "李明",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="客房部职工投诉：旺季每天工作12小时，月休2天。",
            informant=("胡某", "13999010305"),
            party=JIUDIAN,
        )
        yield t.after(1, "10:00")
        yield from self.request_filing(
            t, c, pk, ("李明", "张红梅"), "990121-RS-CF-001", "投诉事项具体，属于本局管辖，建议立案调查。"
        )

    def _clue_due_in(self, low: int, high: int) -> int:
        """Working days ago for a clue whose filing decision has low..high days left today (a range
        on one side of today). Around a long holiday no due date may fall in it; then the nearest
        one on the same side will do."""

        def left(count: int) -> int:
            due = deadlines.filing_decision_due(self.workdays_ago(count), extended=False).due
            assert due is not None
            return (due - self.today).days

        lefts = {count: left(count) for count in range(5, 40)}
        side = [count for count, days in lefts.items() if days != 0 and (days < 0) == (high < 0)]
        return min(side, key=lambda count: max(low - lefts[count], lefts[count] - high, 0))

    def hrss_clue_due_soon(self, c: Cast) -> Story:
        window = deadlines.warning_window()
        t = self.timeline(self._clue_due_in(1, window))
        yield from self.register(
            t,
            c,
            "李明",
            source=ClueSource.COMPLAINT,
            cause="违法延长劳动者工作时间",
            summary="收银员投诉：超市实行“早八晚十”工作制，每周只休息一天。",
            informant=("罗某", "13999010306"),
            party=CHAOSHI,
        )

    def hrss_clue_overdue(self, c: Cast) -> Story:
        t = self.timeline(self._clue_due_in(-5, -2))
        yield from self.register(
            t,
            c,
            "王立新",
            source=ClueSource.REPORT,
            cause="违法延长劳动者工作时间",
            summary="举报：维修车间学徒每天工作13小时，无休息日。",
            informant=("匿名", ""),
            party=QIXIU,
            hhmm="15:10",
        )

    def hrss_not_filed(self, c: Cast) -> Story:
        t = self.timeline(30)
        pk = yield from self.register(
            t,
            c,
            "王立新",
            source=ClueSource.COMPLAINT,
            cause="未足额支付解除劳动合同经济补偿",
            summary="保安员投诉：公司解除劳动合同后未足额支付经济补偿金。",
            informant=("邓某", "13999010307"),
            party=BAOAN,
        )
        yield t.after(3, "16:00")
        take(
            "decline_filing",
            actor=c.head,
            case=self.case(pk),
            reason="经核查，投诉人与该公司就经济补偿金数额存在争议，属于劳动争议，应当通过劳动争议调解、仲裁或者诉讼程序解决，"
            "不属于劳动保障监察范围（《劳动保障监察条例》第二十一条）。已告知投诉人向示例县劳动人事争议仲裁委员会申请仲裁。",
        )

    # 简易程序: 李明 holds pre-numbered forms; 赵建国 receives the decisions (备案) and closes.

    def hrss_forms(self, c: Cast) -> Story:
        t = self.timeline(46)
        yield t.at("08:45")
        services.on_the_spot_forms_reserve(actor=c.user("李明"), count=8)
        yield t.on(self.workdays_ago(30), "08:40")
        spoiled = services.forms_held_by(c.officer("李明"))[0]
        services.on_the_spot_form_void(
            actor=c.user("李明"), form=spoiled, reason="填写时将当事人名称写错，已在原件上注明“作废”并留存。"
        )

    def _spot(
        self,
        c: Cast,
        co: str,
        party: dict[str, str],
        *,
        cause: str,
        facts: str,
        kinds: list[str],
        fine: Decimal,
        place: str,
        paid: str = "",
        reason: str = "",
        statement: str = "",
    ) -> Case:
        officer = c.officer("李明")
        case = services.case_decide_on_the_spot(
            actor=c.user("李明"),
            form=services.forms_held_by(officer)[0],
            co_officer=c.officer(co),
            matter=c.matter("990121-RS-CF-001"),
            **party,
            cause=cause,
            facts=facts,
            kinds=kinds,
            fine=fine,
            place=place,
            decided_at=timezone.now() - dt.timedelta(minutes=20),
            recusal_confirmed=True,
            rights_told=True,
            party_statement=statement,
            no_statement=not statement,
            paid_on_spot=bool(paid),
            receipt_number=paid,
            collection_reason=reason,
        )
        now = timezone.now()
        demo_evidence.recording_before(
            case,
            c.user("李明"),
            Stage.ON_SITE,
            started=now - dt.timedelta(minutes=35),
            ended=now,
            place=place,
        )
        return case

    def hrss_spot_warning(self, c: Cast) -> Story:
        t = self.timeline(40)
        yield t.at("10:20")
        case = self._spot(
            c,
            "王立新",
            {k: v for k, v in KUAIDI.items() if k != "party_representative"},
            cause="违法延长劳动者工作时间",
            facts="当事人安排2名快递员上月延长工作时间40小时，超过法定上限，当场查阅考勤记录属实。",
            kinds=["warning"],
            fine=Decimal(0),
            place="示例快递服务有限公司营业网点",
        )
        yield t.after(1, "09:00")
        take("file_on_the_spot", actor=c.head, case=self.case(case.pk))
        yield t.after(1, "16:30")
        take(
            "approve_closing",
            actor=c.head,
            case=self.case(case.pk),
            summary="当场给予警告，当事人已当场签收决定书并承诺改正。建议结案。",
        )

    def hrss_spot_citizen(self, c: Cast) -> Story:
        t = self.timeline(25)
        yield t.at("15:40")
        case = self._spot(
            c,
            "张红梅",
            ZHANG,
            cause="违法延长劳动者工作时间",
            facts="当事人经营的小吃店安排2名帮工每天工作13小时，每月延长工作时间超过法定上限，当事人当场承认。",
            kinds=["warning", "fine"],
            fine=Decimal(200),
            place="示例县城关镇和平街1号张某某小吃店",
            statement="当事人称系生意繁忙临时安排加班，表示今后按规定安排工作时间，对违法事实无异议。",
            paid="99012126100215",
            reason="当事人系外地来县临时经营的个体工商户，已办理停业，不当场收缴事后难以执行（《中华人民共和国行政处罚法》第六十八条第（二）项）。",
        )
        yield t.after(1, "09:10")
        take("file_on_the_spot", actor=c.head, case=self.case(case.pk))
        yield t.after(1, "16:30")
        take("approve_closing", actor=c.head, case=self.case(case.pk))

    def hrss_spot_organisation(self, c: Cast) -> Story:
        t = self.timeline(15)
        yield t.at("10:50")
        case = self._spot(
            c,
            "王立新",
            {k: v for k, v in ZHUANGSHI.items() if k != "party_representative"},
            cause="违法延长劳动者工作时间",
            facts="当事人安排10名装修工人连续20天每天工作11小时，延长工作时间超过法定上限，考勤记录和工人陈述一致。",
            kinds=["fine"],
            fine=Decimal(3000),
            place="示例县城关镇建设路40号装修工地",
        )
        yield t.after(1, "09:00")
        take("file_on_the_spot", actor=c.head, case=self.case(case.pk))
        yield self.pay_in_time(t, case.pk, 4)
        take(
            "record_payment",
            actor=c.user("李明"),
            case=self.case(case.pk),
            paid_on=t.day,
            amount=Decimal(3000),
            receipt_number="99012126000587",
        )
        yield t.after(1, "09:40")
        take(
            "request_closing",
            actor=c.user("李明"),
            case=self.case(case.pk),
            summary="当事人已通过银行缴清罚款3000元。建议结案。",
        )
        yield t.after(1, "16:00")
        take("approve_closing", actor=c.head, case=self.case(case.pk))

    def hrss_spot_unfiled(self, c: Cast) -> Story:
        """Decided yesterday (the last working day); the head has not received it yet (备案)."""
        t = self.timeline(1)
        yield t.at("14:20")
        self._spot(
            c,
            "张红梅",
            WANG,
            cause="违法延长劳动者工作时间",
            facts="当事人经营的理发店安排1名学徒每天工作12小时，每月延长工作时间超过法定上限，当事人当场承认。",
            kinds=["warning", "fine"],
            fine=Decimal(100),
            place="示例县城关镇幸福巷6号王某某理发店",
            paid="99012126100233",
        )

    # 示例县统计局: 冯雪 and 韦东; head 郑海.

    def stats_closed(self, c: Cast) -> Story:
        t, team = self.timeline(125), ("冯雪", "韦东")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-TJ-CF-001",
            source=ClueSource.ASSIGNED,
            cause="提供不真实统计资料",
            summary="示例市统计局数据质量核查发现：该公司2025年工业总产值报表数据与增值税申报数据差异较大。",
            party=SHUINI,
            opinion="上级交办，数据差异明显，涉嫌提供不真实统计资料，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例水泥有限公司财务部",
            subject="何某某（法定代表人）",
            paragraphs=[
                "查阅2025年原始记录、统计台账和统计调查表：上报工业总产值3.2亿元，原始记录和财务账册反映实际为2.1亿元。"
            ],
            minutes=90,
        )
        yield t.after(1, "15:00")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县统计局询问室",
            subject="田某（统计员）",
            qa=[("上报数据是怎么来的？", "按公司领导给的数填的，没有依据原始记录。")],
        )
        yield t.after(5, "10:00")
        self.report_penalty(
            c,
            pk,
            "冯雪",
            facts="当事人在2025年统计年报中上报工业总产值3.2亿元，实际为2.1亿元，虚报1.1亿元。",
            evidence=["现场检查笔录", "询问笔录", "统计调查表", "财务账册复印件"],
            analysis="当事人提供不真实统计资料，违反了《中华人民共和国统计法》第七条的规定，依据该法第四十二条和"
            "《中华人民共和国统计法实施条例》第五十条，应当责令改正，给予警告，并可以处以罚款。",
            fine=Decimal(20000),
            penalty="警告，并处罚款人民币20000元。",
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user("冯雪"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(c, pk, "冯雪", recipient="何某某（法定代表人）")
        started = t.after(2, "09:30")
        yield t.minutes(55)
        take(
            "add_statement",
            actor=c.user("冯雪"),
            case=self.case(pk),
            started_at=started,
            ended_at=started + dt.timedelta(minutes=40),
            place="示例县统计局询问室",
            officers=[c.officer(name) for name in team],
            subject_name="何某某（法定代表人）",
            statement="统计员是新手，对指标理解有误，不是故意虚报。\n请求免于罚款。",
        )
        yield t.after(1, "10:00")
        take(
            "review_defence",
            actor=c.user("冯雪"),
            case=self.case(pk),
            adoption=DefenceAdoption.REJECTED,
            review="统计员询问笔录证实上报数据系按公司领导要求填报，并非理解有误，申辩理由不能成立，不予采纳。",
        )
        served = self.case(pk).notice_served_on
        assert served is not None
        period_end = deadlines.statement_due(served).due
        assert period_end is not None
        yield t.on(max(workday_after(period_end), calendar.add_workdays(t.day, 1).date), "10:00")
        take(
            "decide",
            actor=c.head,
            case=self.case(pk),
            kinds=["warning", "fine"],
            fine=Decimal(20000),
            penalty="警告，并处罚款人民币20000元。",
        )
        yield t.at("15:30")
        self.serve(c, pk, "冯雪", recipient="何某某（法定代表人）")
        yield from self.pay_and_close(
            t,
            c,
            pk,
            "冯雪",
            paid_after=8,
            receipt="99012126000412",
            summary="当事人已缴清罚款20000元，并已更正2025年统计年报数据。建议结案。",
        )

    def court_window_closing(self) -> dt.date:
        """A decision day whose window to apply for court enforcement (《行政强制法》第五十三条:
        three months after the six-month litigation period) ends within 12 days from today."""
        for back in range(240, 320):
            day = self.today - dt.timedelta(days=back)
            if not calendar.is_workday(day):
                continue
            _start, end = deadlines.enforcement_application_window(day)
            if end <= self.today + dt.timedelta(days=12):
                assert end > self.today  # the end moves a day at a time, or jumps a holiday at most
                return day
        raise AssertionError("no decision day found for the court window")

    def stats_reminder(self, c: Cast) -> Story:
        """Decided about nine months ago and never paid: the surcharge ran to the fine's amount, a
        催告书 was served, but no court application yet and the window to apply ends within days
        (the surcharge_court_window warning)."""
        decide_on = self.court_window_closing()
        t, team = self.timeline(calendar.workdays_between(decide_on, self.today) + 20), ("韦东", "冯雪")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-TJ-CF-001",
            source=ClueSource.INSPECTION,
            cause="拒绝提供统计资料",
            summary="统计执法检查中，该公司拒绝提供2025年能源消费原始记录。",
            party=HUAGONG,
            opinion="当事人拒绝提供统计资料，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例化工有限公司办公楼",
            subject="吕某某（法定代表人）",
            paragraphs=[
                "执法人员送达统计检查查询书，要求提供2025年能源消费原始记录和统计台账，当事人拒绝提供。"
            ],
        )
        yield t.after(5, "10:00")
        fine = Decimal(30000)
        penalty = "警告，并处罚款人民币30000元。"
        self.report_penalty(
            c,
            pk,
            "韦东",
            facts="当事人拒绝向统计执法检查人员提供2025年能源消费原始记录和统计台账。",
            evidence=["现场检查笔录", "统计检查查询书及送达回证"],
            analysis="当事人拒绝提供统计资料，违反了《中华人民共和国统计法》第七条的规定，依据该法第四十二条和"
            "《中华人民共和国统计法实施条例》第五十条，应当责令改正，给予警告，并可以处以罚款。",
            fine=fine,
            penalty=penalty,
        )
        yield from self.notice_to_decision(
            t,
            c,
            pk,
            "韦东",
            recipient="吕某某（法定代表人）",
            fine=fine,
            penalty=penalty,
            decide_on=decide_on,
        )
        assert self.case(pk).decided_on == decide_on
        yield t.on(self.workdays_ago(22), "10:00")
        take("remind", actor=c.user("韦东"), case=self.case(pk))
        yield t.after(1, "10:30")
        self.serve(
            c,
            pk,
            "韦东",
            recipient="吕某某（法定代表人）",
            method=ServiceMethod.POST,
            note="EMS 邮件单号 1099900012226",
        )

    def stats_clue(self, c: Cast) -> Story:
        t = self.timeline(4)
        yield from self.register(
            t,
            c,
            "冯雪",
            source=ClueSource.ASSIGNED,
            cause="迟报统计资料",
            summary="示例市统计局通报：该公司连续三个月未按时报送农产品收购统计报表。",
            party=NONGCHANPIN,
            matter="990121-TJ-CF-001",
        )

    # 示例县档案局: 朱强 and 胡静; head 钱坤.

    def archives_instalments(self, c: Cast) -> Story:
        t, team = self.timeline(80), ("朱强", "胡静")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-DA-CF-001",
            source=ClueSource.INSPECTION,
            cause="在档案服务过程中损毁档案",
            summary="档案工作检查中发现：该公司为县不动产登记中心提供数字化服务时，因违规操作致部分档案原件损毁。",
            party=DANGAN,
            opinion="涉嫌档案服务企业在服务过程中损毁档案，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例县不动产登记中心档案库房及数字化加工场所",
            subject="张某某（法定代表人）",
            paragraphs=[
                "现场清点：2019年不动产登记档案中有37卷因拆装时违规使用裁切设备造成页面缺损，无法修复。"
            ],
        )
        yield t.after(1, "14:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INQUIRY,
            place="示例县档案局询问室",
            subject="张某某（法定代表人）",
            qa=[("档案损毁是怎么造成的？", "加工人员为赶进度，没有按规程拆卷，用裁纸机裁切了装订线。")],
        )
        yield t.after(6, "10:00")
        fine = Decimal(50000)
        penalty = "警告，并处罚款人民币50000元。"
        self.report_penalty(
            c,
            pk,
            "朱强",
            facts="当事人在为示例县不动产登记中心提供档案数字化服务过程中，违规操作造成37卷档案损毁。",
            evidence=["现场检查笔录", "询问笔录", "损毁档案清单及照片", "服务合同"],
            analysis="当事人的行为违反了《中华人民共和国档案法》第四十八条的规定，依据该法第四十九条第二款，"
            "应当给予警告，并处二万元以上二十万元以下的罚款。",
            discretion="损毁档案数量较多但当事人积极配合补救，按中间偏下标准处罚。",
            fine=fine,
            penalty=penalty,
        )
        yield from self.notice_to_decision(
            t, c, pk, "朱强", recipient="张某某（法定代表人）", fine=fine, penalty=penalty
        )
        yield t.after(3, "10:00")
        first = t.day + dt.timedelta(days=10)
        schedule = [
            (first, Decimal(20000)),
            (self.today + dt.timedelta(days=25), Decimal(15000)),
            (self.today + dt.timedelta(days=55), Decimal(15000)),
        ]
        take(
            "plan_payment",
            actor=c.head,
            case=self.case(pk),
            arrangement=PaymentArrangement.INSTALMENT,
            schedule=schedule,
            reason="当事人提交书面申请并附近三个月财务报表，称因承接项目回款困难，一次缴纳确有经济困难。",
        )
        yield t.at("15:00")
        self.serve(c, pk, "朱强", recipient="张某某（法定代表人）")
        yield t.on(workday_on_or_before(first), "11:00")
        take(
            "record_payment",
            actor=c.user("朱强"),
            case=self.case(pk),
            paid_on=t.day,
            amount=Decimal(20000),
            receipt_number="99012126000455",
        )

    def archives_not_established(self, c: Cast) -> Story:
        t, team = self.timeline(105), ("胡静", "朱强")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-DA-CF-001",
            source=ClueSource.REPORT,
            cause="在档案服务过程中擅自提供档案",
            summary="举报：该公司在为县医保中心整理档案时，擅自向第三方提供参保人员档案信息。",
            informant=("匿名", ""),
            party=XINXI,
            opinion="举报涉及档案安全，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例县医疗保障服务中心档案室",
            subject="孔某某（法定代表人）",
            paragraphs=[
                "检查档案借阅登记、加工场所监控录像和数据传输日志，未发现档案外借、复制或者数据外传的记录。"
            ],
            minutes=120,
        )
        yield t.after(4, "10:00")
        take(
            "submit_report",
            actor=c.user("胡静"),
            case=self.case(pk),
            facts="经检查借阅登记、监控录像和数据传输日志，未发现当事人擅自提供档案的行为。",
            evidence="现场检查笔录\n档案借阅登记簿\n监控录像及数据传输日志检查记录",
            analysis="现有证据不能证明当事人实施了举报所称的违法行为，违法事实不能成立，依据《中华人民共和国行政处罚法》"
            "第五十七条第一款第（三）项，不予行政处罚。",
            outcome=Outcome.NOT_ESTABLISHED,
        )
        yield t.after(1, "10:00")
        take(
            "decide",
            actor=c.head,
            case=self.case(pk),
            no_penalty_reason="违法事实不能成立（《中华人民共和国行政处罚法》第五十七条第一款第（三）项）。",
        )
        yield t.after(1, "10:30")
        self.serve(c, pk, "胡静", recipient="孔某某（法定代表人）")
        yield t.after(2, "16:00")
        take(
            "approve_closing",
            actor=c.head,
            case=self.case(pk),
            summary="违法事实不能成立，已作出不予行政处罚决定并送达。建议结案。",
        )

    # 示例县市场监督管理局: 高峰 and 罗斌; head 林涛 (its 法规股 is unstaffed, so nothing is decided yet).

    def samr_seizure(self, c: Cast) -> Story:
        t, team = self.timeline(14), ("高峰", "罗斌")
        pk = yield from self.opened(
            t,
            c,
            team,
            "990121-SJ-CF-001",
            source=ClueSource.INSPECTION,
            cause="生产经营不符合食品安全标准的食品",
            summary="监督抽检报告：该公司生产的“示例牌”卤牛肉（批号20261102）菌落总数超过食品安全国家标准限量。",
            party=SHIPIN,
            opinion="抽检不合格，涉嫌生产不符合食品安全标准的食品，建议立案调查。",
        )
        yield t.after(1, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place="示例食品有限公司成品仓库",
            subject="曹某某（法定代表人）",
            paragraphs=[
                "现场检查成品仓库，发现同批次卤牛肉库存186袋（每袋500克），当事人未停止销售。执法人员全程音像记录。"
            ],
        )
        yield t.at("11:00")
        measure = take(
            "request_measure",
            actor=c.user("高峰"),
            case=self.case(pk),
            kind=MeasureKind.SEIZURE,
            seizure_mode="扣押",
            place="示例食品有限公司成品仓库",
            items=[
                {
                    "name": "“示例牌”卤牛肉",
                    "spec": "500克/袋，批号20261102",
                    "quantity": "186袋",
                    "note": "抽检不合格批次",
                }
            ],
            reason="有证据证明该批次食品不符合食品安全标准（《中华人民共和国食品安全法》第一百一十条第（四）项）。",
        )
        yield t.at("11:20")
        take("approve_measure", case=measure.case, actor=c.head, measure=measure)
        yield t.at("11:50")
        self.serve(c, pk, "高峰", recipient="曹某某（法定代表人）", kinds={"seizure_decision"})

    def samr_transfer(self, c: Cast, chengguan: Agency) -> Story:
        t = self.timeline(35)
        pk = yield from self.register(
            t,
            c,
            "罗斌",
            source=ClueSource.COMPLAINT,
            cause="食品摊贩从业人员未取得健康证明",
            summary="市民投诉：城关镇人民路夜市一流动摊贩销售凉皮，未佩戴口罩，从业人员未取得健康证明。",
            informant=("郭某", "13999010308"),
            party=LI,
        )
        yield t.after(2, "15:30")
        take(
            "transfer",
            actor=c.head,
            case=self.case(pk),
            to_agency=chengguan,
            recipient="",
            reason="投诉所涉食品摊贩违法行为属于示例县城关镇人民政府自2023年1月1日起依法实施的行政处罚事项"
            "（《中华人民共和国行政处罚法》第二十四条），本局不再管辖。",
            materials=["投诉登记表", "现场照片 3 张"],
        )


def status_label(status: str) -> str:
    return str(Status(status).label)
