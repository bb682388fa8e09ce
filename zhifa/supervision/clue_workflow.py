"""The clue on the step runner (zhifa.core.workflow): views, the demo and the tests take its steps
through `take()`; the clue page lists `next_steps()`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from zhifa.core import workflow as runner
from zhifa.supervision import clue_policies, clue_services
from zhifa.supervision.models_clues import Clue

if TYPE_CHECKING:
    from zhifa.accounts.models import User

CLUES: runner.Workflow[Clue] = runner.Workflow(
    name="supervision_clues",
    model=Clue,
    noun="监督线索",
    ensure_participant=clue_policies.ensure_participant,
    write_event=clue_services.clue_event,
)


def register() -> None:
    """Called once from the app's ready(): the steps and the ledger kind."""
    from zhifa.supervision import clue_ledger
    from zhifa.supervision.clue_steps import STEPS

    if not CLUES.steps:
        CLUES.add(STEPS)
    clue_ledger.register()


def take(code: str, *, actor: User, clue: Clue, on: dt.date | None = None, **data: Any) -> Any:
    return CLUES.take(code, clue, actor=actor, on=on, **data)


next_steps = CLUES.next_steps
