"""Who may see and do what with the registries, plans and draws, in one place.

- The 检查对象名录库 is shared by every agency: any staff member of an agency (and the
  司法局监督人员) reads it; 机关负责人 and 系统管理员 import it.
- A plan is read by whoever reads its lead or a participating agency (org.policies); it is
  drafted and submitted by the lead agency's officers or head, approved, locked and drawn by
  the lead agency's head (the draw with the witness present), published by the head or the
  公示管理员 of the lead agency.
- A recusal is declared by the officer or by the head of the officer's agency.
- Draws are public (the portal and /api/inspections/draws): nothing to decide there.
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
    from zhifa.inspections.models import Plan


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _of_agency(user: User, agency: Agency, roles: tuple[str, ...]) -> bool:
    own = agency_of(user)
    return _active(user) and user.role in roles and own is not None and own.pk == agency.pk


def can_read_registry(user: User) -> bool:
    return _active(user) and (user.role == Role.SYSADMIN or agency_of(user) is not None)


def ensure_can_read_registry(user: User) -> None:
    if not can_read_registry(user):
        raise NotPermitted("您无权查阅检查对象名录库，只有执法机关工作人员可以查阅。")


def can_import_registry(user: User) -> bool:
    return _active(user) and (
        user.role == Role.SYSADMIN or (user.role == Role.HEAD and agency_of(user) is not None)
    )


def ensure_can_import_registry(user: User) -> None:
    if not can_import_registry(user):
        raise NotPermitted("只有机关负责人或系统管理员可以导入检查对象名录库。")


def readable_plan_filter(user: User) -> Q:
    agencies = readable_agencies(user).values("pk")
    return Q(agency__in=agencies) | Q(plan_agencies__agency__in=agencies)


def can_draft_plan(user: User, agency: Agency) -> bool:
    return _of_agency(user, agency, (Role.OFFICER, Role.HEAD))


def ensure_can_draft_plan(user: User, agency: Agency) -> None:
    if not can_draft_plan(user, agency):
        raise NotPermitted(f"只有{agency.name}的执法人员或负责人可以拟定该机关的抽查计划。")


def is_staff_of_lead(user: User, plan: Plan) -> bool:
    return _of_agency(user, plan.agency, (Role.OFFICER, Role.HEAD))


def is_head_of_lead(user: User, plan: Plan) -> bool:
    return _of_agency(user, plan.agency, (Role.HEAD,))


def may_publish(user: User, plan: Plan) -> bool:
    return _of_agency(user, plan.agency, (Role.HEAD, Role.DISCLOSURE_ADMIN))


def may_work_on(user: User, plan: Plan) -> bool:
    """Takes part in the plan's steps at all: staff of the lead agency."""
    return _of_agency(user, plan.agency, (Role.OFFICER, Role.HEAD, Role.DISCLOSURE_ADMIN))


def ensure_may_work_on(user: User, plan: Plan) -> None:
    if not may_work_on(user, plan):
        raise NotPermitted(f"只有牵头机关{plan.agency.name}的工作人员可以办理该抽查计划。")


def can_declare_recusal(user: User, officer: Officer) -> bool:
    own = getattr(user, "officer", None) if _active(user) else None
    if own is not None and own.is_active and own.pk == officer.pk:
        return True
    return _of_agency(user, officer.agency, (Role.HEAD,))


def ensure_can_declare_recusal(user: User, officer: Officer) -> None:
    if not can_declare_recusal(user, officer):
        raise NotPermitted("回避声明应由执法人员本人或其所在机关负责人登记（《行政处罚法》第四十三条）。")
