"""Reads of the matter catalog: versions by date, visibility, citations resolved to articles."""

import datetime as dt

import pytest
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.catalog import selectors, services
from zhifa.catalog.models import Law, LawArticle
from zhifa.testing.factories import AgencyFactory, RegionFactory, first_version, make_matter, make_user

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


class TestVersionOn:
    @pytest.fixture
    def matter(self):
        """v1 2024-01-01..2024-12-31, v2 2025-01-01..2025-06-30, repealed from 2025-07-01."""
        matter = make_matter(effective_from=D("2024-01-01"), name="第一版")
        services.matter_amend(
            actor=None, matter=matter, effective_from=D("2025-01-01"), change_note="修改", name="第二版"
        )
        services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-07-01"), reason="职能调整")
        return matter

    @pytest.mark.parametrize(
        ("day", "name"),
        [
            ("2023-12-31", None),
            ("2024-01-01", "第一版"),
            ("2024-12-31", "第一版"),
            ("2025-01-01", "第二版"),
            ("2025-06-30", "第二版"),
            ("2025-07-01", None),
            ("2030-01-01", None),
        ],
    )
    def test_version_in_force(self, matter, day, name):
        version = selectors.matter_version_on(matter, D(day))
        assert (version.name if version else None) == name

    def test_open_ended_current_version(self):
        matter = make_matter(effective_from=D("2024-01-01"))
        assert selectors.matter_version_on(matter, D("2099-12-31")) == first_version(matter)


class TestVisibility:
    def test_officer_sees_own_agency_matters(self):
        own, other = AgencyFactory(), AgencyFactory()
        mine = make_matter(agency=own, name="拖欠工资")
        make_matter(agency=other)
        user = make_user(Role.OFFICER, agency=own)
        assert list(selectors.matter_list_visible_to(user=user)) == [mine]
        assert selectors.matter_get_for(user=user, pk=mine.pk) == mine

    def test_other_agency_matter_is_not_found(self):
        other = make_matter()
        user = make_user(Role.HEAD)
        with pytest.raises(Http404):
            selectors.matter_get_for(user=user, pk=other.pk)

    def test_supervisor_sees_the_region(self):
        county = RegionFactory()
        bureau = AgencyFactory(region=county, is_justice_bureau=True)
        inside = make_matter(agency=AgencyFactory(region=county))
        outside = make_matter()
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        assert list(selectors.matter_list_visible_to(user=supervisor)) == [inside]
        with pytest.raises(Http404):
            selectors.matter_get_for(user=supervisor, pk=outside.pk)

    def test_search_by_code_or_any_version_name(self):
        agency = AgencyFactory()
        matter = make_matter(agency=agency, code="LAB-001", name="拖欠工资")
        services.matter_amend(
            actor=None, matter=matter, effective_from=D("2025-01-01"), change_note="改", name="欠薪"
        )
        make_matter(agency=agency, code="LAB-002", name="违法延长工时")
        admin = make_user(Role.SYSADMIN)
        assert list(selectors.matter_list_visible_to(user=admin, query="拖欠")) == [matter]
        assert list(selectors.matter_list_visible_to(user=admin, query="欠薪")) == [matter]
        assert list(selectors.matter_list_visible_to(user=admin, query="lab-001")) == [matter]
        assert selectors.matter_list_visible_to(user=admin, agency_id=agency.pk).count() == 2

    def test_inactive_user_sees_no_matters_or_laws(self):
        agency = AgencyFactory()
        make_matter(agency=agency)
        Law.objects.create(title="某法", short_title="某法", version_date=D("2020-01-01"), source_name="x")
        user = make_user(Role.HEAD, agency=agency, is_active=False)
        assert not selectors.matter_list_visible_to(user=user).exists()
        assert not selectors.law_list(user=user).exists()


def make_law(title, version_date, labels):
    law = Law.objects.create(
        title=title,
        short_title=title.removeprefix("中华人民共和国"),
        version_date=version_date,
        source_name="x",
    )
    for i, label in enumerate(labels, start=1):
        LawArticle.objects.create(law=law, position=i, number=i, label=label, text=f"{label}的条文")
    return law


class TestLawArticleLookup:
    def test_paragraph_citation_resolves_to_its_article(self):
        law = make_law("中华人民共和国行政处罚法", D("2021-01-22"), ["第四十二条", "第五十八条"])
        article = law.articles.get(label="第四十二条")
        assert selectors.law_article_lookup("行政处罚法", "第四十二条第一款") == article
        assert selectors.law_article_lookup("《中华人民共和国行政处罚法》", " 第四十二条") == article

    def test_appended_article(self):
        law = make_law("某条例", D("2020-01-01"), ["第十条", "第十条之一"])
        appended = law.articles.get(label="第十条之一")
        assert selectors.law_article_lookup("某条例", "第十条之一第二款") == appended

    def test_unknown_citations(self):
        make_law("某条例", D("2020-01-01"), ["第十条"])
        assert selectors.law_article_lookup("某条例", "第十一条") is None
        assert selectors.law_article_lookup("另一条例", "第十条") is None
        assert selectors.law_article_lookup("某条例", "十条") is None

    def test_newest_version_wins(self):
        make_law("某条例", D("2010-01-01"), ["第十条"])
        newer = make_law("某条例", D("2020-01-01"), ["第十条"])
        assert selectors.law_article_lookup("某条例", "第十条").law == newer


class TestLawList:
    def test_search_and_article_count(self):
        make_law("某条例", D("2020-01-01"), ["第一条", "第二条"])
        make_law("另一法", D("2020-01-01"), ["第一条"])
        user = make_user(Role.OFFICER)
        laws = {law.title: law.article_count for law in selectors.law_list(user=user)}
        assert laws == {"某条例": 2, "另一法": 1}
        assert [law.title for law in selectors.law_list(user=user, query="第二条的条文")] == ["某条例"]

    def test_law_get_for_unknown_pk(self):
        with pytest.raises(Http404):
            selectors.law_get_for(user=make_user(Role.OFFICER), pk=12345)
