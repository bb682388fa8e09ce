"""The legal-review gate of 《行政处罚法》第五十八条, as a seam.

Every path that issues a decision asks here: the decide step's guard (`ensure_cleared`), the
document issue of the case (`zhifa.cases.timeline.issue` for 行政处罚决定书 and 不予行政处罚
决定书, so no later path can skip it), and the on-the-spot decision (`ensure_on_the_spot_allowed`).

The review app (zhifa.review) installs the provider from its AppConfig.ready(): the agency's
review catalog against the case, and the latest review round (同意, or a disagreement decided by
collective discussion). Without it nothing is cleared: a case the fallback rule says needs
review cannot be decided, which fails closed rather than open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from zhifa.core.errors import DomainError

if TYPE_CHECKING:
    from zhifa.cases.models import Case
    from zhifa.catalog.models import MatterVersion


@dataclass(frozen=True)
class Clearance:
    required: bool
    cleared: bool
    reasons: tuple[str, ...]


class Provider(Protocol):
    def __call__(self, case: Case) -> Clearance: ...


def _fallback(case: Case) -> Clearance:
    reasons = []
    if case.matter_version is not None and case.matter_version.review_always_required:
        reasons.append("执法事项列入法制审核目录")
    if case.is_major:
        reasons.append("情节复杂或者重大违法行为")
    hearing = getattr(case, "hearing", None)
    if hearing is not None and hearing.held_on is not None:
        reasons.append("经过听证程序")
    return Clearance(bool(reasons), False, tuple(reasons))


_provider: Provider = _fallback


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


def ensure_on_the_spot_allowed(version: MatterVersion) -> None:
    """A matter whose every case is reviewed cannot be decided on the spot, where no review fits."""
    if version.review_always_required:
        raise DomainError(
            f"执法事项“{version.name}”列入法制审核目录清单，作出决定前应当进行法制审核，"
            "不能当场作出行政处罚决定，请按普通程序办理（《行政处罚法》第五十八条）。"
        )
