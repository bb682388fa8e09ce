"""The disclosure administrator's pages: access refused as it should be, CSRF, and the flows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import RemedyResult
from zhifa.disclosure import services
from zhifa.disclosure.models import Publication, State
from zhifa.disclosure.tests.factories import make_decided_case, make_remedy, publish
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 10, 16, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(publication: Publication, case_pk: int) -> dict[str, str]:
    return {
        "queue": reverse("disclosure:queue"),
        "review": reverse("disclosure:review", args=[publication.pk]),
        "correct": reverse("disclosure:correct", args=[publication.pk]),
        "approve": reverse("disclosure:approve", args=[publication.pk]),
        "withdraw": reverse("disclosure:withdraw", args=[publication.pk]),
        "prepare": reverse("disclosure:prepare", args=[case_pk]),
    }


def test_anonymous_goes_to_login(world, decided_case):
    publication = publish(world, decided_case)
    login = reverse("accounts:login")
    for name, url in urls(publication, decided_case.pk).items():
        response = Client().post(url) if name in ("approve", "withdraw", "prepare") else Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), name


def test_officer_has_no_business_in_the_queue(world, decided_case):
    publication = publish(world, decided_case)
    client = client_for(world.officer)
    for name, url in urls(publication, decided_case.pk).items():
        with unchanged_db():
            response = client.post(url) if name in ("approve", "withdraw", "prepare") else client.get(url)
        assert response.status_code == 403, name


def test_other_agency_gets_not_found(world, decided_case):
    publication = publish(world, decided_case)
    client = client_for(world.other_admin)
    for name, url in urls(publication, decided_case.pk).items():
        if name == "queue":
            continue
        with unchanged_db():
            response = (
                client.post(url, {"reason": "x"})
                if name in ("approve", "withdraw", "prepare")
                else client.get(url)
            )
        assert response.status_code == 404, name
    assert decided_case.number not in client.get(reverse("disclosure:queue")).content.decode()


def test_supervisor_reads_but_cannot_act(world, decided_case):
    other = make_decided_case(world)
    draft = services.decision_prepare(actor=world.admin, case=other)
    publication = publish(world, decided_case)
    client = client_for(world.supervisor)
    page = client.get(reverse("disclosure:queue")).content.decode()
    assert publication.title in page and "不能审核" in page
    review = client.get(reverse("disclosure:review", args=[draft.publication_id])).content.decode()
    assert "审核通过并发布" not in review
    for url, data in [
        (reverse("disclosure:approve", args=[draft.publication_id]), {}),
        (reverse("disclosure:withdraw", args=[publication.pk]), {"reason": "理由"}),
        (reverse("disclosure:prepare", args=[make_decided_case(world).pk]), {}),
        (reverse("disclosure:correct", args=[publication.pk]), {"note": "x"}),
    ]:
        with unchanged_db():
            assert client.post(url, data).status_code == 403, url


def test_queue_shows_due_overdue_and_withdrawals(world):
    make_decided_case(world, decided_on=dt.date(2025, 9, 26))  # due 10-13: overdue on 10-16
    revoked = make_decided_case(world, decided_on=dt.date(2025, 9, 26))
    publication = publish(world, revoked)
    make_remedy(
        revoked, result=RemedyResult.REVOKED, concluded_on=dt.date(2025, 10, 10)
    )  # 10-11 is a 调休 workday: due 10-14
    page = client_for(world.admin).get(reverse("disclosure:queue")).content.decode()
    assert "2025-10-13 已逾期" in page
    assert "2025-10-14 已逾期" in page
    assert publication.title in page
    assert "生成公示稿" in page


def test_prepare_review_approve_flow(world, decided_case):
    client = client_for(world.admin)
    response = client.post(reverse("disclosure:prepare", args=[decided_case.pk]))
    publication = Publication.objects.get(case=decided_case)
    assert response.status_code == 302 and response["Location"] == reverse(
        "disclosure:review", args=[publication.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert '<mark title="已遮蔽：姓名">张**</mark>' in page
    assert "张三丰" not in page
    response = client.post(reverse("disclosure:approve", args=[publication.pk]))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED


def test_approve_refusal_is_a_message_and_changes_nothing(world, decided_case):
    draft = services.decision_prepare(actor=world.admin, case=decided_case)
    make_remedy(decided_case, result=RemedyResult.CHANGED, concluded_on=dt.date(2025, 10, 10))
    client = client_for(world.admin)
    with unchanged_db():
        response = client.post(reverse("disclosure:approve", args=[draft.publication_id]), follow=True)
    assert "第四十八条第二款" in response.content.decode()


def test_withdraw_needs_a_reason_in_the_form(world, decided_case):
    publication = publish(world, decided_case)
    client = client_for(world.admin)
    with unchanged_db():
        response = client.post(
            reverse("disclosure:withdraw", args=[publication.pk]), {"reason": ""}, follow=True
        )
    assert "须说明理由" in response.content.decode()
    client.post(reverse("disclosure:withdraw", args=[publication.pk]), {"reason": "复议撤销。"})
    publication.refresh_from_db()
    assert publication.state == State.WITHDRAWN and publication.withdrawal_reason == "复议撤销。"


def test_correction_form_redacts_what_was_typed(world, decided_case):
    publication = publish(world, decided_case)
    client = client_for(world.admin)
    url = reverse("disclosure:correct", args=[publication.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {f"f_{k}": v for k, v in publication.versions.get().content.items()}
    data["f_facts"] = "当事人张三丰拖欠工资。"
    with unchanged_db():
        assert client.post(url, {**data, "note": ""}).status_code == 400
    response = client.post(url, {**data, "note": "更正违法事实"})
    assert response.status_code == 302
    draft = publication.versions.get(number=2)
    assert draft.content["facts"] == "当事人张**拖欠工资。"
    assert draft.marks["facts"] == [[3, 6, "name"]]
    page = client.get(reverse("disclosure:review", args=[publication.pk])).content.decode()
    assert "第2版" in page and "更正违法事实" in page


def test_posts_need_the_csrf_token(world, decided_case):
    publication = publish(world, decided_case)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    url = reverse("disclosure:withdraw", args=[publication.pk])
    with unchanged_db():
        assert client.post(url, {"reason": "理由"}).status_code == 403
    token = client.get(reverse("disclosure:review", args=[publication.pk])).context["csrf_token"]
    assert client.post(url, {"reason": "理由", "csrfmiddlewaretoken": token}).status_code == 302


def test_nav_item_for_disclosure_roles(world):
    assert "公示管理" in client_for(world.admin).get(reverse("disclosure:queue")).content.decode()
    page = client_for(world.officer).get("/").content.decode()
    assert "公示管理" not in page


def test_expired_and_withdrawn_sections(world):
    with time_machine.travel(dt.datetime(2025, 6, 3, 10, tzinfo=timezone.get_current_timezone()), tick=False):
        old = publish(world, make_decided_case(world, decided_on=dt.date(2025, 6, 2)))
    page = client_for(world.admin).get(reverse("disclosure:queue")).content.decode()
    assert "公示期满" in page and old.title in page
