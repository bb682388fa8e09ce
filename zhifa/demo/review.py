"""演示法制审核: the review steps the case stories share, and the stories of each review outcome.

DemoCases (zhifa.demo.cases) mixes this in. The stories run on the same travelling clock: a
review passed at the first submission (the hearing story), one returned and passed on the
second, a disagreement settled by collective discussion, one assigned and within its deadline
(the major case) and one past its deadline. The reviewer 陈静 holds the legal-profession
qualification (第五十八条第二款) and, as 法规股股长, assigns reviews too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zhifa.cases.models import ClueSource, Outcome, PartyKind, RecordKind
from zhifa.demo.data import make_uscc
from zhifa.review import services as review
from zhifa.review.gate import latest_round
from zhifa.review.items import ITEMS

if TYPE_CHECKING:
    from zhifa.demo.cases import Cast, Story, Timeline

ALL_OK = {i.code: {"finding": "ok", "note": ""} for i in ITEMS}
OVERTIME_MATTER = "990121-RS-CF-001"


def _org(name: str, serial: int, address: str, representative: str, phone: str) -> dict[str, str]:
    return {
        "party_kind": PartyKind.ORGANISATION,
        "party_name": name,
        "party_id_number": make_uscc("91", "990121", f"MA0D{serial:04d}"),
        "party_address": address,
        "party_representative": representative,
        "party_phone": phone,
    }


KUAIDI = _org("示例快递服务有限公司", 15, "示例县城关镇环城北路20号", "秦某某", "0999-6100115")
RENLI = _org("示例人力资源服务有限公司", 23, "示例县城关镇人民路88号", "罗某某", "0999-6100123")
LAOWU2 = _org("示例建筑劳务有限公司第二分公司", 24, "示例县城关镇建设路68号", "冯某某", "0999-6100124")


class ReviewSteps:
    """Sub-stories (used with `yield from`) and the review stories; mixed into DemoCases."""

    case: Any
    timeline: Any
    workdays_ago: Any
    opened: Any
    record: Any
    report_penalty: Any
    notice_to_decision: Any

    # Shared steps

    def review_submitted(self, t: Timeline, c: Cast, pk: int, handler: str, note: str = "") -> Story:
        """Submitted by the handler, assigned by the head half an hour later."""
        yield t.minutes(0)
        review.review_submit(actor=c.user(handler), case=self.case(pk), note=note)
        yield t.minutes(30)
        assert c.reviewer is not None
        round_ = latest_round(self.case(pk))
        assert round_ is not None
        review.review_assign(actor=c.head, round_=round_, reviewer=c.reviewer)

    def review_opinion(self, c: Cast, pk: int, problems: dict[str, str] | None = None) -> None:
        """The reviewer's opinion: 同意, or 存在问题 with a note per problem item."""
        assert c.reviewer is not None
        round_ = latest_round(self.case(pk))
        assert round_ is not None
        findings = dict(ALL_OK)
        for code, note in (problems or {}).items():
            findings[code] = {"finding": "problem", "note": note}
        review.review_record(
            actor=c.reviewer,
            round_=round_,
            findings=findings,
            opinion="problems" if problems else "agree",
            problems="\n".join((problems or {}).values()),  # one problem a paragraph
        )

    def review_passed(self, t: Timeline, c: Cast, pk: int, handler: str) -> Story:
        """Submitted, assigned, and agreed the next working day."""
        yield from self.review_submitted(t, c, pk, handler)
        yield t.after(1, "16:00")
        self.review_opinion(c, pk)

    def _investigated(
        self, t: Timeline, c: Cast, team: tuple[str, str], party: dict[str, str], cause: str, summary: str
    ) -> Story:
        pk = yield from self.opened(
            t,
            c,
            team,
            OVERTIME_MATTER,
            source=ClueSource.COMPLAINT,
            cause=cause,
            summary=summary,
            party=party,
            opinion="经初步核查，当事人涉嫌安排劳动者延长工作时间超过法定限度，建议立案调查。",
        )
        yield t.after(2, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            team,
            RecordKind.INSPECTION,
            place=party["party_address"],
            subject=f"{party['party_representative']}（法定代表人）",
            paragraphs=[
                "执法人员出示证件，调取了当事人2026年以来的考勤记录和工资支付记录。",
                "当事人法定代表人在场陈述：旺季时每天加班三到四个小时，周末也上班。",
            ],
        )
        return pk

    # The stories

    def hrss_review_returned(self, c: Cast) -> Story:
        """存在问题 → 补正后再次送审 → 同意, ready for the prior notice (every round kept in the file)."""
        t, team = self.timeline(30), ("张红梅", "李明")
        pk = yield from self._investigated(
            t, c, team, KUAIDI, "安排劳动者延长工作时间超过法定限度", "投诉人反映分拣中心每天工作12小时以上。"
        )
        yield t.after(3, "10:00")
        self.report_penalty(
            c,
            pk,
            "张红梅",
            facts="当事人安排分拣中心120名劳动者每月延长工作时间超过36小时。",
            evidence=["现场检查笔录", "考勤记录复印件"],
            analysis="当事人违反《中华人民共和国劳动法》第四十一条。",
            discretion="当事人系初次被查处，按每人250元的中间标准计算罚款。",
            fine=Decimal(30000),
            penalty="警告，并按照受侵害的劳动者每人250元的标准计算，处以罚款人民币30000元。",
        )
        yield t.at("15:00")
        review.review_mark(
            actor=c.user("张红梅"),
            case=self.case(pk),
            criterion="complex",
            reason="分拣中心部分人员系劳务派遣，涉及用工单位与劳务派遣单位多个法律关系。",
        )
        yield t.after(1, "09:30")
        yield from self.review_submitted(t, c, pk, "张红梅")
        yield t.after(3, "16:00")
        self.review_opinion(
            c,
            pk,
            {
                "evidence": "未调取劳务派遣协议，不能认定派遣人员的用工单位责任。",
                "facts": "受侵害劳动者人数的认定缺少花名册佐证。",
            },
        )
        yield t.after(3, "09:30")
        yield from self.review_submitted(
            t,
            c,
            pk,
            "张红梅",
            note="已调取劳务派遣协议和职工花名册附卷，认定受侵害劳动者120名，派遣人员由当事人统一排班。",
        )
        yield t.after(2, "15:00")
        self.review_opinion(c, pk)

    def hrss_review_discussed(self, c: Cast) -> Story:
        """存在问题 → 承办人异议 → 协调未果 → 集体讨论决定 → 决定."""
        t, team = self.timeline(52), ("王立新", "张红梅")
        pk = yield from self._investigated(
            t, c, team, RENLI, "安排劳动者延长工作时间超过法定限度", "外来务工人员集体投诉长期加班。"
        )
        yield t.after(3, "10:00")
        penalty = "警告，并按照受侵害的劳动者每人250元的标准计算，处以罚款人民币45000元。"
        self.report_penalty(
            c,
            pk,
            "王立新",
            facts="当事人安排派驻客户企业的180名劳动者每月延长工作时间超过36小时。",
            evidence=["现场检查笔录", "考勤记录复印件", "工资支付记录复印件"],
            analysis="当事人违反《中华人民共和国劳动法》第四十一条。",
            discretion="当事人已全部整改并补发加班工资，按每人250元的中间标准计算罚款。",
            fine=Decimal(45000),
            penalty=penalty,
        )
        yield t.at("16:00")
        review.review_mark(
            actor=c.head,
            case=self.case(pk),
            criterion="head_added",
            reason="涉及外来务工人员群体，社会关注度高，决定进行法制审核。",
        )
        yield t.after(1, "09:30")
        yield from self.review_submitted(t, c, pk, "王立新")
        yield t.after(2, "16:00")
        self.review_opinion(c, pk, {"discretion": "涉及人数众多、持续时间长，应按每人500元从重处罚。"})
        yield t.after(1, "10:00")
        review.review_disagree(
            actor=c.user("王立新"),
            case=self.case(pk),
            reason="当事人系初次违法，已主动整改并补发加班工资，按中间标准裁量适当。",
        )
        yield t.after(1, "15:00")
        assert c.reviewer is not None
        review.review_coordinate(
            actor=c.reviewer,
            case=self.case(pk),
            held_at=t.moment - dt.timedelta(hours=1),
            participants="劳动保障监察大队王立新、张红梅；法规股陈静",
            summary="双方就裁量档次交换意见，法规股坚持从重，承办机构坚持中间标准，未能达成一致。",
            agreed=False,
        )
        yield t.after(2, "16:30")
        review.review_settle(
            actor=c.head,
            case=self.case(pk),
            held_at=t.moment - dt.timedelta(hours=1),
            place="示例县人力资源和社会保障局三楼会议室",
            attendees=[
                {
                    "name": "赵建国",
                    "title": "局长",
                    "opinion": "当事人已整改并补发工资，同意按中间标准处罚。",
                },
                {"name": "陈静", "title": "法规股股长", "opinion": "保留从重意见，服从集体决定。"},
                {"name": "王立新", "title": "劳动保障监察大队大队长", "opinion": "同意中间标准。"},
            ],
            conclusion="维持承办机构意见，按照受侵害的劳动者每人250元的标准计算罚款。",
            outcome=Outcome.PENALTY,
        )
        yield from self.notice_to_decision(
            t, c, pk, "王立新", recipient="罗某某（法定代表人）", fine=Decimal(45000), penalty=penalty
        )

    def hrss_review_overdue(self, c: Cast) -> Story:
        """Submitted and assigned 13 working days ago, no opinion yet: past the 10-day review period."""
        t, team = self.timeline(28), ("李明", "王立新")
        pk = yield from self._investigated(
            t, c, team, LAOWU2, "安排劳动者延长工作时间超过法定限度", "工地劳动者反映连续三个月无休息日。"
        )
        yield t.on(self.workdays_ago(14), "10:00")
        self.report_penalty(
            c,
            pk,
            "李明",
            facts="当事人安排工地60名劳动者连续三个月每周工作7日。",
            evidence=["现场检查笔录", "考勤记录复印件"],
            analysis="当事人违反《中华人民共和国劳动法》第三十八条、第四十一条。",
            discretion="当事人在建项目为民生工程，按每人300元计算罚款。",
            fine=Decimal(18000),
            penalty="警告，并按照受侵害的劳动者每人300元的标准计算，处以罚款人民币18000元。",
        )
        yield t.at("15:00")
        review.review_mark(
            actor=c.user("李明"),
            case=self.case(pk),
            criterion="social_impact",
            reason="农民工集中反映，存在群体性事件风险。",
        )
        yield t.after(1, "09:30")
        yield from self.review_submitted(t, c, pk, "李明")
