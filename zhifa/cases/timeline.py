"""The full-process record of a case (《行政处罚法》第四十七条): its events and the documents it issues.

Both are written in the step's transaction with their ledger leaves (DESIGN §3.7). `preview`
runs a step for real and rolls it back, collecting the documents it would issue.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.cases import ledger
from zhifa.cases.models import Case, CaseEvent
from zhifa.cases.party_actor import PartyActor, user_of
from zhifa.core.workflow import event_data
from zhifa.documents.kinds import KINDS
from zhifa.documents.ledger import content_sha256 as document_content_sha256
from zhifa.documents.services import document_issue, document_preview_html
from zhifa.ledger.services import ledger_append

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document


def event(
    case: Case, actor: User | PartyActor | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> CaseEvent:
    """One event of the case, with its ledger leaf. The party (party page) is named in the data."""
    if isinstance(actor, PartyActor):
        data = {**data, **actor.as_data()}
        actor = None
    created = CaseEvent.objects.create(
        case=case, actor=actor, action=action, summary=summary[:300], reason=reason, data=event_data(data)
    )
    ledger_append(kind=ledger.KIND, ref=ledger.event_ref(created.pk), payload=ledger.event_payload(created))
    return created


class _Preview(Exception):
    """Raised to roll back a step run for its preview."""


_previews: ContextVar[list[tuple[str, str]] | None] = ContextVar("case_document_previews", default=None)


def preview(step: Callable[[], object]) -> list[tuple[str, str]]:
    """Run a step without keeping anything: the guards run for real, every write is rolled back,
    and the documents it would issue come back as (title, HTML) for the browser."""
    collected: list[tuple[str, str]] = []
    token = _previews.set(collected)
    try:
        with transaction.atomic():
            step()
            raise _Preview
    except _Preview:
        pass
    finally:
        _previews.reset(token)
    return collected


def issue(case: Case, actor: User | PartyActor | None, kind: str, **extra: Any) -> Document:
    """Issue one document of the case (numbered, rendered, signed) and record it on the timeline."""
    from zhifa.cases import review_gate
    from zhifa.cases.documents import GENERAL_DECISION_KINDS, content_for

    if kind in GENERAL_DECISION_KINDS:
        # 第五十八条 at the last door: whatever step issues a decision, the review gate is asked.
        review_gate.ensure_cleared(case)
    collected = _previews.get()
    if collected is not None:
        # A preview: the number and the signature come only with the real issue.
        html = document_preview_html(agency=case.agency, kind=kind, content=content_for(case, extra))
        collected.append((KINDS[kind].title, html))
        from zhifa.documents.models import Document
        from zhifa.documents.rendering import PREVIEW_NUMBER

        return Document(agency=case.agency, kind=kind, number=PREVIEW_NUMBER, subject_ref=case.subject_ref)
    from zhifa.cases import party_access

    document = document_issue(
        actor=user_of(actor),
        agency=case.agency,
        kind=kind,
        content=content_for(case, {**party_access.content_for(case, kind), **extra}),
        subject_ref=case.subject_ref,
        subject_label=case.number,
    )
    event(
        case,
        actor,
        "document_issued",
        f"制发{KINDS[kind].title} {document.number}",
        document=document.pk,
        kind=kind,
        number=document.number,
        content_sha256=document_content_sha256(document),
    )
    return document
