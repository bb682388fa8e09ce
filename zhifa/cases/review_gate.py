"""The legal-review gate of 《行政处罚法》第五十八条, as a seam.

The decision step asks `ensure_cleared(case)`. Until the review app provides the full review
(catalog criteria, rounds, opinion document, collective discussion overruling a disagreement),
the gate uses this module's rule: review is required when the matter version says every case
needs it or the case is marked complex or major, and it is cleared by a passing opinion that a
法制审核人员 recorded (services.case_record_review). The review app replaces the provider with
`install(provider)` from its AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from zhifa.core.errors import DomainError

if TYPE_CHECKING:
    from zhifa.cases.models import Case


@dataclass(frozen=True)
class Clearance:
    required: bool
    cleared: bool
    reasons: tuple[str, ...]


class Provider(Protocol):
    def __call__(self, case: Case) -> Clearance: ...


def _default(case: Case) -> Clearance:
    reasons = []
    if case.matter_version is not None and case.matter_version.review_always_required:
        reasons.append("执法事项列入法制审核目录")
    if case.is_major:
        reasons.append(
            f"情节复杂或者重大违法行为（{case.major_reason}）"
            if case.major_reason
            else "情节复杂或者重大违法行为"
        )
    if case.hearing_right and hasattr(case, "hearing") and case.hearing.held_on is not None:
        reasons.append("经过听证程序")
    return Clearance(bool(reasons), case.legal_review_passed_at is not None, tuple(reasons))


_provider: Provider = _default


def install(provider: Provider) -> Provider:
    """Use `provider` from now on; returns the one it replaces (so a test can put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def clearance(case: Case) -> Clearance:
    return _provider(case)


def ensure_cleared(case: Case) -> None:
    result = clearance(case)
    if result.required and not result.cleared:
        raise DomainError(
            f"本案属于应当法制审核的情形（{'；'.join(result.reasons)}），"
            "未经法制审核或者审核未通过的，不得作出决定（《行政处罚法》第五十八条）。"
        )
