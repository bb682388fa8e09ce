"""复议、诉讼 and 自行纠正 recorded on the case (zhifa.cases.services.remedies and its views),
and how a changing result puts the published decision in the withdrawal queue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases.models import CaseEvent, Remedy, RemedyKind, RemedyResult, Status
from zhifa.cases.services import remedy_conclude, remedy_record
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.disclosure.selectors import withdrawals_due
from zhifa.disclosure.tests.factories import make_decided_case, publish
from zhifa.ledger.models import LedgerLeaf
from zhifa.org.models import Agency
from zhifa.testing import unchanged_db
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 10, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reviewer(world):
    return make_user(Role.REVIEWER, agency=world.agency, full_name="审核员甲")


def record(actor, case, **kw):
    values = {"kind": RemedyKind.RECONSIDERATION, "filed_on": dt.date(2025, 10, 9), "body": "测试市人民政府"}
    return remedy_record(actor=actor, case=case, **{**values, **kw})


def test_head_records_a_reconsideration_and_its_result(world, decided_case):
    remedy = record(world.head, decided_case, note="申请人请求撤销处罚决定。")
    assert remedy.result == "" and remedy.recorded_by == world.head
    remedy = remedy_conclude(
        actor=world.head,
        remedy=remedy,
        result=RemedyResult.REVOKED,
        concluded_on=dt.date(2025, 10, 17),
        document_ref="测政复决〔2025〕8号",
    )
    assert remedy.concluded_on == dt.date(2025, 10, 17)
    actions = list(CaseEvent.objects.filter(case=decided_case).values_list("action", flat=True))
    assert actions == ["remedy_record", "remedy_conclude"]
    assert LedgerLeaf.objects.filter(kind="case_event").count() == 2


def test_reviewer_records_a_self_correction_without_a_body(world, decided_case, reviewer):
    remedy = record(reviewer, decided_case, kind=RemedyKind.SELF_CORRECTION, body="")
    assert remedy.kind == RemedyKind.SELF_CORRECTION


@pytest.mark.parametrize("who", ["officer", "admin", "supervisor", "other_admin"])
def test_others_may_not_record(world, decided_case, who):
    with unchanged_db(), pytest.raises(NotPermitted):
        record(getattr(world, who), decided_case)


@pytest.mark.parametrize(
    ("fields", "error", "match"),
    [
        ({"filed_on": dt.date(2025, 9, 1)}, InvalidInput, "不能早于决定日期"),
        ({"filed_on": dt.date(2025, 10, 21)}, InvalidInput, "不能晚于今天"),
        ({"body": ""}, InvalidInput, "复议机关"),
        ({"kind": "appeal"}, InvalidInput, "类别"),
    ],
)
def test_record_refuses_bad_input(world, decided_case, fields, error, match):
    with unchanged_db(), pytest.raises(error, match=match):
        record(world.head, decided_case, **fields)


def test_record_refused_before_a_decision(world):
    case = make_decided_case(world, status=Status.NOTICE)
    with unchanged_db(), pytest.raises(DomainError, match="尚未作出决定"):
        record(world.head, case)


def test_conclude_rules(world, decided_case):
    remedy = record(world.head, decided_case)
    with unchanged_db(), pytest.raises(InvalidInput, match="文号"):
        remedy_conclude(
            actor=world.head, remedy=remedy, result=RemedyResult.CHANGED, concluded_on=dt.date(2025, 10, 17)
        )
    with unchanged_db(), pytest.raises(InvalidInput, match="不能早于"):
        remedy_conclude(
            actor=world.head, remedy=remedy, result=RemedyResult.UPHELD, concluded_on=dt.date(2025, 10, 1)
        )
    with unchanged_db(), pytest.raises(NotPermitted):
        remedy_conclude(
            actor=world.officer, remedy=remedy, result=RemedyResult.UPHELD, concluded_on=dt.date(2025, 10, 17)
        )
    remedy_conclude(
        actor=world.head, remedy=remedy, result=RemedyResult.UPHELD, concluded_on=dt.date(2025, 10, 17)
    )
    with unchanged_db(), pytest.raises(DomainError, match="已登记结果"):
        remedy_conclude(
            actor=world.head, remedy=remedy, result=RemedyResult.REVOKED, concluded_on=dt.date(2025, 10, 17)
        )


def test_changing_result_puts_the_publication_in_the_withdrawal_queue(world, decided_case):
    publication = publish(world, decided_case)
    remedy = record(world.head, decided_case)
    agencies = Agency.objects.filter(pk=world.agency.pk)
    assert withdrawals_due(agencies=agencies, on=dt.date(2025, 10, 20)) == []
    remedy_conclude(
        actor=world.head, remedy=remedy, result=RemedyResult.CONFIRMED_ILLEGAL,
        concluded_on=dt.date(2025, 10, 17), document_ref="（2025）测行初12号",
    )  # fmt: skip
    (item,) = withdrawals_due(agencies=agencies, on=dt.date(2025, 10, 20))
    assert item.publication == publication and item.due_on == dt.date(2025, 10, 22)


# ── views ────────────────────────────────────────────────────────────────────────────────


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_case_page_shows_the_panel_and_the_form_to_the_head(world, decided_case):
    page = login(world.head).get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert "复议、诉讼及纠正" in page and reverse("cases:remedy_add", args=[decided_case.pk]) in page
    page = login(world.officer).get(reverse("cases:detail", args=[decided_case.pk])).content.decode()
    assert "复议、诉讼及纠正" in page and reverse("cases:remedy_add", args=[decided_case.pk]) not in page


def test_views_record_and_conclude(world, decided_case):
    client = login(world.head)
    add = reverse("cases:remedy_add", args=[decided_case.pk])
    response = client.post(add, {"kind": "litigation", "body": "测试县人民法院", "filed_on": "2025-10-10"})
    assert response.status_code == 302
    remedy = Remedy.objects.get()
    url = reverse("cases:remedy_conclude", args=[decided_case.pk, remedy.pk])
    with unchanged_db():
        page = client.post(url, {"result": "revoked", "concluded_on": "2025-10-17"}, follow=True)
    assert "文号" in page.content.decode()
    client.post(url, {"result": "revoked", "concluded_on": "2025-10-17", "document_ref": "（2025）测行初1号"})
    remedy.refresh_from_db()
    assert remedy.result == "revoked"


def test_views_refuse_access(world, decided_case):
    add = reverse("cases:remedy_add", args=[decided_case.pk])
    data = {"kind": "reconsideration", "body": "测试市人民政府", "filed_on": "2025-10-10"}
    response = Client().post(add, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    officer, supervisor, other = login(world.officer), login(world.supervisor), login(world.other_admin)
    with unchanged_db():
        assert officer.post(add, data).status_code == 403
        assert supervisor.post(add, data).status_code == 403
        assert other.post(add, data).status_code == 404
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(world.head)
    with unchanged_db():
        assert csrf.post(add, data).status_code == 403
