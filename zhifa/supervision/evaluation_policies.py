"""Who may do what in 案卷评查.

- The supervisors of the campaign's 司法局 (or of a bureau above it) manage the campaign.
- An evaluator sees only the files assigned to them, and scores only those.
- An agency's staff see their own agency's results once the campaign is 通报ed, and its head
  reports the 整改 of its 不合格 files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org.policies import agency_of
from zhifa.supervision import policies
from zhifa.supervision.models_evaluation import Campaign, CampaignStatus, EvaluationFile, Rectification

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def manages(user: User, campaign: Campaign) -> bool:
    return policies.bureau_of(user) is not None and policies.is_supervisor_of(user, campaign.bureau)


def ensure_manages(user: User, campaign: Campaign) -> None:
    if not manages(user, campaign):
        raise NotPermitted("只有组织本次案卷评查的司法行政部门的监督人员可以办理。")


def evaluates(user: User, file: EvaluationFile) -> bool:
    return user.is_authenticated and file.evaluator_id == user.pk


def may_work_on_file(user: User, file: EvaluationFile) -> bool:
    return manages(user, file.campaign) or evaluates(user, file)


def ensure_may_work_on_file(user: User, file: EvaluationFile) -> None:
    if not may_work_on_file(user, file):
        raise NotPermitted("您不是这件案卷的评查人员，也不是组织评查的监督人员。")


def of_agency(user: User, agency_id: int) -> bool:
    agency = agency_of(user) if user.is_authenticated else None
    return agency is not None and agency.pk == agency_id


def is_head_of(user: User, agency_id: int) -> bool:
    return of_agency(user, agency_id) and user.role == Role.HEAD


def may_work_on_rectification(user: User, rect: Rectification) -> bool:
    return of_agency(user, rect.agency_id) or manages(user, rect.file.campaign)


def ensure_may_work_on_rectification(user: User, rect: Rectification) -> None:
    if not may_work_on_rectification(user, rect):
        raise NotPermitted("这项整改不属于您所在的执法主体，也不在您的监督范围内。")


def sees_results(user: User, file: EvaluationFile) -> bool:
    """The agency's own staff, once the results are 通报ed."""
    return file.campaign.status == CampaignStatus.FINISHED and of_agency(user, file.agency_id)
