"""Who may see and do what with 公示, in one place.

- 公示管理员 and 机关负责人 of an agency prepare, approve, correct and withdraw its publications
  and see its queue.
- 司法局监督人员 read the queues of every agency in their region and change nothing.
- Other roles (执法人员, 法制审核人员, 档案管理员) have no business in the queue: the public
  portal shows them what everyone sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of, readable_agencies

if TYPE_CHECKING:
    from zhifa.accounts.models import User

MANAGER_ROLES = frozenset({Role.DISCLOSURE_ADMIN, Role.HEAD})
READER_ROLES = MANAGER_ROLES | {Role.SUPERVISOR, Role.SYSADMIN}


def can_manage(user: User, agency: Agency) -> bool:
    if not user.is_authenticated or not user.is_active or user.role not in MANAGER_ROLES:
        return False
    own = agency_of(user)
    return own is not None and own.pk == agency.pk


def ensure_can_manage(user: User, agency: Agency) -> None:
    if can_manage(user, agency):
        return
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        raise NotPermitted(f"司法局监督人员可以查阅“{agency.name}”的公示信息，但不能审核、发布、更正或撤回。")
    raise NotPermitted(
        f"只有“{agency.name}”的公示管理员或机关负责人可以审核、发布、更正或撤回其公示信息"
        "（《政府信息公开条例》第十七条：行政机关建立健全政府信息公开审查机制）。"
    )


def readable_agencies_for(user: User) -> QuerySet[Agency]:
    """The agencies whose queue the user may see (none for roles outside 公示)."""
    if not user.is_authenticated or not user.is_active or user.role not in READER_ROLES:
        return Agency.objects.none()
    return readable_agencies(user)


def readable_filter(user: User, field: str = "agency") -> Q:
    return Q(**{f"{field}__in": readable_agencies_for(user).values("pk")})


def can_read(user: User, agency: Agency) -> bool:
    return readable_agencies_for(user).filter(pk=agency.pk).exists()


def can_see_queue(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in READER_ROLES


def managers_of(agency: Agency) -> QuerySet:
    """Reverse query: who can approve this agency's publications."""
    from zhifa.accounts.models import User

    return User.objects.filter(
        is_active=True,
        role__in=MANAGER_ROLES,
        officer__agency=agency,
        officer__is_active=True,
    )


def drafter_for(agency: Agency) -> User | None:
    """Who a scheduled draft is prepared as: the agency's first 公示管理员, else its head."""
    managers = managers_of(agency)
    return (
        managers.filter(role=Role.DISCLOSURE_ADMIN).order_by("pk").first()
        or managers.filter(role=Role.HEAD).order_by("pk").first()
    )
