"""Every write to inspection tasks that is not a step: opening tasks (from a draw, or for another
kind of inspection), the photos and video of a visit, the 无事不扰 warnings, the transfer of a
result to a case clue. The visit's steps are in zhifa.inspections.task_steps, on the runner.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.catalog.models import AVLevel, InspectionItem, Stage
from zhifa.core import bulk, jurisdiction
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.numbering import next_number
from zhifa.core.tasks import after_commit
from zhifa.core.workflow import event_data
from zhifa.inspections import task_ledger, task_policies
from zhifa.inspections.models import (
    Answer,
    AttachmentKind,
    Draw,
    DrawAssignment,
    DrawInspector,
    InspectionTask,
    InspectionWarning,
    InspectorStatus,
    Recusal,
    Subject,
    TaskAttachment,
    TaskEvent,
    TaskKind,
    TaskStatus,
    WarningKind,
)
from zhifa.ledger.services import ledger_append, ledger_append_many
from zhifa.org.models import Agency, Officer
from zhifa.org.selectors import officer_standing

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.evidence.storage import Staged

ARTICLE_42 = "《行政处罚法》第四十二条"
ARTICLE_55 = "《行政处罚法》第五十五条"


def task_event(
    task: InspectionTask, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> TaskEvent:
    """One event of the task with its ledger leaf (the runner's `write_event`)."""
    created = TaskEvent.objects.create(
        task=task, actor=actor, action=action, summary=summary[:300], reason=reason, data=event_data(data)
    )
    ledger_append(
        kind=task_ledger.EVENT_KIND,
        ref=task_ledger.event_ref(created.pk),
        payload=task_ledger.event_payload(created),
    )
    return created


def task_number_next(agency: Agency, year: int, count: int = 1) -> list[str]:
    """The next `count` task numbers of the agency in the year, reserved in the caller's transaction."""
    abbr = agency.document_abbr or agency.short_name or agency.name
    first = next_number(f"inspection:{agency.pk}", year, count)
    return [f"{abbr}检〔{year}〕{n}号" for n in range(first, first + count)]


def _new_codes(count: int) -> list[str]:
    """`count` fresh 检查码: 128 random bits each, so two alike are beyond reckoning; the column's
    unique constraint is the check (a draw's tens of thousands need no query for it)."""
    return [secrets.token_urlsafe(16) for _ in range(count)]


# ── who may inspect ─────────────────────────────────────────────────────────────────────


def recused(officer: Officer, subject: Subject) -> str:
    """The officer's recusal statement for this subject, or "" (the registry's 回避声明)."""
    row = Recusal.objects.filter(officer=officer, subject=subject).first()
    return row.reason if row is not None else ""


def ensure_inspectors(inspectors: Sequence[Officer], subject: Subject, on: dt.date) -> None:
    """Two different officers, each with a 执法证 in force on the day, neither recused (第四十二条)."""
    distinct = {o.pk: o for o in inspectors if o is not None}
    if len(distinct) < 2:
        raise DomainError(
            f"行政检查应当由两名以上具有行政执法资格的执法人员进行，不得少于两人（{ARTICLE_42}）。"
        )
    for officer in distinct.values():
        refusal = inspector_refusal(officer, on)
        if refusal:
            raise DomainError(refusal)
        statement = recused(officer, subject)
        if statement:
            raise DomainError(recusal_refusal(officer, statement))


def inspector_refusal(officer: Officer, on: dt.date) -> str:
    """Why the officer cannot inspect on the day (not on duty, no certificate in force), or ""."""
    if not officer.is_active:
        return f"{officer.name}已不在岗，不能实施行政检查（{ARTICLE_42}）。"
    standing = officer_standing(officer, on=on)
    if standing.state is None:
        return f"{officer.name}未取得行政执法证件，不能实施行政检查（{ARTICLE_42}）。"
    if not standing.can_act:
        reason = standing.state.message.rstrip("。")
        return f"{officer.name}的{reason}，{on:%Y-%m-%d}不能实施行政检查（{ARTICLE_42}）。"
    return ""


def recusal_refusal(officer: Officer, statement: str) -> str:
    return (
        f"{officer.name}已就该检查对象声明回避（{statement}），不能参加本次检查（《行政处罚法》第四十三条）。"
    )


# ── opening tasks ───────────────────────────────────────────────────────────────────────


def _open(
    *,
    actor: User | None,
    kind: str,
    agency: Agency,
    subject: Subject,
    items: Iterable[InspectionItem],
    inspectors: Sequence[Officer],
    valid_from: dt.date,
    valid_until: dt.date,
    reason: str = "",
    assignment: DrawAssignment | None = None,
) -> InspectionTask:
    items = list(items)
    _ensure_window(items, valid_from, valid_until)
    ensure_inspectors(inspectors, subject, _check_day(valid_from, valid_until))
    a, b = inspectors[0], inspectors[1]
    task = InspectionTask.objects.create(
        number=task_number_next(agency, valid_from.year)[0],
        kind=kind,
        agency=agency,
        subject=subject,
        assignment=assignment,
        inspector_a=a,
        inspector_b=b,
        reason=reason.strip(),
        code=_new_codes(1)[0],
        valid_from=valid_from,
        valid_until=valid_until,
    )
    task.items.set(items)
    task_event(
        task, actor, "open", _open_summary(task, a, b), items=[i.pk for i in items], inspectors=[a.pk, b.pk]
    )
    task_ledger.task_append(task)
    return task


def _ensure_window(items: Sequence[InspectionItem], valid_from: dt.date, valid_until: dt.date) -> None:
    if not items:
        raise InvalidInput("请选择至少一项检查事项。")
    if valid_until < valid_from:
        raise InvalidInput("检查期间的结束日期不能早于开始日期。")


def _check_day(valid_from: dt.date, valid_until: dt.date) -> dt.date:
    """The day the inspectors' certificates must be in force: the window's first day still to come."""
    return max(valid_from, today()) if valid_until >= today() else valid_from


def _open_summary(task: InspectionTask, a: Officer, b: Officer) -> str:
    window = f"{task.valid_from:%Y-%m-%d} 至 {task.valid_until:%Y-%m-%d}"
    return f"安排{TaskKind(task.kind).label}：{a.name}、{b.name}，检查期间 {window}"


@transaction.atomic
def task_create(
    *,
    actor: User | None,
    kind: str,
    subject: Subject,
    agency: Agency,
    items: Iterable[InspectionItem],
    inspectors: Sequence[Officer],
    valid_from: dt.date,
    valid_until: dt.date,
    reason: str = "",
) -> InspectionTask:
    """专项检查、投诉举报核查、上级交办: the same task, record and result, without a draw."""
    task_policies.ensure_can_create(actor, agency)
    if kind not in TaskKind.values or kind == TaskKind.RANDOM:
        raise InvalidInput("双随机抽查任务由抽取产生；请选择专项检查、投诉举报核查或上级交办。")
    if not reason.strip():
        raise InvalidInput("请填写检查的依据或来源（专项部署、投诉举报或交办事由）。")
    items = list(items)
    if any(i.agency_id != agency.pk for i in items):
        raise InvalidInput("所选检查事项不属于本机关的随机抽查事项清单。")
    if any(o.agency_id != agency.pk for o in inspectors):
        raise InvalidInput("检查人员应为本机关的执法人员。")
    return _open(
        actor=actor,
        kind=kind,
        agency=agency,
        subject=subject,
        items=items,
        inspectors=inspectors,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=reason,
    )


def _assigned(assignment: DrawAssignment) -> list[Officer]:
    """The inspectors now assigned to a drawn subject, the lead agency's first (then by rank)."""
    lead = assignment.draw.plan.agency_id
    slots = assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).select_related("officer")
    ordered = sorted(slots, key=lambda s: (s.agency_id != lead, s.agency_id, s.rank))
    return [slot.officer for slot in ordered]


