"""Who may see and do what with inspection tasks, in one place.

- The task's two inspectors take its steps (the visit, the checklist, the record, the result).
- 移送立案 registers a clue of the agency whose items were found 不符合, by that agency's own
  inspector on the task (a joint plan's partner inspectors transfer for their agency's items).
- The head of the task's agency reads its tasks and its warnings; in a joint plan each
  inspector's own agency reads the task too.
- 司法局监督人员 read the tasks and warnings of every agency in their region and act on none.
- Everyone else reads nothing here (the public sees the 检查码 page and the published results).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency, Officer
from zhifa.org.policies import agency_of, readable_agencies

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.inspections.models import InspectionTask

READER_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN})


def officer_of(user: User) -> Officer | None:
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer if officer is not None and officer.is_active else None


def reads_tasks(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in READER_ROLES


def readable_task_filter(user: User) -> Q:
    """Tasks a user may read: their agency's (heads, supervisors over the region) or their own."""
    if not user.is_authenticated or not user.is_active or user.role not in READER_ROLES:
        return Q(pk__in=[])
    from zhifa.inspections.models import InspectionTask

    officer = officer_of(user)
    if officer is None:
        mine = Q(pk__in=[])
    else:  # a joint plan's partner inspectors too (综合查一次), by subquery: no duplicate rows
        joint = InspectionTask.objects.filter(joint_inspectors=officer).values("pk")
        mine = Q(inspector_a=officer) | Q(inspector_b=officer) | Q(pk__in=joint)
    if user.role == Role.OFFICER:
        return mine
    return mine | Q(agency__in=readable_agencies(user).values("pk"))


def is_inspector(user: User, task: InspectionTask) -> bool:
    return task.is_inspector(officer_of(user))


def is_head_of(user: User, agency: Agency) -> bool:
    own = agency_of(user)
    return user.is_authenticated and user.role == Role.HEAD and own is not None and own.pk == agency.pk


def can_create(user: User, agency: Agency) -> bool:
    """专项检查、投诉举报核查、上级交办 are opened by the agency's head or its officers."""
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.OFFICER, Role.HEAD)
        and own is not None
        and own.pk == agency.pk
    )


def ensure_can_create(user: User | None, agency: Agency) -> None:
    if user is None or can_create(user, agency):
        return
    raise NotPermitted(f"只有“{agency.name}”的执法人员或负责人可以安排本机关的行政检查。")


def ensure_participant(user: User, task: InspectionTask) -> None:
    """The runner's participation check: only the two inspectors and the head take part."""
    if is_inspector(user, task) or is_head_of(user, task.agency):
        return
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        raise NotPermitted("司法局监督人员可以查阅行政检查，但不能办理。")
    raise NotPermitted(f"您不是检查任务 {task.number} 的检查人员，不能办理该检查。")


def transfer_agency(user: User, task: InspectionTask) -> Agency:
    """The agency whose clue the user's 移送立案 registers, or the refusal.

    A task of one agency transfers to it, as before. On a joint visit (综合查一次) each agency
    handles what its own items found: the clue goes to the agency of the items answered 不符合
    (any item of the task when none was), and only an inspector of that agency on the task
    registers it, since a clue is registered by the agency's own officer (cases.policies)."""
    officer = officer_of(user)
    if officer is None or not task.is_inspector(officer):
        raise NotPermitted(f"您不是检查任务 {task.number} 的检查人员，不能移送立案。")
    if not task.joint_inspectors.exists():
        return task.agency
    from zhifa.inspections.models import Answer

    failed = task.checks.filter(answer=Answer.FAIL).values("item__agency")
    agencies = list(Agency.objects.filter(pk__in=failed).order_by("pk"))
    if not agencies:
        agencies = list(Agency.objects.filter(pk__in=task.items.values("agency")).order_by("pk"))
    if any(a.pk == officer.agency_id for a in agencies):
        return officer.agency
    names = "、".join(f"“{a.name}”" for a in agencies) or f"“{task.agency.name}”"
    raise NotPermitted(
        f"本次联合检查发现的问题属于{names}的检查事项，应由该机关参加检查的执法人员移送立案"
        "（案源由本机关执法人员登记）。"
    )


def sees_warnings(user: User) -> bool:
    """无事不扰 warnings go to agency heads and the 司法局 (and the system administrator)."""
    return (
        user.is_authenticated and user.is_active and user.role in (Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN)
    )


def readable_warning_filter(user: User) -> Q:
    if not sees_warnings(user):
        return Q(pk__in=[])
    return Q(agency__in=readable_agencies(user).values("pk"))
