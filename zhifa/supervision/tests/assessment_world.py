"""A small world for the 年度考核 tests: the supervision jurisdiction with certificates of known
coverage, the bureau's head and a signing credential for the 通报."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.accounts.models import Role
from zhifa.supervision.models_assessment import Direction, Indicator, IndicatorSet
from zhifa.testing.factories import CertificateFactory, OfficerFactory, make_user
from zhifa.testing.signing import install_test_credential, use_temp_dirs

YEAR = 2025


@pytest.fixture(name="world")
def world_fixture(jurisdiction, indicator_sets, settings, tmp_path):
    """Certificate coverage with known numbers on 2025-12-31: the 人社局 2 of 2 officers
    (100%), the 镇政府 1 of 2 (50%); in 2024 no certificate had been issued yet (0% both)."""
    use_temp_dirs(settings, tmp_path)
    install_test_credential(jurisdiction.bureau)
    j = jurisdiction
    for officer in j.agency.officers.all():
        CertificateFactory(officer=officer)
    CertificateFactory(officer=j.other.officers.get())
    OfficerFactory(agency=j.other)
    j.bureau_head = make_user(Role.HEAD, agency=j.bureau, full_name="局长")
    return j


def only_certificates() -> IndicatorSet:
    """A set of one indicator, made current: certificate coverage, 10 points, target 100%."""
    IndicatorSet.objects.update(is_current=False)
    s = IndicatorSet.objects.create(version="t-1", title="测试指标", source="测试", is_current=True)
    Indicator.objects.create(
        indicator_set=s,
        code="certificate_coverage",
        name="执法人员持证率",
        points=Decimal(10),
        direction=Direction.HIGHER,
        target=Decimal(100),
    )
    return s
