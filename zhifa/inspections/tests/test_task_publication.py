"""Inspection results reach the portal through the disclosure queue, redacted, within N working days."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhifa.core.calendar import add_workdays, today
from zhifa.disclosure.models import Kind, Publication, State
from zhifa.disclosure.services import publication_approve
from zhifa.inspections.models import TaskResult
from zhifa.inspections.task_publication import result_drafts_sweep, result_prepare, results_due
from zhifa.inspections.task_workflow import take
from zhifa.inspections.tests.task_world import tw_fixture  # noqa: F401
from zhifa.inspections.tests.test_task_steps import visit

pytestmark = pytest.mark.django_db


def concluded(tw, django_capture_on_commit_callbacks, **fields):
    task = tw.task(**fields)
    visit(tw, task)
    with django_capture_on_commit_callbacks(execute=True):
        take(
            "result",
            actor=tw.inspector,
            task=task,
            result=TaskResult.NO_PROBLEM,
            result_note="经营者王建国配合检查。",
        )
    return task


def test_a_result_is_drafted_redacted_and_due_in_twenty_working_days(tw, django_capture_on_commit_callbacks):
    task = concluded(tw, django_capture_on_commit_callbacks)
    publication = Publication.objects.get(kind=Kind.INSPECTION_RESULT)
    assert publication.state == State.DRAFT and publication.agency == tw.agency
    assert publication.due_on == add_workdays(today(), 20).date
    version = publication.versions.get()
    assert version.content["party"] == tw.subject.name
    assert version.content["conclusion"] == "未发现问题"
    # The person present is a natural person: masked wherever the free text names them.
    assert "王建国" not in version.content["result_note"] and version.content["result_note"]
    assert "inspection_items" in version.content and tw.item.name in version.content["inspection_items"]
    publication_approve(actor=tw.admin, version=version)
    assert results_due(agencies=[tw.agency]) == []
    with pytest.raises(Exception, match="已经公示"):
        result_prepare(actor=tw.admin, task=task)


def test_a_result_past_its_deadline_is_flagged(tw, settings):
    from zhifa.core.models import JurisdictionSetting

    task = tw.task()
    visit(tw, task)
    take(
        "result",
        actor=tw.inspector,
        task=task,
        result=TaskResult.NOT_OPERATING,
        on=today() - dt.timedelta(days=60),
    )
    JurisdictionSetting.objects.create(key="inspection_result_workdays", value="20")
    rows = results_due(agencies=[tw.agency])
    assert [r["task"] for r in rows] == [task] and rows[0]["urgency"] == "late"


def test_the_sweep_drafts_what_a_lost_message_left(tw):
    task = tw.task()
    visit(tw, task)
    take("result", actor=tw.inspector, task=task, result=TaskResult.UNREACHABLE)
    assert not Publication.objects.exists()  # the commit hook never ran in this test
    assert result_drafts_sweep.call_local() == 1
    assert result_drafts_sweep.call_local() == 0
    assert Publication.objects.get().subject == task.ref


def test_only_the_agency_disclosure_staff_prepare(tw):
    from zhifa.core.errors import NotPermitted

    task = tw.task()
    visit(tw, task)
    take("result", actor=tw.inspector, task=task, result=TaskResult.NO_PROBLEM)
    for user in (tw.inspector, tw.supervisor, tw.outsider):
        with pytest.raises(NotPermitted):
            result_prepare(actor=user, task=task)


def test_the_results_due_page_and_refusals(tw, client):
    task = tw.task()
    visit(tw, task)
    take("result", actor=tw.inspector, task=task, result=TaskResult.NO_PROBLEM)
    client.force_login(tw.admin)
    page = client.get(reverse("inspection_tasks:results_due"))
    assert page.status_code == 200 and task.number in page.content.decode()
    client.force_login(tw.inspector)
    assert client.get(reverse("inspection_tasks:results_due")).status_code == 403


def test_the_staff_review_page_shows_the_result(tw, client, django_capture_on_commit_callbacks):
    concluded(tw, django_capture_on_commit_callbacks)
    publication = Publication.objects.get(kind=Kind.INSPECTION_RESULT)
    client.force_login(tw.admin)
    page = client.get(reverse("disclosure:review", args=[publication.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "检查事项" in text and "执法结论" in text and tw.subject.name in text


def test_the_title_names_the_subject_as_redacted(tw):
    # A 个体工商户 is often registered under its operator's own name: masked in the title as in the body.
    from zhifa.inspections.task_publication import projection

    task = tw.task()
    task.subject.name = "张建国"
    task.concluded_on = today()
    title, content, _ = projection(task)
    assert "张建国" not in title and task.number in title
    assert content["party_credit_code"] == task.subject.uscc