@transaction.atomic
def tasks_open_for_draw(*, draw: Draw, actor: User | None = None) -> list[InspectionTask]:
    """One task per drawn subject and its inspectors; taking it again opens nothing twice.

    In a joint plan (综合查一次) the lead agency's two drawn inspectors carry the task and the
    participating agencies' inspectors join the same visit. A draw over a large registry opens
    tens of thousands of tasks, so the same checks as a single task's run once per inspector,
    and the rows, events and ledger leaves are written in bulk.
    """
    plan = draw.plan
    items = list(plan.items.all())
    _ensure_window(items, plan.window_start, plan.window_end)
    pending = list(
        draw.assignments.filter(task__isnull=True).order_by("position").values_list("pk", "subject_id")
    )
    if not pending:
        return []
    slots: dict[int, list[tuple[bool, int, int, int]]] = {}
    rows = DrawInspector.objects.filter(assignment__draw=draw, status=InspectorStatus.ASSIGNED)
    for assignment_id, agency_id, rank, officer_id in rows.values_list(
        "assignment_id", "agency_id", "rank", "officer_id"
    ):
        slots.setdefault(assignment_id, []).append((agency_id != plan.agency_id, agency_id, rank, officer_id))
    officers = Officer.objects.in_bulk({o for s in slots.values() for *_, o in s})
    day = _check_day(plan.window_start, plan.window_end)
    for officer in officers.values():
        refusal = inspector_refusal(officer, day)
        if refusal:
            raise DomainError(refusal)
    # The inspectors' recusals are few (declared subject by subject); the drawn subjects are many.
    recusals = {
        (subject_id, officer_id): reason
        for subject_id, officer_id, reason in Recusal.objects.filter(officer_id__in=officers).values_list(
            "subject_id", "officer_id", "reason"
        )
    }

    reason = f"抽查计划 {plan.number}《{plan.title}》随机抽取"
    numbers = task_number_next(plan.agency, plan.window_start.year, len(pending))
    codes = _new_codes(len(pending))
    tasks, joint = [], []
    for (assignment_id, subject_id), number, code in zip(pending, numbers, codes, strict=True):
        inspectors = [officers[o] for *_, o in sorted(slots.get(assignment_id, []))]
        if len({o.pk for o in inspectors[:2]}) < 2:
            raise DomainError(
                f"行政检查应当由两名以上具有行政执法资格的执法人员进行，不得少于两人（{ARTICLE_42}）。"
            )
        for officer in inspectors[:2]:
            if (subject_id, officer.pk) in recusals:
                raise DomainError(recusal_refusal(officer, recusals[(subject_id, officer.pk)]))
        task = InspectionTask(
            number=number, kind=TaskKind.RANDOM, agency_id=plan.agency_id, subject_id=subject_id,
            assignment_id=assignment_id, inspector_a_id=inspectors[0].pk, inspector_b_id=inspectors[1].pk,
            reason=reason, code=code, valid_from=plan.window_start, valid_until=plan.window_end,
        )  # fmt: skip
        tasks.append(task)
        joint.append(inspectors[2:])
    bulk.insert(tasks)
    ids = dict(InspectionTask.objects.filter(assignment__draw=draw).values_list("assignment_id", "pk"))
    for task, (assignment_id, _) in zip(tasks, pending, strict=True):
        task.pk = ids[assignment_id]
    item_ids = sorted(i.pk for i in items)
    bulk.insert_rows(
        InspectionTask.items.through,
        ("inspectiontask", "inspectionitem"),
        [(t.pk, i) for t in tasks for i in item_ids],
    )
    bulk.insert_rows(
        InspectionTask.joint_inspectors.through,
        ("inspectiontask", "officer"),
        [(t.pk, o.pk) for t, others in zip(tasks, joint, strict=True) for o in others],
    )
    events = [
        TaskEvent(
            task_id=t.pk,
            actor=actor,
            action="open",
            summary=_open_summary(t, officers[t.inspector_a_id], officers[t.inspector_b_id])[:300],
            data=event_data({"items": item_ids, "inspectors": [t.inspector_a_id, t.inspector_b_id]}),
        )
        for t in tasks
    ]
    bulk.insert(events)
    event_ids = dict(
        TaskEvent.objects.filter(task__assignment__draw=draw, action="open").values_list("task_id", "pk")
    )
    for event in events:
        event.pk = event_ids[event.task_id]
    leaves = []
    for task, event in zip(tasks, events, strict=True):
        leaves.append(
            (task_ledger.EVENT_KIND, task_ledger.event_ref(event.pk), task_ledger.event_payload(event))
        )
        payload = task_ledger.task_payload(task, items=item_ids)
        leaves.append((task_ledger.TASK_KIND, task_ledger.task_ref(task.pk), payload))
    ledger_append_many(leaves)
    return tasks


