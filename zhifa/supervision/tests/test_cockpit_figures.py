"""The cockpit's figures on a known set of cases, its drill-down, and a step moving them."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.http import Http404

from zhifa.cases.workflow import take
from zhifa.core.errors import NotPermitted
from zhifa.supervision import cockpit_selectors as selectors
from zhifa.supervision.cockpit_projection import cockpit_refresh
from zhifa.supervision.models_cockpit import CaseFact, CockpitCell
from zhifa.supervision.tests.cockpit_world import NOW, cw_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_first_view_sums_the_jurisdiction_from_the_cells(cw):
    c = selectors.cockpit_for(user=cw.j.supervisor, year=2026)
    t = c.total
    # c1–c5 in the county and its township; c6 is another county's.
    assert (t.cases, t.is_open, t.decided) == (5, 2, 3)
    assert t.fines == Decimal("1500.00")
    assert (t.decided_late, t.late_rate) == (1, Decimal("33.3"))
    assert (t.overdue, t.due_soon, t.overdue_rate) == (1, 0, Decimal("50.0"))  # c3 past its 90 days
    assert (t.reviewed, t.review_rate) == (1, Decimal("33.3"))
    assert (t.publish_due, t.published_on_time, t.published_late, t.on_time_rate) == (
        2,
        1,
        1,
        Decimal("50.0"),
    )
    # 纠错: c2's reconsideration changed it, c1 lost its lawsuit; c1's reconsideration upheld it.
    assert (t.reconsidered, t.reconsideration_corrected, t.litigated, t.litigation_lost) == (2, 1, 1, 1)
    assert (t.corrected, t.correction_rate, t.loss_rate) == (2, Decimal("66.7"), Decimal("100.0"))
    assert {label: n for _code, label, n in c.statuses} == {"已结案": 3, "调查取证": 1, "案源待处理": 1}
    rows = {r.label: (r.cases, r.overdue, r.level) for r in c.rows}
    assert rows == {cw.j.agency.name: (4, 1, "danger"), cw.j.other.name: (1, 0, "ok")}
    assert {r.label: r.cases for r in c.by_region} == {
        cw.j.agency.region.name: 4,
        cw.j.other.region.name: 1,
    }
    assert {r.label: (r.decided, r.correction_rate) for r in c.by_domain} == {
        "劳动保障监察": (2, Decimal("100.0")),
        "市场监管": (1, Decimal("0.0")),
        "未确定执法类别": (0, None),
    }


def test_the_first_view_reads_no_case_row(cw, django_assert_max_num_queries):
    with django_assert_max_num_queries(16) as queries:
        selectors.cockpit_for(user=cw.j.supervisor, year=2026)
    assert not any('"cases_case"' in q["sql"] for q in queries.captured_queries)


def test_drill_down_agency_domain_matter_cases(cw):
    j = cw.j
    agency = selectors.cockpit_for(user=j.supervisor, year=2026, agency=j.agency.pk)
    assert {r.label: r.cases for r in agency.rows} == {"劳动保障监察": 3, "未确定执法类别": 1}
    domain = selectors.cockpit_for(user=j.supervisor, year=2026, agency=j.agency.pk, domain="LDBZJC")
    assert [(r.key, r.label, r.cases) for r in domain.rows] == [(cw.matter.pk, "拖欠工资", 3)]
    matter = selectors.cockpit_for(
        user=j.supervisor, year=2026, agency=j.agency.pk, domain="LDBZJC", matter=cw.matter.pk
    )
    assert matter.scope.depth == "matter"
    assert [f.case_id for f in matter.cases] == [cw.cases[k].pk for k in ("c3", "c1", "c2")]
    assert matter.total.cases == 3 and matter.total.overdue == 1
    unmatched = selectors.cockpit_for(user=j.supervisor, year=2026, agency=j.agency.pk, domain="", matter=0)
    assert [f.case_id for f in unmatched.cases] == [cw.cases["c4"].pk]
    # Another year holds none of them.
    assert selectors.cockpit_for(user=j.supervisor, year=2025).total.cases == 0


def test_another_countys_supervisor_sees_only_its_own(cw):
    j = cw.j
    c = selectors.cockpit_for(user=j.outside_supervisor, year=2026)
    assert (c.total.cases, c.total.fines) == (1, Decimal("9999.00"))
    with pytest.raises(Http404):
        selectors.cockpit_for(user=j.outside_supervisor, year=2026, agency=j.agency.pk)
    with pytest.raises(Http404):
        selectors.cockpit_for(user=j.supervisor, year=2026, agency=j.outside.pk)


def test_agency_staff_are_refused(cw):
    for user in (cw.j.head, cw.j.officer, cw.j.other_head):
        with pytest.raises(NotPermitted):
            selectors.cockpit_for(user=user)


def test_a_step_on_the_runner_moves_the_figures_at_the_next_refresh(cw):
    j = cw.j
    from zhifa.cases import services

    case = services.case_register_clue(
        actor=j.officer,
        agency=j.agency,
        source="report",
        received_on=NOW.date(),
        cause="涉嫌未签订劳动合同案",
        clue_summary="举报。",
    )
    assert cockpit_refresh().cases >= 1
    t = selectors.cockpit_for(user=j.supervisor, year=2026).total
    assert (t.cases, t.is_open) == (6, 3)
    take("decline_filing", actor=j.head, case=case, reason="不属于本机关管辖。")
    # Until the refresh the projection still shows the case open ...
    assert selectors.cockpit_for(user=j.supervisor, year=2026).total.is_open == 3
    done = cockpit_refresh()
    assert done.events >= 1
    t = selectors.cockpit_for(user=j.supervisor, year=2026).total
    assert (t.cases, t.is_open) == (6, 2)
    assert {label: n for _code, label, n in selectors.cockpit_for(user=j.supervisor, year=2026).statuses}[
        "不予立案"
    ] == 1
    assert CaseFact.objects.get(case=case).status == "not_filed"


def test_a_refresh_touches_only_the_changed_cases_group(cw, django_assert_max_num_queries):
    """The cost of a refresh is bounded by the changed case, not by the cases on the books."""
    j = cw.j
    from zhifa.cases import services

    before = {c.pk: c.cases for c in CockpitCell.objects.exclude(agency=j.agency)}
    services.case_register_clue(
        actor=j.officer,
        agency=j.agency,
        source="report",
        received_on=NOW.date(),
        cause="涉嫌未签订劳动合同案",
        clue_summary="举报。",
    )
    with django_assert_max_num_queries(30):
        cockpit_refresh()
    # The other agencies' cells are the same rows, untouched.
    assert {c.pk: c.cases for c in CockpitCell.objects.exclude(agency=j.agency)} == before


def test_refreshing_twice_changes_nothing(cw):
    cockpit_refresh()
    first = sorted(CockpitCell.objects.values_list("agency_id", "domain", "status", "cases"))
    cockpit_refresh()
    assert sorted(CockpitCell.objects.values_list("agency_id", "domain", "status", "cases")) == first


def test_a_publication_is_read_without_a_case_event(cw):
    """The decision's publication writes no case event; the refresh reads it by its updated_at."""
    from zhifa.disclosure.models import Publication

    cockpit_refresh()
    publication = Publication.objects.get(case=cw.cases["c2"])
    publication.published_at = publication.published_at.replace(day=18)  # on time after all
    publication.save()
    cockpit_refresh()
    t = selectors.cockpit_for(user=cw.j.supervisor, year=2026).total
    assert (t.published_on_time, t.published_late) == (2, 0)


