"""Who may see and change the matter catalog and the law library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.core.errors import NotPermitted
from zhifa.org import policies as org_policies

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.catalog.models import Matter
    from zhifa.org.models import Agency


def can_manage_matters(user: User, agency: Agency) -> bool:
    """An agency's head keeps its own catalog; the system administrator keeps all."""
    return org_policies.can_manage_agency(user, agency)


def can_change_matter(user: User, matter: Matter) -> bool:
    """A repealed matter is history: nobody amends or repeals it again."""
    return matter.repealed_on is None and can_manage_matters(user, matter.agency)


def ensure_can_manage_matters(user: User, agency: Agency) -> None:
    if not can_manage_matters(user, agency):
        raise NotPermitted(f"您无权修改“{agency.name}”的执法事项清单，只有本机关负责人或系统管理员可以修改。")


def can_read_laws(user: User) -> bool:
    return user.is_authenticated and user.is_active
