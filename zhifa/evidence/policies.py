"""Who may do what with evidence, in one place.

- Everyone who can read a case (cases.policies) can open its evidence; each look is logged, and
  a 司法局 supervisor says why first (zhifa.core.access.asks_purpose).
- The case's handlers and the agency's head add evidence while the case is open; before filing,
  so does whoever registered the clue.
- The head approves an exception to the AV-recording list.
- Heads query their agency's access log; 司法局监督人员 query the agencies they supervise.
- The head or the archivist (档案管理员) disposes of evidence whose retention period is over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.cases import policies as case_policies
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of, readable_agencies

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case


def can_add(user: User, case: Case) -> bool:
    if not case_policies.may_work_on(user, case):
        return False
    # Before filing there are no handlers: who registered the clue adds what it came with
    # (e.g. a monitoring device's record, 《行政处罚法》第四十一条).
    registrant = case.status == "clue" and case.registered_by_id == user.pk
    return registrant or case_policies.is_handler(user, case) or case_policies.is_head_of(user, case.agency)


def ensure_can_add(user: User, case: Case) -> None:
    if not can_add(user, case):
        raise NotPermitted("只有本案承办人或者本机关负责人可以添加证据。")


def can_approve_exception(user: User, case: Case) -> bool:
    return case_policies.is_head_of(user, case.agency)


def ensure_can_approve_exception(user: User, case: Case) -> None:
    if not can_approve_exception(user, case):
        raise NotPermitted("音像记录的例外情形须经本机关负责人批准（音像记录事项清单）。")


def can_query_access(user: User) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.SYSADMIN:
        return True
    return user.role in (Role.HEAD, Role.SUPERVISOR) and agency_of(user) is not None


def access_agency_ids(user: User) -> list[int]:
    """Whose access log the user may query: a head their agency, a supervisor their region."""
    if user.role == Role.HEAD:
        own = agency_of(user)
        return [own.pk] if own is not None else []
    return list(readable_agencies(user).values_list("pk", flat=True))


def can_dispose(user: User, case: Case) -> bool:
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.HEAD, Role.ARCHIVIST)
        and own is not None
        and own.pk == case.agency_id
    )


def ensure_can_dispose(user: User, case: Case) -> None:
    if not can_dispose(user, case):
        raise NotPermitted("只有本机关负责人或者档案管理员可以办理证据销毁。")
