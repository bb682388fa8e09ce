"""The steps of an inspection task, declared once each and taken by the runner (zhifa.core.workflow).

到达现场（出示执法证、检查码） → 逐项检查 → 现场检查笔录（当事人签名或拒签） → 检查结果 →
（发现问题已责令改正的）复查. Two inspectors with certificates valid on the day take every step
(《行政处罚法》第四十二条、第五十五条).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.tasks import after_commit
from zhifa.core.workflow import Run, Step, StepForm, Who
from zhifa.inspections import task_policies, task_services
from zhifa.inspections.models import (
    Answer,
    InspectionTask,
    ItemCheck,
    Signature,
    TaskResult,
    TaskStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})

INSPECTOR: Who[InspectionTask] = Who("本任务的检查人员", task_policies.is_inspector)


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。")
    return value


def _guard_inspectors(task: InspectionTask, on: dt.date) -> None:
    task_services.ensure_inspectors(task.inspectors, task.subject, on)
    for officer in task.joint_inspectors.all():  # 综合查一次: each agency's inspectors, same rules
        task_services.ensure_inspectors([task.inspector_a, officer], task.subject, on)


# ── 到达现场 ────────────────────────────────────────────────────────────────────────────


class StartForm(StepForm):
    code_shown = forms.BooleanField(
        label="已向检查对象出示执法证件和检查码",
        required=False,
        help_text="《行政处罚法》第五十五条：执法人员应当主动出示执法证件；检查码供检查对象扫码核验本次检查。",
    )
    place = forms.CharField(label="检查地点", max_length=200)


def _guard_start(task: InspectionTask, on: dt.date) -> None:
    if on < task.valid_from or on > task.valid_until:
        raise DomainError(
            f"本检查任务的检查期间为 {task.valid_from:%Y-%m-%d} 至 {task.valid_until:%Y-%m-%d}，今天不在期间内，"
            "不能开始现场检查。"
        )
    _guard_inspectors(task, on)


def _start(run: Run[InspectionTask], *, code_shown: bool, place: str) -> InspectionTask:
    task = run.subject
    task.started_at = timezone.now()
    task.code_shown = bool(code_shown)
    task.place = _text(place, "检查地点")[:200]
    task.save()
    run.record(
        f"到达现场开始检查（{task.place}）{'，已出示执法证件和检查码' if code_shown else '，未出示检查码'}",
        code_shown=task.code_shown,
    )
    task_services.warnings_raise_for_visit(task)
    return task


# ── 逐项检查 ────────────────────────────────────────────────────────────────────────────


class ChecklistForm(StepForm):
    """One 符合/不符合/不适用 and a note per item of the task (answer_<item id>, note_<item id>)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        task: InspectionTask = self.subject
        done = {c.item_id: c for c in task.checks.all()} if task.pk else {}
        for item in task.items.order_by("code"):
            previous = done.get(item.pk)
            self.fields[f"answer_{item.pk}"] = forms.ChoiceField(
                label=item.name,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                initial=previous.answer if previous else None,
                help_text=item.content[:200],
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label="说明", required=False, max_length=500, initial=previous.note if previous else ""
            )

    def data_for_step(self) -> dict[str, Any]:
        task: InspectionTask = self.subject
        answers = {}
        for item in task.items.all():
            answers[item.pk] = (
                self.cleaned_data[f"answer_{item.pk}"],
                self.cleaned_data.get(f"note_{item.pk}", ""),
            )
        return {"answers": answers}


def _checklist(run: Run[InspectionTask], *, answers: dict[int, tuple[str, str]]) -> InspectionTask:
    task = run.subject
    items = {i.pk: i for i in task.items.all()}
    unknown = set(answers) - set(items)
    if unknown:
        raise InvalidInput("所填检查事项不属于本检查任务。")
    for pk, (answer, note) in answers.items():
        if answer not in Answer.values:
            raise InvalidInput(f"“{items[pk].name}”的检查结论应为符合、不符合或不适用。")
        if answer == Answer.FAIL and not note.strip():
            raise InvalidInput(f"“{items[pk].name}”不符合的，请在说明中写明发现的问题。")
        ItemCheck.objects.update_or_create(
            task=task,
            item=items[pk],
            defaults={"answer": answer, "note": note.strip()[:500], "checked_by": run.actor},
        )
    failed = sum(1 for a, _ in answers.values() if a == Answer.FAIL)
    run.record(
        f"逐项检查：{len(answers)} 项，其中不符合 {failed} 项",
        answers={str(k): v[0] for k, v in answers.items()},
    )
    return task


# ── 现场检查笔录 ────────────────────────────────────────────────────────────────────────


