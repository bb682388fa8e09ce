"""Reads of cases: who sees which case, and the state derived from stored dates."""

from __future__ import annotations

import pytest
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.cases import selectors
from zhifa.cases.tests.steps import START_DAY, clue, d, requested_case, travel
from zhifa.org.certificates import Level
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with travel(START_DAY, 9):
        yield


def test_cases_are_visible_to_their_agency_and_its_supervisors_only(world):
    w = world
    case = clue(w, cause="涉嫌未签订劳动合同案")
    bureau = AgencyFactory(is_justice_bureau=True, region=w.agency.region)
    supervisor = make_user(Role.SUPERVISOR, agency=bureau)
    elsewhere = make_user(Role.SUPERVISOR, agency=AgencyFactory(is_justice_bureau=True))

    for reader in (w.officer, w.head, w.reviewer, supervisor):
        assert list(selectors.case_list_visible_to(user=reader)) == [case]
        assert selectors.case_get_for(user=reader, pk=case.pk) == case
    for stranger in (w.outsider, elsewhere):
        assert not selectors.case_list_visible_to(user=stranger).exists()
        with pytest.raises(Http404):
            selectors.case_get_for(user=stranger, pk=case.pk)


def test_case_list_filters_by_status_query_and_own_cases(world):
    w = world
    registered = clue(w, cause="涉嫌未签订劳动合同案")
    requested = requested_case(w, cause="涉嫌拖欠劳动者工资案")

    def listed(user=w.head, **filters):
        return list(selectors.case_list_visible_to(user=user, **filters))

    assert listed(status="clue") == [registered]
    assert set(listed(status="open")) == {registered, requested}
    assert listed(query="劳动合同") == [registered]
    assert listed(query=requested.number) == [requested]
    assert listed(user=w.colleague, mine=True) == [requested]
    assert listed(user=w.bystander, mine=True) == []


def test_attention_level_follows_the_worst_deadline(world):
    w = world
    case = clue(w)  # the filing decision is due 2026-03-23
    assert selectors.attention_level(case, d(START_DAY)) == Level.OK
    assert selectors.attention_level(case, d("2026-03-20")) == Level.WARNING  # 3 days left
    assert selectors.attention_level(case, d("2026-03-24")) == Level.DANGER
    assert selectors.decision_deadline(case) is None  # not filed: no 90-day limit yet
