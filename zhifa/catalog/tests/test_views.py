"""Matter catalog and law library views: allowed and refused access."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.catalog.models import Law, LawArticle, Matter, MatterVersion
from zhifa.org.models import EnforcementDomain
from zhifa.testing.factories import (
    AgencyFactory,
    EnforcementDomainFactory,
    RegionFactory,
    make_matter,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    county = RegionFactory(code="990121")
    agency = AgencyFactory(region=county)
    other = AgencyFactory(region=RegionFactory(code="990122"))
    bureau = AgencyFactory(region=county, is_justice_bureau=True)
    law = Law.objects.create(
        title="劳动保障监察条例", short_title="劳动保障监察条例", version_date=dt.date(2004, 11, 1)
    )
    LawArticle.objects.create(
        law=law, position=26, number=26, label="第二十六条", text="用人单位有下列行为之一的……"
    )
    return {
        "agency": agency,
        "matter": make_matter(agency=agency, name="未按时足额支付劳动报酬"),
        "foreign_matter": make_matter(agency=other, name="东山县事项"),
        "law": law,
        "head": make_user(Role.HEAD, agency=agency),
        "clerk": make_user(Role.OFFICER, agency=agency),
        "supervisor": make_user(Role.SUPERVISOR, agency=bureau),
        "foreign_head": make_user(Role.HEAD, agency=other),
        "admin": make_user(Role.SYSADMIN),
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def version_post(**extra):
    data = {
        "name": "未按时足额支付劳动报酬（修订）",
        "kind": "penalty",
        "domain": EnforcementDomain.objects.first().pk,
        "effective_from": "2026-01-01",
        "av_on_site": "av",
        "av_investigation": "av",
        "av_seizure": "full",
        "av_demolition": "full",
        "av_hearing": "av",
        "av_service_left": "av",
        "av_service_public": "av",
        "av_enforcement": "full",
        "av_decision": "text",
        "bases-TOTAL_FORMS": "1",
        "bases-INITIAL_FORMS": "0",
        "bases-0-role": "penalty",
        "bases-0-law_title": "劳动保障监察条例",
        "bases-0-article_label": "第二十六条",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "path",
    ["catalog:matter_list", "catalog:law_list", "catalog:matter_create"],
)
def test_anonymous_is_sent_to_login(world, path):
    assert Client().get(reverse(path)).status_code == 302


@pytest.mark.parametrize("who", ["clerk", "head", "supervisor", "admin"])
def test_readers_see_matter_and_laws(world, who):
    client = client_for(world[who])
    assert "未按时足额支付劳动报酬" in client.get(reverse("catalog:matter_list")).content.decode()
    detail = client.get(reverse("catalog:matter_detail", args=[world["matter"].pk])).content.decode()
    assert "第二十六条" in detail and "查看法条" in detail
    assert client.get(reverse("catalog:law_detail", args=[world["law"].pk])).status_code == 200


@pytest.mark.parametrize("who", ["clerk", "head", "supervisor"])
def test_other_agencys_matter_is_not_found(world, who):
    response = client_for(world[who]).get(reverse("catalog:matter_detail", args=[world["foreign_matter"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["catalog:matter_amend", "catalog:matter_repeal"])
@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_non_managers_cannot_change_matters(world, name, who):
    client = client_for(world[who])
    path = reverse(name, args=[world["matter"].pk])
    assert client.get(path).status_code == 403
    assert (
        client.post(path, version_post(change_note="x", effective_on="2026-01-01", reason="x")).status_code
        == 403
    )
    assert MatterVersion.objects.filter(matter=world["matter"]).count() == 1
    assert Matter.objects.get(pk=world["matter"].pk).repealed_on is None


@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_non_managers_cannot_create_matters(world, who):
    assert client_for(world[who]).get(reverse("catalog:matter_create")).status_code == 403


def test_head_amends_matter_keeping_history(world):
    matter = world["matter"]
    response = client_for(world["head"]).post(
        reverse("catalog:matter_amend", args=[matter.pk]), version_post(change_note="罚款幅度调整")
    )
    assert response.status_code == 302, response.content.decode()
    v1, v2 = MatterVersion.objects.filter(matter=matter).order_by("version")
    assert v1.effective_to == dt.date(2025, 12, 31)
    assert v2.change_note == "罚款幅度调整"
    assert v2.bases.get().article is not None


def test_refused_amend_shows_rule_and_changes_nothing(world):
    matter = world["matter"]
    response = client_for(world["head"]).post(
        reverse("catalog:matter_amend", args=[matter.pk]),
        version_post(change_note="提前", effective_from="2020-01-01"),
    )
    assert response.status_code == 400
    assert "新版本的施行日期须晚于现行版本的施行日期" in response.content.decode()
    assert MatterVersion.objects.filter(matter=matter).count() == 1


def test_head_creates_matter_for_own_agency_only(world):
    client = client_for(world["head"])
    data = version_post(code="NEW-1", agency=world["agency"].pk)
    assert client.post(reverse("catalog:matter_create"), data).status_code == 302
    assert Matter.objects.get(code="NEW-1").agency == world["agency"]
    foreign = version_post(code="NEW-2", agency=world["foreign_matter"].agency.pk)
    assert client.post(reverse("catalog:matter_create"), foreign).status_code == 400
    assert not Matter.objects.filter(code="NEW-2").exists()


def test_head_repeals_matter(world):
    matter = world["matter"]
    response = client_for(world["head"]).post(
        reverse("catalog:matter_repeal", args=[matter.pk]),
        {"effective_on": "2026-06-01", "reason": "上位法废止"},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.repealed_on == dt.date(2026, 6, 1)
    detail = (
        client_for(world["clerk"]).get(reverse("catalog:matter_detail", args=[matter.pk])).content.decode()
    )
    assert "已于 2026-06-01 废止" in detail


def test_filters(world):
    client = client_for(world["admin"])
    body = client.get(reverse("catalog:matter_list"), {"q": "东山"}).content.decode()
    assert "东山县事项" in body and "未按时足额支付劳动报酬" not in body
    body = client.get(reverse("catalog:matter_list"), {"kind": "licensing"}).content.decode()
    assert "没有符合条件的执法事项" in body
    body = client.get(reverse("catalog:law_list"), {"q": "用人单位"}).content.decode()
    assert "劳动保障监察条例" in body


def test_domain_factory_is_independent(world):
    # A new domain does not leak into other agencies' forms; the domain list is global configuration.
    EnforcementDomainFactory(name="统计执法")
    assert client_for(world["head"]).get(reverse("catalog:matter_create")).status_code == 200
