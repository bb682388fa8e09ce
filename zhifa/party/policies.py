"""Who may do what with the party's submissions, in one place.

- The party: through a valid access code, on its own case only (zhifa.party.access).
- The agency's staff who work on cases (officers, heads, reviewers) and its 公示管理员 see the
  queue of their own agency; 司法局监督人员 read every agency of their region and decide nothing.
- 延期、分期缴纳 is decided by the agency's head (《行政处罚法》第六十六条第二款: 经行政机关批准),
  through the cases' own step `plan_payment`.
- 信用修复 (提前停止公示) by the agency's 公示管理员 or head, who manage its publications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhifa.accounts.models import Role
from zhifa.cases import policies as case_policies
from zhifa.core.errors import NotPermitted
from zhifa.disclosure import policies as disclosure_policies
from zhifa.org.policies import agency_of, readable_agency_filter
from zhifa.party.models import Submission, SubmissionKind

if TYPE_CHECKING:
    from zhifa.accounts.models import User

QUEUE_ROLES = frozenset({Role.OFFICER, Role.HEAD, Role.REVIEWER, Role.DISCLOSURE_ADMIN, Role.SUPERVISOR})


def can_see_queue(user: User) -> bool:
    return user.is_authenticated and user.role in QUEUE_ROLES and agency_of(user) is not None


def queue_filter(user: User) -> Q:
    return readable_agency_filter(user, "case__agency")


def ensure_can_see_queue(user: User) -> None:
    if not can_see_queue(user):
        raise NotPermitted(
            "只有执法机关的执法人员、负责人、法制审核人员、公示管理员和司法局监督人员可以查看当事人提交的申请。"
        )


def can_decide(user: User, submission: Submission) -> bool:
    agency = submission.case.agency
    if submission.kind in (SubmissionKind.DEFERRAL, SubmissionKind.INSTALMENT):
        return case_policies.is_head_of(user, agency)
    if submission.kind == SubmissionKind.CREDIT_REPAIR:
        return disclosure_policies.can_manage(user, agency)
    return False


def ensure_can_decide(user: User, submission: Submission) -> None:
    if can_decide(user, submission):
        return
    if submission.kind == SubmissionKind.CREDIT_REPAIR:
        raise NotPermitted(f"信用修复申请由“{submission.case.agency.name}”的公示管理员或机关负责人办理。")
    raise NotPermitted(
        f"延期或者分期缴纳罚款由“{submission.case.agency.name}”负责人批准（《行政处罚法》第六十六条第二款）。"
    )
