"""The matter catalog (立改废 with history), the handler guard and the law library import."""

import datetime as dt

import pytest

from zhifa.accounts.models import Role
from zhifa.catalog import services
from zhifa.catalog.models import AVLevel, BasisRole, Law, LawArticle, LegalBasis, MatterKind, Stage
from zhifa.catalog.services import BasisInput
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.org.models import CertificateStatus
from zhifa.testing import unchanged_db
from zhifa.testing.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    OfficerFactory,
    RegionFactory,
    first_version,
    make_matter,
    make_user,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat

TEST_LAW = """# 中华人民共和国测试法

2024年6月1日 通过

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第四十二条 行政处罚应当由具有行政执法资格的执法人员实施。
执法人员不得少于两人。
"""


def write_law(directory, text=TEST_LAW, name="测试法_2024-06-01.md"):
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def version_fields(version):
    return {
        f: getattr(version, f)
        for f in (
            "name",
            "kind",
            "domain_id",
            "description",
            "av_levels",
            "disclosure_workdays",
            "effective_from",
            "change_note",
            "review_always_required",
        )
    }


class TestMatterCreate:
    def test_creates_the_first_version_with_bases(self):
        matter = make_matter(
            effective_from=D("2024-01-01"),
            bases=[
                BasisInput(BasisRole.VIOLATED, "《劳动保障监察条例》", "第二十六条"),
                BasisInput(BasisRole.PENALTY, "劳动保障监察条例", " 第二十六条第一款 "),
            ],
        )
        version = first_version(matter)
        assert (version.version, version.effective_from, version.effective_to) == (1, D("2024-01-01"), None)
        assert version.change_note == "新增事项"
        assert [(b.law_title, b.article_label) for b in version.bases.order_by("pk")] == [
            ("劳动保障监察条例", "第二十六条"),
            ("劳动保障监察条例", "第二十六条第一款"),
        ]
        assert version.bases.filter(article__isnull=False).count() == 0  # no law imported yet

    @pytest.mark.parametrize(
        ("kind", "days"),
        [
            (MatterKind.PENALTY, 7),
            (MatterKind.LICENSING, 7),
            (MatterKind.INSPECTION, 20),
            (MatterKind.COERCION, 20),
        ],
    )
    def test_default_disclosure_workdays(self, kind, days):
        assert first_version(make_matter(kind=kind)).disclosure_workdays == days

    def test_explicit_no_disclosure_is_kept(self):
        matter = make_matter(kind=MatterKind.INSPECTION, disclosure_workdays=None)
        assert first_version(matter).disclosure_workdays is None

    def test_default_av_levels(self):
        version = first_version(make_matter())
        assert version.av_level(Stage.SEIZURE) == AVLevel.FULL
        assert version.av_level(Stage.ON_SITE) == AVLevel.AV
        assert version.av_level(Stage.DECISION) == AVLevel.TEXT
        assert set(version.av_levels) == set(Stage.values)

    def test_av_levels_can_be_raised(self):
        version = first_version(
            make_matter(av_levels={Stage.ON_SITE: AVLevel.FULL, Stage.DECISION: AVLevel.AV})
        )
        assert version.av_level(Stage.ON_SITE) == AVLevel.FULL
        assert version.av_level(Stage.DECISION) == AVLevel.AV

    @pytest.mark.parametrize(
        ("levels", "message"),
        [
            ({"tea_break": AVLevel.TEXT}, "执法环节“tea_break”不存在"),
            ({Stage.ON_SITE: "photo"}, "记录方式“photo”不存在"),
            ({Stage.SEIZURE: AVLevel.AV}, "“查封扣押”必须全程音像记录"),
            ({Stage.DEMOLITION: AVLevel.TEXT}, "“强制拆除”必须全程音像记录"),
        ],
    )
    def test_av_levels_refused(self, levels, message):
        agency, domain = AgencyFactory(), EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match=message):
            make_matter(agency=agency, domain=domain, av_levels=levels)

    def test_penalty_matter_without_legal_basis_is_refused(self):
        agency, domain = AgencyFactory(), EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match=r"行政处罚事项须登记法律依据.*第四条"):
            make_matter(agency=agency, domain=domain, kind=MatterKind.PENALTY, bases=[])

    def test_inspection_matter_without_basis_is_allowed(self):
        assert not first_version(make_matter(kind=MatterKind.INSPECTION)).bases.exists()

    @pytest.mark.parametrize(
        ("basis", "message"),
        [
            (BasisInput("reason", "劳动法", "第一条"), "依据类别“reason”不存在"),
            (BasisInput(BasisRole.PENALTY, " ", "第一条"), "须写明法律法规名称和条款"),
            (BasisInput(BasisRole.PENALTY, "劳动法", ""), "须写明法律法规名称和条款"),
        ],
    )
    def test_malformed_basis_is_refused(self, basis, message):
        agency, domain = AgencyFactory(), EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match=message):
            make_matter(agency=agency, domain=domain, bases=[basis])

    def test_duplicate_code_in_the_same_agency_is_refused(self):
        matter = make_matter(code="LAB-001")
        domain = EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="已有编码为“LAB-001”"):
            make_matter(agency=matter.agency, domain=domain, code=" LAB-001 ")
        assert make_matter(code="LAB-001").code == "LAB-001"  # another agency may use it

    def test_unknown_field_is_refused(self):
        agency, domain = AgencyFactory(), EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="没有这些字段：fine_limit"):
            make_matter(agency=agency, domain=domain, fine_limit=5000)

    def test_head_creates_for_own_agency(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        assert make_matter(agency=agency, actor=head).agency == agency

    @pytest.mark.parametrize("role", [Role.HEAD, Role.SUPERVISOR])
    def test_outsiders_cannot_create(self, role):
        agency, domain = AgencyFactory(), EnforcementDomainFactory()
        user = make_user(role, agency=AgencyFactory(region=agency.region, is_justice_bureau=True))
        with unchanged_db(), pytest.raises(NotPermitted, match=r"无权修改.*执法事项清单"):
            make_matter(agency=agency, domain=domain, actor=user)


class TestMatterAmend:
    def test_new_version_closes_the_previous_one(self):
        matter = make_matter(effective_from=D("2024-01-01"))
        v1 = first_version(matter)
        before = version_fields(v1)
        v2 = services.matter_amend(
            actor=None, matter=matter, effective_from=D("2025-03-01"), change_note=" 条例修订 ", name="新名称"
        )
        v1.refresh_from_db()
        assert v1.effective_to == D("2025-02-28")
        assert version_fields(v1) == before  # otherwise kept as history
        assert (v2.version, v2.name, v2.effective_from, v2.effective_to) == (
            2,
            "新名称",
            D("2025-03-01"),
            None,
        )
        assert v2.change_note == "条例修订"
        assert (v2.kind, v2.domain_id, v2.av_levels) == (v1.kind, v1.domain_id, v1.av_levels)
        assert [(b.role, b.law_title, b.article_label) for b in v2.bases.all()] == [
            (b.role, b.law_title, b.article_label) for b in v1.bases.all()
        ]
        assert v1.bases.count() == 2  # the old version keeps its own bases

    def test_av_levels_not_named_keep_the_previous_versions(self):
        matter = make_matter(av_levels={Stage.DECISION: AVLevel.AV})
        v2 = services.matter_amend(
            actor=None,
            matter=matter,
            effective_from=D("2025-03-01"),
            change_note="听证全程录像",
            av_levels={Stage.HEARING: AVLevel.FULL},
        )
        assert v2.av_level(Stage.HEARING) == AVLevel.FULL
        assert v2.av_level(Stage.DECISION) == AVLevel.AV

    def test_a_new_kind_brings_its_default_disclosure_deadline(self):
        matter = make_matter()
        assert first_version(matter).disclosure_workdays == 7
        v2 = services.matter_amend(
            actor=None,
            matter=matter,
            effective_from=D("2025-03-01"),
            change_note="改为检查事项",
            kind=MatterKind.INSPECTION,
        )
        assert v2.disclosure_workdays == 20

    def test_new_bases_replace_the_old_ones(self):
        matter = make_matter()
        v2 = services.matter_amend(
            actor=None,
            matter=matter,
            effective_from=D("2025-01-01"),
            change_note="依据调整",
            bases=[BasisInput(BasisRole.PENALTY, "劳动法", "第九十一条")],
        )
        assert list(v2.bases.values_list("law_title", "article_label")) == [("劳动法", "第九十一条")]

    def test_head_amends_own_matter(self):
        matter = make_matter()
        head = make_user(Role.HEAD, agency=matter.agency)
        version = services.matter_amend(
            actor=head, matter=matter, effective_from=D("2025-01-01"), change_note="修改"
        )
        assert version.version == 2

    @pytest.mark.parametrize("effective_from", ["2024-01-01", "2023-12-31"])
    def test_effective_date_must_follow_the_current_version(self, effective_from):
        matter = make_matter(effective_from=D("2024-01-01"))
        with unchanged_db(), pytest.raises(InvalidInput, match="须晚于现行版本的施行日期（2024-01-01）"):
            services.matter_amend(
                actor=None, matter=matter, effective_from=D(effective_from), change_note="修改"
            )

    def test_change_note_is_required(self):
        matter = make_matter()
        with unchanged_db(), pytest.raises(InvalidInput, match="须写明修改说明"):
            services.matter_amend(actor=None, matter=matter, effective_from=D("2025-01-01"), change_note="  ")

    def test_repealed_matter_cannot_be_amended(self):
        matter = make_matter()
        services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-01-01"), reason="上位法废止")
        with unchanged_db(), pytest.raises(DomainError, match="已于 2025-01-01 废止，不能再修改"):
            services.matter_amend(
                actor=None, matter=matter, effective_from=D("2025-06-01"), change_note="修改"
            )

    def test_a_refused_new_version_leaves_the_old_one_open(self):
        matter = make_matter(kind=MatterKind.INSPECTION)
        with unchanged_db(), pytest.raises(InvalidInput, match="须登记法律依据"):
            services.matter_amend(
                actor=None,
                matter=matter,
                effective_from=D("2025-01-01"),
                change_note="改为处罚",
                kind=MatterKind.PENALTY,
                bases=[],
            )
        assert first_version(matter).effective_to is None

    def test_head_of_another_agency_cannot_amend(self):
        matter = make_matter()
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted, match="执法事项清单"):
            services.matter_amend(
                actor=head, matter=matter, effective_from=D("2025-01-01"), change_note="修改"
            )


