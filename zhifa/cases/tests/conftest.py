"""A small world for case tests: an agency that can sign, its head, two certified handlers, a
reviewer, an officer who did not investigate, and a matter of their domain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine

from zhifa.accounts.models import Role
from zhifa.catalog.models import AVLevel, Matter, Stage
from zhifa.core.calendar import today
from zhifa.org.models import Agency, EnforcementDomain
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    make_matter,
    make_user,
)
from zhifa.testing.signing import install_test_credential

# Every stage the law lets a matter record in text only (zhifa.catalog.services.MANDATORY_FULL).
TEXT_EXCEPT_MANDATORY = {
    stage: AVLevel.TEXT for stage in Stage if stage not in (Stage.SEIZURE, Stage.DEMOLITION)
}


@dataclass
class World:
    agency: Agency
    domain: EnforcementDomain
    matter: Matter
    head: object
    officer: object
    colleague: object
    reviewer: object
    bystander: object  # an officer of the agency who is not on the case (presides hearings)
    outsider: object  # an officer of another agency


def certified(user, domain, agency) -> None:
    """A certificate valid today, reviewed this year, for the domain."""
    issued = today() - dt.timedelta(days=400)
    certificate = CertificateFactory(
        officer=user.officer,
        domains=[domain],
        issued_on=issued,
        valid_until=issued + dt.timedelta(days=5 * 365),
    )
    AnnualReviewFactory(
        certificate=certificate, year=today().year, reviewed_on=today() - dt.timedelta(days=30)
    )


@pytest.fixture
def world(db, settings, tmp_path) -> World:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = AgencyFactory(
        document_abbr="测人社监", reconsideration_body="测试县人民政府", litigation_court="测试县人民法院"
    )
    # Issued before the travelling clock of the flow tests starts, so it is valid on every step;
    # one key per test process (generating keys is slow).
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC)):
        install_test_credential(agency, since_2024=True)
    domain = EnforcementDomainFactory(name="劳动保障监察")
    # The AV-recording list asks only what the law fixes (查封扣押 全程); the flows that test
    # the other stages' recordings raise the level themselves (zhifa/evidence/tests).
    matter = make_matter(
        agency=agency, domain=domain, effective_from=dt.date(2024, 1, 1), av_levels=TEXT_EXCEPT_MANDATORY
    )
    head = make_user(Role.HEAD, agency=agency, full_name="局长甲")
    officer = make_user(Role.OFFICER, agency=agency, full_name="执法员甲")
    colleague = make_user(Role.OFFICER, agency=agency, full_name="执法员乙")
    bystander = make_user(Role.OFFICER, agency=agency, full_name="执法员丙")
    for user in (officer, colleague, bystander):
        certified(user, domain, agency)
    reviewer = make_user(Role.REVIEWER, agency=agency, full_name="审核员甲")
    # 第五十八条第二款: a first-time reviewer holds the legal-profession qualification.
    reviewer.officer.legal_qualification_no = "A20190000001"
    reviewer.officer.save()
    outsider = make_user(Role.OFFICER, full_name="外单位执法员")
    return World(agency, domain, matter, head, officer, colleague, reviewer, bystander, outsider)
