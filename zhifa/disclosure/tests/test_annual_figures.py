"""年报 figures on a hand-counted dataset (zhifa/disclosure/tests/annual_dataset.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.models import JurisdictionSetting
from zhifa.disclosure.annual.figures import Period, empty, figures_by_agency, total
from zhifa.disclosure.annual.report import Scope, build_snapshot, due_on, due_status
from zhifa.disclosure.tests.annual_dataset import SH, Dataset, at, build, d

AFTER_2025 = dt.datetime(2026, 2, 1, 12, tzinfo=SH)

# Agency A in 2025, row by row (c1 … c12 in annual_dataset.build).
EXPECTED_2025 = {
    # received in 2025: all but c8; filed: c1 c3 c4 c5 c7 c10 c11 c12
    "cases.received": 11,
    "cases.filed": 8,
    # ended in 2025: c1 c2 c11 c12 penalty, c3, c4, c5 transfer, c6 not filed, c7 revoked 23:30 on 31 Dec
    "cases.concluded": 9,
    "cases.conclusion.penalty": 4,
    "cases.conclusion.no_penalty": 1,
    "cases.conclusion.not_established": 1,
    "cases.conclusion.transfer": 1,
    "cases.conclusion.not_filed": 1,
    "cases.conclusion.revoked": 1,
    "cases.kind.penalty": 8,  # including c2 (no matter) and c6 (matter without frozen version)
    "cases.kind.licensing": 1,
    "cases.kind_conclusion.licensing.not_established": 1,
    "cases.kind_conclusion.penalty.penalty": 4,
    "cases.kind_conclusion.penalty.no_penalty": 1,
    "cases.kind_conclusion.penalty.transfer": 1,
    "cases.kind_conclusion.penalty.not_filed": 1,
    "cases.kind_conclusion.penalty.revoked": 1,
    "cases.procedure.general": 5,
    "cases.procedure.on_the_spot": 1,
    "money.fine_decisions": 4,
    "money.fine_total": Decimal("7000.00"),  # 5000 + 200 + 1000 + 800
    "money.confiscation_total": Decimal("1000.00"),
    "money.fines_paid": 2,  # c1, and c8 (decided in 2024, paid in 2025)
    "money.paid_total": Decimal("8000.00"),
    "money.surcharge_total": Decimal("150.00"),
    "hearings.requested": 2,
    "hearings.held": 2,
    "hearings.withdrawn": 1,
    "review.submitted": 3,  # c1 twice, c10 at 23:00 on 31 Dec
    "review.reviewed": 3,
    "review.passed": 2,
    "review.returned": 1,
    "review.disagreed": 1,
    "review.discussions": 1,  # c12's discussion at 00:30 on 1 Jan is 2026
    "review.discussions_after_review": 1,
    "remedies.reconsideration.filed": 3,
    "remedies.reconsideration.concluded": 2,
    "remedies.reconsideration.corrected": 2,
    "remedies.reconsideration.result.revoked": 1,
    "remedies.reconsideration.result.confirmed_illegal": 1,
    "remedies.litigation.filed": 2,
    "remedies.litigation.concluded": 1,
    "remedies.litigation.result.upheld": 1,
    "remedies.self_correction.filed": 1,
    "remedies.self_correction.concluded": 1,
    "remedies.self_correction.corrected": 1,
    "remedies.self_correction.result.changed": 1,
    "publication.published": 4,  # c3, c4, c1 (withdrawn later), c8 on 11 Jan
    "publication.on_time": 2,
    "publication.late": 2,  # c4, and c8 at 00:30 Shanghai on the day after its due day
    "publication.overdue_unpublished": 2,  # c2's draft, c12 never prepared
    "publication.withdrawn": 1,
    "publication.withdrawn_on_time": 1,
    "publication.withdrawal_overdue": 1,  # c4 confirmed illegal on 1 Dec, still public
    "officers.active": 4,
    "officers.certified": 2,
    "officers.reviewers": 1,
}


@pytest.fixture
def data(world) -> Dataset:
    return build(world)


def figures(agency_ids: list[int], year: int = 2025, as_of: dt.datetime = AFTER_2025) -> dict:
    return total(figures_by_agency(agency_ids, Period(year, as_of)).values())


def test_agency_figures_for_2025_are_exact(data):
    expected = {**empty(), **EXPECTED_2025}
    got = figures([data.world.agency.pk])
    assert {k: v for k, v in got.items() if v != expected[k]} == {}


def test_year_boundary_moves_the_boundary_rows_into_2026(data):
    got = figures([data.world.agency.pk], year=2026, as_of=dt.datetime(2026, 2, 1, tzinfo=SH))
    assert got["cases.conclusion.not_filed"] == 1  # c9 at 00:10 on 1 Jan
    assert got["cases.conclusion.penalty"] == 1  # c10
    assert got["cases.conclusion.revoked"] == 0
    assert got["review.discussions"] == 1  # c12's
    assert got["review.submitted"] == 0
    assert got["publication.published"] == 1 and got["publication.on_time"] == 1  # c11's
    # The year is running: c10 (decided 2 Jan, due 12 Jan) is overdue by 1 Feb, nothing else.
    assert got["publication.overdue_unpublished"] == 1
    assert got["remedies.reconsideration.concluded"] == 1
    assert got["remedies.reconsideration.result.terminated"] == 1


def test_overdue_is_judged_at_the_cutoff_while_the_year_runs(data):
    # On 2025-11-10 c12 (decided 3 Nov, due 12 Nov) is not overdue yet; c2's draft is.
    early = figures([data.world.agency.pk], as_of=dt.datetime(2025, 11, 10, 12, tzinfo=SH))
    assert early["publication.overdue_unpublished"] == 1
    later = figures([data.world.agency.pk], as_of=dt.datetime(2025, 11, 13, 12, tzinfo=SH))
    assert later["publication.overdue_unpublished"] == 2


def test_aggregate_is_the_sum_of_the_bureaus_agencies(data):
    world = data.world
    scope = Scope(world.bureau, aggregate=True)
    members = set(scope.agencies().values_list("pk", flat=True))
    assert members == {world.bureau.pk, world.agency.pk, data.sibling.pk}
    aggregate = figures(sorted(members))
    separately = total(figures([pk]) for pk in members)
    assert aggregate == separately
    assert aggregate["cases.concluded"] == 9 + 2
    assert aggregate["money.fine_total"] == Decimal("7300.00")
    assert aggregate["publication.on_time"] == 3
    # The other city's agency is not in the bureau's region.
    assert figures([world.other_agency.pk])["cases.concluded"] == 1


def test_snapshot_is_json_with_sections_and_agency_table(data):
    import json

    snapshot = build_snapshot(Scope(data.world.bureau, aggregate=True), 2025, as_of=AFTER_2025)
    json.dumps(snapshot)
    assert snapshot["complete"] is True and snapshot["as_of"] == "2025-12-31"
    assert snapshot["figures"]["money.fine_total"] == "7300.00"
    assert [s["key"] for s in snapshot["sections"]] == [
        "cases", "money", "hearings", "review", "remedies", "publication", "officers", "inspections",
        "evaluation",
    ]  # fmt: skip
    names = [row[0] for row in snapshot["by_agency"]["rows"]]
    assert names == snapshot["agencies"] and data.world.agency.name in names
    publication = next(s for s in snapshot["sections"] if s["key"] == "publication")
    rate = next(r for r in publication["rows"] if r["label"] == "按期公开率")
    assert rate["value"] == "60.0"  # 3 of 5


def test_due_status_on_both_sides_of_the_due_day(db):
    assert due_on(2025) == d("2026-01-31")
    status = lambda on, published=None: due_status(year=2025, published_on=published, on=on).code  # noqa: E731
    assert status(d("2025-12-31")) == "not_due"
    assert status(d("2026-01-01")) == "due_soon"
    assert status(d("2026-01-31")) == "due_soon"
    assert status(d("2026-02-01")) == "overdue"
    assert status(d("2026-02-01"), d("2026-01-31")) == "on_time"
    assert status(d("2026-02-05"), d("2026-02-01")) == "late"


def test_due_day_is_a_jurisdiction_setting(db):
    JurisdictionSetting.objects.create(key="annual_report_due_day", value="25")
    assert due_on(2025) == d("2026-01-25")
    assert due_status(year=2025, published_on=None, on=d("2026-01-26")).code == "overdue"


def test_certified_matches_the_certificate_rules(data):
    from zhifa.org.selectors import officer_standing

    standings = [officer_standing(o, on=d("2025-12-31")) for o in data.world.agency.officers.all()]
    assert sum(1 for s in standings if s.can_act) == figures([data.world.agency.pk])["officers.certified"]


def test_figures_use_grouped_queries_not_one_per_case(data, django_assert_max_num_queries):
    # Nine figure groups and the 行政检查 extension's six, plus the calendar look-ups for one or
    # two matter versions.
    with django_assert_max_num_queries(46):
        figures([data.world.agency.pk, data.sibling.pk])


def test_publication_moments_use_shanghai_days(data):
    # 00:30 on 11 Jan in Shanghai is 16:30 on 10 Jan in UTC: late, not on time.
    assert at("2025-01-11", 0, 30).astimezone(dt.UTC).date() == d("2025-01-10")
    assert figures([data.world.agency.pk])["publication.late"] == 2
