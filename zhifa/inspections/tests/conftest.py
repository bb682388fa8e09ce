"""A small world for the inspections tests: two agencies of one region, their inspectors, the
published item list, a registry of subjects in four risk classes, and a helper that takes a
plan through its steps up to the draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.catalog.services.inspections import inspection_item_create
from zhifa.inspections import services, workflow
from zhifa.inspections.models import Plan, Subject
from zhifa.ledger.services import checkpoint_make
from zhifa.org.models import Officer
from zhifa.testing.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    OfficerFactory,
    RegionFactory,
    make_uscc,
    make_user,
)

ITEM_FIELDS = {
    "name": "食品经营者经营条件检查",
    "subject_type": "食品经营者",
    "basis": "《食品安全法》第一百一十条",
    "content": "许可证照、进货查验、贮存条件",
    "method": "现场检查",
    "ratio": "每年不低于 5%",
}


@dataclass
class World:
    region: Any
    lead: Any
    partner: Any
    domain: Any
    partner_domain: Any
    head: Any
    officer_user: Any
    partner_head: Any
    inspectors: list[Officer]
    partner_inspectors: list[Officer]
    item: Any
    partner_item: Any
    subjects: list[Subject]


def _inspectors(agency: Any, domain: Any, count: int, prefix: str) -> list[Officer]:
    today = timezone.localdate()
    officers = []
    for i in range(count):
        officer = OfficerFactory(agency=agency, name=f"{prefix}{i}")
        CertificateFactory(
            officer=officer,
            number=f"{prefix}-{i:04d}",
            issued_on=today - dt.timedelta(days=100),
            valid_until=today + dt.timedelta(days=2000),
            domains=[domain],
        )
        officers.append(officer)
    return officers


@pytest.fixture
def world(db) -> World:
    region = RegionFactory(code="990101", name="测试区")
    lead = AgencyFactory(name="测试区市场监督管理局", short_name="测试市监", region=region)
    partner = AgencyFactory(name="测试区卫生健康局", short_name="测试卫健", region=region)
    domain = EnforcementDomainFactory(code="SCJG", name="市场监管")
    partner_domain = EnforcementDomainFactory(code="WSJK", name="卫生健康")
    head = make_user(Role.HEAD, agency=lead)
    officer_user = make_user(Role.OFFICER, agency=lead)
    partner_head = make_user(Role.HEAD, agency=partner)
    inspectors = _inspectors(lead, domain, 6, "SJ")
    partner_inspectors = _inspectors(partner, partner_domain, 4, "WJ")
    start = timezone.localdate() - dt.timedelta(days=365)
    item = inspection_item_create(actor=None, agency=lead, code="SJ-001", effective_from=start, **ITEM_FIELDS)
    partner_item = inspection_item_create(
        actor=None,
        agency=partner,
        code="WJ-001",
        effective_from=start,
        **{**ITEM_FIELDS, "name": "公共场所卫生检查"},
    )
    classes = ["A", "B", "C", "D"]
    subjects = Subject.objects.bulk_create(
        [
            Subject(
                uscc=make_uscc(5000 + i),
                name=f"测试商户{i}",
                address=f"测试路{i}号",
                region=region,
                industry="餐饮" if i % 2 else "零售",
                risk_class=classes[i % 4],
            )
            for i in range(80)
        ]
    )
    return World(
        region,
        lead,
        partner,
        domain,
        partner_domain,
        head,
        officer_user,
        partner_head,
        inspectors,
        partner_inspectors,
        item,
        partner_item,
        subjects,
    )


def make_plan(world: World, *, joint: bool = False, **overrides: Any) -> Plan:
    now = timezone.now()
    fields: dict[str, Any] = {
        "actor": world.officer_user,
        "agency": world.lead,
        "title": "2026年度食品经营者双随机抽查",
        "year": 2026,
        "domain": world.domain,
        "items": [world.item, world.partner_item] if joint else [world.item],
        "ratios": {"A": "0.05", "B": "0.1", "C": "0.2", "D": "0.5"},
        "window_start": timezone.localdate(now) + dt.timedelta(days=2),
        "window_end": timezone.localdate(now) + dt.timedelta(days=60),
        "draw_at": now + dt.timedelta(hours=1),
        "witness_rule": "抽取日上证综合指数收盘点位（保留两位小数）",
        "partners": [(world.partner, world.partner_domain)] if joint else [],
    }
    fields.update(overrides)
    return services.plan_create(**fields)


def to_locked(world: World, plan: Plan, *, checkpoint: bool = True) -> Plan:
    workflow.take("submit", actor=world.officer_user, plan=plan)
    workflow.take("approve", actor=world.head, plan=plan)
    workflow.take("publish", actor=world.head, plan=plan)
    workflow.take("lock", actor=world.head, plan=plan)
    if checkpoint:
        checkpoint_make(reason="测试")
    return plan


def drawn(world: World, time_machine: Any, *, joint: bool = False, **overrides: Any) -> Plan:
    plan = to_locked(world, make_plan(world, joint=joint, **overrides))
    time_machine.move_to(plan.draw_at + dt.timedelta(minutes=1))
    workflow.take("draw", actor=world.head, plan=plan, witness_name="区公证处 王某", witness_value="3251.17")
    plan.refresh_from_db()
    return plan
