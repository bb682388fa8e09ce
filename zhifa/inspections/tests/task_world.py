"""A small world for inspection-task tests (test modules import `tw_fixture`): an agency that can sign, its head, its 公示管理员, two
certified inspectors, an uncertified officer, a supervisor of the region, an officer of another
agency, an item of the 随机抽查事项清单 and a subject of the registry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from zhifa.accounts.models import Role
from zhifa.catalog.models import AVLevel, InspectionItem, MatterKind, Stage
from zhifa.core.calendar import today
from zhifa.inspections.models import Subject, TaskKind
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    RegionFactory,
    make_matter,
    make_uscc,
    make_user,
)
from zhifa.testing.signing import install_test_credential

TEXT_ONLY = {stage: AVLevel.TEXT for stage in Stage if stage not in (Stage.SEIZURE, Stage.DEMOLITION)}


@dataclass
class TaskWorld:
    agency: Any
    region: Any
    domain: Any
    matter: Any
    item: Any
    item2: Any
    subject: Any
    head: Any
    admin: Any
    inspector: Any
    partner: Any
    uncertified: Any
    supervisor: Any
    outsider: Any

    def task(self, **overrides: Any) -> Any:
        from zhifa.inspections.task_services import task_create

        fields: dict[str, Any] = {
            "actor": self.head,
            "kind": TaskKind.SPECIAL,
            "subject": self.subject,
            "agency": self.agency,
            "items": [self.item, self.item2],
            "inspectors": [self.inspector.officer, self.partner.officer],
            "valid_from": today(),
            "valid_until": today() + dt.timedelta(days=30),
            "reason": "2026年工资支付专项检查",
        }
        fields.update(overrides)
        return task_create(**fields)


def certify(user: Any, domain: Any) -> None:
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


@pytest.fixture(name="tw")
def tw_fixture(db, settings, tmp_path) -> TaskWorld:
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    bureau_region = RegionFactory(code="990100", name="测试市")
    region = RegionFactory(code="990121", name="测试县", parent=bureau_region)
    agency = AgencyFactory(
        document_abbr="测人社监",
        region=region,
        reconsideration_body="测试县人民政府",
        litigation_court="测试县人民法院",
    )
    bureau = AgencyFactory(name="测试市司法局", region=bureau_region, is_justice_bureau=True)
    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC)):
        install_test_credential(agency, since_2024=True)
    domain = EnforcementDomainFactory(name="劳动保障监察")
    matter = make_matter(agency=agency, domain=domain, av_levels=TEXT_ONLY, kind=MatterKind.PENALTY)
    item = InspectionItem.objects.create(
        agency=agency,
        code="RS-JC-001",
        version=1,
        name="工资支付情况检查",
        matter=matter,
        subject_type="用人单位",
        basis="《劳动保障监察条例》第十一条",
        content="检查工资支付台账。",
        method="现场检查",
        ratio="5%",
        effective_from=dt.date(2024, 1, 1),
        change_note="制定",
    )
    item2 = InspectionItem.objects.create(
        agency=agency,
        code="RS-JC-002",
        version=1,
        name="劳动合同签订情况检查",
        matter=None,
        subject_type="用人单位",
        basis="《劳动合同法》第七十四条",
        content="检查劳动合同。",
        method="现场检查",
        ratio="5%",
        effective_from=dt.date(2024, 1, 1),
        change_note="制定",
    )
    subject = Subject.objects.create(
        uscc=make_uscc(777), name="测试餐饮有限公司", address="测试路8号", region=region, risk_class="B"
    )
    head = make_user(Role.HEAD, agency=agency, full_name="局长甲")
    admin = make_user(Role.DISCLOSURE_ADMIN, agency=agency, full_name="公示员甲")
    inspector = make_user(Role.OFFICER, agency=agency, full_name="检查员甲")
    partner = make_user(Role.OFFICER, agency=agency, full_name="检查员乙")
    uncertified = make_user(Role.OFFICER, agency=agency, full_name="新人丙")
    for user in (inspector, partner):
        certify(user, domain)
    supervisor = make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲")
    outsider = make_user(Role.OFFICER, full_name="外局丁")
    certify(outsider, domain)
    return TaskWorld(
        agency,
        region,
        domain,
        matter,
        item,
        item2,
        subject,
        head,
        admin,
        inspector,
        partner,
        uncertified,
        supervisor,
        outsider,
    )