class TestMatterRepeal:
    def test_repeal_closes_the_current_version(self):
        matter = make_matter(effective_from=D("2024-01-01"))
        services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-07-01"), reason=" 职能调整 ")
        matter.refresh_from_db()
        assert (matter.repealed_on, matter.repeal_reason) == (D("2025-07-01"), "职能调整")
        assert first_version(matter).effective_to == D("2025-06-30")

    def test_repeal_twice_is_refused(self):
        matter = make_matter()
        services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-07-01"), reason="职能调整")
        with unchanged_db(), pytest.raises(DomainError, match="废止，不能再废止"):
            services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-08-01"), reason="再次")

    @pytest.mark.parametrize(
        ("effective_on", "reason", "message"),
        [("2024-01-01", "职能调整", "废止日期须晚于"), ("2025-07-01", " ", "须写明理由")],
    )
    def test_refused(self, effective_on, reason, message):
        matter = make_matter(effective_from=D("2024-01-01"))
        with unchanged_db(), pytest.raises(InvalidInput, match=message):
            services.matter_repeal(actor=None, matter=matter, effective_on=D(effective_on), reason=reason)

    def test_head_of_another_agency_cannot_repeal(self):
        matter = make_matter()
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted):
            services.matter_repeal(actor=head, matter=matter, effective_on=D("2025-07-01"), reason="职能调整")


