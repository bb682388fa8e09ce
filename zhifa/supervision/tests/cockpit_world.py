"""A small, known set of cases for the cockpit tests, on the `jurisdiction` fixture.

Written straight to the tables (the figures, not the procedure, are under test here; the one
test that needs a real step takes it through the runner). Five cases in the county, one in
another county; the expected figures are worked out by hand in the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.cases.models import Case, Outcome, Remedy, RemedyKind, RemedyResult, Status
from zhifa.catalog.models import Matter
from zhifa.disclosure.models import Kind, Publication
from zhifa.review.models import ReviewRound
from zhifa.supervision.cockpit_projection import cockpit_rebuild
from zhifa.testing.factories import EnforcementDomainFactory, first_version, make_matter

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=SH)  # a Monday


@dataclass
class CockpitWorld:
    j: object
    labour: object
    market: object
    matter: Matter
    town_matter: Matter
    cases: dict[str, Case]


def _case(agency, key: str, *, matter: Matter | None = None, **fields) -> Case:
    from zhifa.accounts.models import User

    version = first_version(matter) if matter is not None else None
    values = {
        "agency": agency,
        "number": f"测试〔2026〕{key}号",
        "cause": f"测试案件{key}",
        "source": "complaint",
        "received_on": dt.date(2026, 2, 2),
        "clue_summary": "投诉。",
        "registered_by": User.objects.filter(officer__agency=agency).first() or User.objects.first(),
        "matter": matter,
        "matter_version": version,
        "filed_on": dt.date(2026, 2, 3) if matter is not None else None,
        **fields,
    }
    return Case.objects.create(**values)


def _closed(agency, key: str, matter: Matter, **fields) -> Case:
    values = {
        "status": Status.CLOSED,
        "outcome": Outcome.PENALTY,
        "decided_on": dt.date(2026, 3, 10),
        "closed_on": dt.date(2026, 4, 1),
        **fields,
    }
    return _case(agency, key, matter=matter, **values)


def _published(case: Case, due: dt.date, on: dt.date) -> None:
    Publication.objects.create(
        agency=case.agency,
        kind=Kind.DECISION,
        subject=f"cases.case:{case.pk}",
        case=case,
        state="published",
        due_on=due,
        published_at=dt.datetime.combine(on, dt.time(9), tzinfo=SH),
        title=case.cause,
    )


def _remedy(case: Case, kind: str, result: str, by) -> None:
    Remedy.objects.create(
        case=case,
        kind=kind,
        body="测试县人民法院",
        filed_on=dt.date(2026, 4, 1),
        result=result,
        concluded_on=dt.date(2026, 5, 1),
        recorded_by=by,
    )


@pytest.fixture(name="cw")
def cw_fixture(jurisdiction, settings, tmp_path) -> CockpitWorld:
    settings.VAR_DIR = tmp_path
    j = jurisdiction
    with time_machine.travel(NOW, tick=False):
        labour = EnforcementDomainFactory(name="劳动保障监察", code="LDBZJC")
        market = EnforcementDomainFactory(name="市场监管", code="SCJG")
        matter = make_matter(agency=j.agency, domain=labour, name="拖欠工资")
        town_matter = make_matter(agency=j.other, domain=market, name="无照经营")
        outside_matter = make_matter(agency=j.outside, domain=market, name="外县事项")
        c1 = _closed(j.agency, "1", matter, final_fine=Decimal("1000.00"))
        c2 = _closed(j.agency, "2", matter, final_fine=Decimal("500.00"), decided_late=True)
        # Filed on 2 February, undecided: the 90 days of 第六十条 ran out on 3 May.
        c3 = _case(j.agency, "3", matter=matter, status=Status.INVESTIGATION)
        # A clue of today with no matter yet: open, its filing decision due in 15 working days.
        c4 = _case(j.agency, "4", status=Status.CLUE, received_on=dt.date(2026, 6, 15))
        c5 = _closed(j.other, "5", town_matter, outcome=Outcome.NO_PENALTY)
        c6 = _closed(j.outside, "6", outside_matter, final_fine=Decimal("9999.00"))
        _published(c1, dt.date(2026, 3, 20), dt.date(2026, 3, 15))
        _published(c2, dt.date(2026, 3, 20), dt.date(2026, 3, 25))
        _remedy(c1, RemedyKind.RECONSIDERATION, RemedyResult.UPHELD, j.head)
        _remedy(c1, RemedyKind.LITIGATION, RemedyResult.REVOKED, j.head)
        _remedy(c2, RemedyKind.RECONSIDERATION, RemedyResult.CHANGED, j.head)
        ReviewRound.objects.create(
            case=c1,
            number=1,
            submitted_by=j.officer,
            submitted_at=NOW - dt.timedelta(days=100),
            reviewer=j.head,
            opinion="agree",
            reviewed_at=NOW - dt.timedelta(days=99),
        )
        cockpit_rebuild()
    return CockpitWorld(
        j=j,
        labour=labour,
        market=market,
        matter=matter,
        town_matter=town_matter,
        cases={"c1": c1, "c2": c2, "c3": c3, "c4": c4, "c5": c5, "c6": c6},
    )
