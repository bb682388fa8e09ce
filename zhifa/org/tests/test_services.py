"""Writes to agencies, units, officers, certificates and training records, and the 第四十二条 guard."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from zhifa.accounts.models import Role
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.org import services
from zhifa.org.models import Agency, AgencyKind, Certificate, CertificateStatus, Officer, Post, Unit
from zhifa.testing import unchanged_db
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    OfficerFactory,
    RegionFactory,
    UnitFactory,
    make_uscc,
    make_user,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
ON = D("2025-06-01")


def agency_fields(**overrides):
    fields = {
        "name": "三湖市人力资源和社会保障局",
        "short_name": "市人社局",
        "region": RegionFactory(),
        "uscc": make_uscc(424242),
        "address": "三湖市人民路1号",
        "phone": "0000-1234567",
        "duties": "劳动保障监察",
        "supervision_channel": "市司法局",
        "complaint_channel": "12345",
        "remedies": "行政复议、行政诉讼",
    }
    fields.update(overrides)
    return fields


class TestUscc:
    def test_valid_code_is_normalised(self):
        code = make_uscc(1)
        assert services.validate_uscc(f"  {code.lower()} ") == code

    @pytest.mark.parametrize(
        "code",
        ["911100000000000010", "91110000000000001", "9111000000000000100", "", "91110000IOZSV00001"],
    )
    def test_invalid_code_is_refused(self, code):
        good = make_uscc(1)
        assert code != good
        with pytest.raises(InvalidInput, match="GB 32100-2015"):
            services.validate_uscc(code)

    def test_wrong_check_character_is_refused(self):
        code = make_uscc(7)
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        with pytest.raises(InvalidInput, match="校验码"):
            services.validate_uscc(wrong)


class TestAgencyCreate:
    def test_sysadmin_registers_an_agency(self):
        admin = make_user(Role.SYSADMIN)
        agency = services.agency_create(actor=admin, **agency_fields())
        assert Agency.objects.get(pk=agency.pk).uscc == make_uscc(424242)

    def test_system_actor_registers_an_agency(self):
        agency = services.agency_create(actor=None, **agency_fields())
        assert agency.pk is not None

    @pytest.mark.parametrize("role", [Role.HEAD, Role.SUPERVISOR, Role.OFFICER])
    def test_anyone_else_is_refused(self, role):
        user = make_user(role)
        fields = agency_fields()
        with unchanged_db(), pytest.raises(NotPermitted, match="只有系统管理员"):
            services.agency_create(actor=user, **fields)

    def test_invalid_uscc_is_refused(self):
        fields = agency_fields(uscc="91110000123456789X")
        with unchanged_db(), pytest.raises(InvalidInput, match="统一社会信用代码"):
            services.agency_create(actor=None, **fields)

    def test_entrusted_organisation_needs_its_entruster(self):
        fields = agency_fields(kind=AgencyKind.ENTRUSTED)
        with unchanged_db(), pytest.raises(InvalidInput, match="受委托组织须登记委托机关"):
            services.agency_create(actor=None, **fields)

    def test_statutory_agency_cannot_name_an_entruster(self):
        fields = agency_fields(entrusted_by=AgencyFactory())
        with unchanged_db(), pytest.raises(InvalidInput, match="其他主体不得登记委托机关"):
            services.agency_create(actor=None, **fields)

    def test_entrusted_organisation_with_entruster(self):
        entruster = AgencyFactory()
        agency = services.agency_create(
            actor=None, **agency_fields(kind=AgencyKind.ENTRUSTED, entrusted_by=entruster)
        )
        assert agency.entrusted_by == entruster

    def test_unknown_field_is_refused(self):
        fields = agency_fields(secret_flag=True)
        with unchanged_db(), pytest.raises(InvalidInput, match="secret_flag"):
            services.agency_create(actor=None, **fields)


class TestDomainCreate:
    def test_sysadmin_adds_a_domain(self):
        domain = services.domain_create(actor=make_user(Role.SYSADMIN), code=" TJ ", name="统计执法")
        assert (domain.code, domain.name) == ("TJ", "统计执法")

    def test_head_is_refused(self):
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted, match="只有系统管理员"):
            services.domain_create(actor=head, code="TJ", name="统计执法")

    def test_duplicate_name_is_refused(self):
        services.domain_create(actor=None, code="TJ", name="统计执法")
        with unchanged_db(), pytest.raises(InvalidInput):
            services.domain_create(actor=None, code="TJ2", name="统计执法")


class TestAgencyUpdate:
    def test_head_updates_own_agency(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        services.agency_update(actor=head, agency=agency, phone="0000-7654321")
        agency.refresh_from_db()
        assert agency.phone == "0000-7654321"

    def test_head_of_another_agency_is_refused(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted, match="只有本机关负责人或系统管理员"):
            services.agency_update(actor=head, agency=agency, phone="0000-7654321")

    def test_head_cannot_move_the_agency_or_make_it_a_justice_bureau(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        with unchanged_db(), pytest.raises(InvalidInput, match="is_justice_bureau"):
            services.agency_update(actor=head, agency=agency, is_justice_bureau=True)


class TestUnits:
    def test_one_legal_review_body_moves_on_create(self):
        agency = AgencyFactory()
        first = services.unit_create(actor=None, agency=agency, name="法规科", is_legal_review_body=True)
        second = services.unit_create(actor=None, agency=agency, name="法制科", is_legal_review_body=True)
        first.refresh_from_db()
        assert not first.is_legal_review_body
        assert Agency.objects.get(pk=agency.pk).legal_review_unit == second

    def test_designate_moves_the_legal_review_body(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        old = UnitFactory(agency=agency, is_legal_review_body=True)
        new = UnitFactory(agency=agency)
        other_agency_body = UnitFactory(is_legal_review_body=True)
        services.unit_designate_legal_review_body(actor=head, unit=new)
        assert set(Unit.objects.filter(is_legal_review_body=True)) == {other_agency_body, new}
        assert old.agency.legal_review_unit == new

    def test_designate_by_another_agency_is_refused(self):
        unit = UnitFactory()
        UnitFactory(agency=unit.agency, is_legal_review_body=True)
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted):
            services.unit_designate_legal_review_body(actor=head, unit=unit)

    def test_database_allows_one_legal_review_body_per_agency(self):
        unit = UnitFactory(is_legal_review_body=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            Unit.objects.create(agency=unit.agency, name="第二法制机构", is_legal_review_body=True)

    def test_duplicate_unit_name_is_refused(self):
        unit = UnitFactory(name="执法一科", is_legal_review_body=True)
        with unchanged_db(), pytest.raises(InvalidInput):
            services.unit_create(actor=None, agency=unit.agency, name="执法一科", is_legal_review_body=True)
        unit.refresh_from_db()
        assert unit.is_legal_review_body  # the demotion was rolled back too


class TestOfficers:
    def test_head_adds_an_officer(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        unit = UnitFactory(agency=agency)
        officer = services.officer_create(actor=head, agency=agency, name="李四", gender="F", unit=unit)
        assert officer.agency == agency and officer.unit == unit

    def test_officer_role_cannot_add_officers(self):
        agency = AgencyFactory()
        user = make_user(Role.OFFICER, agency=agency)
        with unchanged_db(), pytest.raises(NotPermitted):
            services.officer_create(actor=user, agency=agency, name="李四", gender="F")

    def test_unit_of_another_agency_is_refused(self):
        agency = AgencyFactory()
        foreign_unit = UnitFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="不属于"):
            services.officer_create(actor=None, agency=agency, name="李四", gender="F", unit=foreign_unit)

    def test_supervisor_cannot_update_an_officer(self):
        bureau = AgencyFactory(is_justice_bureau=True)
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        officer = OfficerFactory(agency=AgencyFactory(region=bureau.region), name="王五")
        with unchanged_db(), pytest.raises(NotPermitted, match=r"司法局监督人员.*不能修改"):
            services.officer_update(actor=supervisor, officer=officer, name="王六", post=Post.LEGAL_REVIEW)
        assert Officer.objects.get(pk=officer.pk).name == "王五"

    def test_head_updates_own_officer(self):
        officer = OfficerFactory()
        head = make_user(Role.HEAD, agency=officer.agency)
        services.officer_update(
            actor=head, officer=officer, post=Post.LEGAL_REVIEW, legal_qualification_no="A1"
        )
        officer.refresh_from_db()
        assert (officer.post, officer.has_legal_qualification) == (Post.LEGAL_REVIEW, True)


class TestCertificates:
    def test_issue(self):
        officer = OfficerFactory()
        domains = EnforcementDomainFactory.create_batch(2)
        certificate = services.certificate_issue(
            actor=None,
            officer=officer,
            number=" 44010012345 ",
            issuer="三湖市人民政府",
            issued_on=D("2025-01-01"),
            valid_until=D("2030-01-01"),
            domains=domains,
            area=officer.agency.region,
        )
        assert certificate.number == "44010012345"
        assert set(certificate.domains.all()) == set(domains)

    def test_issue_without_domain_is_refused(self):
        officer = OfficerFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="至少登记一个执法类别"):
            services.certificate_issue(
                actor=None,
                officer=officer,
                number="X1",
                issuer="政府",
                issued_on=D("2025-01-01"),
                valid_until=D("2030-01-01"),
                domains=[],
                area=officer.agency.region,
            )

    def test_validity_must_end_after_issue(self):
        officer = OfficerFactory()
        domain = EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="有效期须晚于发证日期"):
            services.certificate_issue(
                actor=None,
                officer=officer,
                number="X1",
                issuer="政府",
                issued_on=D("2025-01-01"),
                valid_until=D("2025-01-01"),
                domains=[domain],
                area=officer.agency.region,
            )

    def test_issue_by_another_agency_head_is_refused(self):
        officer = OfficerFactory()
        domain = EnforcementDomainFactory()
        head = make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted):
            services.certificate_issue(
                actor=head,
                officer=officer,
                number="X1",
                issuer="政府",
                issued_on=D("2025-01-01"),
                valid_until=D("2030-01-01"),
                domains=[domain],
                area=officer.agency.region,
            )

    def test_suspend_needs_a_reason(self):
        certificate = CertificateFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="须写明理由"):
            services.certificate_set_status(
                actor=None, certificate=certificate, status=CertificateStatus.SUSPENDED, reason=" "
            )
        services.certificate_set_status(
            actor=None, certificate=certificate, status=CertificateStatus.SUSPENDED, reason="涉嫌违纪"
        )
        assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.SUSPENDED

    def test_suspended_certificate_can_be_restored(self):
        certificate = CertificateFactory(status=CertificateStatus.SUSPENDED, status_reason="涉嫌违纪")
        with unchanged_db(), pytest.raises(InvalidInput, match="须写明理由"):
            services.certificate_set_status(
                actor=None, certificate=certificate, status=CertificateStatus.ACTIVE, reason=""
            )
        services.certificate_set_status(
            actor=None,
            certificate=certificate,
            status=CertificateStatus.ACTIVE,
            reason="调查结束，恢复执法资格",
        )
        assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ACTIVE

    def test_holder_cannot_manage_own_certificate(self):
        head = make_user(Role.HEAD)
        certificate = CertificateFactory(officer=head.officer)
        with unchanged_db(), pytest.raises(NotPermitted, match="不能办理本人执法证"):
            services.certificate_set_status(
                actor=head, certificate=certificate, status=CertificateStatus.SUSPENDED, reason="测试"
            )

    def test_area_beyond_the_agency_is_refused(self):
        county = RegionFactory(code="990121", parent=RegionFactory(code="990100"))
        officer = OfficerFactory(agency=AgencyFactory(region=county))
        domain = EnforcementDomainFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="超出了"):
            services.certificate_issue(
                actor=None,
                officer=officer,
                number="AREA-1",
                issuer="示例市人民政府",
                issued_on=D("2025-01-01"),
                valid_until=D("2030-01-01"),
                domains=[domain],
                area=county.parent,
            )

    @pytest.mark.parametrize("final", [CertificateStatus.REVOKED, CertificateStatus.CANCELLED])
    def test_revoked_or_cancelled_is_final(self, final):
        certificate = CertificateFactory(status=final, status_reason="依法处理")
        with unchanged_db(), pytest.raises(DomainError, match="不能再变更状态"):
            services.certificate_set_status(
                actor=None, certificate=certificate, status=CertificateStatus.ACTIVE, reason="恢复"
            )

    def test_unknown_status_is_refused(self):
        certificate = CertificateFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="不存在"):
            services.certificate_set_status(actor=None, certificate=certificate, status="lost", reason="遗失")


class TestTrainingRecords:
    def test_add(self):
        officer = OfficerFactory()
        head = make_user(Role.HEAD, agency=officer.agency)
        record = services.training_record_add(
            actor=head,
            officer=officer,
            date=D("2025-03-01"),
            title="行政处罚法",
            category="public_law",
            hours=Decimal("7.5"),
        )
        assert record.hours == Decimal("7.5")

    @pytest.mark.parametrize(("hours", "message"), [(Decimal(0), "学时"), (Decimal(25), "不超过 24")])
    def test_hours_out_of_range_are_refused(self, hours, message):
        officer = OfficerFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match=message):
            services.training_record_add(
                actor=None,
                officer=officer,
                date=D("2025-03-01"),
                title="培训",
                category="skills",
                hours=hours,
            )

    def test_future_training_is_refused(self):
        officer = OfficerFactory()
        tomorrow = dt.date.today() + dt.timedelta(days=2)
        with unchanged_db(), pytest.raises(InvalidInput, match="不能晚于今天"):
            services.training_record_add(
                actor=None, officer=officer, date=tomorrow, title="培训", category="skills", hours=Decimal(2)
            )

    def test_supervisor_cannot_add_training(self):
        bureau = AgencyFactory(is_justice_bureau=True)
        supervisor = make_user(Role.SUPERVISOR, agency=bureau)
        officer = OfficerFactory(agency=AgencyFactory(region=bureau.region))
        with unchanged_db(), pytest.raises(NotPermitted, match="司法局监督人员"):
            services.training_record_add(
                actor=supervisor,
                officer=officer,
                date=D("2025-03-01"),
                title="培训",
                category="skills",
                hours=Decimal(2),
            )


class TestOfficerEnsureCanEnforce:
    """《行政处罚法》第四十二条: only certified officers act, within their certificate's domains."""

    def test_valid_certificate_covering_the_domain(self):
        domain = EnforcementDomainFactory()
        certificate = CertificateFactory(domains=[domain])
        assert (
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=domain, on=ON)
            == certificate
        )

    def test_no_certificate(self):
        officer = OfficerFactory(name="张三")
        with pytest.raises(DomainError, match=r"张三未取得行政执法证件.*第四十二条"):
            services.officer_ensure_can_enforce(officer=officer, domain=EnforcementDomainFactory(), on=ON)

    def test_expired_certificate(self):
        domain = EnforcementDomainFactory()
        certificate = CertificateFactory(
            domains=[domain], issued_on=D("2020-01-01"), valid_until=D("2025-01-01")
        )
        AnnualReviewFactory(certificate=certificate, year=2024, reviewed_on=D("2024-12-01"))
        with pytest.raises(DomainError, match=r"已过有效期.*第四十二条"):
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=domain, on=ON)

    def test_overdue_annual_review(self):
        domain = EnforcementDomainFactory()
        certificate = CertificateFactory(domains=[domain], issued_on=D("2024-01-01"))
        with pytest.raises(DomainError, match=r"年审已逾期.*第四十二条"):
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=domain, on=ON)

    def test_suspended_certificate(self):
        domain = EnforcementDomainFactory()
        certificate = CertificateFactory(domains=[domain], status=CertificateStatus.SUSPENDED)
        with pytest.raises(DomainError, match=r"已暂扣.*第四十二条"):
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=domain, on=ON)

    def test_domain_not_covered(self):
        certificate = CertificateFactory()
        other = EnforcementDomainFactory(name="食品安全")
        with pytest.raises(DomainError, match=r"不包括“食品安全”.*第四十二条"):
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=other, on=ON)

    def test_inactive_officer(self):
        domain = EnforcementDomainFactory()
        certificate = CertificateFactory(domains=[domain], officer__is_active=False)
        with pytest.raises(DomainError, match=r"不在岗.*第四十二条"):
            services.officer_ensure_can_enforce(officer=certificate.officer, domain=domain, on=ON)

    def test_an_unusable_certificate_does_not_lend_its_domains(self):
        labour, food = EnforcementDomainFactory.create_batch(2)
        officer = OfficerFactory()
        CertificateFactory(officer=officer, domains=[labour], status=CertificateStatus.SUSPENDED)
        usable = CertificateFactory(officer=officer, domains=[food])
        with pytest.raises(DomainError, match="不包括"):
            services.officer_ensure_can_enforce(officer=officer, domain=labour, on=ON)
        assert services.officer_ensure_can_enforce(officer=officer, domain=food, on=ON) == usable
