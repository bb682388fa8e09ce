"""年度考核: the indicators as data, the scores on known numbers, year on year, the runner's steps
and a refusal for each rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.documents.models import Document
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import assessment_services as services
from zhifa.supervision.assessment_indicators import (
    COMPUTE,
    DEFAULT_INDICATORS,
    DEFAULT_VERSION,
    SECOND_INDICATORS,
    SECOND_VERSION,
    points_for,
)
from zhifa.supervision.assessment_workflow import take
from zhifa.supervision.models_assessment import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Direction,
    Indicator,
    IndicatorSet,
)
from zhifa.supervision.tests.assessment_world import YEAR, only_certificates, world_fixture  # noqa: F401


def row(assessment, agency):
    return next(r for r in assessment.snapshot["rows"] if r["agency"] == agency.pk)


def test_the_default_set_is_loaded_by_the_migration(indicator_sets):
    s = IndicatorSet.objects.get(version=DEFAULT_VERSION)
    assert "000 三(一)" in s.source and "004 (四)" in s.source
    assert [i.code for i in s.indicators.all()] == [d[0] for d in DEFAULT_INDICATORS]
    lower = s.indicators.get(code="correction_rate")
    assert lower.direction == Direction.LOWER and lower.points == Decimal("15.00")
    # Written before the minimum coverage existed: it ranks every agency with data, as it did.
    assert not s.is_current and s.min_coverage == 0


def test_the_second_set_is_current_with_ten_indicators_worth_100(indicator_sets):
    s = IndicatorSet.objects.get(version=SECOND_VERSION)
    assert s.is_current and services.current_set() == s
    assert IndicatorSet.objects.filter(is_current=True).count() == 1
    codes = [i.code for i in s.indicators.all()]
    assert codes == [d[0] for d in SECOND_INDICATORS]
    assert {"training_hours", "inspection_on_time", "clue_on_time"} <= set(codes) <= set(COMPUTE)
    assert sum(i.points for i in s.indicators.all()) == 100
    assert s.min_coverage == 50


def test_points_follow_direction_and_target():
    assert points_for(Decimal(50), points=Decimal(10), direction="higher", target=Decimal(100)) == Decimal(
        "5.00"
    )
    assert points_for(Decimal(120), points=Decimal(10), direction="higher", target=Decimal(100)) == Decimal(
        "10.00"
    )
    assert points_for(Decimal(5), points=Decimal(10), direction="lower", target=Decimal(10)) == Decimal(
        "5.00"
    )
    assert points_for(Decimal(15), points=Decimal(10), direction="lower", target=Decimal(10)) == Decimal(
        "0.00"
    )


def test_scores_ranking_and_year_on_year_on_known_numbers(world):
    only_certificates()
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    assert a.status == AssessmentStatus.DRAFT and a.bureau == world.bureau and "考核〔2025〕1号" in a.number
    names = [r["name"] for r in a.snapshot["rows"]]
    assert names == [world.agency.name, world.other.name]  # the bureau and the other county are not assessed
    first, second = row(a, world.agency), row(a, world.other)
    assert (first["rank"], first["total"], second["rank"], second["total"]) == (1, "100.00", 2, "50.00")
    cert = first["scores"][0]
    assert (cert["value"], cert["basis"], cert["points"]) == ("100.00", 2, "10.00")
    assert second["scores"][0] == {
        "code": "certificate_coverage",
        "value": "50.00",
        "basis": 2,
        "points": "5.00",
        "previous": "0.00",
        "change": "50.00",
    }
    # 2024, computed the same way: no certificate yet.
    assert (first["previous_total"], first["change"]) == ("0.00", "100.00")


def test_indicators_without_data_are_left_out_of_the_total(world):
    """The set 2026-1: only 持证率 has data here, so each total is scaled to its 10 points."""
    IndicatorSet.objects.update(is_current=False)
    IndicatorSet.objects.filter(version=DEFAULT_VERSION).update(is_current=True)
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    first = row(a, world.agency)
    assert first["total"] == "100.00"
    assert [s["value"] for s in first["scores"] if s["code"] != "certificate_coverage"] == [None] * 6
    assert a.snapshot["indicators"][0]["target"] == "100" and a.snapshot["indicators"][0]["points"] == "20"
    printed = services.notice_content(a)["ranking"][0]
    assert printed["scores"] == [
        {"name": "执法人员持证率", "value": "100.00%", "previous": "0.00%", "points": "10.00"}
    ]
    assert len(printed["no_data"]) == 6 and "纠错率" in printed["no_data"]


def test_the_weights_are_data_changing_them_changes_the_ranking(world):
    s = only_certificates()
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    assert row(a, world.agency)["rank"] == 1 and row(a, world.other)["rank"] == 2
    # The same rows, now "lower is better" with a ceiling of 200%: the town ranks first.
    Indicator.objects.filter(indicator_set=s).update(direction=Direction.LOWER, target=Decimal(200))
    take("recompute", actor=world.supervisor, assessment=a)
    a.refresh_from_db()
    assert row(a, world.other)["rank"] == 1 and row(a, world.other)["total"] == "75.00"
    assert row(a, world.agency)["rank"] == 2 and row(a, world.agency)["total"] == "50.00"
    # A target of 50%: both reach it and share the first place.
    Indicator.objects.filter(indicator_set=s).update(direction=Direction.HIGHER, target=Decimal(50))
    take("recompute", actor=world.supervisor, assessment=a)
    a.refresh_from_db()
    assert [r["rank"] for r in a.snapshot["rows"]] == [1, 1]


def test_from_draft_to_the_published_notice_on_the_runner(world):
    only_certificates()
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    with pytest.raises(Conflict):  # 发布 before 审定
        take("publish", actor=world.supervisor, assessment=a)
    take("approve", actor=world.bureau_head, assessment=a, opinion="同意。")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.APPROVED and a.approved_by == world.bureau_head
    with pytest.raises(Conflict):  # no recomputing once 审定
        take("recompute", actor=world.supervisor, assessment=a)
    document = take("publish", actor=world.supervisor, assessment=a)
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PUBLISHED and a.notice == document and a.published_at
    assert (
        document.kind == "assessment_notice" and document.agency == world.bureau and "考通" in document.number
    )
    ranking = document.content["ranking"]
    assert [(r["rank"], r["name"], r["total"]) for r in ranking] == [
        (1, world.agency.name, "100.00"),
        (2, world.other.name, "50.00"),
    ]
    assert ranking[1]["scores"][0] == {
        "name": "执法人员持证率",
        "value": "50.00%",
        "previous": "0.00%",
        "points": "5.00",
    }
    assert document.content["assessment"]["previous_year"] == 2024
    actions = list(a.events.values_list("action", flat=True))
    assert actions == ["create", "approve", "publish"]
    refs = {
        f"supervision.assessmentevent:{pk}" for pk in AssessmentEvent.objects.values_list("pk", flat=True)
    }
    assert refs <= set(LedgerLeaf.objects.values_list("ref", flat=True))


def test_return_needs_a_reason_and_goes_back_to_draft(world):
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    take("approve", actor=world.supervisor, assessment=a)
    with pytest.raises(InvalidInput, match="退回理由"):
        take("return", actor=world.supervisor, assessment=a, opinion=" ")
    take("return", actor=world.supervisor, assessment=a, opinion="持证数据有误，重新核对。")
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DRAFT and a.approved_by is None


def test_who_may_act(world):
    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    for outsider in (world.outside_supervisor, world.head, world.officer):
        with pytest.raises(NotPermitted):
            take("approve", actor=outsider, assessment=a)
    take("approve", actor=world.bureau_head, assessment=a)
    with pytest.raises(NotPermitted, match="监督人员"):  # the head 审定s; only a supervisor publishes
        take("publish", actor=world.bureau_head, assessment=a)
    assert not Document.objects.filter(kind="assessment_notice").exists()


def test_create_refusals(world):
    with pytest.raises(NotPermitted):
        services.assessment_create(actor=world.head, year=YEAR)
    with pytest.raises(InvalidInput, match="考核年度"):
        services.assessment_create(actor=world.supervisor, year=dt.date.today().year + 1)
    services.assessment_create(actor=world.supervisor, year=YEAR)
    with pytest.raises(DomainError, match="每个年度只考核一次"):
        services.assessment_create(actor=world.supervisor, year=YEAR)
    # Another county's bureau assesses its own region in the same year.
    other = services.assessment_create(actor=world.outside_supervisor, year=YEAR)
    assert [r["name"] for r in other.snapshot["rows"]] == [world.outside.name]
    assert Assessment.objects.count() == 2


def test_each_event_leaf_is_rebuilt_from_its_row(world):
    """The ledger's registry rebuilds every 年度考核 leaf byte for byte from the event rows."""
    from zhifa.ledger import registry
    from zhifa.ledger.services import leaf_data

    a = services.assessment_create(actor=world.supervisor, year=YEAR)
    take("approve", actor=world.supervisor, assessment=a)
    take("publish", actor=world.supervisor, assessment=a)
    leaves = list(LedgerLeaf.objects.filter(kind="assessment_event"))
    assert len(leaves) == 3
    kind = registry.get("assessment_event")
    assert kind is not None
    payloads = kind.payloads([leaf.ref for leaf in leaves])
    for leaf in leaves:
        rebuilt = leaf_data(kind="assessment_event", ref=leaf.ref, payload=payloads[leaf.ref])
        assert rebuilt.decode() == leaf.data