@transaction.atomic
def task_inspectors_follow(*, assignment: DrawAssignment, actor: User | None = None) -> InspectionTask | None:
    """After a recusal redraw (the next in rank): a task not begun takes the inspectors now assigned."""
    task = InspectionTask.objects.select_for_update().filter(assignment=assignment).first()
    if task is None or task.status != TaskStatus.ASSIGNED:
        return task
    inspectors = _assigned(assignment)
    ensure_inspectors(inspectors[:2], task.subject, max(task.valid_from, today()))
    before = {task.inspector_a_id, task.inspector_b_id}
    task.inspector_a, task.inspector_b = inspectors[0], inspectors[1]
    task.save()
    task.joint_inspectors.set(inspectors[2:])
    if before != {task.inspector_a_id, task.inspector_b_id}:
        task_event(
            task,
            actor,
            "inspectors_changed",
            f"检查人员因回避更换为{task.inspector_a.name}、{task.inspector_b.name}",
            inspectors=[task.inspector_a_id, task.inspector_b_id],
        )
    task_ledger.task_append(task)
    return task


# ── 无事不扰 ────────────────────────────────────────────────────────────────────────────


def inspections_in_year(subject: Subject, year: int) -> int:
    """Visits of the subject begun in the year, across all agencies."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return InspectionTask.objects.filter(subject=subject, started_at__gte=start, started_at__lt=end).count()


def warnings_raise_for_visit(task: InspectionTask) -> list[InspectionWarning]:
    """After a visit began: too many inspections of the subject this year, or no 检查码 shown."""
    raised = []
    assert task.started_at is not None
    year = timezone.localtime(task.started_at).year
    count = inspections_in_year(task.subject, year)
    limit = int(jurisdiction.value("inspection_yearly_limit"))
    name = task.subject.name
    if count > limit:
        raised.append(
            _warning(
                task,
                WarningKind.FREQUENCY,
                year,
                count,
                f"{name} {year} 年已被检查 {count} 次，超过每年 {limit} 次的上限（无事不扰）。",
            )
        )
    if not task.code_shown:
        raised.append(
            _warning(
                task,
                WarningKind.NO_CODE,
                year,
                count,
                f"{task.agency.name}对{name}的检查（{task.number}）未出示检查码。",
            )
        )
    return raised


def _warning(task: InspectionTask, kind: str, year: int, count: int, message: str) -> InspectionWarning:
    warning, created = InspectionWarning.objects.get_or_create(
        task=task,
        kind=kind,
        defaults={
            "subject": task.subject,
            "agency": task.agency,
            "year": year,
            "count": count,
            "message": message,
        },
    )
    if created:
        task_event(task, None, f"warning_{kind}", f"预警：{message}", warning=warning.pk)
    return warning


def task_code_scanned(*, task: InspectionTask) -> None:
    """The first time anyone opens the task's 检查码 page (a GET from the public: idempotent)."""
    if task.code_scanned_at is None:
        with transaction.atomic():
            updated = InspectionTask.objects.filter(pk=task.pk, code_scanned_at__isnull=True).update(
                code_scanned_at=timezone.now()
            )
            if updated:
                task_event(task, None, "code_scanned", "检查码首次被扫码核验")


