"""Who does what in the legal review (法制审核).

- 承办人 submit their case for review, state a disagreement and resubmit after corrections.
- 机关负责人, or the lead of the agency's legal-review body (法制审核机构负责人), assign a reviewer.
- 法制审核人员 of the agency review a case they never handled; one doing a first review holds the
  legal-profession qualification (《行政处罚法》第五十八条第二款).
- 机关负责人 add review to any case, chair the collective discussion and, with the system
  administrator, edit the agency's review catalog.
- Everyone who can read the case reads its review (zhifa.cases.selectors).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhifa.accounts.models import Role
from zhifa.cases.policies import is_handler, is_head_of, is_reviewer_of, officer_of
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.org.policies import can_manage_agency

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case
    from zhifa.org.models import Agency
    from zhifa.review.models import ReviewRound

# Titles that make a member of the legal-review body its lead (科长, 股长, 主任, 负责人).
LEAD_TITLES = ("科长", "股长", "主任", "负责人")


def is_review_lead(user: User, agency: Agency) -> bool:
    if not is_reviewer_of(user, agency):
        return False
    officer = officer_of(user)
    return (
        officer is not None
        and officer.unit is not None
        and officer.unit.is_legal_review_body
        and any(t in officer.title for t in LEAD_TITLES)
    )


def may_assign(user: User, agency: Agency) -> bool:
    return is_head_of(user, agency) or is_review_lead(user, agency)


def ever_handled(user: User, case: Case) -> bool:
    """A handler now or before (replaced handlers investigated too): never their own reviewer."""
    officer = officer_of(user)
    return officer is not None and case.handlers.filter(officer=officer).exists()


def has_reviewed_before(user: User) -> bool:
    from zhifa.review.models import ReviewRound

    return ReviewRound.objects.filter(reviewer=user).exclude(opinion="").exists()


def ensure_may_review(user: User, case: Case) -> None:
    """The reviewer rules of 第五十八条, with the sentence naming the one broken."""
    if not is_reviewer_of(user, case.agency):
        raise NotPermitted(f"法制审核应由{case.agency.name}的法制审核人员办理。")
    if ever_handled(user, case):
        raise DomainError(
            f"{user.display_name}是本案承办人，不能审核本案：法制审核由承办机构以外的法制审核人员进行，"
            "承办人员对送审材料负责，审核人员对审核意见负责（《行政处罚法》第五十八条；三项制度：承办与审核分离）。"
        )
    officer = officer_of(user)
    if not has_reviewed_before(user) and (officer is None or not officer.has_legal_qualification):
        raise DomainError(
            f"{user.display_name}尚未从事过行政处罚决定法制审核，且未登记法律职业资格；初次从事行政处罚决定"
            "法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格（《行政处罚法》第五十八条第二款）。"
        )


def ensure_assigned_reviewer(user: User, round_: ReviewRound) -> None:
    if round_.reviewer_id != user.pk:
        raise NotPermitted("只有分配审核本案的法制审核人员可以出具审核意见。")


def ensure_handler(user: User, case: Case, what: str) -> None:
    if not is_handler(user, case):
        raise NotPermitted(f"{what}应由本案承办人办理。")


def ensure_head(user: User, case: Case, what: str) -> None:
    if not is_head_of(user, case.agency):
        raise NotPermitted(f"{what}应由{case.agency.name}负责人办理。")


def may_coordinate(user: User, case: Case) -> bool:
    return (
        is_handler(user, case)
        or is_head_of(user, case.agency)
        or (is_reviewer_of(user, case.agency) and not ever_handled(user, case))
    )


def may_edit_catalog(user: User, agency: Agency) -> bool:
    return can_manage_agency(user, agency)


def may_see_staffing(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN)
