"""The case procedure on the step runner (zhifa.core.workflow): who takes steps, how to take one.

Each step is declared once, in the phase module of `zhifa.cases.steps` that owns it (filing,
investigation, notice, decision, execution), and registered here when the app is ready. The
HTML views, the JSON API and the demo all take steps through `take()` / `run()`; the case
page and the API's `available_steps` both come from `next_steps()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zhifa.cases import ledger, policies
from zhifa.cases.models import Case, Procedure, Status
from zhifa.cases.party_actor import is_party_of
from zhifa.cases.timeline import event
from zhifa.core import workflow as runner

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.party_actor import PartyActor


CASES: runner.Workflow[Case] = runner.Workflow(
    name="cases",
    model=Case,
    noun="案件",
    ensure_participant=policies.ensure_may_work_on,
    write_event=event,
    variant_of=lambda case: case.procedure,
    variant_label=lambda case: f"{case.get_procedure_display()}案件",
    settle=ledger.case_append,
)

# Who takes a step: the refusal names them ("“批准结案”应由本机关负责人办理。").
HANDLER: runner.Who[Case] = runner.Who("本案承办人", policies.is_handler)
HEAD: runner.Who[Case] = runner.Who("本机关负责人", policies.is_head_of_case)
HANDLER_OR_HEAD: runner.Who[Case] = runner.Who(
    "本案承办人或本机关负责人",
    # The head first: it needs no query, the handler check does.
    lambda user, case: policies.is_head_of_case(user, case) or policies.is_handler(user, case),
)
# The party, through the party page (zhifa.party), on their own case only (cases.party_actor).
PARTY: runner.Who[Case] = runner.Who(
    "当事人（通过当事人页面）", lambda actor, case: is_party_of(actor, case.pk)
)
STAFF: runner.Who[Case] = runner.Who(
    "本机关执法人员或负责人", lambda user, case: policies.can_register_clue(user, case.agency)
)

GENERAL = frozenset({Procedure.GENERAL})
ON_THE_SPOT = frozenset({Procedure.ON_THE_SPOT})

Step = runner.Step
StepState = runner.StepState


def take(code: str, *, actor: User | PartyActor, case: Case, on: dt.date | None = None, **data: Any) -> Any:
    """Take step `code` on the case with `data` as its input; returns what the step made."""
    return CASES.take(code, case, actor=actor, on=on, **data)


def check(code: str, case: Case, user: User, on: dt.date | None = None) -> None:
    """Raise the refusal of step `code` for this user now (no lock: for pages, not for writes)."""
    runner.check(CASES, CASES.step(code), case, user, on)


# The steps open now, allowed or with the reason why not; none for who takes no part (the case
# page and the API both show this list).
next_steps = CASES.next_steps


@dataclass(frozen=True)
class Entry:
    """How a case of a procedure comes into being (a service, not a step on an existing case)."""

    label: str
    who: runner.Who[Case]
    leads_to: tuple[str, ...]


# Where each procedure starts: 登记案源 (case_register_clue) and the on-the-spot decision
# (case_decide_on_the_spot: closing when paid on the spot or without a fine, else execution).
ENTRIES: dict[str, Entry] = {
    Procedure.GENERAL: Entry("登记案源", STAFF, (Status.CLUE,)),
    Procedure.ON_THE_SPOT: Entry("当场作出行政处罚决定", STAFF, (Status.EXECUTION, Status.CLOSING)),
}
