"""The steps the party takes on their own case, on the cases' step runner (zhifa.core.workflow).

They are declared on the same workflow as the officers' steps, so the runner locks the case,
checks the status and the window, writes the case's event and ledger leaf and settles the case
exactly as for a step an officer takes; the actor is a `PartyActor` (zhifa.cases.party_actor).
They are never offered on the staff's case page (`offered`), and the staff cannot take them.

- 陈述申辩 (第四十五条): a written statement becomes a 陈述申辩 record of the case; any earlier
  复核 is cleared, so the handler must review again before a decision (第四十五条第一款, 第六十二条).
- 听证申请 (第六十四条第（一）项): the cases' own `_request_hearing`, dated the day it is sent.
- 同意电子送达 (第六十一条第二款): the address the party confirms.
- 电子送达 at the first opening (第六十一条第二款): the cases' own `_serve`, method 电子送达.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from zhifa.cases.checks import require_text
from zhifa.cases.models import TERMINAL, Case, Record, RecordKind, ServiceMethod, Status
from zhifa.cases.party_actor import PartyActor
from zhifa.cases.steps import notice
from zhifa.cases.steps.decision import _after_service, _serve
from zhifa.cases.workflow import CASES, GENERAL, PARTY
from zhifa.core import workflow as runner
from zhifa.core.errors import DomainError
from zhifa.core.workflow import Run
from zhifa.documents.models import Document
from zhifa.party import windows

NOT_ENDED = frozenset(Status.values) - TERMINAL - {Status.CLUE, Status.FILING}
PLACE = "当事人页面（网上提交）"


def _never_offered(case: Case) -> bool:
    return False


def _refuse(sentence: str) -> None:
    if sentence:
        raise DomainError(sentence)


def _guard_statement(case: Case, on: dt.date) -> None:
    _refuse(windows.statement(case, on))


def _statement(run: Run[Case], *, statement: str, attachments: Sequence[dict[str, Any]] = ()) -> Record:
    """The party's written 陈述申辩, as a record of the case (第四十五条第一款)."""
    case = run.subject
    paragraphs = [p.strip() for p in require_text(statement, "陈述申辩内容").splitlines() if p.strip()]
    now = timezone.now()
    fields = [["提交方式", "当事人通过当事人页面书面提交"]]
    if attachments:
        fields.append(["附件", "；".join(f"{a['name']}（SHA-256 {a['sha256'][:16]}…）" for a in attachments)])
    record = Record.objects.create(
        case=case,
        kind=RecordKind.STATEMENT,
        started_at=now,
        ended_at=now,
        place=PLACE,
        subject_name=case.party_name,
        content={"fields": fields, "paragraphs": paragraphs, "submitted_by": "party"},
        created_by=None,
    )
    reviewed = bool(case.defence_adoption)
    # A new statement must be reviewed (复核) before the decision, even after an earlier review.
    case.defence_adoption = ""
    case.defence_review = ""
    case.save()
    run.record(
        "当事人通过当事人页面提交书面陈述申辩" + ("（此前的复核须重新进行）" if reviewed else ""),
        action="add_record",
        record=record.pk,
        attachments=[{"name": a["name"], "sha256": a["sha256"]} for a in attachments],
    )
    return record


def _guard_hearing(case: Case, on: dt.date) -> None:
    _refuse(windows.hearing(case, on))


def _hearing(run: Run[Case]) -> Any:
    return notice._request_hearing(run, requested_on=run.on)


def _guard_consent(case: Case, on: dt.date) -> None:
    _refuse(windows.consent(case, on))


def _consent(run: Run[Case], *, address: str) -> Case:
    """The party's consent to electronic service and the address they confirm (第六十一条第二款)."""
    case = run.subject
    case.electronic_service_consent = require_text(address, "电子送达地址")[:200]
    case.save()
    run.record(
        f"当事人通过当事人页面同意电子送达，确认的送达地址：{case.electronic_service_consent}",
        reason=windows.RULE_SERVICE,
    )
    return case


def _guard_receive(case: Case, on: dt.date) -> None:
    _refuse(windows.electronic_service(case))


def _receive(run: Run[Case], *, documents: Sequence[Document]) -> Any:
    """电子送达 recorded when the party first opens the documents (第六十一条第二款)."""
    case = run.subject
    actor = run.actor
    assert isinstance(actor, PartyActor)
    at = timezone.localtime()
    return _serve(
        run,
        documents=documents,
        method=ServiceMethod.ELECTRONIC,
        served_on=run.on,
        place=case.electronic_service_consent,
        recipient=case.party_name,
        note=f"当事人于 {at:%Y-%m-%d %H:%M:%S} 通过当事人页面首次打开（查询码记录 #{actor.access_id}）",
    )


STEPS = [
    runner.Step(
        "party_statement",
        "当事人提交陈述申辩",
        PARTY,
        frozenset({Status.NOTICE}),
        _statement,
        guard=_guard_statement,
        variants=GENERAL,
        offered=_never_offered,
    ),
    runner.Step(
        "party_request_hearing",
        "当事人申请听证",
        PARTY,
        frozenset({Status.NOTICE}),
        _hearing,
        guard=_guard_hearing,
        variants=GENERAL,
        offered=_never_offered,
    ),
    runner.Step(
        "party_consent_service",
        "当事人同意电子送达",
        PARTY,
        NOT_ENDED,
        _consent,
        guard=_guard_consent,
        offered=_never_offered,
    ),
    runner.Step(
        "party_receive",
        "电子送达（当事人首次打开）",
        PARTY,
        NOT_ENDED,
        _receive,
        leads_to=(Status.EXECUTION, Status.CLOSING),
        route=_after_service,
        leads_from=frozenset({Status.DECIDED}),
        guard=_guard_receive,
        offered=_never_offered,
    ),
]


def register() -> None:
    """Called once by the app's ready(), after the cases app registered its own steps."""
    if "party_statement" not in CASES.steps:
        CASES.add(STEPS)
