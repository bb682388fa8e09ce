"""Who reads and who manages agencies: own agency, the bureau's region, the system administrator."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from zhifa.accounts.models import Role
from zhifa.core.errors import NotPermitted
from zhifa.org import policies
from zhifa.org.models import Officer, RegionLevel
from zhifa.testing.factories import AgencyFactory, OfficerFactory, RegionFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A city with two counties (one with a township); agencies and justice bureaus in them."""
    province = RegionFactory(code="440000", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="440100", level=RegionLevel.CITY, parent=province)
    county_a = RegionFactory(code="440103", parent=city)
    county_b = RegionFactory(code="440104", parent=city)
    township = RegionFactory(code="440103001", level=RegionLevel.TOWNSHIP, parent=county_a)
    w = SimpleNamespace(
        city_bureau=AgencyFactory(region=city, is_justice_bureau=True, name="市司法局"),
        city_agency=AgencyFactory(region=city, name="市人社局"),
        bureau_a=AgencyFactory(region=county_a, is_justice_bureau=True, name="甲区司法局"),
        agency_a=AgencyFactory(region=county_a, name="甲区人社局"),
        township_a=AgencyFactory(region=township, name="甲区某街道办事处"),
        agency_b=AgencyFactory(region=county_b, name="乙区人社局"),
    )
    assert township.path == "/440000/440100/440103/440103001/"
    return w


def names(qs):
    return sorted(a.name for a in qs)


class TestReadableAgencies:
    def test_officer_reads_own_agency_only(self, world):
        user = make_user(Role.OFFICER, agency=world.agency_a)
        assert names(policies.readable_agencies(user)) == ["甲区人社局"]
        assert not policies.can_read_agency(user, world.agency_b)

    def test_county_supervisor_reads_the_county_and_below(self, world):
        supervisor = make_user(Role.SUPERVISOR, agency=world.bureau_a)
        assert names(policies.readable_agencies(supervisor)) == [
            "甲区人社局",
            "甲区司法局",
            "甲区某街道办事处",
        ]
        assert not policies.can_read_agency(supervisor, world.agency_b)  # another county
        assert not policies.can_read_agency(supervisor, world.city_agency)  # the level above

    def test_city_supervisor_reads_every_county(self, world):
        supervisor = make_user(Role.SUPERVISOR, agency=world.city_bureau)
        assert len(policies.readable_agencies(supervisor)) == 6

    def test_supervisor_role_outside_a_justice_bureau_reads_own_agency_only(self, world):
        user = make_user(Role.SUPERVISOR, agency=world.agency_a)
        assert names(policies.readable_agencies(user)) == ["甲区人社局"]

    def test_justice_bureau_officer_without_supervisor_role_reads_own_agency_only(self, world):
        user = make_user(Role.OFFICER, agency=world.bureau_a)
        assert names(policies.readable_agencies(user)) == ["甲区司法局"]

    def test_sysadmin_reads_all(self, world):
        assert len(policies.readable_agencies(make_user(Role.SYSADMIN))) == 6

    def test_inactive_user_reads_nothing(self, world):
        supervisor = make_user(Role.SUPERVISOR, agency=world.city_bureau, is_active=False)
        admin = make_user(Role.SYSADMIN, is_active=False)
        assert not policies.readable_agencies(supervisor).exists()
        assert not policies.readable_agencies(admin).exists()

    def test_user_off_the_roster_reads_nothing(self, world):
        left = make_user(Role.SUPERVISOR, agency=world.city_bureau, officer_active=False)
        no_row = UserFactory(role=Role.OFFICER)
        assert not policies.readable_agencies(left).exists()
        assert not policies.readable_agencies(no_row).exists()
        assert not policies.readable_agencies(AnonymousUser()).exists()

    def test_filter_for_related_models(self, world):
        OfficerFactory(agency=world.agency_a, name="甲")
        OfficerFactory(agency=world.agency_b, name="乙")
        supervisor = make_user(Role.SUPERVISOR, agency=world.bureau_a)
        visible = Officer.objects.filter(policies.readable_agency_filter(supervisor))
        # The officer in county A and the supervisor's own roster row; not the one in county B.
        assert sorted(visible.values_list("agency__name", flat=True)) == ["甲区人社局", "甲区司法局"]


class TestManage:
    def test_head_manages_own_agency_only(self, world):
        head = make_user(Role.HEAD, agency=world.agency_a)
        assert policies.can_manage_agency(head, world.agency_a)
        assert not policies.can_manage_agency(head, world.agency_b)
        policies.ensure_can_manage_agency(head, world.agency_a)
        with pytest.raises(NotPermitted, match="您无权修改“乙区人社局”的信息"):
            policies.ensure_can_manage_agency(head, world.agency_b)

    def test_supervisor_reads_but_cannot_manage(self, world):
        supervisor = make_user(Role.SUPERVISOR, agency=world.bureau_a)
        assert policies.can_read_agency(supervisor, world.agency_a)
        assert not policies.can_manage_agency(supervisor, world.agency_a)
        with pytest.raises(NotPermitted, match="司法局监督人员可以查阅“甲区人社局”的信息，但不能修改"):
            policies.ensure_can_manage_agency(supervisor, world.agency_a)

    def test_supervisor_cannot_manage_even_the_own_bureau(self, world):
        supervisor = make_user(Role.SUPERVISOR, agency=world.bureau_a)
        assert not policies.can_manage_agency(supervisor, world.bureau_a)

    @pytest.mark.parametrize("role", [Role.OFFICER, Role.REVIEWER, Role.DISCLOSURE_ADMIN, Role.ARCHIVIST])
    def test_other_roles_cannot_manage_own_agency(self, world, role):
        user = make_user(role, agency=world.agency_a)
        assert not policies.can_manage_agency(user, world.agency_a)

    def test_sysadmin_manages_all(self, world):
        admin = make_user(Role.SYSADMIN)
        assert policies.can_manage_agency(admin, world.agency_b)
        assert policies.can_manage_officer(admin, OfficerFactory(agency=world.city_bureau))

    def test_inactive_head_cannot_manage(self, world):
        head = make_user(Role.HEAD, agency=world.agency_a, is_active=False)
        former = make_user(Role.HEAD, agency=world.agency_a, officer_active=False)
        assert not policies.can_manage_agency(head, world.agency_a)
        assert not policies.can_manage_agency(former, world.agency_a)
        assert not policies.can_manage_agency(AnonymousUser(), world.agency_a)

    def test_managers_of(self, world):
        admin = make_user(Role.SYSADMIN)
        head = make_user(Role.HEAD, agency=world.agency_a)
        make_user(Role.HEAD, agency=world.agency_b)
        make_user(Role.HEAD, agency=world.agency_a, officer_active=False)
        make_user(Role.SUPERVISOR, agency=world.bureau_a)
        make_user(Role.SYSADMIN, is_active=False)
        assert set(policies.managers_of(world.agency_a)) == {admin, head}
