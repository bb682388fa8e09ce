"""演示·当事人页面的故事 (see zhifa.demo.party): replayed among the demo cases, in date order."""

from __future__ import annotations

from decimal import Decimal

from zhifa.cases import deadlines, selectors
from zhifa.cases.models import Case, ClueSource, RecordKind
from zhifa.cases.workflow import take
from zhifa.demo.cases import Cast, DemoCases, Story, Timeline, _citizen, _org, workday_after
from zhifa.party import access as codes
from zhifa.party import services
from zhifa.party.models import PartyAccess

MATTER = "990121-RS-CF-001"  # 违法延长劳动者工作时间
TEAM = ("李明", "张红梅")
CHEN = _citizen("陈某某", 1985, 41, "示例县城关镇建设路12号", "13999010041")
LIU = _citizen("刘某某", 1978, 52, "示例县河西乡新村路8号", "13999010052")
BAOZHUANG = _org("示例包装有限公司", 31, "示例县工业园区包装路5号", "林某某", "0999-6100131")
PARTIES = {
    CHEN["party_name"]: "网上提交陈述申辩（待复核）",
    LIU["party_name"]: "网上申请听证",
    BAOZHUANG["party_name"]: "同意电子送达、打开即送达；信用修复获批，提前停止公示",
}
PROOF = b"%PDF-1.4\n% demo proof of performance\n"


def _access(case: Case) -> PartyAccess:
    return codes.party_access_ensure_demo(case=case)


class PartyDemoCases(DemoCases):
    """The demo cases, with the party page's stories replayed among them (in date order)."""

    def stories(self) -> list[tuple[str, Story]]:
        hrss = self.casts["hrss"]
        return [
            *super().stories(),
            ("当事人页面·网上陈述申辩", self.party_statement(hrss)),
            ("当事人页面·网上申请听证", self.party_hearing(hrss)),
            ("当事人页面·电子送达与信用修复", self.party_online_service(hrss)),
        ]

    def _notified_case(self, t: Timeline, c: Cast, party: dict[str, str], cause: str, fine: Decimal) -> Story:
        pk = yield from self.opened(
            t,
            c,
            TEAM,
            MATTER,
            source=ClueSource.COMPLAINT,
            cause=cause,
            summary="职工投诉：连续多周每天工作11小时以上，未安排休息日。",
            party=party,
            opinion="投诉事项明确，建议立案调查。",
        )
        yield t.after(1, "09:30")
        yield from self.record(
            t,
            c,
            pk,
            TEAM,
            RecordKind.INQUIRY,
            place="示例县人力资源和社会保障局询问室",
            subject=party.get("party_representative") or party["party_name"],
            qa=[("近一个月每天工作多长时间？", "每天约11个小时，没有休息日。")],
        )
        yield t.after(1, "10:00")
        self.report_penalty(
            c,
            pk,
            TEAM[0],
            facts=f"当事人安排劳动者连续多周每天工作约11小时、无休息日，{cause}。",
            evidence=["询问笔录", "考勤记录"],
            analysis="违反《中华人民共和国劳动法》第四十一条。",
            fine=fine,
            penalty=f"警告，并处罚款人民币{fine}元。",
        )
        yield t.after(1, "09:30")
        take("notify", actor=c.user(TEAM[0]), case=self.case(pk))
        return pk

    def party_statement(self, c: Cast) -> Story:
        """Served three working days ago; the party stated online the next day (复核 pending)."""
        t = self.timeline(8)
        pk = yield from self._notified_case(t, c, CHEN, "违法延长劳动者工作时间", Decimal(3000))
        yield t.at("10:30")
        self.serve(c, pk, TEAM[0], recipient=CHEN["party_name"])
        yield t.after(1, "20:10")
        services.statement_submit(
            access=_access(self.case(pk)),
            statement="我经营的小店人手不足，确实安排了加班，但都按时发放了加班费。\n已经调整排班，请求从轻处罚。",
            files=[services.Upload("加班费发放记录.pdf", PROOF)],
        )

    def party_hearing(self, c: Cast) -> Story:
        """A 20 000-yuan fine for a citizen gives a hearing right; asked for online in time."""
        t = self.timeline(9)
        pk = yield from self._notified_case(t, c, LIU, "违法延长劳动者工作时间", Decimal(20000))
        yield t.at("10:30")
        self.serve(c, pk, TEAM[0], recipient=LIU["party_name"])
        yield t.after(2, "21:05")
        services.hearing_request_submit(access=_access(self.case(pk)))

    def party_online_service(self, c: Cast) -> Story:
        """Consent on the party page, decision served at the first opening, paid, published, and
        the display ended early on an approved credit repair."""
        t = self.timeline(125)
        fine = Decimal(30000)
        pk = yield from self._notified_case(t, c, BAOZHUANG, "违法延长劳动者工作时间", fine)
        yield t.at("10:30")
        self.serve(c, pk, TEAM[0], recipient="林某某（法定代表人）")
        yield t.at("16:20")
        services.consent_submit(access=_access(self.case(pk)), address="hr@baozhuang.example.cn")
        served = self.case(pk).notice_served_on
        assert served is not None
        period_end = deadlines.statement_due(served).due
        assert period_end is not None
        yield t.on(workday_after(period_end), "10:00")
        take(
            "decide",
            actor=c.head,
            case=self.case(pk),
            kinds=["warning", "fine"],
            fine=fine,
            penalty=f"警告，并处罚款人民币{fine}元。",
        )
        yield t.after(1, "08:45")
        case = self.case(pk)
        decision = next(d for d in selectors.unserved_documents(case) if d.kind == "penalty_decision")
        services.document_open(access=_access(case), document=decision)
        yield from self.pay_and_close(
            t, c, pk, TEAM[0], paid_after=5, receipt="FS-2026-PARTY-01", summary="罚款已缴清，当事人已整改。"
        )
        yield t.on(self.workdays_ago(10), "14:00")
        application = services.credit_repair_apply(
            access=_access(self.case(pk)),
            statement="本公司已于决定送达后按期缴清罚款，已调整排班制度、消除不良影响，并公开作出信用承诺。",
            files=[services.Upload("罚款缴款凭证.pdf", PROOF), services.Upload("整改情况说明.pdf", PROOF)],
        )
        yield t.on(self.workdays_ago(7), "10:30")
        services.credit_repair_decide(
            actor=c.head,
            submission=application,
            approve=True,
            reason="当事人已履行行政处罚决定、消除不良影响，未再因同类违法行为受到处罚，符合提前停止公示的条件。",
        )
