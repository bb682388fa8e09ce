"""Who may do what with a clue: the bureau's supervisors of its region act on it; the agency it was
assigned to (head and officers of THAT agency) handles it; nobody else sees it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of
from zhifa.supervision import policies
from zhifa.supervision.models_clues import Clue, ClueStatus

if TYPE_CHECKING:
    from zhifa.accounts.models import User

AGENCY_ROLES = frozenset({Role.HEAD, Role.OFFICER})


def is_supervisor_for(user: User, clue: Clue) -> bool:
    """A supervisor whose bureau's region contains the clue's bureau (a 司法所's clue is the county's too)."""
    return policies.supervised_agencies(user).filter(pk=clue.bureau_id).exists()


def is_handler_for(user: User, clue: Clue) -> bool:
    """Head or officer of the agency the clue was assigned to (not before 分办)."""
    if not user.is_authenticated or user.role not in AGENCY_ROLES or clue.status == ClueStatus.REGISTERED:
        return False
    agency = agency_of(user)
    return agency is not None and clue.agency_id == agency.pk


def is_head_for(user: User, clue: Clue) -> bool:
    return is_handler_for(user, clue) and user.role == Role.HEAD


def ensure_participant(user: User, clue: Clue) -> None:
    if not (is_supervisor_for(user, clue) or is_handler_for(user, clue)):
        raise NotPermitted("您不是本监督线索的监督人员或承办执法主体人员，无权查看或办理。")


def visible_filter(user: User) -> Q:
    """Clues the user may see: the region's for a supervisor, those assigned to the agency for its staff."""
    if policies.bureau_of(user) is not None:
        return Q(bureau__in=policies.supervised_agencies(user).values("pk"))
    agency = agency_of(user) if user.is_authenticated else None
    if agency is not None and user.role in AGENCY_ROLES:
        return Q(agency=agency) & ~Q(status=ClueStatus.REGISTERED)
    return Q(pk__in=[])


def visible(user: User) -> QuerySet[Clue]:
    return Clue.objects.filter(visible_filter(user))
