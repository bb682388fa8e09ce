"""Certificate state derived from dates (never stored), and the annual review (年审)."""

import datetime as dt

import pytest

from zhifa.accounts.models import Role
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.models import JurisdictionSetting
from zhifa.org import services
from zhifa.org.certificates import Level, certificate_state, next_review_due
from zhifa.org.models import AnnualReview, Certificate, CertificateStatus
from zhifa.org.selectors import certificate_states, officer_standing
from zhifa.testing import unchanged_db
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    OfficerFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
WARNING_DAYS = 61  # the default certificate_warning_days (about two months)


def state_on(certificate, day):
    return certificate_state(certificate, on=D(day), warning_days=WARNING_DAYS)


class TestState:
    """CertificateFactory: issued 2025-01-01, valid until 2030-01-01, first review due 2026-01-01."""

    def test_valid(self):
        state = state_on(CertificateFactory(), "2025-06-01")
        assert (state.code, state.level, state.can_act) == ("valid", Level.OK, True)
        assert state.next_review_due == D("2026-01-01")
        assert state.message == "执法证有效。"

    def test_review_due_within_the_warning_window(self):
        certificate = CertificateFactory()
        state = state_on(certificate, "2025-11-15")
        assert (state.code, state.level, state.can_act) == ("review_due", Level.WARNING, True)
        assert state.days_to_review == 47
        assert "2026-01-01 年审到期（剩余 47 天）" in state.message

    def test_warning_window_boundaries(self):
        certificate = CertificateFactory()
        due = D("2026-01-01")
        assert state_on(certificate, str(due - dt.timedelta(days=62))).code == "valid"
        assert state_on(certificate, str(due - dt.timedelta(days=61))).code == "review_due"
        assert state_on(certificate, "2026-01-01").code == "review_due"  # the due day itself

    def test_review_overdue_cannot_act(self):
        state = state_on(CertificateFactory(), "2026-01-02")
        assert (state.code, state.level, state.can_act) == ("review_overdue", Level.DANGER, False)
        assert "年审已逾期（应于 2026-01-01 前年审）" in state.message

    def test_expired(self):
        certificate = CertificateFactory(issued_on=D("2020-01-01"), valid_until=D("2025-01-01"))
        AnnualReviewFactory(certificate=certificate, year=2024, reviewed_on=D("2024-12-20"))
        assert state_on(certificate, "2025-01-01").code == "expiring"  # the last valid day
        state = state_on(certificate, "2025-01-02")
        assert (state.code, state.can_act) == ("expired", False)
        assert state.days_to_expiry == -1

    def test_expiring_soon_after_a_recent_review(self):
        certificate = CertificateFactory(issued_on=D("2021-01-01"), valid_until=D("2025-12-31"))
        AnnualReviewFactory(certificate=certificate, year=2025, reviewed_on=D("2025-06-01"))
        state = state_on(certificate, "2025-12-01")
        assert (state.code, state.level, state.can_act) == ("expiring", Level.WARNING, True)
        assert state.message == "执法证将在 30 天后到期，请及时换证。"

    def test_not_yet_valid(self):
        state = state_on(CertificateFactory(), "2024-12-31")
        assert (state.code, state.can_act) == ("not_yet_valid", False)

    @pytest.mark.parametrize(
        ("status", "label"),
        [
            (CertificateStatus.SUSPENDED, "暂扣"),
            (CertificateStatus.REVOKED, "吊销"),
            (CertificateStatus.CANCELLED, "注销"),
        ],
    )
    def test_status_set_by_the_issuer_stops_the_officer(self, status, label):
        state = state_on(CertificateFactory(status=status, status_reason="依法处理"), "2025-06-01")
        assert (state.code, state.label, state.level, state.can_act) == (status, label, Level.DANGER, False)
        assert f"已{label}" in state.message

    def test_passed_review_moves_the_next_due_date(self):
        certificate = CertificateFactory()
        AnnualReviewFactory(certificate=certificate, year=2025, reviewed_on=D("2025-12-10"))
        assert next_review_due(certificate) == D("2026-12-10")
        assert state_on(certificate, "2026-01-02").code == "valid"

    def test_failed_review_does_not_move_the_due_date(self):
        certificate = CertificateFactory()
        AnnualReviewFactory(certificate=certificate, year=2025, reviewed_on=D("2025-12-10"), passed=False)
        assert next_review_due(certificate) == D("2026-01-01")

    def test_leap_day_issue(self):
        certificate = CertificateFactory(issued_on=D("2024-02-29"))
        assert next_review_due(certificate) == D("2025-02-28")

    def test_warning_days_come_from_the_jurisdiction_setting(self):
        certificate = CertificateFactory()
        on = D("2025-11-15")  # 47 days before the review is due
        assert certificate_states(certificate.officer, on=on)[0][1].code == "review_due"
        JurisdictionSetting.objects.create(key="certificate_warning_days", value="30")
        assert certificate_states(certificate.officer, on=on)[0][1].code == "valid"


