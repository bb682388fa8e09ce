"""Who supervises whom (《行政处罚法》第七十五条; 004 (四)).

A supervisor (role 司法局监督人员) of a 司法局 — or of a 司法所 at township level — supervises the
agencies in the bureau's region and below: they act only on supervision objects of that region.
An agency sees only what concerns it; the public sees only its own clue, through its code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def bureau_of(user: User) -> Agency | None:
    """The 司法局 (or 司法所) a supervisor works for; None for everyone else."""
    if not user.is_authenticated or not user.is_active or user.role != Role.SUPERVISOR:
        return None
    agency = agency_of(user)
    return agency if agency is not None and agency.is_justice_bureau else None


def supervised_agencies(user: User) -> QuerySet[Agency]:
    """The agencies a supervisor supervises: every agency in the bureau's region and below."""
    bureau = bureau_of(user)
    if bureau is None:
        return Agency.objects.none()
    return Agency.objects.filter(region__path__startswith=bureau.region.path)


def supervised_filter(user: User, field: str = "agency") -> Q:
    """A filter for any supervision object with an agency foreign key, reached by `field`."""
    return Q(**{f"{field}__in": supervised_agencies(user).values("pk")})


def is_supervisor_of(user: User, agency: Agency) -> bool:
    return supervised_agencies(user).filter(pk=agency.pk).exists()


def ensure_supervisor(user: User) -> Agency:
    """Refuse (403) anyone but a supervisor of a 司法局 or 司法所; returns the bureau."""
    bureau = bureau_of(user)
    if bureau is None:
        raise NotPermitted("行政执法监督只对司法行政部门（司法局、司法所）的监督人员开放。")
    return bureau


def ensure_supervisor_of(user: User, agency: Agency) -> None:
    ensure_supervisor(user)
    if not is_supervisor_of(user, agency):
        raise NotPermitted(f"“{agency.name}”不在您所在司法行政部门的监督范围内。")
