"""The staff pages and the portal pages: they show what they should, and refuse who may not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.inspections import services
from zhifa.inspections.models import PlanStatus
from zhifa.inspections.tests.conftest import drawn, make_plan, to_locked
from zhifa.testing.factories import AgencyFactory, make_user

pytestmark = pytest.mark.django_db


def test_registry_pages_for_staff_and_refused_for_others(client, world):
    subject = world.subjects[0]
    client.force_login(world.officer_user)
    page = client.get(reverse("inspections:subject_list"), {"q": subject.uscc})
    assert page.status_code == 200 and subject.name in page.content.decode()
    assert client.get(reverse("inspections:subject_detail", args=[subject.pk])).status_code == 200
    # An account without an agency reads nothing; anonymous users go to the login page.
    client.force_login(make_user(Role.OFFICER, officer_active=False))
    assert client.get(reverse("inspections:subject_list")).status_code == 403
    assert client.get(reverse("inspections:subject_detail", args=[subject.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("inspections:subject_list")).status_code == 302


def test_import_page_is_for_heads(client, world):
    client.force_login(world.officer_user)
    assert client.get(reverse("inspections:import_new")).status_code == 403
    client.force_login(world.head)
    assert client.get(reverse("inspections:import_new")).status_code == 200


def test_plan_pages_and_steps(client, world):
    plan = make_plan(world)
    client.force_login(world.officer_user)
    detail = client.get(reverse("inspections:plan_detail", args=[plan.pk]))
    assert detail.status_code == 200 and "报请审批" in detail.content.decode()
    response = client.post(
        reverse("inspections:plan_step", args=[plan.pk, "submit"]), {"idempotency_key": "k1"}
    )
    assert response.status_code == 302
    client.post(reverse("inspections:plan_step", args=[plan.pk, "submit"]), {"idempotency_key": "k1"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # The officer may not approve; a second submit is refused with the sentence (409).
    assert client.get(reverse("inspections:plan_step", args=[plan.pk, "approve"])).status_code == 403
    again = client.get(reverse("inspections:plan_step", args=[plan.pk, "submit"]))
    assert again.status_code == 409 and "待审批" in again.content.decode()
    client.force_login(world.head)
    assert client.post(reverse("inspections:plan_step", args=[plan.pk, "approve"]), {}).status_code == 302


def test_a_draw_refused_for_what_was_typed_is_the_form_again(client, world, time_machine):
    plan = to_locked(world, make_plan(world))
    time_machine.move_to(plan.draw_at + dt.timedelta(minutes=1))
    client.force_login(world.head)
    url = reverse("inspections:plan_step", args=[plan.pk, "draw"])
    typed = {"witness_name": "区公证处 王某", "witness_value": "3251|17", "idempotency_key": "k1"}
    page = client.post(url, typed)
    # 400, the rule's sentence on the step page as shown, with the plan's witness rule beside it.
    assert page.status_code == 400
    assert "不含“|”" in page.content.decode() and plan.witness_rule in page.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.LOCKED
    # Nothing was kept under the key: the corrected form takes the step.
    assert client.post(url, {**typed, "witness_value": "3251.17"}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN


def test_plan_of_another_agency_is_not_found(client, world):
    plan = make_plan(world)
    client.force_login(make_user(Role.HEAD, agency=AgencyFactory()))
    assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("inspections:plan_step", args=[plan.pk, "approve"])).status_code == 404


def test_plan_new_form(client, world):
    client.force_login(world.officer_user)
    assert client.get(reverse("inspections:plan_new")).status_code == 200
    response = client.post(
        reverse("inspections:plan_new"),
        {
            "title": "专项抽查",
            "kind": "ad_hoc",
            "year": 2026,
            "domain": world.domain.pk,
            "items": [world.item.pk],
            "window_start": "2099-01-10",
            "window_end": "2099-02-10",
            "draw_at": "2099-01-05T10:00",
            "witness_rule": "当日收盘点位",
            "ratio_A": "0.1",
        },
    )
    assert response.status_code == 302
    client.force_login(make_user(Role.REVIEWER, agency=world.lead))
    assert client.get(reverse("inspections:plan_new")).status_code == 403


def test_portal_shows_published_plans_only(client, world, time_machine):
    draft = make_plan(world, title="草稿计划")
    plan = drawn(world, time_machine)
    listing = client.get(reverse("inspections_public:plan_list")).content.decode()
    assert plan.title in listing and "草稿计划" not in listing
    assert client.get(reverse("inspections_public:plan_detail", args=[draft.pk])).status_code == 404
    page = client.get(reverse("inspections_public:plan_detail", args=[plan.pk])).content.decode()
    assert plan.draw.seed in page and plan.witness_rule in page
    # No names of inspectors or witnesses on the portal: certificate numbers only.
    assert world.inspectors[0].name not in page and "王某" not in page


def test_draw_page_and_inspector_registry(client, world, time_machine):
    plan = drawn(world, time_machine)
    client.force_login(world.head)
    page = client.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert plan.draw.seed in page
    roster = client.get(reverse("inspections:inspector_list")).content.decode()
    assert "SJ-0000" in roster
    client.force_login(make_user(Role.SYSADMIN))
    assert client.get(reverse("inspections:inspector_list")).status_code == 403


def test_recusal_page(client, world):
    subject = world.subjects[0]
    client.force_login(world.head)
    url = reverse("inspections:recusal_new", args=[subject.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"officer": world.inspectors[0].pk, "reason": "近亲属任该单位负责人"})
    assert response.status_code == 302
    assert subject.recusals.count() == 1
    client.force_login(make_user(Role.DISCLOSURE_ADMIN, agency=world.lead))
    assert client.post(url, {"officer": world.inspectors[1].pk, "reason": "x"}).status_code == 403


def test_pages_keep_the_content_security_policy(client, world, time_machine):
    from zhifa.tests.test_csp import _check

    plan = drawn(world, time_machine, joint=True)
    _check(client, reverse("inspections_public:plan_list"))
    _check(client, reverse("inspections_public:plan_detail", args=[plan.pk]))
    client.force_login(world.head)
    for url in [
        reverse("inspections:plan_list"),
        reverse("inspections:plan_detail", args=[plan.pk]),
        reverse("inspections:plan_new"),
        reverse("inspections:subject_list"),
        reverse("inspections:subject_detail", args=[world.subjects[0].pk]),
        reverse("inspections:import_new"),
        reverse("inspections:inspector_list"),
    ]:
        _check(client, url)


def test_plan_list_shows_only_readable_plans(client, world):
    plan = make_plan(world)
    client.force_login(world.partner_head)  # not a participant of this single-agency plan
    assert plan.number not in client.get(reverse("inspections:plan_list")).content.decode()
    client.force_login(world.officer_user)
    assert plan.number in client.get(reverse("inspections:plan_list")).content.decode()
    client.logout()
    assert client.get(reverse("inspections:plan_list")).status_code == 302


def test_recusal_reasons_are_shown_to_the_declaring_agency_only(client, world):
    # The registry is shared by every agency; the reasons of a recusal (a family or business tie) are not.
    subject = world.subjects[0]
    services.recusal_declare(
        actor=world.head, officer=world.inspectors[0], subject=subject, reason="近亲属任该单位负责人"
    )
    url = reverse("inspections:subject_detail", args=[subject.pk])
    client.force_login(world.head)
    assert "近亲属任该单位负责人" in client.get(url).content.decode()
    client.force_login(world.partner_head)
    page = client.get(url)
    assert page.status_code == 200 and "近亲属任该单位负责人" not in page.content.decode()


def test_a_joint_plans_partner_inspector_reads_the_task(world, time_machine):
    from zhifa.inspections.models import InspectionTask
    from zhifa.inspections.task_selectors import task_list_visible_to

    drawn(world, time_machine, joint=True)
    task = InspectionTask.objects.filter(joint_inspectors__isnull=False).distinct().first()
    assert task is not None
    # (The fixture's inspectors have no logins: one with a login joins the task's partner inspectors.)
    user = make_user(Role.OFFICER, agency=task.joint_inspectors.first().agency)
    task.joint_inspectors.add(user.officer)
    visible = list(task_list_visible_to(user=user))
    assert task in visible and len(visible) == len(set(visible))
    assert task not in task_list_visible_to(user=make_user(Role.OFFICER, agency=user.officer.agency))
