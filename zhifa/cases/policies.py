"""Who may act on a case, in one place.

- Everyone who can read the case's agency (org.policies) can read its cases; 司法局监督人员
  read the cases of every agency in their region and act on none.
- 承办人 (the case's active handlers) do the investigation work: records, reports, notices,
  service, payments.
- 机关负责人 of the case's agency approve: filing, measures, extensions, decisions, closing.
- 法制审核人员 of the agency record the legal review (第五十八条), never on a case they handle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhifa.accounts.models import Role
from zhifa.cases.party_actor import PartyActor
from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency, Officer
from zhifa.org.policies import agency_of, readable_agency_filter

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import Case


def officer_of(user: User) -> Officer | None:
    officer = getattr(user, "officer", None) if user.is_authenticated else None
    return officer if officer is not None and officer.is_active else None


def readable_case_filter(user: User) -> Q:
    return readable_agency_filter(user, "agency")


def is_handler(user: User, case: Case) -> bool:
    officer = officer_of(user)
    return officer is not None and case.handlers.filter(officer=officer, active=True).exists()


def is_head_of(user: User, agency: Agency) -> bool:
    own = agency_of(user)
    return user.is_authenticated and user.role == Role.HEAD and own is not None and own.pk == agency.pk


def is_head_of_case(user: User, case: Case) -> bool:
    """is_head_of the case's agency, by its id: a step's check loads no agency row."""
    own = agency_of(user)
    return user.is_authenticated and user.role == Role.HEAD and own is not None and own.pk == case.agency_id


def is_reviewer_of(user: User, agency: Agency) -> bool:
    own = agency_of(user)
    return user.is_authenticated and user.role == Role.REVIEWER and own is not None and own.pk == agency.pk


def can_register_clue(user: User, agency: Agency) -> bool:
    """Officers and heads of an agency register its clues and open on-the-spot cases."""
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.OFFICER, Role.HEAD)
        and own is not None
        and own.pk == agency.pk
    )


def approvers_of(agency: Agency) -> Q:
    """Reverse query on users: who approves this agency's case steps."""
    return Q(role=Role.HEAD, is_active=True, officer__agency=agency, officer__is_active=True)


def may_work_on(user: User, case: Case) -> bool:
    """Takes part in the case work of the case's agency at all (its officers, heads and reviewers).

    司法局监督人员 and the other roles read cases and act on none; the views refuse them every step
    with 403 before asking the workflow which step is open now.
    """
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.OFFICER, Role.HEAD, Role.REVIEWER)
        and own is not None
        and own.pk == case.agency_id
    )


def participation_refusal(user: User, case: Case) -> str:
    """Why this user takes no part in the case's work, or "" when they do."""
    if isinstance(user, PartyActor):
        # The party, through the party page, acts on their own case only (its steps say which).
        return "" if user.case_id == case.pk else "该查询码不能办理本案。"
    if may_work_on(user, case):
        return ""
    if user.is_authenticated and user.role == Role.SUPERVISOR:
        return "司法局监督人员可以查阅案件，但不能办理案件。"
    return f"您不是{case.agency.name}的执法人员、负责人或法制审核人员，不能办理本案。"


def ensure_may_work_on(user: User, case: Case) -> None:
    """Refuse (403) anyone who takes no part in the case work of the case's agency."""
    refusal = participation_refusal(user, case)
    if refusal:
        raise NotPermitted(refusal)


def sees_party_identity(user: User, case: Case) -> bool:
    """The party's full identity number, address and phone: the case's own agency's staff, who
    serve and collect. Others who read the case (supervisors, archivists, 公示管理员) see the
    name, the kind and a masked number; a credit code is public and shown whole."""
    return may_work_on(user, case)


def can_record_remedy(user: User, case: Case) -> bool:
    """复议、诉讼 and 自行纠正 of a decision are recorded by the agency's head or its legal reviewers
    (the 法制机构 answers reconsiderations and lawsuits for the agency)."""
    own = agency_of(user)
    return (
        user.is_authenticated
        and user.role in (Role.HEAD, Role.REVIEWER)
        and own is not None
        and own.pk == case.agency_id
    )