def test_clue_handling_times_of_the_jurisdiction(cw):
    import datetime as dt

    from zhifa.supervision.models_clues import Clue, ClueStatus

    j = cw.j

    def clue(n, bureau, agency, status, registered, due=None, closed=None):
        return Clue.objects.create(
            number=f"JD{n}",
            bureau=bureau,
            source="hotline",
            title="反映",
            content="反映执法问题。",
            agency=agency,
            status=status,
            registered_on=registered,
            assigned_on=registered if agency else None,
            due_on=due,
            closed_on=closed,
        )

    clue(
        1,
        j.bureau,
        j.agency,
        ClueStatus.CLOSED,
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 20),
        dt.date(2026, 5, 11),
    )
    clue(
        2,
        j.bureau,
        j.agency,
        ClueStatus.CLOSED,
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 20),
        dt.date(2026, 5, 21),
    )
    clue(3, j.bureau, j.other, ClueStatus.ASSIGNED, dt.date(2026, 6, 1), dt.date(2026, 6, 10))  # past due
    clue(4, j.bureau, None, ClueStatus.REGISTERED, dt.date(2026, 6, 14))
    outside_bureau = j.outside_supervisor.officer.agency
    clue(5, outside_bureau, j.outside, ClueStatus.ASSIGNED, dt.date(2026, 6, 1), dt.date(2026, 6, 10))
    scope = selectors.scope_for(user=j.supervisor, year=2026)
    figures = selectors.clues_for(user=j.supervisor, scope=scope)
    assert (figures.registered, figures.closed, figures.open, figures.overdue) == (4, 2, 2, 1)
    assert figures.days_each == Decimal("15.0")  # 10 and 20 days
    agency = selectors.clues_for(
        user=j.supervisor, scope=selectors.scope_for(user=j.supervisor, year=2026, agency=j.other.pk)
    )
    assert (agency.registered, agency.overdue) == (1, 1)
    outside = selectors.clues_for(
        user=j.outside_supervisor, scope=selectors.scope_for(user=j.outside_supervisor, year=2026)
    )
    assert (outside.registered, outside.overdue) == (1, 1)


