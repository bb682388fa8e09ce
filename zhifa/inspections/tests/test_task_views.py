"""The task pages on the phone and the public 检查码 page; every view refuses who may not."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.inspections.models import TaskStatus
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.inspections.tests.test_task_attachments import PNG

pytestmark = pytest.mark.django_db


def test_the_inspector_sees_the_task_its_code_and_its_next_step(tw, client):
    task = tw.task()
    client.force_login(tw.inspector)
    page = client.get(reverse("inspection_tasks:list"))
    assert page.status_code == 200 and tw.subject.name in page.content.decode()
    page = client.get(reverse("inspection_tasks:detail", args=[task.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "检查码" in text and "到达现场开始检查" in text
    qr = client.get(reverse("inspection_tasks:qr", args=[task.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_the_steps_through_the_pages(tw, client):
    task = tw.task()
    client.force_login(tw.inspector)
    url = reverse("inspection_tasks:step", args=[task.pk, "start"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code_shown": "on", "place": "测试路8号", "idempotency_key": "a1"})
    assert response.status_code == 302
    again = client.post(url, {"code_shown": "on", "place": "测试路8号", "idempotency_key": "a1"})
    assert again.status_code == 302  # the same form twice: taken once
    task.refresh_from_db()
    assert task.status == TaskStatus.ON_SITE and task.events.filter(action="start").count() == 1
    checklist = reverse("inspection_tasks:step", args=[task.pk, "checklist"])
    page = client.get(checklist)
    assert "符合" in page.content.decode() and tw.item.name in page.content.decode()
    bad = client.post(checklist, {f"answer_{tw.item.pk}": "fail", f"answer_{tw.item2.pk}": "pass"})
    assert bad.status_code == 400 and "写明发现的问题" in bad.content.decode()
    ok = client.post(checklist, {f"answer_{tw.item.pk}": "pass", f"answer_{tw.item2.pk}": "na"})
    assert ok.status_code == 302
    upload = io.BytesIO(PNG)
    upload.name = "photo.png"
    now = timezone.localtime()
    response = client.post(
        reverse("inspection_tasks:attach", args=[task.pk]),
        {
            "kind": "photo",
            "title": "门头照片",
            "collected_at": now.strftime("%Y-%m-%dT%H:%M"),
            "file": upload,
        },
    )
    assert response.status_code == 302 and task.attachments.count() == 1
    record = reverse("inspection_tasks:step", args=[task.pk, "record"])
    response = client.post(
        record,
        {
            "record_started_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "record_ended_at": (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
            "findings": "现场检查。",
            "signature": "signed",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("inspection_tasks:step", args=[task.pk, "result"]), {"result": "no_problem"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED


def test_a_step_not_open_shows_why_with_409(tw, client):
    task = tw.task()
    client.force_login(tw.inspector)
    response = client.get(reverse("inspection_tasks:step", args=[task.pk, "record"]))
    assert response.status_code == 409 and "不能进行" in response.content.decode()


def test_refused_access(tw, client):
    task = tw.task()
    pages = [
        reverse("inspection_tasks:detail", args=[task.pk]),
        reverse("inspection_tasks:qr", args=[task.pk]),
        reverse("inspection_tasks:step", args=[task.pk, "start"]),
    ]
    # Not logged in: to the login page.
    for url in [*pages, reverse("inspection_tasks:list"), reverse("inspection_tasks:warnings")]:
        assert client.get(url).status_code == 302
    # Another agency's officer and a colleague not on the task: not found.
    for user in (tw.outsider, tw.uncertified):
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("inspection_tasks:attach", args=[task.pk])).status_code == 404
    # The head reads the task and takes no step; the supervisor reads it.
    client.force_login(tw.head)
    assert client.get(pages[0]).status_code == 200
    assert client.get(pages[2]).status_code == 403
    assert client.post(reverse("inspection_tasks:attach", args=[task.pk])).status_code == 403
    client.force_login(tw.supervisor)
    assert client.get(pages[0]).status_code == 200
    assert client.get(pages[2]).status_code == 403
    # Warnings: heads and supervisors only.
    client.force_login(tw.inspector)
    assert client.get(reverse("inspection_tasks:warnings")).status_code == 403
    client.force_login(tw.head)
    assert client.get(reverse("inspection_tasks:warnings")).status_code == 200
    # The 公示管理员 reads no tasks.
    client.force_login(tw.admin)
    assert client.get(pages[0]).status_code == 404
    assert client.get(reverse("inspection_tasks:list")).status_code == 403


def test_a_post_without_csrf_is_refused(tw):
    from django.test import Client

    task = tw.task()
    client = Client(enforce_csrf_checks=True)
    client.force_login(tw.inspector)
    url = reverse("inspection_tasks:step", args=[task.pk, "start"])
    assert client.post(url, {"code_shown": "on", "place": "x"}).status_code == 403


def test_the_public_code_page(tw, client):
    task = tw.task()
    url = reverse("inspection_code:detail", args=[task.code])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert tw.item.name in text and tw.inspector.officer.name in text and "核验执法证" in text
    assert "在检查期间内" in text and task.agency.name in text
    # Nothing of the record, the result or who was present reaches the public page.
    assert "在场人" not in text and tw.subject.address not in text and "进入检查" not in text
    assert tw.subject.name not in text and tw.subject.uscc[-6:] in text
    task.refresh_from_db()
    assert task.code_scanned_at is not None
    assert client.get(reverse("inspection_code:detail", args=["no-such-code"])).status_code == 404
    # The inspector who scans it goes on to the task.
    client.force_login(tw.inspector)
    assert "进入检查" in client.get(url).content.decode()
    take("start", actor=tw.inspector, task=task, code_shown=True, place="现场")
    assert task.events.filter(action="code_scanned").count() == 1


def test_the_public_code_page_says_when_out_of_window(tw, client):
    day = timezone.localdate()
    task = tw.task(valid_from=day - dt.timedelta(days=30), valid_until=day - dt.timedelta(days=1))
    text = client.get(reverse("inspection_code:detail", args=[task.code])).content.decode()
    assert "不在检查期间内" in text


def test_the_subject_page_shows_every_agency_inspection(tw, client):
    from zhifa.accounts.models import Role
    from zhifa.inspections.task_services import task_create
    from zhifa.inspections.tests.task_world import certify
    from zhifa.testing.factories import AgencyFactory, make_user

    mine = tw.task()
    take("start", actor=tw.inspector, task=mine, code_shown=False, place="现场")
    other = AgencyFactory(region=tw.region, name="测试县市场监督管理局")
    a, b, head = (
        make_user(Role.OFFICER, agency=other),
        make_user(Role.OFFICER, agency=other),
        make_user(Role.HEAD, agency=other),
    )
    for user in (a, b):
        certify(user, tw.domain)
    from zhifa.catalog.models import InspectionItem

    item = InspectionItem.objects.create(
        agency=other,
        code="SC-001",
        version=1,
        name="食品经营检查",
        subject_type="经营者",
        basis="食品安全法",
        content="检查",
        method="现场检查",
        ratio="5%",
        effective_from=dt.date(2024, 1, 1),
        change_note="制定",
    )
    theirs = task_create(
        actor=head,
        kind="special",
        subject=tw.subject,
        agency=other,
        items=[item],
        inspectors=[a.officer, b.officer],
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate(),
        reason="专项检查",
    )
    client.force_login(tw.head)
    page = client.get(reverse("inspections:subject_detail", args=[tw.subject.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert mine.number in text and theirs.number in text and "未出示检查码" in text
    # Only the own agency's task is a link for this head; the other one is listed.
    assert reverse("inspection_tasks:detail", args=[mine.pk]) in text
    assert reverse("inspection_tasks:detail", args=[theirs.pk]) not in text


def test_the_pages_carry_the_policy_and_nothing_it_refuses(tw, client):
    from zhifa.tests.test_csp import _check

    task = tw.task()
    take("start", actor=tw.inspector, task=task, code_shown=False, place="现场")
    take(
        "checklist",
        actor=tw.inspector,
        task=task,
        answers={tw.item.pk: ("pass", ""), tw.item2.pk: ("na", "")},
    )
    client.force_login(tw.inspector)
    for url in (
        reverse("inspection_tasks:list"),
        reverse("inspection_tasks:detail", args=[task.pk]),
        reverse("inspection_tasks:step", args=[task.pk, "checklist"]),
        reverse("inspection_tasks:step", args=[task.pk, "record"]),
    ):
        _check(client, url)
    client.force_login(tw.head)
    for url in (
        reverse("inspection_tasks:warnings"),
        reverse("inspection_tasks:figures"),
        reverse("inspection_tasks:results_due"),
        reverse("inspections:subject_detail", args=[tw.subject.pk]),
    ):
        _check(client, url)
    client.logout()
    _check(client, reverse("inspection_code:detail", args=[task.code]))


def test_the_task_page_links_the_rectification_order(tw, client):
    from zhifa.inspections.tests.test_task_steps import visit

    task = tw.task()
    visit(tw, task)
    day = timezone.localdate()
    take(
        "result",
        actor=tw.inspector,
        task=task,
        result="corrected",
        violation="未签劳动合同",
        requirement="补签",
        deadline=day + dt.timedelta(days=5),
        follow_up_on=day + dt.timedelta(days=6),
    )
    task.refresh_from_db()
    client.force_login(tw.inspector)
    text = client.get(reverse("inspection_tasks:detail", args=[task.pk])).content.decode()
    assert task.rectification_document.number in text
    assert reverse("documents:pdf", args=[task.rectification_document_id]) in text and "复查" in text
