"""Who may change the warning rules: they are one table for the whole installation, so only a
supervisor of a 司法局 (county level or above) — not of a township 司法所, whose supervisors
see and handle their own hits — sets thresholds or disables a rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.core.errors import NotPermitted
from zhifa.org.models import RegionLevel
from zhifa.supervision.policies import ensure_supervisor

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def may_manage_rules(user: User) -> bool:
    from zhifa.supervision.policies import bureau_of

    bureau = bureau_of(user)
    return bureau is not None and bureau.region.level != RegionLevel.TOWNSHIP


def ensure_may_manage_rules(user: User) -> None:
    ensure_supervisor(user)
    if not may_manage_rules(user):
        raise NotPermitted("预警规则的阈值和启用状态由县级以上司法局的监督人员设置，司法所不能修改。")
