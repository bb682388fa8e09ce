"""Who takes part in a filing review: the filing agency's staff (its head files and reports the
correction) and the supervisors of the region (the receiving bureau's supervisors review)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of
from zhifa.supervision.policies import bureau_of, is_supervisor_of, supervised_filter

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.supervision.models_filings import Filing


def is_staff_of(user: User, filing: Filing) -> bool:
    own = agency_of(user) if user.is_authenticated else None
    return own is not None and own.pk == filing.agency_id


def is_head_of(user: User, filing: Filing) -> bool:
    return is_staff_of(user, filing) and user.role == Role.HEAD


def is_reviewer_of(user: User, filing: Filing) -> bool:
    """A supervisor of the bureau the filing is lodged with."""
    bureau = bureau_of(user)
    return bureau is not None and bureau.pk == filing.bureau_id


def may_see(user: User, filing: Filing) -> bool:
    return is_staff_of(user, filing) or is_supervisor_of(user, filing.agency)


def ensure_may_see(user: User, filing: Filing) -> None:
    if not may_see(user, filing):
        raise NotPermitted("该备案事项既不是本机关报备的，也不在您的监督范围内。")


def visible_filter(user: User) -> Q:
    """Filings a user may see: their agency's own, or, for a supervisor, the region's."""
    if bureau_of(user) is not None:
        return supervised_filter(user)
    own = agency_of(user) if user.is_authenticated else None
    return Q(agency=own) if own is not None else Q(pk__in=[])