class TestStanding:
    def test_best_certificate_wins(self):
        officer = OfficerFactory()
        CertificateFactory(officer=officer, status=CertificateStatus.SUSPENDED, status_reason="违纪")
        good = CertificateFactory(officer=officer)
        standing = officer_standing(officer, on=D("2025-06-01"))
        assert standing.certificate == good
        assert standing.can_act and standing.label == "有效"

    def test_no_certificate(self):
        standing = officer_standing(OfficerFactory(), on=D("2025-06-01"))
        assert (standing.certificate, standing.can_act, standing.label, standing.level) == (
            None,
            False,
            "无执法证",
            Level.DANGER,
        )

    def test_inactive_officer_cannot_act(self):
        certificate = CertificateFactory(officer__is_active=False)
        assert not officer_standing(certificate.officer, on=D("2025-06-01")).can_act


class TestAnnualReview:
    def test_passed_review_is_recorded(self):
        certificate = CertificateFactory()
        head = make_user(Role.HEAD, agency=certificate.officer.agency)
        review = services.annual_review_record(
            actor=head, certificate=certificate, year=2025, reviewed_on=D("2025-12-01"), passed=True
        )
        assert review.passed
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.ACTIVE
        assert next_review_due(certificate) == D("2026-12-01")

    def test_failed_review_cancels_the_certificate(self):
        certificate = CertificateFactory()
        services.annual_review_record(
            actor=None, certificate=certificate, year=2025, reviewed_on=D("2025-12-01"), passed=False
        )
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.CANCELLED
        assert certificate.status_reason == "2025 年度审验不合格"
        assert not state_on(certificate, "2025-12-02").can_act

    def test_second_review_in_the_same_year_is_refused(self):
        certificate = CertificateFactory()
        AnnualReviewFactory(certificate=certificate, year=2025, reviewed_on=D("2025-03-01"))
        with unchanged_db(), pytest.raises(InvalidInput, match="已有 2025 年度的年审记录"):
            services.annual_review_record(
                actor=None, certificate=certificate, year=2025, reviewed_on=D("2025-12-01"), passed=False
            )
        assert Certificate.objects.get(pk=certificate.pk).status == CertificateStatus.ACTIVE

    def test_future_review_date_is_refused(self):
        certificate = CertificateFactory()
        later = dt.date.today() + dt.timedelta(days=2)
        with unchanged_db(), pytest.raises(InvalidInput, match="不能晚于今天"):
            services.annual_review_record(
                actor=None, certificate=certificate, year=later.year, reviewed_on=later, passed=True
            )

    def test_review_date_outside_the_year_is_refused(self):
        certificate = CertificateFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="审验日期与年度不符"):
            services.annual_review_record(
                actor=None, certificate=certificate, year=2023, reviewed_on=D("2025-06-01"), passed=True
            )

    def test_review_early_next_year_counts_for_the_year(self):
        certificate = CertificateFactory()
        review = services.annual_review_record(
            actor=None, certificate=certificate, year=2025, reviewed_on=D("2026-02-10"), passed=True
        )
        assert review.year == 2025

    def test_review_before_issue_is_refused(self):
        certificate = CertificateFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match="不能早于发证日期"):
            services.annual_review_record(
                actor=None, certificate=certificate, year=2024, reviewed_on=D("2024-12-01"), passed=True
            )

    def test_failing_a_cancelled_certificate_records_nothing(self):
        certificate = CertificateFactory(status=CertificateStatus.CANCELLED, status_reason="调离")
        with unchanged_db(), pytest.raises(DomainError, match="不能再变更状态"):
            services.annual_review_record(
                actor=None, certificate=certificate, year=2025, reviewed_on=D("2025-12-01"), passed=False
            )
        assert not AnnualReview.objects.exists()

    def test_head_of_another_agency_is_refused(self):
        certificate = CertificateFactory()
        head = make_user(Role.HEAD, agency=AgencyFactory())
        with unchanged_db(), pytest.raises(NotPermitted):
            services.annual_review_record(
                actor=head, certificate=certificate, year=2025, reviewed_on=D("2025-12-01"), passed=False
            )
