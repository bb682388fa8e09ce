"""Who does what with monitoring devices and their records (《行政处罚法》第四十一条).

- 机关负责人 register a device, submit it to 法制审核 and publish its location.
- 公示管理员 of the agency publish a reviewed device's location too.
- 法制审核人员 give the review opinion (zhifa.review.subjects: never the one who submitted).
- 执法人员 and 机关负责人 import records, review each one, start a case from a usable one and
  tell the party.
- Everyone of the agency reads its devices and records; the public reads the published list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.cases.policies import can_register_clue, is_head_of
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.org.models import Agency

READERS = (Role.HEAD, Role.OFFICER, Role.REVIEWER, Role.DISCLOSURE_ADMIN)


def home_agency(user: User) -> Agency | None:
    own = agency_of(user)
    if own is None or not user.is_authenticated or user.role not in READERS:
        return None
    return own


def ensure_reader(user: User) -> Agency:
    agency = home_agency(user)
    if agency is None:
        raise NotPermitted("非现场执法设备和记录只对本机关负责人、执法人员、法制审核人员和公示管理员开放。")
    return agency


def may_register(user: User, agency: Agency) -> bool:
    return is_head_of(user, agency)


def ensure_may_register(user: User, agency: Agency) -> None:
    if not may_register(user, agency):
        raise NotPermitted(f"电子技术监控设备的登记和送审应由{agency.name}负责人办理。")


def may_publish(user: User, agency: Agency) -> bool:
    own = agency_of(user)
    admin = (
        user.is_authenticated
        and user.role == Role.DISCLOSURE_ADMIN
        and own is not None
        and own.pk == agency.pk
    )
    return admin or is_head_of(user, agency)


def ensure_may_publish(user: User, agency: Agency) -> None:
    if not may_publish(user, agency):
        raise NotPermitted(f"设备设置地点的公布应由{agency.name}负责人或公示管理员办理。")


def may_handle_events(user: User, agency: Agency) -> bool:
    return can_register_clue(user, agency)


def ensure_may_handle_events(user: User, agency: Agency) -> None:
    if not may_handle_events(user, agency):
        raise NotPermitted(f"电子技术监控记录的导入、审核和立案应由{agency.name}的执法人员或负责人办理。")
