"""Small objects for the filing and warning tests: a case row with its events, made directly
(the case procedure itself is tested in zhifa.cases), and a signed decision document."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from zhifa.cases.models import Case, CaseEvent, ClueSource, Status
from zhifa.documents.models import Document
from zhifa.testing.factories import first_version, make_matter

_serial = itertools.count(1)


def a_case(
    agency: Any, *, status: str = Status.DECIDED, decided_on: dt.date | None = None, **fields: Any
) -> Case:
    n = next(_serial)
    values: dict[str, Any] = {
        "agency": agency,
        "number": f"测试案{n:05d}",
        "cause": "未按规定签订劳动合同案",
        "source": ClueSource.INSPECTION,
        "received_on": (decided_on or dt.date.today()) - dt.timedelta(days=40),
        "status": status,
        "party_kind": "organisation",
        "party_name": "某某有限公司",
    }
    if decided_on is not None:
        values |= {"filed_on": decided_on - dt.timedelta(days=30), "decided_on": decided_on}
    if decided_on is not None or "filed_on" in fields:
        matter = _matter(agency)
        values |= {"matter": matter, "matter_version": first_version(matter)}
    if "registered_by" not in fields:
        from zhifa.accounts.models import Role
        from zhifa.testing.factories import make_user

        values["registered_by"] = make_user(Role.OFFICER, agency=agency)
    values.update(fields)
    case = Case.objects.create(**values)
    event(case, "decide" if decided_on else "register")
    return case


def _matter(agency: Any) -> Any:
    from zhifa.catalog.models import Matter

    found = Matter.objects.filter(agency=agency).first()
    return found if found is not None else make_matter(agency=agency)


def event(case: Case, action: str = "note") -> CaseEvent:
    return CaseEvent.objects.create(case=case, action=action, summary=action)


def decision(case: Case, *, kind: str = "penalty_decision") -> Document:
    n = next(_serial)
    return Document.objects.create(
        agency=case.agency,
        kind=kind,
        number=f"测人社罚〔2026〕{n}号",
        year=2026,
        sequence=n,
        title="行政处罚决定书",
        status="issued",
        subject_ref=case.subject_ref,
        verification_code=f"V{n:08d}",
        issued_at=timezone.now(),
    )


def major(agency: Any, *, decided_on: dt.date, fine: Decimal = Decimal(200000)) -> Case:
    """A decided case the review catalog marks as major (a fine at or over the threshold)."""
    return a_case(agency, decided_on=decided_on, final_fine=fine, final_kinds=["fine"])
