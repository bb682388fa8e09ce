"""Does a case need legal review, and why: the agency's catalog against the case's stored facts.

Computed when read (DESIGN §3.2). The facts are the matter version's listing, the intended
penalty (kinds and amounts, against the catalog's or the jurisdiction's thresholds), a held
hearing, the case's complex/major flag, and the criteria a handler or head marked. Only the
general procedure is reviewed: 第五十八条 sits in its section, and a matter listed for review
cannot be decided on the spot (zhifa.review.gate).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from zhifa.cases.models import Procedure
from zhifa.cases.penalties import PenaltyKind
from zhifa.core import jurisdiction
from zhifa.review.models import Criterion, ReviewCatalog

if TYPE_CHECKING:
    from zhifa.cases.models import Case
    from zhifa.org.models import Agency

# The kinds that take away a licence, a business or liberty (seeds: 吊销许可证件、责令关闭 …).
DEFAULT_MAJOR_KINDS = (
    PenaltyKind.DOWNGRADE,
    PenaltyKind.REVOKE_LICENCE,
    PenaltyKind.SUSPEND_BUSINESS,
    PenaltyKind.ORDER_CLOSURE,
    PenaltyKind.RESTRICT_PRACTICE,
    PenaltyKind.DETENTION,
)

# Which catalog switch lets each marked criterion count.
MARK_SWITCH = {
    Criterion.PUBLIC_INTEREST: "public_interest",
    Criterion.SOCIAL_IMPACT: "social_impact",
    Criterion.COMPLEX: "complex_case",
}


@dataclass(frozen=True)
class Match:
    code: str
    label: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.label}（{self.detail}）" if self.detail else self.label


def catalog_for(agency: Agency) -> ReviewCatalog:
    """The agency's catalog, or an unsaved one with the defaults."""
    found = ReviewCatalog.objects.filter(agency=agency).first()
    return found if found is not None else ReviewCatalog(agency=agency)


def major_kinds(catalog: ReviewCatalog) -> list[str]:
    return list(catalog.major_kinds) or [str(k) for k in DEFAULT_MAJOR_KINDS]


def fine_threshold(catalog: ReviewCatalog, organisation: bool) -> Decimal:
    if organisation:
        own = catalog.fine_organisation
        return own if own is not None else jurisdiction.value("hearing_fine_organisation")
    own = catalog.fine_citizen
    return own if own is not None else jurisdiction.value("hearing_fine_citizen")


def _confiscation_threshold(organisation: bool) -> Decimal:
    key = "hearing_confiscation_organisation" if organisation else "hearing_confiscation_citizen"
    return jurisdiction.value(key)


def _terms(case: Case) -> tuple[list[str], Decimal, Decimal]:
    """The penalty the case is heading for: decided, else notified, else intended."""
    if case.decided_on is not None and case.final_kinds:
        return list(case.final_kinds), case.final_fine, case.final_confiscation
    if case.notified_at is not None and case.notified_kinds:
        return list(case.notified_kinds), case.notified_fine, case.notified_confiscation
    return list(case.intended_kinds), case.intended_fine, case.intended_confiscation


def matches(case: Case, catalog: ReviewCatalog | None = None) -> list[Match]:
    """Every criterion of the catalog the case meets, in the catalog's order."""
    if case.procedure != Procedure.GENERAL:
        return []
    catalog = catalog or catalog_for(case.agency)
    found: list[Match] = []
    version = case.matter_version
    if version is not None and version.review_always_required:
        found.append(Match("matter", "执法事项列入法制审核目录清单", version.name))
    marks = {m.criterion: m for m in case.review_marks.all()}
    for code in (Criterion.PUBLIC_INTEREST, Criterion.SOCIAL_IMPACT):
        if code in marks and getattr(catalog, MARK_SWITCH[code]):
            found.append(Match(code, Criterion(code).label, marks[code].reason))
    if catalog.major_rights:
        organisation = case.party_is_organisation
        kinds, fine, confiscation = _terms(case)
        heavy = [PenaltyKind(k).label for k in kinds if k in major_kinds(catalog)]
        if heavy:
            found.append(Match("major_kinds", "直接关系当事人重大权益", "拟" + "、".join(heavy)))
        limit = fine_threshold(catalog, organisation)
        if fine > 0 and fine >= limit:
            found.append(
                Match("major_fine", "直接关系当事人重大权益", f"罚款 {fine} 元，达到 {limit} 元标准")
            )
        limit = _confiscation_threshold(organisation)
        if confiscation > 0 and confiscation >= limit:
            found.append(
                Match("major_fine", "直接关系当事人重大权益", f"没收 {confiscation} 元，达到 {limit} 元标准")
            )
    hearing = getattr(case, "hearing", None)
    if catalog.after_hearing and hearing is not None and hearing.held_on is not None:
        found.append(Match("hearing", "经过听证程序", f"{hearing.held_on:%Y-%m-%d} 举行听证"))
    if catalog.complex_case:
        if case.is_major:
            found.append(Match("major", "案件情况疑难复杂、涉及多个法律关系", case.major_reason))
        elif Criterion.COMPLEX in marks:
            found.append(Match(Criterion.COMPLEX, Criterion.COMPLEX.label, marks[Criterion.COMPLEX].reason))
    if catalog.all_general:
        found.append(Match("all_general", "本机关一般程序案件一律法制审核（一案一卷一审）"))
    if Criterion.HEAD_ADDED in marks:
        mark = marks[Criterion.HEAD_ADDED]
        found.append(Match(Criterion.HEAD_ADDED, Criterion.HEAD_ADDED.label, mark.reason))
    return found