def test_the_filings_of_the_jurisdiction(cw, client):
    """备案审查 of 2026 in the cockpit: opened, 待报备 now and past due now, filed late, 纠错意见."""
    import datetime as dt

    from zhifa.supervision.models_filings import Filing, FilingKind, FilingStatus

    j = cw.j

    def filing(agency, bureau, status, due, **more):
        return Filing.objects.create(
            agency=agency,
            bureau=bureau,
            kind=FilingKind.DISCRETION,
            title="裁量基准修订",
            status=status,
            basis_on=more.pop("basis_on", dt.date(2026, 5, 1)),
            due_on=due,
            **more,
        )

    filing(j.agency, j.bureau, FilingStatus.DUE, dt.date(2026, 6, 1))  # past due today (15 June)
    filing(j.agency, j.bureau, FilingStatus.DUE, dt.date(2026, 6, 30))
    filing(j.agency, j.bureau, FilingStatus.RECORDED, dt.date(2026, 5, 20), submitted_late=True)
    filing(j.other, j.bureau, FilingStatus.CORRECTING, dt.date(2026, 5, 20))  # 纠错意见 issued
    filing(j.agency, j.bureau, FilingStatus.DUE, dt.date(2025, 6, 1), basis_on=dt.date(2025, 5, 1))
    outside_bureau = j.outside_supervisor.officer.agency
    filing(j.outside, outside_bureau, FilingStatus.DUE, dt.date(2026, 6, 1))
    scope = selectors.scope_for(user=j.supervisor, year=2026)
    figures = selectors.filings_for(user=j.supervisor, scope=scope)
    assert (figures.opened, figures.due, figures.overdue, figures.late, figures.corrected) == (4, 2, 1, 1, 1)
    town = selectors.filings_for(
        user=j.supervisor, scope=selectors.scope_for(user=j.supervisor, year=2026, agency=j.other.pk)
    )
    assert (town.opened, town.due) == (1, 0)
    outside = selectors.filings_for(
        user=j.outside_supervisor, scope=selectors.scope_for(user=j.outside_supervisor, year=2026)
    )
    assert (outside.opened, outside.overdue) == (1, 1)
    client.force_login(j.supervisor)
    page = client.get("/supervision/cockpit/").content.decode()
    assert '<span class="badge badge-danger" data-figure="filings-overdue">1</span>' in page