# ── photos and video ────────────────────────────────────────────────────────────────────

ATTACHING_STATUSES = frozenset({"on_site", "rectifying"})


@dataclass(frozen=True)
class AttachmentMeta:
    kind: str
    title: str
    collected_at: dt.datetime | None
    recording_started_at: dt.datetime | None = None
    recording_ended_at: dt.datetime | None = None


def _check_attachment(task: InspectionTask, meta: AttachmentMeta) -> None:
    if meta.kind not in AttachmentKind.values:
        raise InvalidInput("请选择资料种类（照片、视频、录音或书证材料）。")
    if not meta.title.strip():
        raise InvalidInput("请填写资料名称。")
    if meta.collected_at is None:
        raise InvalidInput("请填写采集时间。")
    if meta.collected_at > timezone.now():
        raise InvalidInput("采集时间不能晚于现在。")
    if (meta.recording_started_at is None) != (meta.recording_ended_at is None):
        raise InvalidInput("录制开始时间和结束时间应当同时填写。")
    if (
        meta.recording_started_at
        and meta.recording_ended_at
        and meta.recording_ended_at < meta.recording_started_at
    ):
        raise InvalidInput("录制结束时间不能早于开始时间。")


def task_attachment_add(
    *,
    actor: User,
    task: InspectionTask,
    staged: Staged,
    meta: AttachmentMeta,
    original_name: str,
    content_type: str = "",
) -> TaskAttachment:
    """A photo, video or paper of the visit: stored once by its hash, with its ledger leaf."""
    from zhifa.evidence import storage, tasks
    from zhifa.evidence.models import Blob

    try:
        officer = task_policies.officer_of(actor)
        if not task.is_inspector(officer):
            from zhifa.core.errors import NotPermitted

            raise NotPermitted(f"只有检查任务 {task.number} 的检查人员可以上传现场检查资料。")
        if task.status not in ATTACHING_STATUSES:
            raise DomainError(f"检查任务处于“{task.get_status_display()}”阶段，不能再上传现场检查资料。")
        _check_attachment(task, meta)
        name = storage.put_in_place(staged)
    finally:
        staged.path.unlink(missing_ok=True)
    assert officer is not None and meta.collected_at is not None
    content_type = content_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    with transaction.atomic():
        locked = InspectionTask.objects.select_for_update().get(pk=task.pk)
        if locked.status not in ATTACHING_STATUSES:
            raise DomainError(f"检查任务处于“{locked.get_status_display()}”阶段，不能再上传现场检查资料。")
        blob, _ = Blob.objects.get_or_create(
            sha256=staged.sha256, defaults={"sm3": staged.sm3, "size": staged.size, "name": name}
        )
        if blob.purged_at is not None:
            Blob.objects.filter(pk=blob.pk).update(purged_at=None, name=name)
        item = TaskAttachment.objects.create(
            task=locked,
            kind=meta.kind,
            title=meta.title.strip()[:200],
            blob=blob,
            original_name=original_name[-200:],
            content_type=content_type[:100],
            collected_at=meta.collected_at,
            collector=officer,
            stage=Stage.ON_SITE,
            recording_started_at=meta.recording_started_at,
            recording_ended_at=meta.recording_ended_at,
            added_by=actor,
        )
        task_event(
            locked,
            actor,
            "attach",
            f"上传{item.get_kind_display()}《{item.title}》",
            attachment=item.pk,
            sha256=blob.sha256,
            sm3=blob.sm3,
        )
        ledger_append(
            kind=task_ledger.ATTACHMENT_KIND, ref=item.ref, payload=task_ledger.attachment_payload(item)
        )
    after_commit(tasks.evidence_derivatives, blob.pk, content_type)
    return item


