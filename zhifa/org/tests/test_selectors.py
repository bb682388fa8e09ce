"""Reads for a user (not found = not yours), training hours and legal-reviewer staffing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.core.errors import InvalidInput
from zhifa.core.models import JurisdictionSetting
from zhifa.org import selectors
from zhifa.org.models import Post
from zhifa.testing.factories import (
    AgencyFactory,
    OfficerFactory,
    RegionFactory,
    TrainingRecordFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


class TestVisibility:
    def test_officer_lists_only_own_agency(self):
        own, other = AgencyFactory(), AgencyFactory()
        colleague = OfficerFactory(agency=own)
        OfficerFactory(agency=other)
        user = make_user(Role.OFFICER, agency=own)
        assert set(selectors.officer_list_visible_to(user=user)) == {colleague, user.officer}
        assert list(selectors.agency_list_visible_to(user=user)) == [own]

    def test_other_agency_objects_are_not_found(self):
        own, other = AgencyFactory(), AgencyFactory()
        stranger = OfficerFactory(agency=other)
        user = make_user(Role.HEAD, agency=own)
        assert selectors.agency_get_for(user=user, pk=own.pk) == own
        with pytest.raises(Http404):
            selectors.agency_get_for(user=user, pk=other.pk)
        with pytest.raises(Http404):
            selectors.officer_get_for(user=user, pk=stranger.pk)
        with pytest.raises(Http404):
            selectors.agency_get_for(user=user, pk=other.pk + 1000)

    def test_supervisor_gets_agencies_in_the_region_only(self):
        county = RegionFactory()
        bureau = AgencyFactory(region=county, is_justice_bureau=True)
        inside = OfficerFactory(agency=AgencyFactory(region=county))
        outside = OfficerFactory(agency=AgencyFactory(region=RegionFactory()))
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        assert selectors.officer_get_for(user=supervisor, pk=inside.pk) == inside
        assert selectors.agency_get_for(user=supervisor, pk=inside.agency.pk) == inside.agency
        with pytest.raises(Http404):
            selectors.officer_get_for(user=supervisor, pk=outside.pk)

    def test_filter_by_agency(self):
        county = RegionFactory()
        bureau = AgencyFactory(region=county, is_justice_bureau=True)
        first = OfficerFactory(agency=AgencyFactory(region=county))
        OfficerFactory(agency=AgencyFactory(region=county))
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        assert list(selectors.officer_list_visible_to(user=supervisor, agency=first.agency)) == [first]

    def test_inactive_user_sees_nothing(self):
        agency = AgencyFactory()
        OfficerFactory(agency=agency)
        user = make_user(Role.HEAD, agency=agency, is_active=False)
        assert not selectors.officer_list_visible_to(user=user).exists()
        with pytest.raises(Http404):
            selectors.agency_get_for(user=user, pk=agency.pk)


class TestTrainingHours:
    def test_hours_are_totalled_per_year(self):
        officer = OfficerFactory()
        TrainingRecordFactory(officer=officer, date=D("2025-01-10"), hours=Decimal("24"))
        TrainingRecordFactory(officer=officer, date=D("2025-12-31"), hours=Decimal("20.5"))
        TrainingRecordFactory(officer=officer, date=D("2024-12-31"), hours=Decimal("16"))
        TrainingRecordFactory(hours=Decimal("8"), date=D("2025-05-05"))  # someone else
        assert selectors.training_hours(officer, year=2025) == Decimal("44.5")
        assert selectors.training_hours(officer, year=2024) == Decimal("16")
        assert selectors.training_hours(officer, year=2023) == Decimal(0)

    def test_against_the_60_hour_requirement(self):
        short, enough = OfficerFactory.create_batch(2)
        for _ in range(3):
            TrainingRecordFactory(officer=enough, hours=Decimal("20"))
        TrainingRecordFactory(officer=short, hours=Decimal("11.5"))
        TrainingRecordFactory.create_batch(2, officer=short, hours=Decimal("24"))
        required = selectors.training_requirement()
        assert required == Decimal(60)
        hours = selectors.training_hours_by_officer([short, enough], year=2025)
        assert hours == {short.pk: Decimal("59.5"), enough.pk: Decimal("60")}
        assert hours[short.pk] < required <= hours[enough.pk]

    def test_jurisdiction_setting_changes_the_requirement(self):
        JurisdictionSetting.objects.create(key="training_hours_per_year", value="40", note="本地规定")
        assert selectors.training_requirement() == Decimal(40)

    def test_invalid_jurisdiction_value_is_refused(self):
        JurisdictionSetting.objects.create(key="training_hours_per_year", value="六十")
        with pytest.raises(InvalidInput, match="培训学时"):
            selectors.training_requirement()


def roster(agency, *, officers: int, reviewers: int = 0, qualified: int = 0) -> None:
    OfficerFactory.create_batch(officers, agency=agency, post=Post.ENFORCEMENT)
    OfficerFactory.create_batch(qualified, agency=agency, post=Post.LEGAL_REVIEW, legal_qualification_no="A1")
    OfficerFactory.create_batch(reviewers - qualified, agency=agency, post=Post.LEGAL_REVIEW)


class TestStaffing:
    """法制审核人员不少于执法人员的 5%，且不少于 1 人."""

    @pytest.mark.parametrize(("officers", "required"), [(0, 0), (19, 1), (20, 1), (21, 2), (40, 2), (41, 3)])
    def test_required_reviewers(self, officers, required):
        agency = AgencyFactory()
        roster(agency, officers=officers)
        staffing = selectors.staffing_for(agency)
        assert (staffing.officers, staffing.required, staffing.shortfall) == (officers, required, required)

    def test_shortfall_is_flagged(self):
        agency = AgencyFactory()
        roster(agency, officers=21, reviewers=1, qualified=1)
        staffing = selectors.staffing_for(agency)
        assert (staffing.reviewers, staffing.qualified_reviewers, staffing.shortfall) == (1, 1, 1)
        assert staffing.ratio_percent == Decimal("4.8")

    def test_enough_reviewers(self):
        agency = AgencyFactory()
        roster(agency, officers=21, reviewers=2, qualified=1)
        staffing = selectors.staffing_for(agency)
        assert (staffing.reviewers, staffing.qualified_reviewers, staffing.shortfall) == (2, 1, 0)

    def test_inactive_officers_and_other_posts_do_not_count(self):
        agency = AgencyFactory()
        roster(agency, officers=19, reviewers=1)
        OfficerFactory.create_batch(3, agency=agency, post=Post.ENFORCEMENT, is_active=False)
        OfficerFactory(agency=agency, post=Post.LEGAL_REVIEW, is_active=False)
        OfficerFactory(agency=agency, post=Post.LEADERSHIP)
        OfficerFactory.create_batch(5, post=Post.ENFORCEMENT)  # another agency
        staffing = selectors.staffing_for(agency)
        assert (staffing.officers, staffing.reviewers, staffing.required, staffing.shortfall) == (19, 1, 1, 0)

    def test_jurisdiction_settings_change_the_ratio_and_minimum(self):
        agency = AgencyFactory()
        roster(agency, officers=21, reviewers=2)
        JurisdictionSetting.objects.create(key="reviewer_ratio_percent", value="10")
        assert selectors.staffing_for(agency).required == 3
        JurisdictionSetting.objects.create(key="reviewer_minimum", value="5")
        assert selectors.staffing_for(agency).shortfall == 3

    def test_no_officers_ratio_is_zero(self):
        agency = AgencyFactory()
        assert selectors.staffing_for(agency).ratio_percent == Decimal(0)


class TestSupervisingBureau:
    def test_nearest_bureau_at_or_above_the_agency(self):
        city = RegionFactory(code="990100")
        county = RegionFactory(code="990121", parent=city)
        township = RegionFactory(code="990121001", parent=county)
        city_bureau = AgencyFactory(region=city, is_justice_bureau=True)
        county_bureau = AgencyFactory(region=county, is_justice_bureau=True)
        assert selectors.supervising_bureau(AgencyFactory(region=township)) == county_bureau
        assert selectors.supervising_bureau(AgencyFactory(region=county)) == county_bureau
        assert selectors.supervising_bureau(county_bureau) == city_bureau
        assert selectors.supervising_bureau(AgencyFactory(region=RegionFactory(code="880000"))) is None
