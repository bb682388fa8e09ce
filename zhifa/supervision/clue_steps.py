"""The steps of a clue, declared once each and taken by the runner (zhifa.core.workflow).

登记 → 分办（承办执法主体、办理期限） → 办理并答复（附件） → 审核（认可，或退回重办） → 办结（答复反映人）.
Beside the main line, on an open clue: 督办通知书 / 监督意见书 / 建议书 (signed, with the 整改报告 due),
the agency's 整改报告, and the supervisor's 认可 of it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from zhifa.core import jurisdiction
from zhifa.core.calendar import add_workdays, workdays_between
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.workflow import Run, Step, StepForm, Who
from zhifa.org.models import Agency
from zhifa.supervision import clue_policies, policies
from zhifa.supervision.models_clues import (
    Clue,
    ClueAttachment,
    ClueNotice,
    ClueStatus,
    NoticeKind,
    NoticeStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})

SUPERVISOR: Who[Clue] = Who("本区域司法行政部门的监督人员", clue_policies.is_supervisor_for)
HANDLER: Who[Clue] = Who("承办执法主体的负责人或执法人员", clue_policies.is_handler_for)
OPEN = frozenset({ClueStatus.ASSIGNED, ClueStatus.REPLIED, ClueStatus.ACCEPTED})
HANDLING_SOURCE = jurisdiction.DEFINITIONS["clue_handling_workdays"].source


def handling_workdays() -> int:
    return int(jurisdiction.value("clue_handling_workdays"))


def rectification_workdays() -> int:
    return int(jurisdiction.value("clue_rectification_workdays"))


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。")
    return value


def _attach(
    run: Run[Clue], files: list[tuple[str, Any]], notice: ClueNotice | None = None
) -> list[dict[str, Any]]:
    """Stage the uploads (hashed, SHA-256 and SM3), store them content-addressed and tie them to the
    clue; their hashes go into the event. Called by a step once its rules have passed, so a refused
    step stages nothing and leaves no staging file behind."""
    from zhifa.evidence import storage
    from zhifa.evidence.services import blob_store

    stored = []
    for name, upload in files or []:
        upload.seek(0)
        blob = blob_store(staged=storage.stage_stream(upload))
        ClueAttachment.objects.create(
            clue=run.subject, notice=notice, blob=blob, filename=name[:200], uploaded_by=run.actor
        )
        stored.append({"name": name[:200], "sha256": blob.sha256, "size": blob.size})
    return stored


# ── 分办 ────────────────────────────────────────────────────────────────────────────────


class AssignForm(StepForm):
    agency = forms.ModelChoiceField(label="承办执法主体", queryset=Agency.objects.none())
    workdays = forms.IntegerField(label="办理期限（工作日）", min_value=1)
    note = forms.CharField(label="分办意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = policies.supervised_agencies(self.user).filter(
            is_justice_bureau=False
        )
        if self.subject.agency_id:
            self.fields["agency"].initial = self.subject.agency_id
        self.fields["workdays"].initial = handling_workdays()
        self.fields["workdays"].help_text = f"至多 {handling_workdays()} 个工作日（{HANDLING_SOURCE}）。"


def _assign(run: Run[Clue], *, agency: Agency, workdays: int, note: str = "") -> Clue:
    clue = run.subject
    limit = handling_workdays()
    if not 1 <= int(workdays) <= limit:
        raise InvalidInput(f"办理期限应为 1 至 {limit} 个工作日（{HANDLING_SOURCE}）。")
    if agency.is_justice_bureau:
        raise InvalidInput("监督线索应分办给被反映问题的执法主体办理，而不是司法行政部门本身。")
    policies.ensure_supervisor_of(run.actor, agency)
    clue.agency = agency
    clue.assigned_on = run.on
    clue.due_on = add_workdays(run.on, int(workdays)).date
    clue.assignment_note = (note or "").strip()
    clue.save()
    run.record(
        f"分办至{agency.name}，限 {workdays} 个工作日内（{clue.due_on:%Y-%m-%d} 前）办理并答复",
        reason=clue.assignment_note,
        agency=agency.pk,
        workdays=int(workdays),
        due_on=clue.due_on,
    )
    return clue


# ── 办理并答复 ──────────────────────────────────────────────────────────────────────────


class AttachingForm(StepForm):
    """A step's form with one optional attachment, staged (hashed) by the step after its rules pass."""

    attachment = forms.FileField(label="附件", required=False, help_text="核查材料、照片或处理文书（可选）。")

    def data_for_step(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        upload = data.pop("attachment", None)
        data["files"] = [(upload.name or "附件", upload)] if upload else []
        return data


class ReplyForm(AttachingForm):
    reply = forms.CharField(label="办理情况和答复意见", widget=TEXT)
    delay_reason = forms.CharField(
        label="逾期理由", widget=TEXT, required=False, help_text="超过办理期限答复的，应当说明逾期理由。"
    )
    field_order = ["reply", "delay_reason", "attachment"]


def _reply(
    run: Run[Clue], *, reply: str, delay_reason: str = "", files: list[tuple[str, Any]] | None = None
) -> Clue:
    clue = run.subject
    assert clue.due_on is not None
    late = run.on > clue.due_on
    if late and not (delay_reason or "").strip():
        raise InvalidInput(
            f"办理期限已于 {clue.due_on:%Y-%m-%d} 届满，逾期答复的应当说明逾期理由"
            f"（监督线索办理期限：{HANDLING_SOURCE}）。"
        )
    clue.reply = _text(reply, "办理情况和答复意见")
    clue.replied_on = run.on
    clue.save()
    stored = _attach(run, files or [])
    late_days = workdays_between(clue.due_on, run.on) if late else 0
    run.record(
        f"{clue.agency.name if clue.agency else ''}答复办理情况"
        + (f"（逾期 {late_days} 个工作日）" if late else ""),
        reason=(delay_reason or "").strip(),
        late_workdays=late_days,
        attachments=stored,
    )
    return clue


# ── 审核 ────────────────────────────────────────────────────────────────────────────────


class ReviewForm(StepForm):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("accept", "认可办理结果"), ("return", "退回重新办理")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审核意见", widget=TEXT, required=False, help_text="退回的，写明理由。")


def _review(run: Run[Clue], *, decision: str, note: str = "") -> Clue:
    clue = run.subject
    note = (note or "").strip()
    if decision == "return":
        if not note:
            raise InvalidInput("退回重新办理的，应当写明退回理由。")
        clue.returns += 1
        summary = f"审核：退回{clue.agency.name if clue.agency else ''}重新办理（第 {clue.returns} 次）"
    elif decision == "accept":
        summary = "审核：认可办理结果"
    else:
        raise InvalidInput("审核结论应为认可或退回。")
    clue.review_decision, clue.review_note = decision, note
    clue.save()
    run.record(summary, action=f"review_{decision}", reason=note, decision=decision)
    return clue


# ── 办结 ────────────────────────────────────────────────────────────────────────────────


class CloseForm(StepForm):
    public_reply = forms.CharField(
        label="答复反映人",
        widget=TEXT,
        required=False,
        help_text="反映人凭查询码可看到这段答复；不写其他当事人的个人信息。",
    )


def _guard_close(clue: Clue, on: dt.date) -> None:
    pending = [n for n in clue.notices.all() if n.status != NoticeStatus.ACCEPTED]
    if pending:
        raise DomainError(
            f"{pending[0].get_kind_display()}要求的整改报告尚未认可，不能办结"
            "（重大行政执法案事件督办制度：督办事项整改到位后方可办结）。"
        )


def _close(run: Run[Clue], *, public_reply: str = "") -> Clue:
    from zhifa.disclosure.feedback import feedback_handle

    clue = run.subject
    public_reply = (public_reply or "").strip()
    if clue.is_public and not public_reply:
        raise InvalidInput(
            "公众反映的线索办结时应当答复反映人（《行政处罚法》第七十五条第二款：处理结果应当告知）。"
        )
    clue.public_reply = public_reply
    clue.closed_on = run.on
    clue.handling_workdays = workdays_between(clue.registered_on, run.on)
    clue.save()
    if clue.feedback is not None:
        feedback_handle(
            actor=run.actor, feedback=clue.feedback, reply=public_reply, handled_at=timezone.now()
        )
    run.record(
        f"办结（自登记起 {clue.handling_workdays} 个工作日）",
        replied_to_complainant=bool(public_reply),
    )
    return clue


# ── 督办通知书、监督意见书、建议书 ─────────────────────────────────────────────────────


class NoticeForm(StepForm):
    kind = forms.ChoiceField(label="文书", choices=NoticeKind.choices)
    issues = forms.CharField(label="发现的问题", widget=TEXT)
    requirement = forms.CharField(label="监督意见和整改要求", widget=TEXT)
    report_due = forms.DateField(label="整改报告期限", widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from zhifa.core.calendar import today

        self.fields["report_due"].initial = add_workdays(today(), rectification_workdays()).date


def _notice(run: Run[Clue], *, kind: str, issues: str, requirement: str, report_due: dt.date) -> ClueNotice:
    from zhifa.documents.services import document_issue

    clue = run.subject
    if kind not in NoticeKind.values:
        raise InvalidInput("请选择督办通知书、行政执法监督意见书或建议书。")
    if report_due <= run.on:
        raise InvalidInput("整改报告期限应当晚于今天。")
    assert clue.agency is not None
    issues, requirement = _text(issues, "发现的问题"), _text(requirement, "监督意见和整改要求")
    document = document_issue(
        actor=run.actor,
        agency=clue.bureau,
        kind=kind,
        content={
            "addressee": clue.agency.name,
            "clue": {"number": clue.number, "title": clue.title, "source": clue.get_source_display()},
            "issues": issues,
            "requirement": requirement,
            "report_due": f"{report_due:%Y-%m-%d}",
            "basis_text": "《中华人民共和国行政处罚法》第七十五条",
        },
        subject_ref=f"clue:{clue.pk}",
        subject_label=clue.number,
    )
    notice = ClueNotice.objects.create(
        clue=clue,
        kind=kind,
        document=document,
        agency=clue.agency,
        issues=issues,
        requirement=requirement,
        report_due=report_due,
    )
    run.record(
        f"制发{notice.get_kind_display()}（{document.number}），整改报告限 {report_due:%Y-%m-%d} 前报送",
        action=f"notice_{kind}",
        notice=notice.pk,
        document=document.pk,
        report_due=report_due,
    )
    return notice


def _notice_of(clue: Clue, pk: Any, status: str) -> ClueNotice:
    notice = clue.notices.filter(pk=pk).first() if str(pk).isdigit() else None
    if notice is None:
        raise InvalidInput("所选文书不属于本监督线索。")
    if notice.status != status:
        raise InvalidInput(
            f"该{notice.get_kind_display()}当前为“{notice.get_status_display()}”，不能进行此操作。"
        )
    return notice


class ReportForm(AttachingForm):
    notice = forms.ChoiceField(label="督办或监督意见文书")
    report = forms.CharField(label="整改报告", widget=TEXT)
    field_order = ["notice", "report", "attachment"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        waiting = self.subject.notices.filter(status=NoticeStatus.ISSUED) if self.subject.pk else []
        self.fields["notice"].choices = [
            (n.pk, f"{n.get_kind_display()} {n.document.number}") for n in waiting
        ]


def _report(
    run: Run[Clue], *, notice: Any, report: str, files: list[tuple[str, Any]] | None = None
) -> ClueNotice:
    found = _notice_of(run.subject, notice, NoticeStatus.ISSUED)
    found.report = _text(report, "整改报告")
    found.reported_on = run.on
    found.status = NoticeStatus.REPORTED
    found.save()
    stored = _attach(run, files or [], notice=found)
    late = run.on > found.report_due
    run.record(
        f"报送{found.get_kind_display()}的整改报告" + ("（逾期）" if late else ""),
        action="report",
        notice=found.pk,
        late=late,
        attachments=stored,
    )
    return found


class ReportReviewForm(StepForm):
    notice = forms.ChoiceField(label="整改报告")
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("accept", "认可整改报告"), ("return", "退回补充整改")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="审核意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        waiting = self.subject.notices.filter(status=NoticeStatus.REPORTED) if self.subject.pk else []
        self.fields["notice"].choices = [
            (n.pk, f"{n.get_kind_display()} {n.document.number}") for n in waiting
        ]


def _report_review(run: Run[Clue], *, notice: Any, decision: str, note: str = "") -> ClueNotice:
    found = _notice_of(run.subject, notice, NoticeStatus.REPORTED)
    note = (note or "").strip()
    if decision == "accept":
        found.status, found.accepted_on = NoticeStatus.ACCEPTED, run.on
    elif decision == "return":
        if not note:
            raise InvalidInput("退回整改报告的，应当写明需要补充整改的内容。")
        found.status = NoticeStatus.ISSUED
    else:
        raise InvalidInput("审核结论应为认可或退回。")
    found.review_note = note
    found.save()
    run.record(
        f"{'认可' if decision == 'accept' else '退回'}{found.get_kind_display()}的整改报告",
        action=f"report_{decision}",
        reason=note,
        notice=found.pk,
    )
    return found


def _head_only(clue: Clue, user: Any) -> None:
    # The 整改报告 speaks for the agency: its head files it (an officer drafts, the head sends).
    if not clue_policies.is_head_for(user, clue):
        raise NotPermitted("整改报告应由承办执法主体的负责人报送。")


STEPS: list[Step[Clue]] = [
    Step(
        "assign",
        "分办",
        SUPERVISOR,
        frozenset({ClueStatus.REGISTERED}),
        _assign,
        form=AssignForm,
        leads_to=(ClueStatus.ASSIGNED,),
    ),
    Step(
        "reply",
        "办理并答复",
        HANDLER,
        frozenset({ClueStatus.ASSIGNED}),
        _reply,
        form=ReplyForm,
        leads_to=(ClueStatus.REPLIED,),
    ),
    Step(
        "review",
        "审核",
        SUPERVISOR,
        frozenset({ClueStatus.REPLIED}),
        _review,
        form=ReviewForm,
        leads_to=(ClueStatus.ACCEPTED, ClueStatus.ASSIGNED),
        route=lambda clue: ClueStatus.ACCEPTED if clue.review_decision == "accept" else ClueStatus.ASSIGNED,
    ),
    Step(
        "close",
        "办结",
        SUPERVISOR,
        frozenset({ClueStatus.ACCEPTED}),
        _close,
        form=CloseForm,
        leads_to=(ClueStatus.CLOSED,),
        guard=_guard_close,
    ),
    Step(
        "notice",
        "制发督办或监督意见文书",
        SUPERVISOR,
        OPEN,
        _notice,
        form=NoticeForm,
    ),
    Step(
        "report",
        "报送整改报告",
        HANDLER,
        OPEN,
        _report,
        form=ReportForm,
        actor_guard=_head_only,
        offered=lambda clue: clue.notices.filter(status=NoticeStatus.ISSUED).exists(),
    ),
    Step(
        "report_review",
        "审核整改报告",
        SUPERVISOR,
        OPEN,
        _report_review,
        form=ReportReviewForm,
        offered=lambda clue: clue.notices.filter(status=NoticeStatus.REPORTED).exists(),
    ),
]
