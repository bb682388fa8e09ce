"""The public 投诉举报 form and the status page by query code."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.supervision.clue_workflow import take
from zhifa.supervision.models_clues import Clue, ClueSource, ClueStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def submit(client: Client, j, **extra):
    data = {
        "agency": j.agency.pk,
        "title": "执法人员未出示证件",
        "content": "12月1日上午在某路检查时执法人员未出示执法证件。",
        "contact_name": "张三",
        "contact_phone": "13912345678",
        **extra,
    }
    return client.post(reverse("clue_public:form"), data)


def code_in(page: str) -> str:
    start = page.index('class="mono">') + len('class="mono">')
    return page[start : page.index("<", start)]


def test_a_complaint_gets_a_code_and_the_code_shows_only_the_status_and_the_final_reply(jurisdiction):
    j = jurisdiction
    assert Client().get(reverse("clue_public:form")).status_code == 200
    response = submit(Client(), j)
    assert response.status_code == 200
    code = code_in(response.content.decode())
    clue = Clue.objects.get()
    assert (
        clue.source == ClueSource.PORTAL and clue.bureau == j.bureau and clue.contact_phone == "13912345678"
    )
    assert code.replace("-", "") not in (clue.code_hash or "") and len(clue.code_hash or "") == 64
    status = reverse("clue_public:status")
    page = Client().post(status, {"code": code}).content.decode()
    assert clue.number in page and "已受理" in page
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    take("reply", actor=j.officer, clue=clue, reply="内部办理情况：已约谈王执法。")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    take("close", actor=j.supervisor, clue=clue, public_reply="您反映的问题属实，已责令整改。")
    page = Client().post(status, {"code": code.lower()}).content.decode()
    assert "已办结" in page and "您反映的问题属实，已责令整改。" in page
    # Never the content, the complainant's data, the agency's internal reply.
    for private in ("张三", "13912345678", "未出示执法证件。", "王执法", "内部办理情况"):
        assert private not in page


def test_a_wrong_code_is_refused_and_repeated_failures_are_throttled(jurisdiction):
    status = reverse("clue_public:status")
    assert Client().post(status, {"code": "AAAA-BBBB-CCCC"}).status_code == 404
    for _ in range(19):
        Client().post(status, {"code": "AAAA-BBBB-CCCD"})
    assert Client().post(status, {"code": "AAAA-BBBB-CCCE"}).status_code == 429


def test_the_form_needs_csrf_a_valid_phone_and_is_throttled(jurisdiction, settings):
    j = jurisdiction
    strict = Client(enforce_csrf_checks=True)
    assert submit(strict, j).status_code == 403
    assert submit(Client(), j, contact_phone="12").status_code == 400
    assert submit(Client(), j, agency=j.bureau.pk).status_code == 400  # a 司法局 is not a choice
    assert not Clue.objects.exists()
    settings.ZHIFA_FEEDBACK_PER_HOUR = 1
    assert submit(Client(), j).status_code == 200
    assert submit(Client(), j).status_code == 429
    assert Clue.objects.count() == 1


def test_an_overdue_clue_is_red_on_both_sides(jurisdiction):
    j = jurisdiction
    submit(Client(), j)
    clue = Clue.objects.get()
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=1)
    later = timezone.make_aware(dt.datetime.combine(clue.due_on + dt.timedelta(days=3), dt.time(10)))
    with time_machine.travel(later):
        for user in (j.supervisor, j.head):
            client = Client()
            client.force_login(user)
            page = client.get(reverse("supervision:clue_list")).content.decode()
            assert "badge-danger" in page and "已逾期" in page, user
    assert clue.status == ClueStatus.ASSIGNED
