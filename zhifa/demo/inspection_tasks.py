"""演示行政检查任务: the 市场监管局's inspection tasks in every state, taken through the services
and the step runner as its inspectors would on the phone.

- 待检查, 现场检查中, 笔录已制作, 已办结 (未发现问题, 未发现经营, 无法联系), 责令改正待复查 (with a
  signed 责令改正通知书), 复查后办结, and 移送立案 (a case clue carrying the record and the photo);
- one subject visited three times this year (over the 无事不扰 limit) and one visit without a
  检查码: both raise warnings for the head and the 司法局;
- the results drafted for the portal; the older ones approved.

It uses the registry's subjects when the registry demo has loaded them (else a few of its own)
and the agency's published 随机抽查事项 (else two of its own). Built once: a second run finds the
tasks and adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from stdnum.cn import uscc

from zhifa.accounts.models import Role
from zhifa.catalog.models import InspectionItem
from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import DomainError
from zhifa.org.models import Agency, Officer
from zhifa.org.selectors import officer_standing

MARK = "演示："
AGENCY = "samr"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
ITEMS = (
    (
        "SC-SJ-001",
        "食品经营者经营条件检查",
        "《中华人民共和国食品安全法》第一百一十条",
        "许可证照、进货查验、贮存条件",
    ),
    ("SC-SJ-002", "明码标价检查", "《明码标价和禁止价格欺诈规定》第二十四条", "标价签、价目表"),
)
SUBJECTS = (
    ("示例县城关镇味美餐馆", "城关镇解放路12号", "B"),
    ("示例县惠民超市有限公司", "城关镇建设路88号", "C"),
    ("示例县老街小吃店", "城关镇老街3号", "D"),
    ("示例县鑫源食品商行", "东关镇农贸市场内", "B"),
    ("示例县鲜果行", "城关镇人民路5号", "A"),
    ("示例县百味调料店", "西关镇新街17号", "C"),
    ("示例县乐购便利店", "城关镇北街9号", "B"),
    ("示例县晨光早餐店", "城关镇文化路2号", "C"),
)


@dataclass
class Made:
    tasks: int = 0
    warnings: int = 0
    skipped: str = ""


def _code(serial: int) -> str:
    base = f"92990121MA{serial:07d}"
    return base + uscc.calc_check_digit(base)


def _inspectors(agency: Agency) -> list[Any]:
    """Two (or more) officers of the agency with a login and a certificate in force today."""
    users = []
    for officer in Officer.objects.filter(
        agency=agency, is_active=True, user__isnull=False, user__role=Role.OFFICER
    ):
        if officer_standing(officer, on=today()).can_act:
            users.append(officer.user)
    return users


def _items(agency: Agency) -> list[InspectionItem]:
    from zhifa.catalog.services.inspections import inspection_item_create

    items = list(InspectionItem.objects.filter(agency=agency).order_by("code")[:2])
    if items:
        return items
    start = today() - dt.timedelta(days=400)
    return [
        inspection_item_create(
            actor=None,
            agency=agency,
            code=code,
            effective_from=start,
            name=name,
            subject_type="食品经营者、经营者",
            basis=basis,
            content=content,
            method="现场检查",
            ratio="每年不低于5%",
        )
        for code, name, basis, content in ITEMS
    ]


def _subjects(agency: Agency) -> list[Any]:
    from zhifa.inspections.models import Subject

    # The registry demo's subjects of the county, not drawn (the drawn tasks stay the plans').
    registry = Subject.objects.filter(is_active=True, region__path__startswith=agency.region.path)
    found = list(registry.filter(draw_assignments__isnull=True).order_by("uscc")[: len(SUBJECTS)])
    if len(found) >= len(SUBJECTS):
        return found
    made = []
    for serial, (name, address, risk) in enumerate(SUBJECTS, start=1):
        subject, _ = Subject.objects.get_or_create(
            uscc=_code(serial),
            defaults={
                "name": name,
                "address": f"示例县{address}",
                "region": agency.region,
                "risk_class": risk,
            },
        )
        made.append(subject)
    return made


def summary(made: Made) -> str:
    if made.skipped and not made.tasks:
        return f"    演示行政检查任务：跳过（{made.skipped}）。"
    note = f"；{made.skipped}" if made.skipped else ""
    return f"    演示行政检查任务新建 {made.tasks} 件（各环节、各种结果），无事不扰预警 {made.warnings} 条{note}。"


def load(agencies: dict[str, Agency]) -> Made:
    from zhifa.inspections.models import InspectionTask, InspectionWarning

    agency = agencies.get(AGENCY)
    if agency is None:
        return Made(skipped="没有市场监管局")
    if InspectionTask.objects.filter(agency=agency, reason__startswith=MARK).exists():
        return Made(skipped="已有")
    inspectors = _inspectors(agency)
    if len(inspectors) < 2:
        return Made(skipped="市场监管局没有两名持有效执法证的执法人员")
    head = next((o.user for o in Officer.objects.filter(agency=agency, user__role=Role.HEAD) if o.user), None)
    stories = Stories(agency, inspectors[0], inspectors[1], head, _items(agency), _subjects(agency))
    made = stories.run()
    made.warnings = InspectionWarning.objects.filter(agency=agency).count()
    return made


class Stories:
    def __init__(
        self, agency: Agency, a: Any, b: Any, head: Any, items: list[Any], subjects: list[Any]
    ) -> None:
        self.agency, self.a, self.b, self.head = agency, a, b, head
        self.items, self.subjects = items, subjects
        self.made = Made()

    def task(self, subject: Any, what: str, *, kind: str = "special", start: dt.date | None = None) -> Any:
        from zhifa.inspections.task_services import task_create

        start = start or today() - dt.timedelta(days=5)
        self.made.tasks += 1
        return task_create(
            actor=self.head or self.a,
            kind=kind,
            subject=subject,
            agency=self.agency,
            items=self.items,
            inspectors=[self.a.officer, self.b.officer],
            valid_from=start,
            valid_until=today() + dt.timedelta(days=30),
            reason=f"{MARK}{what}",
        )

    def visit(
        self, task: Any, *, on: dt.date | None = None, code_shown: bool = True, fail: bool = False
    ) -> None:
        from zhifa.evidence.storage import stage_stream
        from zhifa.inspections.task_services import AttachmentMeta, task_attachment_add
        from zhifa.inspections.task_workflow import take

        on = on or today()
        take(
            "start",
            actor=self.a,
            task=task,
            on=on,
            code_shown=code_shown,
            place=task.subject.address or "经营场所",
        )
        answers = {i.pk: ("pass", "") for i in self.items}
        if fail:
            answers[self.items[0].pk] = ("fail", "冷藏柜温度 12℃，超过标示的贮存条件；部分食品未索证索票")
        take("checklist", actor=self.b, task=task, on=on, answers=answers)
        task_attachment_add(
            actor=self.a,
            task=task,
            staged=stage_stream(io.BytesIO(PNG)),
            meta=AttachmentMeta(kind="photo", title="经营场所现场照片", collected_at=timezone.now()),
            original_name="site.png",
            content_type="image/png",
        )
        now = timezone.now()
        take(
            "record",
            actor=self.a,
            task=task,
            on=on,
            record_started_at=now - dt.timedelta(minutes=50),
            record_ended_at=now - dt.timedelta(minutes=5),
            present_person="",
            findings="执法人员出示执法证件和检查码，在经营者负责人陪同下对经营场所进行检查。"
            + ("发现冷藏柜温度异常、部分食品未索证索票。" if fail else "未发现违法行为。"),
            signature="signed",
            signature_note="",
        )

    def result(self, task: Any, result: str, *, on: dt.date | None = None, **extra: Any) -> None:
        from zhifa.inspections.task_workflow import take

        take("result", actor=self.a, task=task, on=on or today(), result=result, **extra)

    def run(self) -> Made:
        from zhifa.inspections.task_workflow import take

        s = self.subjects
        self.task(s[0], "食品安全专项检查（待检查）")
        on_site = self.task(s[1], "投诉举报核查（现场检查中）", kind="complaint")
        take("start", actor=self.a, task=on_site, code_shown=True, place=s[1].address or "经营场所")
        recorded = self.task(s[2], "上级交办（笔录已制作）", kind="assigned")
        self.visit(recorded)
        clean = self.task(s[0], "食品安全专项检查（未发现问题）", start=today() - dt.timedelta(days=60))
        self.visit(clean, on=today() - dt.timedelta(days=40))
        self.result(
            clean, "no_problem", on=today() - dt.timedelta(days=40), result_note="经检查，未发现违法行为。"
        )
        closed_shop = self.task(s[4], "食品安全专项检查（未发现经营）")
        self.visit(closed_shop)
        self.result(closed_shop, "not_operating", result_note="经营场所已关闭，未发现经营活动。")
        away = self.task(s[5], "投诉举报核查（无法联系）", kind="complaint")
        self.visit(away)
        self.result(away, "unreachable", result_note="多次上门及电话联系均未果。")
        try:
            rectifying = self.task(s[6], "食品安全专项检查（责令改正待复查）")
            self.visit(rectifying, fail=True)
            self.result(
                rectifying,
                "corrected",
                violation="冷藏食品未按标示的贮存条件贮存",
                requirement="立即调整冷藏设备温度，并建立进货查验记录",
                deadline=add_workdays(today(), 5).date,
                follow_up_on=add_workdays(today(), 7).date,
            )
            reviewed = self.task(s[7], "食品安全专项检查（复查后办结）")
            self.visit(reviewed, fail=True)
            self.result(
                reviewed,
                "corrected",
                violation="未建立进货查验记录",
                requirement="三日内建立进货查验记录",
                deadline=today(),
                follow_up_on=today(),
            )
            take("follow_up", actor=self.b, task=reviewed, corrected=True, note="复查：已建立进货查验记录。")
        except DomainError as exc:  # the agency cannot sign (the case demo installs its credential)
            self.made.skipped = f"责令改正通知书未能签发：{exc.message}"
        # 移送立案, on the subject inspected for the third time this year: over the limit.
        transferred = self.task(s[0], "投诉举报核查（移送立案）", kind="complaint")
        self.visit(transferred, fail=True)
        self.result(
            transferred,
            "transferred",
            cause="涉嫌经营超过保质期的食品",
            result_note="发现涉嫌违法行为，移送立案查处。",
        )
        again = self.task(s[0], "食品安全专项复查（同一对象年内第三次检查）")
        self.visit(again, code_shown=False)
        self._publish()
        return self.made

    def _publish(self) -> None:
        """Draft every result for the portal; approve the ones older than a week."""
        from zhifa.disclosure import policies
        from zhifa.disclosure.services import publication_approve
        from zhifa.inspections.models import InspectionTask
        from zhifa.inspections.task_publication import result_prepare

        admin = policies.drafter_for(self.agency)
        if admin is None:
            return
        for task in InspectionTask.objects.filter(agency=self.agency, reason__startswith=MARK, result__gt=""):
            try:
                version = result_prepare(actor=admin, task=task)
            except DomainError:
                continue
            if task.concluded_on is not None and task.concluded_on < today() - dt.timedelta(days=7):
                publication_approve(actor=admin, version=version)
