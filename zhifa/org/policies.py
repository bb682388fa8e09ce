"""Who may see and do what with agencies and their people: the one place that decides.

- 系统管理员 configures everything.
- 司法局监督人员 reads every agency in the bureau's region and below, and changes nothing.
- Everyone else reads their own agency; 机关负责人 also manage it (officers, certificates,
  annual reviews, training records, units, the agency's public information).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency, Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def agency_of(user: User) -> Agency | None:
    """The agency a user works for, through their officer record."""
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer.agency if officer is not None and officer.is_active else None


def readable_agencies(user: User) -> QuerySet[Agency]:
    if not user.is_authenticated or not user.is_active:
        return Agency.objects.none()
    if user.role == Role.SYSADMIN:
        return Agency.objects.all()
    agency = agency_of(user)
    if agency is None:
        return Agency.objects.none()
    if user.role == Role.SUPERVISOR and agency.is_justice_bureau:
        return Agency.objects.filter(region__path__startswith=agency.region.path)
    return Agency.objects.filter(pk=agency.pk)


def readable_agency_filter(user: User, field: str = "agency") -> Q:
    """A filter for any model with an agency foreign key, reached by `field`."""
    return Q(**{f"{field}__in": readable_agencies(user).values("pk")})


def can_read_agency(user: User, agency: Agency) -> bool:
    return readable_agencies(user).filter(pk=agency.pk).exists()


def can_manage_agency(user: User, agency: Agency) -> bool:
    """Change the agency's information and its roster."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.SYSADMIN:
        return True
    own = agency_of(user)
    return user.role == Role.HEAD and own is not None and own.pk == agency.pk


def ensure_can_manage_agency(user: User, agency: Agency) -> None:
    if not can_manage_agency(user, agency):
        if user.is_authenticated and user.role == Role.SUPERVISOR:
            raise NotPermitted(f"司法局监督人员可以查阅“{agency.name}”的信息，但不能修改。")
        raise NotPermitted(f"您无权修改“{agency.name}”的信息，只有本机关负责人或系统管理员可以修改。")


def can_manage_officer(user: User, officer: Officer) -> bool:
    return can_manage_agency(user, officer.agency)


def managers_of(agency: Agency) -> QuerySet:
    """Reverse query: who can change this agency's roster."""
    from zhifa.accounts.models import User

    return User.objects.filter(is_active=True).filter(
        Q(role=Role.SYSADMIN) | Q(role=Role.HEAD, officer__agency=agency, officer__is_active=True)
    )