class RecordForm(StepForm):
    record_started_at = forms.DateTimeField(label="检查开始时间", widget=DATETIME)
    record_ended_at = forms.DateTimeField(label="检查结束时间", widget=DATETIME)
    present_person = forms.CharField(label="在场人（当事人或其负责人）", max_length=100, required=False)
    findings = forms.CharField(label="现场检查情况", widget=TEXT)
    signature = forms.ChoiceField(label="当事人签字", choices=Signature.choices)
    signature_note = forms.CharField(
        label="拒签或不在场的情况",
        max_length=300,
        required=False,
        help_text="拒绝签名或不在场的，写明情况和见证人。",
    )


def _guard_record(task: InspectionTask, on: dt.date) -> None:
    answered = set(task.checks.values_list("item_id", flat=True))
    missing = [i.name for i in task.items.all() if i.pk not in answered]
    if missing:
        raise DomainError(f"检查事项“{'、'.join(missing[:3])}”尚未逐项填写检查结论，不能制作现场检查笔录。")
    task_services.ensure_recorded(task, on)
    _guard_inspectors(task, on)


def _record(
    run: Run[InspectionTask],
    *,
    record_started_at: dt.datetime,
    record_ended_at: dt.datetime,
    present_person: str,
    findings: str,
    signature: str,
    signature_note: str,
) -> InspectionTask:
    task = run.subject
    if record_ended_at < record_started_at:
        raise InvalidInput("检查结束时间不能早于开始时间。")
    if record_started_at > timezone.now():
        raise InvalidInput("检查开始时间不能晚于现在。")
    if signature not in Signature.values:
        raise InvalidInput("请选择当事人签字情况。")
    if signature != Signature.SIGNED and not signature_note.strip():
        raise InvalidInput(
            "当事人拒绝签名或者不在场的，应当在笔录中注明情况，由两名检查人员签名（《行政处罚法》第五十五条）。"
        )
    task.record_started_at, task.record_ended_at = record_started_at, record_ended_at
    task.present_person = present_person.strip()[:100]
    task.findings = _text(findings, "现场检查情况")
    task.signature, task.signature_note = signature, signature_note.strip()[:300]
    task.save()
    run.record(
        f"制作现场检查笔录，{task.get_signature_display()}", reason=task.signature_note, signature=signature
    )
    return task


# ── 检查结果 ────────────────────────────────────────────────────────────────────────────


class ResultForm(StepForm):
    result = forms.ChoiceField(label="检查结果", choices=TaskResult.choices)
    result_note = forms.CharField(label="结果说明", widget=TEXT, required=False)
    violation = forms.CharField(label="发现的问题（责令改正的）", widget=TEXT, required=False)
    requirement = forms.CharField(label="改正要求", widget=TEXT, required=False)
    deadline = forms.DateField(label="改正期限", widget=DATE, required=False)
    follow_up_on = forms.DateField(label="复查日期", widget=DATE, required=False)
    cause = forms.CharField(label="案由（移送立案的）", max_length=200, required=False)


def _guard_result(task: InspectionTask, on: dt.date) -> None:
    if task.status == TaskStatus.ON_SITE or task.signature == "":
        raise DomainError(
            "尚未制作现场检查笔录，不能登记检查结果（《行政处罚法》第四十七条：执法全过程应当记录）。"
        )
    _guard_inspectors(task, on)


def _issue_rectification(
    run: Run[InspectionTask], *, violation: str, requirement: str, deadline: dt.date
) -> Any:
    from zhifa.documents.services import document_issue

    task = run.subject
    subject = task.subject
    document = document_issue(
        actor=run.actor,
        agency=task.agency,
        kind="rectification_order",
        content={
            "case": {
                "number": task.number,
                "party": {
                    "kind": "organisation",
                    "name": subject.name,
                    "id_label": "统一社会信用代码",
                    "id_number": subject.uscc,
                    "address": subject.address,
                },
            },
            "violation": violation,
            "requirement": requirement,
            "deadline": f"{deadline:%Y-%m-%d}",
            "basis_text": "《中华人民共和国行政处罚法》第二十八条第一款",
        },
        subject_ref=task.subject_ref,
        subject_label=task.number,
    )
    run.record(f"制发责令(限期)改正通知书 {document.number}", action="document_issued", document=document.pk)
    return document


