"""年度考核, set 2026-2: training hours, inspection completion and clue handling on time computed
from the figures the cockpit and the 年报 read, and the minimum coverage for the ranking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhifa.documents.kinds import KINDS
from zhifa.documents.rendering import render_html
from zhifa.supervision import assessment_services as services
from zhifa.supervision.assessment_indicators import clue_on_time, inspection_on_time, training_hours
from zhifa.supervision.assessment_workflow import take
from zhifa.supervision.models_assessment import Direction, Indicator, IndicatorSet
from zhifa.supervision.models_clues import Clue, ClueSource, ClueStatus
from zhifa.supervision.tests.assessment_world import YEAR, world_fixture  # noqa: F401
from zhifa.testing.factories import CertificateFactory, TrainingRecordFactory


def row(assessment, agency):
    return next(r for r in assessment.snapshot["rows"] if r["agency"] == agency.pk)


def score(r, code):
    return next(s for s in r["scores"] if s["code"] == code)


def closed_clue(world, n: int, *, replied_on: dt.date, due_on: dt.date = dt.date(YEAR, 3, 20)) -> Clue:
    return Clue.objects.create(
        number=f"XS{YEAR}{n:04d}",
        bureau=world.bureau,
        source=ClueSource.FINDING,
        title="监督发现",
        content="内容",
        agency=world.agency,
        status=ClueStatus.CLOSED,
        registered_on=dt.date(YEAR, 3, 1),
        assigned_on=dt.date(YEAR, 3, 2),
        due_on=due_on,
        replied_on=replied_on,
        closed_on=dt.date(YEAR, 3, 28),
    )


def test_the_computations_on_known_figures():
    f = {"officers.active": 4, "training.hours": Decimal("120.0"), "training.required": Decimal(60)}
    assert training_hours(f) == (Decimal("50.00"), 4)  # 30 学时 each of 60
    assert training_hours({**f, "officers.active": 0}) == (None, 0)
    assert inspection_on_time({"inspections.window_on_time": 3, "inspections.window_due": 4}) == (
        Decimal("75.00"),
        4,
    )
    assert inspection_on_time({"inspections.window_on_time": 0, "inspections.window_due": 0}) == (None, 0)
    assert clue_on_time({"clues.on_time": 1, "clues.concluded": 3}) == (Decimal("33.33"), 3)


def test_the_new_indicators_from_the_agencies_figures(world):
    """The 人社局: 30 学时 over its 2 officers (15 each, 25% of 60); 2 clues closed, 1 answered in
    time (50%); no inspection period ended (no data). Its indicators with data carry 25 of the
    100 points, under the set's 50%: the total is shown but not ranked, and the 通报 says why."""
    first, second = world.agency.officers.order_by("pk")[:2]
    TrainingRecordFactory(officer=first, hours=Decimal(24))
    TrainingRecordFactory(officer=second, hours=Decimal(6))
    TrainingRecordFactory(officer=second, hours=Decimal(8), date=dt.date(YEAR - 1, 5, 1))  # last year
    closed_clue(world, 1, replied_on=dt.date(YEAR, 3, 18))
    closed_clue(world, 2, replied_on=dt.date(YEAR, 3, 25))  # after its 办理期限
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    assert a.indicator_set.version == "2026-2" and a.snapshot["min_coverage"] == "50"
    r = row(a, world.agency)
    hours, clues = score(r, "training_hours"), score(r, "clue_on_time")
    assert (hours["value"], hours["basis"], hours["points"]) == ("25.00", 2, "1.25")
    assert hours["previous"] == "6.67"  # 8 学时 over 2 officers in the year before
    assert (clues["value"], clues["basis"], clues["points"]) == ("50.00", 2, "5.00")
    assert score(r, "inspection_on_time")["value"] is None
    # 持证 10 + 学时 1.25 + 线索 5 of 25 points with data.
    assert (r["total"], r["coverage"], r["rank"]) == ("65.00", "25.00", None)
    assert "不足全部分值 100 分的 50%" in r["unranked"] and "不参加排名" in r["unranked"]
    take("approve", actor=world.bureau_head, assessment=a)
    document = take("publish", actor=world.supervisor, assessment=a)
    printed = next(p for p in document.content["ranking"] if p["name"] == world.agency.name)
    assert printed["rank"] == "不排名" and printed["unranked"] == r["unranked"]
    html = render_html(kind=KINDS["assessment_notice"], content=document.content, stamp=None)
    assert r["unranked"] in html and "不足全部分值 50% 的，列示得分但不参加排名" in html


def test_an_agency_resting_on_one_indicator_does_not_rank_first(world):
    """持证率 10 and 线索按期办理率 30 points: the 镇政府 (all officers certified, no clue) has 100
    over 25% of the points; the 人社局 62.50 over all of them. With the minimum (50%) the 人社局
    ranks first and the town is shown unranked; without it (0) the town would rank first."""
    CertificateFactory(officer=world.other.officers.exclude(certificates__isnull=False).get())
    closed_clue(world, 1, replied_on=dt.date(YEAR, 3, 18))
    closed_clue(world, 2, replied_on=dt.date(YEAR, 3, 25))
    IndicatorSet.objects.update(is_current=False)
    s = IndicatorSet.objects.create(version="t-2", title="测试指标", source="测试", is_current=True)
    for code, points in (("certificate_coverage", 10), ("clue_on_time", 30)):
        Indicator.objects.create(
            indicator_set=s,
            code=code,
            name=code,
            points=Decimal(points),
            direction=Direction.HIGHER,
            target=Decimal(100),
        )
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    agency, town = row(a, world.agency), row(a, world.other)
    assert (agency["rank"], agency["total"], agency["unranked"]) == (1, "62.50", "")
    assert (town["rank"], town["total"], town["coverage"]) == (None, "100.00", "25.00")
    assert "10 分，不足全部分值 40 分的 50%" in town["unranked"]
    assert [r["name"] for r in a.snapshot["rows"]] == [world.agency.name, world.other.name]
    IndicatorSet.objects.filter(pk=s.pk).update(min_coverage=0)
    take("recompute", actor=world.supervisor, assessment=a)
    a.refresh_from_db()
    assert row(a, world.other)["rank"] == 1 and row(a, world.agency)["rank"] == 2
