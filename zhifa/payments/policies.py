"""Who handles the receipts of 罚缴分离 (《行政处罚法》第六十七条).

- 机关负责人 of the agency import receipt files and resolve the queue (partial, unmatched,
  doubtful payments): the entries they make are payments of every case of the agency.
- The agency's 执法人员 read the imports and the queue (to answer a party who says they paid).
- Nobody else: a receipt names the payer, which is personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.cases.policies import is_head_of
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency


def may_read(user: User, agency: Agency) -> bool:
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.HEAD, Role.OFFICER)
        and own is not None
        and own.pk == agency.pk
    )


def may_handle(user: User, agency: Agency) -> bool:
    return is_head_of(user, agency)


def ensure_may_handle(user: User, agency: Agency) -> None:
    if not may_handle(user, agency):
        raise NotPermitted(f"缴款文件的导入和待处理缴款应由{agency.name}负责人办理。")


def home_agency(user: User) -> Agency | None:
    """The agency whose receipts this user reads, or None."""
    own = agency_of(user)
    return own if own is not None and may_read(user, own) else None
