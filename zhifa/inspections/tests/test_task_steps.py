"""The inspection task on the runner: the visit, the checklist, the record, the results and the
rules each step refuses with its article."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.cases.models import Case, ClueSource, Status
from zhifa.core.calendar import today
from zhifa.core.errors import Conflict, DomainError, NotPermitted
from zhifa.core.workflow import run
from zhifa.inspections.models import (
    InspectionWarning,
    TaskEvent,
    TaskKind,
    TaskResult,
    TaskStatus,
    WarningKind,
)
from zhifa.inspections.task_workflow import TASKS, next_steps, take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.ledger.models import LedgerLeaf as Leaf

pytestmark = pytest.mark.django_db


def visit(tw, task, *, code_shown=True, signature="signed"):
    take("start", actor=tw.inspector, task=task, code_shown=code_shown, place="测试路8号")
    take(
        "checklist",
        actor=tw.partner,
        task=task,
        answers={tw.item.pk: ("pass", ""), tw.item2.pk: ("fail", "未签订书面劳动合同2人")},
    )
    now = timezone.now()
    take(
        "record",
        actor=tw.inspector,
        task=task,
        record_started_at=now - dt.timedelta(hours=1),
        record_ended_at=now - dt.timedelta(minutes=5),
        present_person="王建国",
        findings="现场查看工资台账和劳动合同。",
        signature=signature,
        signature_note="" if signature == "signed" else "当事人拒绝签名，由两名检查人员注明。",
    )


def test_the_visit_from_start_to_a_clean_result(tw):
    task = tw.task()
    assert task.status == TaskStatus.ASSIGNED and len(task.code) >= 20
    visit(tw, task)
    assert task.status == TaskStatus.RECORDED
    assert task.checks.count() == 2
    take(
        "result", actor=tw.inspector, task=task, result=TaskResult.NO_PROBLEM, result_note="未发现违法行为。"
    )
    task.refresh_from_db()
    assert (task.status == TaskStatus.CLOSED and task.concluded_on == dt.date.today()) or task.concluded_on
    actions = list(TaskEvent.objects.filter(task=task).values_list("action", flat=True))
    assert actions[:5] == ["open", "start", "checklist", "record", "conclude"]
    refs = {
        f"inspections.taskevent:{pk}"
        for pk in TaskEvent.objects.filter(task=task).values_list("pk", flat=True)
    }
    assert refs <= set(Leaf.objects.values_list("ref", flat=True))
    assert not InspectionWarning.objects.exists()


def test_one_inspector_is_refused_with_article_42(tw):
    with pytest.raises(DomainError, match="第四十二条"):
        tw.task(inspectors=[tw.inspector.officer])
    with pytest.raises(DomainError, match="第四十二条"):
        tw.task(inspectors=[tw.inspector.officer, tw.inspector.officer])


def test_an_uncertified_inspector_is_refused(tw):
    with pytest.raises(DomainError, match=r"未取得行政执法证件.*第四十二条"):
        tw.task(inspectors=[tw.inspector.officer, tw.uncertified.officer])


def test_a_certificate_invalid_on_the_day_refuses_the_visit(tw):
    task = tw.task()
    certificate = tw.partner.officer.certificates.get()
    certificate.valid_until = dt.date.today() - dt.timedelta(days=1)
    certificate.save()
    with pytest.raises(Conflict, match="第四十二条"):
        take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    task.refresh_from_db()
    assert task.status == TaskStatus.ASSIGNED


def test_a_recused_inspector_is_refused(tw):
    from zhifa.inspections.models import Recusal

    task = tw.task()
    Recusal.objects.create(
        officer=tw.partner.officer, subject=tw.subject, reason="配偶在该公司任职", declared_at=timezone.now()
    )
    with pytest.raises(Conflict, match=r"回避.*第四十三条"):
        take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")


def test_only_the_inspectors_take_steps(tw):
    task = tw.task()
    for user in (tw.outsider, tw.supervisor, tw.uncertified):
        with pytest.raises(NotPermitted):
            take("start", actor=user, task=task, code_shown=True, place="现场")
    with pytest.raises(NotPermitted, match="检查人员"):
        take("start", actor=tw.head, task=task, code_shown=True, place="现场")
    assert next_steps(task, tw.outsider) == []
    assert [s.step.code for s in next_steps(task, tw.inspector) if s.allowed] == ["start"]


def test_a_result_without_its_record_is_refused(tw):
    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    with pytest.raises(Conflict, match=r"尚未制作现场检查笔录.*第四十七条"):
        take("result", actor=tw.inspector, task=task, result=TaskResult.NO_PROBLEM)


def test_the_record_needs_every_item_and_a_refusal_its_note(tw):
    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    now = timezone.now()
    data = dict(
        record_started_at=now - dt.timedelta(hours=1),
        record_ended_at=now,
        present_person="",
        findings="现场检查。",
        signature="refused",
        signature_note="",
    )
    with pytest.raises(Conflict, match="尚未逐项填写"):
        take("record", actor=tw.inspector, task=task, **data)
    take(
        "checklist",
        actor=tw.inspector,
        task=task,
        answers={tw.item.pk: ("pass", ""), tw.item2.pk: ("na", "")},
    )
    with pytest.raises(DomainError, match="拒绝签名"):
        take("record", actor=tw.inspector, task=task, **data)
    data["signature_note"] = "当事人拒绝签名"
    take("record", actor=tw.inspector, task=task, **data)
    assert task.signature == "refused" and task.status == TaskStatus.RECORDED


def test_a_failed_item_needs_its_note(tw):
    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    with pytest.raises(DomainError, match="写明发现的问题"):
        take("checklist", actor=tw.inspector, task=task, answers={tw.item.pk: ("fail", "")})


def test_the_av_list_asks_for_a_video_before_the_record(tw):
    from zhifa.catalog.models import AVLevel, Stage

    version = tw.matter.versions.get()
    version.av_levels = {**version.av_levels, Stage.ON_SITE: AVLevel.FULL}
    version.save()
    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    take(
        "checklist",
        actor=tw.inspector,
        task=task,
        answers={tw.item.pk: ("pass", ""), tw.item2.pk: ("pass", "")},
    )
    now = timezone.now()
    with pytest.raises(Conflict, match=r"全程音像记录.*第四十七条"):
        take(
            "record",
            actor=tw.inspector,
            task=task,
            record_started_at=now - dt.timedelta(hours=1),
            record_ended_at=now,
            present_person="",
            findings="现场。",
            signature="signed",
            signature_note="",
        )


def test_corrected_issues_the_order_and_waits_for_the_follow_up(tw):
    task = tw.task()
    visit(tw, task)
    day = today()
    with pytest.raises(DomainError, match="复查日期"):
        take(
            "result",
            actor=tw.inspector,
            task=task,
            result=TaskResult.CORRECTED,
            violation="未签劳动合同",
            requirement="补签",
            deadline=day + dt.timedelta(days=10),
            follow_up_on=None,
        )
    take(
        "result",
        actor=tw.inspector,
        task=task,
        result=TaskResult.CORRECTED,
        violation="未与2名劳动者签订书面劳动合同",
        requirement="一个月内补签",
        deadline=day + dt.timedelta(days=10),
        follow_up_on=day + dt.timedelta(days=12),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.RECTIFYING
    assert task.rectification_document is not None
    assert task.rectification_document.kind == "rectification_order"
    assert task.rectification_document.subject_ref == f"inspection:{task.pk}"
    take("follow_up", actor=tw.partner, task=task, corrected=True, note="已补签劳动合同。")
    assert task.status == TaskStatus.CLOSED and task.followed_up_on == day


def test_transfer_creates_a_clue_carrying_the_record_and_the_photo(tw):
    from zhifa.inspections.tests.test_task_attachments import attach_photo

    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="测试路8号")
    attach_photo(tw, task)
    take(
        "checklist",
        actor=tw.inspector,
        task=task,
        answers={tw.item.pk: ("fail", "拖欠工资3人"), tw.item2.pk: ("pass", "")},
    )
    now = timezone.now()
    take(
        "record",
        actor=tw.inspector,
        task=task,
        record_started_at=now - dt.timedelta(hours=1),
        record_ended_at=now,
        present_person="王建国",
        findings="查见工资台账，3人欠薪。",
        signature="signed",
        signature_note="",
    )
    take(
        "result",
        actor=tw.inspector,
        task=task,
        result=TaskResult.TRANSFERRED,
        cause="涉嫌拖欠劳动报酬",
        result_note="发现拖欠工资，移送立案。",
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.TRANSFERRED
    case = Case.objects.get(pk=task.case_id)
    assert case.status == Status.CLUE and case.source == ClueSource.INSPECTION
    assert case.party_id_number == tw.subject.uscc and case.matter == tw.matter
    record = case.records.get()
    assert record.kind == "inspection" and "拖欠工资3人" in " ".join(record.content["paragraphs"])
    item = case.evidence_items.get()
    assert item.record == record and item.blob == task.attachments.get().blob


def test_a_visit_without_the_code_and_too_many_visits_raise_warnings(tw, settings):
    from zhifa.core.models import JurisdictionSetting

    JurisdictionSetting.objects.create(key="inspection_yearly_limit", value="1")
    first = tw.task()
    take("start", actor=tw.inspector, task=first, code_shown=True, place="现场")
    assert not InspectionWarning.objects.exists()
    second = tw.task(kind=TaskKind.COMPLAINT, reason="投诉举报核查")
    take("start", actor=tw.inspector, task=second, code_shown=False, place="现场")
    kinds = set(InspectionWarning.objects.filter(task=second).values_list("kind", flat=True))
    assert kinds == {WarningKind.FREQUENCY, WarningKind.NO_CODE}
    assert "2 次" in InspectionWarning.objects.get(kind=WarningKind.FREQUENCY).message


def test_a_second_click_is_a_conflict_and_a_retry_with_its_key_is_replayed(tw):
    task = tw.task()
    data = {"code_shown": True, "place": "现场"}
    first = run(TASKS, "start", actor=tw.inspector, subject=task, data=data, idempotency_key="k1")
    again = run(TASKS, "start", actor=tw.inspector, subject=task, data=data, idempotency_key="k1")
    assert again.replayed and first.status == again.status == TaskStatus.ON_SITE
    with pytest.raises(Conflict):
        take("start", actor=tw.partner, task=task, **data)
    assert TaskEvent.objects.filter(task=task, action="start").count() == 1


def test_other_kinds_need_their_reason_and_not_the_random_kind(tw):
    from zhifa.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="双随机"):
        tw.task(kind=TaskKind.RANDOM)
    with pytest.raises(InvalidInput, match="依据或来源"):
        tw.task(reason="")
    with pytest.raises(NotPermitted):
        tw.task(actor=tw.outsider)
