"""Shortcuts for the review tests: a case ready for review, and the review steps."""

from __future__ import annotations

from typing import Any

from zhifa.cases.models import Case, Outcome
from zhifa.cases.tests.steps import reported_case
from zhifa.review import services
from zhifa.review.items import ITEMS
from zhifa.review.models import ReviewRound
from zhifa.testing.factories import make_matter

ALL_OK = {i.code: {"finding": "ok", "note": ""} for i in ITEMS}


def listed_case(w: Any, **fields: Any) -> Case:
    """Reported with a no-penalty outcome on a matter listed for review: every material present."""
    matter = make_matter(agency=w.agency, domain=w.domain, code="M0901", review_always_required=True)
    fields.setdefault("outcome", Outcome.NO_PENALTY)
    return reported_case(w, matter=matter, **fields)


def submitted(w: Any, case: Case, note: str = "") -> ReviewRound:
    return services.review_submit(actor=w.officer, case=case, note=note)


def assigned(w: Any, case: Case, note: str = "") -> ReviewRound:
    round_ = submitted(w, case, note)
    services.review_assign(actor=w.head, round_=round_, reviewer=w.reviewer)
    round_.refresh_from_db()
    return round_


def with_problem(
    code: str = "evidence", note: str = "工资表未经当事人签字确认。"
) -> dict[str, dict[str, str]]:
    return {**ALL_OK, code: {"finding": "problem", "note": note}}


def returned(w: Any, case: Case) -> ReviewRound:
    round_ = assigned(w, case)
    services.review_record(
        actor=w.reviewer, round_=round_, findings=with_problem(), opinion="problems", problems="请补充证据。"
    )
    round_.refresh_from_db()
    return round_
