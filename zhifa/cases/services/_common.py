"""What every case step shares: the event it writes, the documents it issues, the handler rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.cases import ledger
from zhifa.cases.models import Case, CaseEvent, CaseHandler
from zhifa.catalog.models import MatterVersion
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.documents.kinds import KINDS
from zhifa.documents.services import document_issue, document_preview_html
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document

MIN_HANDLERS = 2


def event(
    case: Case, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> CaseEvent:
    """The full-process record of one step (第四十七条), written in the step's transaction,
    with its ledger leaf (DESIGN §3.7)."""
    created = CaseEvent.objects.create(
        case=case, actor=actor, action=action, summary=summary[:300], reason=reason, data=_jsonable(data)
    )
    ledger_append(kind=ledger.KIND, ref=ledger.event_ref(created.pk), payload=ledger.event_payload(created))
    return created


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


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


def issue(case: Case, actor: User | None, kind: str, **extra: Any) -> Document:
    """Issue one document of the case (numbered, rendered, signed) and record it on the timeline."""
    from zhifa.cases import review_gate
    from zhifa.cases.documents import content_for

    if kind in review_gate.DECISION_KINDS:
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
    document = document_issue(
        actor=actor,
        agency=case.agency,
        kind=kind,
        content=content_for(case, extra),
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
        sha256=document.sha256,
    )
    return document


def require_text(value: str, what: str, article: str = "") -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{what}{f'（{article}）' if article else ''}。")
    return value


def not_in_future(day: dt.date, what: str, on: dt.date) -> dt.date:
    if day > on:
        raise InvalidInput(f"{what}不能晚于今天（{on:%Y-%m-%d}）。")
    return day


def active_handlers(case: Case) -> list[CaseHandler]:
    return list(case.handlers.filter(active=True).select_related("officer"))


def ensure_team(case: Case, on: dt.date) -> MatterVersion:
    """第四十二条 and 第四十三条: two or more eligible handlers, every one having declared recusal."""
    if case.matter is None:
        raise DomainError("请先选择本案适用的执法事项。")
    handlers = active_handlers(case)
    if len(handlers) < MIN_HANDLERS:
        raise DomainError("执法人员不得少于两人（《行政处罚法》第四十二条），请至少指定两名承办人。")
    version = None
    for handler in handlers:
        version = handler_ensure_eligible(officer=handler.officer, matter=case.matter, on=on)
        if handler.recusal_declared_at is None:
            raise DomainError(f"承办人{handler.officer.name}尚未作出回避声明（《行政处罚法》第四十三条）。")
    assert version is not None
    return version


def ensure_present_officers(case: Case, officers: Iterable[Officer], on: dt.date) -> list[Officer]:
    """Records are made by two or more of the case's handlers, each able to enforce that day."""
    chosen = list(officers)
    handlers = {h.officer_id: h for h in active_handlers(case)}
    if len(chosen) < MIN_HANDLERS:
        raise DomainError("调查或者检查时，执法人员不得少于两人（《行政处罚法》第四十二条、第五十五条）。")
    for officer in chosen:
        if officer.pk not in handlers:
            raise DomainError(
                f"{officer.name}不是本案承办人，不能以执法人员身份参与调查（《行政处罚法》第四十二条）。"
            )
        if handlers[officer.pk].recusal_declared_at is None:
            raise DomainError(f"承办人{officer.name}尚未作出回避声明（《行政处罚法》第四十三条）。")
        assert case.matter is not None
        handler_ensure_eligible(officer=officer, matter=case.matter, on=on)
    return chosen
