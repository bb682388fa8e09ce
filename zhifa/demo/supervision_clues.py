"""演示监督线索: the county 司法局's inbox in every state, taken through the services and the step
runner as its supervisor and the 人社局 would, on a clock replayed over the last weeks.

- 投诉举报 from the portal: one just registered, one answered to the complainant (its query code
  printed); both codes open /public/complaints/status/;
- a 12345 transfer past its 办理期限 (red), a 司法部平台 transfer answered and waiting for review,
  a credential-page complaint imported and accepted (待办结), one returned once and answered again;
- the supervisor's finding with a 督办通知书 whose 整改报告 is past due, a 监督意见书 whose report
  was accepted (closed), a 监督建议书 whose report waits for review;
- 个案监督 on a demo case of the 人社局 (when the case demo ran): a 调阅 and a 监督意见 clue.

Built once: a second run finds the clues and adds nothing (the codes print again).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.core.calendar import today
from zhifa.documents.services import demo_credential_ensure, documents_render_pending
from zhifa.org.models import Agency, Officer
from zhifa.supervision import clue_services
from zhifa.supervision.clue_workflow import take
from zhifa.supervision.models_clues import Clue, ClueSource

BUREAU, AGENCY = "justice", "hrss"


def _user(agency: Agency, role: str) -> Any:
    officer = Officer.objects.filter(agency=agency, user__role=role, user__is_active=True).select_related(
        "user"
    )
    found = officer.order_by("pk").first()
    return found.user if found else None


def _at(days_ago: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def load(agencies: dict[str, Agency]) -> str:
    bureau, agency = agencies.get(BUREAU), agencies.get(AGENCY)
    if bureau is None or agency is None:
        return "监督线索：跳过（没有司法局或人社局）"
    supervisor, head, officer = (
        _user(bureau, Role.SUPERVISOR),
        _user(agency, Role.HEAD),
        _user(agency, Role.OFFICER),
    )
    if supervisor is None or head is None or officer is None:
        return "监督线索：跳过（缺少监督人员或人社局负责人、执法人员账号）"
    existing = Clue.objects.filter(bureau=bureau)
    if not existing.exists():
        Stories(bureau, agency, supervisor, head, officer).run()
    return summary(bureau)


def summary(bureau: Agency) -> str:
    clues = Clue.objects.filter(bureau=bureau)
    codes = [
        f"{clue_services.demo_code(c)}（{c.get_status_display()}）"
        for c in clues.filter(source=ClueSource.PORTAL).order_by("pk")
    ]
    return (
        f"监督线索 {clues.count()} 件（督办、监督意见文书 {sum(c.notices.count() for c in clues)} 份）；"
        f"投诉举报查询码（/public/complaints/status/）：{'、'.join(codes) or '无'}"
    )


class Stories:
    def __init__(self, bureau: Agency, agency: Agency, supervisor: Any, head: Any, officer: Any) -> None:
        self.bureau, self.agency = bureau, agency
        self.supervisor, self.head, self.officer = supervisor, head, officer

    def run(self) -> None:
        # The bureau signs its 督办通知书 and 监督意见书 from the first day of this history on.
        with time_machine.travel(_at(40, 8), tick=False):
            demo_credential_ensure(self.bureau)
        # In the order of their dates, so the clue numbers follow them.
        self.opinion_accepted()  # 35 days ago
        self.answered_complaint()  # 30
        self.overdue_supervision_notice()  # 28
        self.overdue_transfer()  # 20
        self.returned_and_waiting()  # 18
        self.credential_feedback()  # 15
        self.suggestion_reported()  # 14
        self.case_supervision()  # 3
        self.new_complaint()  # 1

    def at(self, days_ago: int) -> Any:
        return time_machine.travel(_at(days_ago), tick=False)

    def public(self, title: str, content: str, name: str, phone: str) -> Clue:
        clue, _ = clue_services.clue_submit_public(
            agency=self.agency, title=title, content=content, contact_name=name, contact_phone=phone
        )
        clue_services.clue_code_ensure_demo(clue)
        return clue

    def assign(self, clue: Clue, workdays: int, note: str = "") -> None:
        take("assign", actor=self.supervisor, clue=clue, agency=self.agency, workdays=workdays, note=note)

    def reply(self, clue: Clue, text: str, **extra: Any) -> None:
        take("reply", actor=self.officer, clue=clue, reply=text, **extra)

    def notice(self, clue: Clue, kind: str, issues: str, requirement: str, due_in: int) -> Any:
        notice = take(
            "notice",
            actor=self.supervisor,
            clue=clue,
            kind=kind,
            issues=issues,
            requirement=requirement,
            report_due=today() + dt.timedelta(days=due_in),
        )
        documents_render_pending()
        return notice

    def answered_complaint(self) -> None:
        with self.at(30):
            clue = self.public(
                "劳动保障监察执法人员未出示执法证件",
                "11月初，两名劳动保障监察人员到我单位检查，未出示执法证件，也未说明检查依据。",
                "刘女士",
                "13899001122",
            )
            self.assign(clue, 10, "请核查检查人员是否出示执法证件，并答复。")
        with self.at(22):
            self.reply(clue, "经核查，检查当日一名执法人员未主动出示证件，已批评教育并在大队内通报。")
        with self.at(21):
            take("review", actor=self.supervisor, clue=clue, decision="accept")
            take(
                "close",
                actor=self.supervisor,
                clue=clue,
                public_reply="您反映的问题属实。人社局已对当事执法人员批评教育，并要求全体执法人员检查时主动出示执法证件。感谢您的监督。",
            )

    def overdue_transfer(self) -> None:
        with self.at(20):
            clue = clue_services.clue_register(
                actor=self.supervisor,
                source=ClueSource.HOTLINE,
                agency=self.agency,
                title="12345 转办：举报某建筑工地拖欠农民工工资，人社局未及时处理",
                content="市民来电称已向人社局举报两周，未见处理结果。",
                origin_ref="12345-GD-20261113-0417",
                contact_name="陈先生",
                contact_phone="13700990011",
            )
            self.assign(clue, 5, "请核查举报处理情况，逾期将予督办。")

    def returned_and_waiting(self) -> None:
        with self.at(18):
            clue = clue_services.clue_register(
                actor=self.supervisor,
                source=ClueSource.MOJ,
                agency=self.agency,
                title="司法部行政执法监督平台转办：对劳动保障监察罚款不服",
                content="反映人称人社局罚款未告知陈述申辩权利。",
                origin_ref="SFB-JD-2026-11-0093",
                contact_name="黄先生",
                contact_phone="13600881234",
            )
            self.assign(clue, 10)
        with self.at(12):
            self.reply(clue, "经查，已依法告知。")
        with self.at(11):
            take(
                "review",
                actor=self.supervisor,
                clue=clue,
                decision="return",
                note="请附事先告知书送达回证，并说明当事人是否提出陈述申辩。",
            )
        with self.at(6):
            self.reply(
                clue, "已调取事先告知书及送达回证：当事人于送达后第三日提交书面陈述，办案人员已复核并记录。"
            )

    def credential_feedback(self) -> None:
        from zhifa.disclosure.feedback import feedback_submit
        from zhifa.org.models import Certificate

        certificate = Certificate.objects.filter(
            officer__agency=self.agency, officer__user=self.officer
        ).first()
        if certificate is None:
            return
        with self.at(15):
            feedback_submit(
                certificate=certificate,
                kind="complaint",
                content="检查时态度生硬，没有听我解释就要求停业整改。",
                contact_name="周先生",
                contact_phone="13500112233",
            )
            clue = clue_services.clue_import_feedback(actor=self.supervisor)[0]
            self.assign(clue, 10)
        with self.at(9):
            self.reply(clue, "已约谈当事执法人员，要求文明执法；责令整改系依法作出，已向投诉人解释依据。")
        with self.at(8):
            take("review", actor=self.supervisor, clue=clue, decision="accept")

    def overdue_supervision_notice(self) -> None:
        with self.at(28):
            clue = clue_services.clue_register(
                actor=self.supervisor,
                source=ClueSource.FINDING,
                agency=self.agency,
                title="专项监督发现：多起劳动保障监察案件超过办案期限",
                content="专项执法监督检查中发现，人社局三起立案案件超过九十日未作出决定，亦无延期审批。",
            )
            self.assign(clue, 15)
        with self.at(25):
            self.notice(
                clue,
                "supervision_notice",
                "三起劳动保障监察案件超过《行政处罚法》第六十条规定的九十日办案期限，无延期审批记录。",
                "一、逐案查明超期原因，依法尽快作出处理决定；二、建立办案期限预警和提醒制度；三、对相关责任人员提出处理意见。",
                due_in=14,  # past due by now: red on both sides
            )

    def opinion_accepted(self) -> None:
        with self.at(35):
            clue = clue_services.clue_register(
                actor=self.supervisor,
                source=ClueSource.FINDING,
                agency=self.agency,
                title="案卷抽查发现：行政处罚决定书未载明救济途径",
                content="抽查两份行政处罚决定书，未载明申请行政复议、提起行政诉讼的途径和期限。",
            )
            self.assign(clue, 15)
        with self.at(33):
            notice = self.notice(
                clue,
                "supervision_opinion",
                "行政处罚决定书未载明申请行政复议、提起行政诉讼的途径和期限，不符合《行政处罚法》第五十九条。",
                "立即修订决定书格式文本，对已送达的决定书依法补正告知。",
                due_in=15,
            )
        with self.at(24):
            self.reply(clue, "已修订决定书格式，并向两案当事人补充送达救济途径告知。")
            take(
                "report",
                actor=self.head,
                clue=clue,
                notice=notice.pk,
                report="已修订决定书格式文本，补正告知两件。",
            )
        with self.at(23):
            take("review", actor=self.supervisor, clue=clue, decision="accept")
            take("report_review", actor=self.supervisor, clue=clue, notice=notice.pk, decision="accept")
            take("close", actor=self.supervisor, clue=clue)

    def suggestion_reported(self) -> None:
        with self.at(14):
            clue = clue_services.clue_register(
                actor=self.supervisor,
                source=ClueSource.FINDING,
                agency=self.agency,
                title="监督检查发现：执法记录仪使用不规范",
                content="现场检查未全程录像的情况较多。",
            )
            self.assign(clue, 15)
            notice = self.notice(
                clue,
                "supervision_suggestion",
                "现场检查未全程使用执法记录仪，音像记录不完整。",
                "建议制定执法记录仪使用规范，开展专项培训，并定期抽查音像记录。",
                due_in=20,
            )
        with self.at(4):
            take(
                "report",
                actor=self.head,
                clue=clue,
                notice=notice.pk,
                report="已印发《执法记录仪使用管理办法》，组织培训一次。",
            )

    def case_supervision(self) -> None:
        from zhifa.cases.models import Case

        case = Case.objects.filter(agency=self.agency).order_by("pk").first()
        if case is None:
            return
        with self.at(3):
            clue_services.clue_open_on_case(
                actor=self.supervisor,
                case=case,
                title=f"个案监督：{case.number} 办理情况",
                content="调阅案卷发现，调查终结报告未载明裁量理由，请说明并依法处理。",
            )

    def new_complaint(self) -> None:
        with self.at(1):
            self.public(
                "投诉人社局受理举报后未答复",
                "10月底我通过电话举报公司未签劳动合同，至今没有人联系我。",
                "吴先生",
                "13988776655",
            )
