"""Inspection results on the portal (双随机一公开: 抽查结果 within 20 working days, a setting),
through the same redaction and the same disclosure queue as decisions.

The content is an explicitly redacted projection of the task: agency, subject (an enterprise's
name and credit code are public), kind, items, date and result; the free text is run through
the redaction engine with the names the task knows (在场人, the inspectors' names stay out).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhifa.core import jurisdiction
from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import DomainError
from zhifa.disclosure import periods
from zhifa.disclosure import policies as disclosure_policies
from zhifa.disclosure.models import Kind, Publication, State
from zhifa.disclosure.projection import redact_fields
from zhifa.inspections.models import CONCLUDED_STATUSES, InspectionTask

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.disclosure.models import PublicationVersion
    from zhifa.org.models import Agency

KIND = Kind.INSPECTION_RESULT


def subject_of(task: InspectionTask) -> str:
    return task.ref


def due_on(task: InspectionTask) -> dt.date | None:
    """The result is on the portal within N working days of the day it was made."""
    if task.concluded_on is None:
        return None
    return add_workdays(task.concluded_on, int(jurisdiction.value("inspection_result_workdays"))).date


def projection(task: InspectionTask) -> tuple[str, dict[str, str], dict[str, list[Any]]]:
    subject = task.subject
    plan = getattr(getattr(task.assignment, "draw", None), "plan", None)
    raw = {
        "agency": task.agency.name,
        "party": subject.name,
        "matter_kind": "行政检查",
        "inspection_kind": task.get_kind_display(),
        "plan": getattr(plan, "number", "") or "",
        "inspection_items": "；".join(task.items.order_by("code").values_list("name", flat=True)),
        "inspected_on": f"{task.concluded_on:%Y-%m-%d}" if task.concluded_on else "",
        "conclusion": task.get_result_display(),
        "result_note": task.result_note,
    }
    raw = {k: v for k, v in raw.items() if v}
    names = sorted({n for n in (task.present_person,) if n.strip()}, key=len, reverse=True)
    content, marks = redact_fields(raw, names=names)
    # The credit code is published as decisions publish it, outside the engine (which may read
    # its 18 characters as an identity number). The title names the task, not the subject: a
    # 个体工商户 is often registered under its operator's own name.
    content["party_credit_code"] = subject.uscc
    title = f"行政检查结果 {task.number}（{task.get_result_display()}）"
    return title, content, marks


@transaction.atomic
def result_prepare(*, actor: User, task: InspectionTask) -> PublicationVersion:
    """The redacted result as a draft in the disclosure queue, for the administrator to approve."""
    from zhifa.disclosure.services import publication_prepare

    disclosure_policies.ensure_can_manage(actor, task.agency)
    if task.status not in CONCLUDED_STATUSES or not task.result:
        raise DomainError(f"检查任务 {task.number} 尚未作出检查结果，没有可公示的内容。")
    existing = Publication.objects.filter(agency=task.agency, kind=KIND, subject=subject_of(task)).first()
    if existing is not None and existing.state != State.DRAFT:
        raise DomainError(f"检查任务 {task.number} 的结果已经公示或已撤回；内容有误的请使用“更正”。")
    title, content, marks = projection(task)
    return publication_prepare(
        actor=actor,
        agency=task.agency,
        kind=KIND,
        subject=subject_of(task),
        title=title,
        content=content,
        marks=marks,
        due_on=due_on(task),
        facets={"decided_on": task.concluded_on, "outcome": task.result, "matter_kind": "inspection"},
    )


def _draft(task: InspectionTask) -> bool:
    preparer = disclosure_policies.drafter_for(task.agency)
    if preparer is None:
        return False
    try:
        result_prepare(actor=preparer, task=task)
    except DomainError:  # already published: corrected, not re-drafted
        return False
    return True


@db_task(retries=2, retry_delay=30)
def result_draft_prepare(task_pk: int) -> None:
    """After a result is recorded: its draft, as the agency's 公示管理员 (else its head)."""
    task = InspectionTask.objects.select_related("agency", "subject").filter(pk=task_pk).first()
    if task is not None:
        _draft(task)


@db_periodic_task(crontab(minute="41"))
def result_drafts_sweep() -> int:
    """The hourly sweep: every concluded task without a publication gets its draft (a lost message
    only delays it)."""
    drafted = 0
    subjects = Publication.objects.filter(kind=KIND).values_list("subject", flat=True)
    concluded = InspectionTask.objects.filter(status__in=CONCLUDED_STATUSES).select_related(
        "agency", "subject"
    )
    known = set(subjects)
    for task in concluded.iterator(chunk_size=500):
        if subject_of(task) not in known and _draft(task):
            drafted += 1
    return drafted


def results_due(*, agencies: Any, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Concluded tasks whose result is not yet published, with its due date and urgency."""
    on = on or today()
    published = set(
        Publication.objects.filter(kind=KIND, state=State.PUBLISHED, agency__in=agencies).values_list(
            "subject", flat=True
        )
    )
    rows = []
    tasks = InspectionTask.objects.filter(agency__in=agencies, status__in=CONCLUDED_STATUSES).select_related(
        "subject", "agency"
    )
    for task in tasks.order_by("concluded_on", "pk"):
        if subject_of(task) in published:
            continue
        due = due_on(task)
        rows.append({"task": task, "due_on": due, "urgency": periods.urgency(due, on=on)})
    return rows


def late(agency: Agency, on: dt.date | None = None) -> int:
    return sum(1 for row in results_due(agencies=[agency], on=on) if row["urgency"] == "late")