def _result(
    run: Run[InspectionTask],
    *,
    result: str,
    result_note: str = "",
    violation: str = "",
    requirement: str = "",
    deadline: dt.date | None = None,
    follow_up_on: dt.date | None = None,
    cause: str = "",
) -> InspectionTask:
    task = run.subject
    if result not in TaskResult.values:
        raise InvalidInput("请选择检查结果。")
    task.result, task.result_note, task.concluded_on = result, result_note.strip(), run.on
    if result == TaskResult.CORRECTED:
        violation, requirement = _text(violation, "发现的问题"), _text(requirement, "改正要求")
        if deadline is None or deadline < run.on:
            raise InvalidInput("请填写不早于今天的改正期限（《行政处罚法》第二十八条第一款：责令改正）。")
        if follow_up_on is None or follow_up_on < deadline:
            raise InvalidInput("请填写不早于改正期限的复查日期。")
        task.rectification_document = _issue_rectification(
            run, violation=violation, requirement=requirement, deadline=deadline
        )
        task.follow_up_on = follow_up_on
    elif result == TaskResult.TRANSFERRED:
        summary = task.result_note or task.findings
        task.case = task_services.transfer_to_case(
            run.actor, task, cause=_text(cause, "案由"), summary=summary
        )
    task.save()
    extra = f"，复查日期 {follow_up_on:%Y-%m-%d}" if result == TaskResult.CORRECTED and follow_up_on else ""
    if task.case is not None:
        extra = f"，已移送立案（案源 {task.case.number}）"
    run.record(
        f"检查结果：{task.get_result_display()}{extra}",
        action="conclude",
        reason=task.result_note,
        result=result,
    )
    from zhifa.inspections import task_publication

    after_commit(task_publication.result_draft_prepare, task.pk)
    return task


def _route_result(task: InspectionTask) -> str:
    if task.result == TaskResult.CORRECTED:
        return TaskStatus.RECTIFYING
    if task.result == TaskResult.TRANSFERRED:
        return TaskStatus.TRANSFERRED
    return TaskStatus.CLOSED


# ── 复查 ────────────────────────────────────────────────────────────────────────────────


class FollowUpForm(StepForm):
    corrected = forms.TypedChoiceField(
        label="复查结论",
        choices=[("1", "已按期改正"), ("0", "逾期未改正，移送立案")],
        coerce=lambda v: v in ("1", True, "true"),
    )
    note = forms.CharField(label="复查情况", widget=TEXT)
    cause = forms.CharField(label="案由（未改正移送立案的）", max_length=200, required=False)


def _follow_up(run: Run[InspectionTask], *, corrected: bool, note: str, cause: str = "") -> InspectionTask:
    task = run.subject
    task.follow_up_note = _text(note, "复查情况")
    task.followed_up_on = run.on
    if not corrected:
        task.case = task_services.transfer_to_case(
            run.actor, task, cause=_text(cause, "案由"), summary=task.follow_up_note
        )
    task.save()
    run.record(
        "复查：已按期改正"
        if corrected
        else f"复查：逾期未改正，已移送立案（案源 {task.case.number if task.case else ''}）",
        action="follow_up",
        reason=task.follow_up_note,
        corrected=corrected,
    )
    return task


def _route_follow_up(task: InspectionTask) -> str:
    return TaskStatus.TRANSFERRED if task.case_id else TaskStatus.CLOSED


STEPS: list[Step[InspectionTask]] = [
    Step(
        code="start",
        label="到达现场开始检查",
        who=INSPECTOR,
        statuses=frozenset({TaskStatus.ASSIGNED}),
        leads_to=(TaskStatus.ON_SITE,),
        guard=_guard_start,
        form=StartForm,
        perform=_start,
    ),
    Step(
        code="checklist",
        label="逐项检查",
        who=INSPECTOR,
        statuses=frozenset({TaskStatus.ON_SITE}),
        leads_to=(TaskStatus.ON_SITE,),
        guard=_guard_inspectors,
        form=ChecklistForm,
        perform=_checklist,
    ),
    Step(
        code="record",
        label="制作现场检查笔录",
        who=INSPECTOR,
        statuses=frozenset({TaskStatus.ON_SITE}),
        leads_to=(TaskStatus.RECORDED,),
        guard=_guard_record,
        form=RecordForm,
        perform=_record,
    ),
    Step(
        code="result",
        label="登记检查结果",
        who=INSPECTOR,
        statuses=frozenset({TaskStatus.ON_SITE, TaskStatus.RECORDED}),
        leads_to=(TaskStatus.CLOSED, TaskStatus.RECTIFYING, TaskStatus.TRANSFERRED),
        leads_from=frozenset({TaskStatus.RECORDED}),
        route=_route_result,
        guard=_guard_result,
        form=ResultForm,
        perform=_result,
    ),
    Step(
        code="follow_up",
        label="复查",
        who=INSPECTOR,
        statuses=frozenset({TaskStatus.RECTIFYING}),
        leads_to=(TaskStatus.CLOSED, TaskStatus.TRANSFERRED),
        route=_route_follow_up,
        guard=_guard_inspectors,
        form=FollowUpForm,
        perform=_follow_up,
    ),
]
