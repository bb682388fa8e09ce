"""Every read of inspection tasks for a user, and the public reads behind the 检查码.

"Not found" and "not yours" look the same (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from zhifa.inspections import task_policies
from zhifa.inspections.models import InspectionTask, InspectionWarning, Subject, TaskStatus
from zhifa.org.models import Certificate, Officer
from zhifa.org.selectors import officer_standing

if TYPE_CHECKING:
    from zhifa.accounts.models import User

OPEN_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.ON_SITE, TaskStatus.RECORDED, TaskStatus.RECTIFYING)


def _tasks() -> QuerySet[InspectionTask]:
    return InspectionTask.objects.select_related("agency", "subject", "inspector_a", "inspector_b")


def task_list_visible_to(*, user: User, mine: bool = False, status: str = "") -> QuerySet[InspectionTask]:
    rows = _tasks().filter(task_policies.readable_task_filter(user))
    if mine:
        officer = task_policies.officer_of(user)
        if officer is None:
            return rows.none()
        rows = rows.filter(
            Q(inspector_a=officer) | Q(inspector_b=officer) | Q(joint_inspectors=officer)
        ).distinct()
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by("valid_until", "pk") if mine else rows.order_by("-created_at", "-pk")


def task_get_for(*, user: User, pk: int) -> InspectionTask:
    task = task_list_visible_to(user=user).filter(pk=pk).first()
    if task is None:
        raise Http404("没有这个检查任务。")
    return task


def todo_for(*, user: User) -> QuerySet[InspectionTask]:
    """The inspector's 待办: their tasks not yet done (the follow-up of a 责令改正 included)."""
    return task_list_visible_to(user=user, mine=True, status="open")


def warnings_visible_to(*, user: User) -> QuerySet[InspectionWarning]:
    return (
        InspectionWarning.objects.filter(task_policies.readable_warning_filter(user))
        .select_related("subject", "agency", "task")
        .order_by("-raised_at", "-pk")
    )


def subject_history(*, subject: Subject) -> QuerySet[InspectionTask]:
    """无事不扰: every inspection of the subject across all agencies, newest first."""
    return _tasks().filter(subject=subject).order_by("-started_at", "-created_at", "-pk")


# ── the 检查码 page (public) ──────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PublicInspector:
    name: str
    agency: str
    certificate: Certificate | None
    can_act: bool
    # The certificate's public check (the page its own QR code opens).
    credential_path: str


@dataclass(frozen=True)
class PublicTask:
    task: InspectionTask
    plan: Any
    inspectors: list[PublicInspector]
    in_window: bool


def _public_inspector(officer: Officer, on: dt.date) -> PublicInspector:
    from zhifa.disclosure.credentials import credential_path

    standing = officer_standing(officer, on=on)
    return PublicInspector(
        name=officer.name,
        agency=officer.agency.name,
        certificate=standing.certificate,
        can_act=bool(standing.can_act),
        credential_path=credential_path(standing.certificate) if standing.certificate else "",
    )


def task_get_public(*, code: str, on: dt.date) -> PublicTask:
    """What the 检查码 shows anyone: the plan, the items, the inspectors and the window.

    Nothing about the subject beyond its name, nothing of the record or the result (a result
    reaches the public through the disclosure queue, redacted).
    """
    task = (
        InspectionTask.objects.select_related("agency", "subject", "assignment__draw__plan")
        .filter(code=code)
        .first()
    )
    if task is None:
        raise Http404("没有这个检查码。")
    plan = task.assignment.draw.plan if task.assignment is not None else None
    officers = [task.inspector_a, task.inspector_b, *task.joint_inspectors.order_by("pk")]
    return PublicTask(
        task=task,
        plan=plan,
        inspectors=[_public_inspector(o, on) for o in officers],
        in_window=task.valid_from <= on <= task.valid_until,
    )
