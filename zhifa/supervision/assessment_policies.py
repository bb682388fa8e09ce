"""Who may do what with a 年度考核.

- the supervisors of the bureau that holds the assessment draft it, recompute it and publish it;
- 审定: the bureau's supervisors or its head (机关负责人);
- an agency's staff see a published assessment, and in it only their own agency's row;
- everyone else: nothing (404 through the selectors, 403 on the bureau's pages).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of
from zhifa.supervision.policies import bureau_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.supervision.models_assessment import Assessment


def manages(user: User, assessment: Assessment) -> bool:
    bureau = bureau_of(user)
    return bureau is not None and bureau.pk == assessment.bureau_id


def may_approve(user: User, assessment: Assessment) -> bool:
    if manages(user, assessment):
        return True
    if not user.is_authenticated or not user.is_active or user.role != Role.HEAD:
        return False
    agency = agency_of(user)
    return agency is not None and agency.pk == assessment.bureau_id


def ensure_participant(user: User, assessment: Assessment) -> None:
    if not may_approve(user, assessment):
        raise NotPermitted("年度考核只由组织考核的司法行政部门的监督人员和负责人办理。")
