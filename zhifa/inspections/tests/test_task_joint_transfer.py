"""移送立案 on a joint visit (综合查一次): the clue goes to the agency whose items were found
不符合, registered by that agency's own inspector, with the whole record and every file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.models import Case, ClueSource, Status
from zhifa.catalog.models import InspectionItem, MatterKind
from zhifa.core.errors import NotPermitted
from zhifa.inspections.models import TaskResult, TaskStatus
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import TEXT_ONLY, certify, tw_fixture  # noqa: F401
from zhifa.inspections.tests.test_task_attachments import attach_photo
from zhifa.testing.factories import AgencyFactory, EnforcementDomainFactory, make_matter, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(tw):
    """The task of tw with a partner agency's item and its two inspectors on the same visit."""
    partner = AgencyFactory(name="测试县卫生健康局", document_abbr="测卫健", region=tw.region)
    domain = EnforcementDomainFactory(name="卫生健康")
    matter = make_matter(agency=partner, domain=domain, av_levels=TEXT_ONLY, kind=MatterKind.PENALTY)
    item = InspectionItem.objects.create(
        agency=partner,
        code="WJ-JC-001",
        version=1,
        name="公共场所卫生检查",
        matter=matter,
        subject_type="公共场所经营者",
        basis="《公共场所卫生管理条例》第三条",
        content="检查卫生许可证和从业人员健康证明。",
        method="现场检查",
        ratio="5%",
        effective_from=dt.date(2024, 1, 1),
        change_note="制定",
    )
    users = [make_user(Role.OFFICER, agency=partner, full_name=f"卫监员{n}") for n in "甲乙"]
    for user in users:
        certify(user, domain)
    task = tw.task()
    task.items.add(item)
    task.joint_inspectors.add(*(u.officer for u in users))
    take("start", actor=tw.inspector, task=task, code_shown=True, place="测试路8号")
    attach_photo(tw, task)  # taken by the lead agency's inspector
    return task, partner, matter, item, users


def record(tw, task, answers):
    take("checklist", actor=tw.inspector, task=task, answers=answers)
    now = timezone.now()
    take(
        "record",
        actor=tw.inspector,
        task=task,
        record_started_at=now - dt.timedelta(hours=1),
        record_ended_at=now,
        present_person="王建国",
        findings="联合检查：查见从业人员无健康证明。",
        signature="signed",
        signature_note="",
    )


def test_a_partner_inspector_transfers_to_their_own_agency(tw, joint):
    task, partner, matter, item, users = joint
    record(
        tw, task, {tw.item.pk: ("pass", ""), tw.item2.pk: ("pass", ""), item.pk: ("fail", "2人无健康证明")}
    )
    take(
        "result",
        actor=users[0],
        task=task,
        result=TaskResult.TRANSFERRED,
        cause="涉嫌从业人员未取得健康证明",
        result_note="移送卫生健康局立案。",
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.TRANSFERRED
    case = Case.objects.get(pk=task.case_id)
    assert case.agency == partner and case.matter == matter and case.registered_by == users[0]
    assert case.status == Status.CLUE and case.source == ClueSource.INSPECTION
    carried = case.records.get()
    assert "2人无健康证明" in " ".join(carried.content["paragraphs"])
    assert set(carried.officers.all()) == {u.officer for u in users}
    evidence = case.evidence_items.get()  # the lead inspector's photo, carried by the partner's inspector
    assert evidence.blob == task.attachments.get().blob and evidence.collector == users[0].officer
    assert tw.inspector.officer.name in evidence.source


def test_a_lead_inspector_cannot_transfer_what_the_partners_items_found(tw, joint):
    task, _partner, _matter, item, _users = joint
    record(
        tw, task, {tw.item.pk: ("pass", ""), tw.item2.pk: ("pass", ""), item.pk: ("fail", "2人无健康证明")}
    )
    with pytest.raises(NotPermitted, match="测试县卫生健康局"):
        take("result", actor=tw.inspector, task=task, result=TaskResult.TRANSFERRED, cause="案由")
    task.refresh_from_db()
    assert task.status == TaskStatus.RECORDED and task.case_id is None
    assert not Case.objects.exists()


def test_a_partner_inspector_cannot_transfer_what_the_lead_agencys_items_found(tw, joint):
    task, _partner, _matter, item, users = joint
    record(tw, task, {tw.item.pk: ("fail", "拖欠工资3人"), tw.item2.pk: ("pass", ""), item.pk: ("pass", "")})
    with pytest.raises(NotPermitted, match=tw.agency.name):
        take("result", actor=users[1], task=task, result=TaskResult.TRANSFERRED, cause="案由")
    take("result", actor=tw.partner, task=task, result=TaskResult.TRANSFERRED, cause="涉嫌拖欠劳动报酬")
    task.refresh_from_db()
    assert task.case.agency == tw.agency and task.case.matter == tw.matter
    assert task.case.evidence_items.get().collector == tw.inspector.officer  # its own officer's photo


def test_the_policy_refuses_someone_not_on_the_visit(tw, joint):
    from zhifa.inspections.task_policies import transfer_agency

    task, partner, *_ = joint
    with pytest.raises(NotPermitted, match="不是检查任务"):
        transfer_agency(make_user(Role.OFFICER, agency=partner), task)
