"""The party acting on their own case through the party page (`zhifa.party`), without an account.

The party page opens a case with an access code and a second factor; the steps it takes run on
the same step runner as the officers' (`zhifa.cases.workflow`), with a `PartyActor` as the actor.
Its events are written with no user (`CaseEvent.actor` empty) and the access that acted in their
data, so the full-process record (第四十七条) says who acted and through which code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from zhifa.accounts.models import User


@dataclass(frozen=True)
class PartyActor:
    case_id: int
    access_id: int
    label: str = "当事人（当事人页面）"
    # Read like an anonymous user by everything that asks a user (no officer, no role, no agency).
    is_authenticated: ClassVar[bool] = False
    is_active: ClassVar[bool] = False
    role: ClassVar[str] = ""
    pk: ClassVar[None] = None

    def as_data(self) -> dict[str, Any]:
        return {"by": "party", "party_access": self.access_id}


def user_of(actor: Any) -> User | None:
    """The user behind an actor: None for the party (and for the command line and the demo)."""
    return None if isinstance(actor, PartyActor) else actor


def is_party_of(actor: Any, case_id: int) -> bool:
    return isinstance(actor, PartyActor) and actor.case_id == case_id