def task_attachment_upload(
    *,
    actor: User,
    task: InspectionTask,
    stream: Any,
    meta: AttachmentMeta,
    original_name: str,
    content_type: str = "",
) -> TaskAttachment:
    """An uploaded file (the page's form): staged and hashed, then added as above."""
    from zhifa.evidence.storage import stage_stream

    return task_attachment_add(
        actor=actor,
        task=task,
        staged=stage_stream(stream),
        meta=meta,
        original_name=original_name,
        content_type=content_type,
    )


def av_level(task: InspectionTask, on: dt.date) -> str:
    """The strictest level the AV-recording list sets for 现场执法 over the task's items' matters."""
    from zhifa.catalog.selectors import matter_version_on

    rank: dict[str, int] = {AVLevel.TEXT: 0, AVLevel.AV: 1, AVLevel.FULL: 2}
    level: str = AVLevel.TEXT
    for item in task.items.select_related("matter"):
        if item.matter is None:
            continue
        version = matter_version_on(item.matter, on)
        if version is None:
            continue
        found = version.av_level(Stage.ON_SITE)
        if rank.get(found, 0) > rank[level]:
            level = found
    return level


def ensure_recorded(task: InspectionTask, on: dt.date) -> None:
    """音像记录事项清单: a visit the list names carries its photos or video (全程: a timed video)."""
    level = av_level(task, on)
    av = task.attachments.filter(kind__in=(AttachmentKind.PHOTO, AttachmentKind.VIDEO, AttachmentKind.AUDIO))
    if level == AVLevel.FULL:
        if not av.filter(kind=AttachmentKind.VIDEO, recording_started_at__isnull=False).exists():
            raise DomainError(
                "根据音像记录事项清单，本次检查事项的“现场执法”环节应当全程音像记录（应附有记载起止时间的现场视频），"
                "尚未上传，不能制作现场检查笔录（《行政处罚法》第四十七条）。"
            )
    elif level == AVLevel.AV and not av.exists():
        raise DomainError(
            "根据音像记录事项清单，本次检查事项的“现场执法”环节应当音像记录（应附有现场照片或视频），"
            "尚未上传，不能制作现场检查笔录（《行政处罚法》第四十七条）。"
        )