class TestHandlerEnsureEligible:
    """A handler (承办人) must be the matter agency's certified officer (《行政处罚法》第四十二条)."""

    @pytest.fixture
    def setup(self):
        domain = EnforcementDomainFactory(name="劳动保障监察")
        agency = AgencyFactory()
        matter = make_matter(agency=agency, domain=domain, effective_from=D("2024-01-01"))
        certificate = CertificateFactory(officer__agency=agency, officer__name="张三", domains=[domain])
        return matter, certificate.officer

    def test_eligible_handler_gets_the_version_in_force(self, setup):
        matter, officer = setup
        assert services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-06-01")) == (
            first_version(matter)
        )
        v2 = services.matter_amend(
            actor=None, matter=matter, effective_from=D("2025-07-01"), change_note="修改"
        )
        assert services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-07-01")) == v2

    def test_certificate_area_must_cover_the_agency(self, setup):
        matter, officer = setup
        certificate = officer.certificates.get()
        certificate.area = RegionFactory(name="东山县")
        certificate.save()
        with pytest.raises(DomainError, match=r"执法区域为“东山县”.*第四十二条"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-06-01"))

    def test_officer_of_another_agency(self, setup):
        matter, _ = setup
        domain = first_version(matter).domain
        stranger = CertificateFactory(domains=[domain], officer__name="李四").officer
        with pytest.raises(DomainError, match=r"李四不是“.*”的执法人员"):
            services.handler_ensure_eligible(officer=stranger, matter=matter, on=D("2025-06-01"))

    def test_matter_not_yet_in_force(self, setup):
        matter, officer = setup
        with pytest.raises(DomainError, match="不在施行期内"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2023-12-31"))

    def test_repealed_matter(self, setup):
        matter, officer = setup
        services.matter_repeal(actor=None, matter=matter, effective_on=D("2025-07-01"), reason="职能调整")
        assert services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-06-30"))
        with pytest.raises(DomainError, match="不在施行期内"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-07-01"))

    def test_uncertified_officer(self, setup):
        matter, _ = setup
        officer = OfficerFactory(agency=matter.agency, name="王五")
        with pytest.raises(DomainError, match=r"王五未取得行政执法证件.*第四十二条"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-06-01"))

    @pytest.mark.parametrize(
        ("on", "status", "message"),
        [
            ("2026-01-02", CertificateStatus.ACTIVE, "年审已逾期"),
            ("2025-06-01", CertificateStatus.SUSPENDED, "已暂扣"),
            ("2025-06-01", CertificateStatus.REVOKED, "已吊销"),
        ],
    )
    def test_unusable_certificate(self, setup, on, status, message):
        matter, officer = setup
        officer.certificates.update(status=status)
        with pytest.raises(DomainError, match=rf"张三的执法证{message}.*第四十二条"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D(on))

    def test_new_version_in_another_domain(self, setup):
        matter, officer = setup
        food = EnforcementDomainFactory(name="食品安全")
        services.matter_amend(
            actor=None, matter=matter, effective_from=D("2025-07-01"), change_note="划转", domain=food
        )
        assert services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-06-30"))
        with pytest.raises(DomainError, match=r"不包括“食品安全”.*第四十二条"):
            services.handler_ensure_eligible(officer=officer, matter=matter, on=D("2025-07-01"))


class TestLawImport:
    def test_import_creates_the_law_and_its_articles(self, tmp_path):
        result = services.law_import(path=write_law(tmp_path))
        assert (result.created, result.articles, result.linked_bases) == (True, 2, 0)
        law = result.law
        assert (law.title, law.short_title, law.version_date) == (
            "中华人民共和国测试法",
            "测试法",
            D("2024-06-01"),
        )
        assert law.source_name == "测试法_2024-06-01.md"
        article = law.articles.get(label="第四十二条")
        assert (article.number, article.position, article.chapter) == (42, 2, "第一章 总则")
        assert article.text == "行政处罚应当由具有行政执法资格的执法人员实施。\n执法人员不得少于两人。"

    def test_import_is_idempotent(self, tmp_path):
        path = write_law(tmp_path)
        services.law_import(path=path)
        again = services.law_import(path=path)
        assert (again.created, again.articles, again.linked_bases) == (False, 2, 0)
        assert (Law.objects.count(), LawArticle.objects.count()) == (1, 2)

    def test_import_links_existing_bases(self, tmp_path):
        matter = make_matter(
            bases=[
                BasisInput(BasisRole.VIOLATED, "测试法", "第四十二条第一款"),
                BasisInput(BasisRole.PENALTY, "中华人民共和国测试法", "第一条"),
                BasisInput(BasisRole.PROCEDURE, "测试法", "第九十九条"),  # not in the text
            ]
        )
        result = services.law_import(path=write_law(tmp_path))
        assert result.linked_bases == 2
        linked = {b.article_label: b.article for b in first_version(matter).bases.all()}
        assert linked["第四十二条第一款"] == result.law.articles.get(label="第四十二条")
        assert linked["第一条"] == result.law.articles.get(label="第一条")
        assert linked["第九十九条"] is None

    def test_bases_created_after_import_are_linked_at_once(self, tmp_path):
        law = services.law_import(path=write_law(tmp_path)).law
        matter = make_matter(bases=[BasisInput(BasisRole.PENALTY, "《测试法》", "第四十二条")])
        assert first_version(matter).bases.get().article == law.articles.get(label="第四十二条")

    def test_newer_version_takes_over_the_links(self, tmp_path):
        old = services.law_import(path=write_law(tmp_path)).law
        make_matter(bases=[BasisInput(BasisRole.PENALTY, "测试法", "第四十二条")])
        assert LegalBasis.objects.get().article.law == old
        newer = services.law_import(path=write_law(tmp_path, name="测试法_2025-01-01.md"))
        assert newer.created and newer.linked_bases == 1
        assert LegalBasis.objects.get().article.law == newer.law

    def test_real_statute(self, laws_dir):
        result = services.law_import(path=laws_dir / "行政处罚法_2021-01-22.md")
        assert (result.created, result.articles) == (True, 86)
        assert "法制审核" in result.law.articles.get(label="第五十八条").text

    def test_unreadable_file_is_refused(self, tmp_path):
        path = tmp_path / "坏文件_2024-01-01.md"
        path.write_bytes(b"\xff\xfe not utf-8 \xff")
        with unchanged_db(), pytest.raises(InvalidInput, match="无法读取"):
            services.law_import(path=path)
        with unchanged_db(), pytest.raises(InvalidInput, match="无法读取"):
            services.law_import(path=tmp_path / "不存在_2024-01-01.md")

    def test_malformed_text_is_refused(self, tmp_path):
        path = write_law(tmp_path, text="没有标题\n第一条 内容。\n")
        with unchanged_db(), pytest.raises(InvalidInput, match="缺少以“# ”开头的标题行"):
            services.law_import(path=path)