# ── 移送立案 ────────────────────────────────────────────────────────────────────────────


def transfer_to_case(run_actor: User, task: InspectionTask, *, cause: str, summary: str) -> Any:
    """The result 移送立案: a clue in `cases` carrying the 现场检查笔录 and the visit's files.

    The clue is the agency's whose items found the problem (task_policies.transfer_agency): on a
    joint visit a partner agency's inspector transfers to their own agency, with its own matter and
    inspectors on the record. The whole record and every file of the visit go with it."""
    from zhifa.cases.models import ClueSource, PartyKind, RecordKind
    from zhifa.cases.services import case_clue_carry_record, case_register_clue
    from zhifa.evidence.models import EvidenceKind
    from zhifa.evidence.services import Metadata, evidence_carry

    agency = task_policies.transfer_agency(run_actor, task)
    subject = task.subject
    failed = set(task.checks.filter(answer=Answer.FAIL).values_list("item_id", flat=True))
    items = sorted(
        task.items.filter(agency=agency, matter__isnull=False).select_related("matter"),
        key=lambda i: (i.pk not in failed, i.code),  # the matter of an item found 不符合 first
    )
    matter = items[0].matter if items else None
    code = subject.uscc
    case = case_register_clue(
        actor=run_actor,
        agency=agency,
        source=ClueSource.INSPECTION,
        received_on=today(),
        cause=cause,
        clue_summary=f"{summary}\n（行政检查 {task.number} 移送）",
        matter=matter,
        party_kind=PartyKind.ORGANISATION if code else "",
        party_name=subject.name if code else "",
        party_id_number=code,
        party_address=subject.address,
    )
    assert task.record_started_at is not None and task.record_ended_at is not None
    own = [o for o in [*task.inspectors, *task.joint_inspectors.all()] if o.agency_id == agency.pk]
    record = case_clue_carry_record(
        actor=run_actor,
        case=case,
        kind=RecordKind.INSPECTION,
        started_at=task.record_started_at,
        ended_at=task.record_ended_at,
        place=task.place,
        officers=own if len(own) >= 2 else task.inspectors,
        subject_name=task.present_person,
        content={"paragraphs": record_paragraphs(task)},
        source=f"行政检查 {task.number}",
    )
    kinds = {
        AttachmentKind.PHOTO: EvidenceKind.AUDIOVISUAL,
        AttachmentKind.VIDEO: EvidenceKind.AUDIOVISUAL,
        AttachmentKind.AUDIO: EvidenceKind.AUDIOVISUAL,
        AttachmentKind.DOCUMENT: EvidenceKind.DOCUMENTARY,
    }
    carrier = task_policies.officer_of(run_actor)
    for item in task.attachments.select_related("blob", "collector__agency"):
        kind = kinds[AttachmentKind(item.kind)]
        collector, source = item.collector, f"行政检查 {task.number}"
        if collector.agency_id != agency.pk and carrier is not None:
            # A file of the joint visit taken by another agency's inspector: the case's evidence
            # names an officer of its own agency (evidence rule), so the transferring inspector,
            # who was on the visit, carries it and the source keeps who took it.
            source = f"行政检查 {task.number}（联合检查，{collector.agency.name}{collector.name}采集）"
            collector = carrier
        evidence_carry(
            actor=run_actor,
            case=case,
            blob=item.blob,
            meta=Metadata(
                kind=kind,
                title=item.title,
                proves=f"行政检查 {task.number} 现场情况",
                collected_at=item.collected_at,
                place=task.place,
                collector=collector,
                record=record,
                source=source[:200],
                stage=item.stage if kind == EvidenceKind.AUDIOVISUAL else "",
                recording_started_at=item.recording_started_at,
                recording_ended_at=item.recording_ended_at,
            ),
            original_name=item.original_name,
            content_type=item.content_type,
        )
    return case


def record_paragraphs(task: InspectionTask) -> list[str]:
    """The 现场检查笔录 as paragraphs: the findings, then each item's conclusion."""
    lines = [p.strip() for p in task.findings.splitlines() if p.strip()]
    for check in task.checks.select_related("item").order_by("item__code"):
        note = f"（{check.note}）" if check.note else ""
        lines.append(f"{check.item.name}：{check.get_answer_display()}{note}")
    lines.append(
        f"当事人签字：{task.get_signature_display()}{('，' + task.signature_note) if task.signature_note else ''}"
    )
    return lines
