"""The party page (no login) and the staff queue: allowed and refused, under the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases.models import Record
from zhifa.cases.tests import steps
from zhifa.party import access as codes
from zhifa.party import services
from zhifa.party.models import Submission
from zhifa.party.tests.conftest import code_of, factor_of
from zhifa.testing.factories import make_user
from zhifa.tests.test_csp import _check as csp_check

pytestmark = pytest.mark.django_db


def party_client(case, code: str | None = None) -> Client:
    client = Client()
    response = client.post(reverse("party:start"), {"code": code or code_of(case), "factor": factor_of(case)})
    assert response.status_code == 302 and response["Location"] == reverse("party:case")
    return client


@pytest.fixture
def notified(world):
    with steps.travel(steps.START_DAY):
        return steps.notified_case(world)


def test_the_start_page_refuses_a_wrong_factor_in_place(notified):
    client = Client()
    csp_check(client, reverse("party:start"))
    response = client.post(reverse("party:start"), {"code": code_of(notified), "factor": "000000"})
    assert response.status_code == 400 and "查询码或验证信息不正确" in response.content.decode()
    assert client.get(reverse("party:case")).status_code == 302  # still no case


def test_the_start_page_says_when_guessing_is_throttled(notified):
    client = Client()
    for _ in range(codes.CODE_FAILURES):
        client.post(reverse("party:start"), {"code": code_of(notified), "factor": "000000"})
    response = client.post(reverse("party:start"), {"code": code_of(notified), "factor": factor_of(notified)})
    assert response.status_code == 429 and "稍后再试" in response.content.decode()


def test_the_case_page_shows_periods_documents_and_the_statement_form(notified):
    with steps.travel("2026-03-04"):
        client = party_client(notified)
        csp_check(client, reverse("party:case"))
        body = client.get(reverse("party:case")).content.decode()
    assert notified.number in body and "告知及陈述申辩" in body
    assert "陈述、申辩：2026-03-09 届满" in body and "还剩 3 个工作日" in body
    assert 'class="bar-fill bar-warning w-' in body  # the countdown bar, a class, no style=
    assert "行政处罚事先告知书" in body and "/verify/" in body
    assert 'action="/party/case/statement/"' in body


def test_a_statement_through_the_page_is_on_the_officer_s_case_page(world, notified):
    with steps.travel("2026-03-04"):
        client = party_client(notified)
        response = client.post(
            reverse("party:statement"), {"statement": "我单位已补发工资，请求从轻处罚。", "nonce": "x1"}
        )
        assert response.status_code == 302
        officer = Client()
        officer.force_login(world.officer)
        page = officer.get(reverse("cases:detail", args=[notified.pk])).content.decode()
    assert "当事人通过当事人页面书面提交" in page and "我单位已补发工资，请求从轻处罚。" in page
    assert Record.objects.filter(case=notified, kind="statement").count() == 1


def test_a_statement_outside_the_window_is_refused_on_the_page(notified):
    with steps.travel("2026-03-10"):
        client = party_client(notified)
        body = client.get(reverse("party:case")).content.decode()
        assert "已于 2026-03-09 届满" in body and 'action="/party/case/statement/"' not in body
        response = client.post(reverse("party:statement"), {"statement": "逾期提交。", "nonce": "x2"})
    assert response.status_code == 409 and "第四十四条、第四十五条" in response.content.decode()
    assert not Record.objects.filter(case=notified, kind="statement").exists()


SUBMISSIONS = (
    "party:statement",
    "party:hearing",
    "party:consent",
    "party:payment_plan",
    "party:complaint",
    "party:credit_repair",
)


def test_refused_access_every_submission_needs_an_open_code(notified):
    # One case for all six (building it is most of the cost); each submission is refused alike.
    for name in SUBMISSIONS:
        response = Client().post(
            reverse(name), {"statement": "无查询码。", "address": "a@b.cn", "content": "无查询码的投诉。"}
        )
        assert response.status_code == 302 and response["Location"] == reverse("party:start"), name
    assert not Submission.objects.exists()


def test_refused_access_the_case_page_and_documents_need_an_open_code(notified):
    client = Client()
    assert client.get(reverse("party:case"))["Location"] == reverse("party:start")
    assert client.get(reverse("party:document_pdf", args=[1]))["Location"] == reverse("party:start")


def test_refused_access_a_revoked_code_s_session_ends(world, notified):
    client = party_client(notified)
    codes.party_access_revoke(actor=world.officer, access=notified.party_accesses.get(), reason="误交他人")
    assert client.get(reverse("party:case"))["Location"] == reverse("party:start")


def test_a_code_never_shows_another_case_s_documents(world, notified):
    with steps.travel(steps.START_DAY):
        other = steps.notified_case(world, organisation=True)
    client = party_client(notified)
    from zhifa.documents.models import Document

    foreign = Document.objects.filter(subject_ref=other.subject_ref, kind="prior_notice").get()
    assert client.get(reverse("party:document_pdf", args=[foreign.pk])).status_code == 404
    own = Document.objects.filter(subject_ref=notified.subject_ref, kind="prior_notice").get()
    response = client.get(reverse("party:document_pdf", args=[own.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_leaving_ends_the_session(notified):
    client = party_client(notified)
    client.post(reverse("party:leave"))
    assert client.get(reverse("party:case")).status_code == 302


def test_the_party_page_needs_csrf(notified):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("party:start"), {"code": code_of(notified), "factor": factor_of(notified)})
    assert response.status_code == 403


# ── staff ─────────────────────────────────────────────────────────────────────────────


def _pending_plan(world, case):
    with steps.travel("2026-03-20"):
        issued = codes.party_access_issue(case=case, purpose="决定书")
        access = codes.party_access_open(code=issued.code, factor=factor_of(case), address=None)
        return services.payment_plan_request(
            access=access, arrangement="deferred", schedule=[("2026-06-30", "20000")], reason="资金困难。"
        )


@pytest.fixture
def pending(world):
    from zhifa.cases.models import Status
    from zhifa.disclosure.tests.factories import CITIZEN, make_decided_case

    case = make_decided_case(
        world,
        party=dict(CITIZEN),
        decided_on=dt.date(2026, 3, 10),
        fine=20000,
        status=Status.EXECUTION,
        decision_served_on=dt.date(2026, 3, 10),
    )
    return _pending_plan(world, case)


def test_refused_access_the_queue_needs_a_login():
    response = Client().get(reverse("party:queue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_refused_access_an_archivist_has_no_queue(world):
    client = Client()
    client.force_login(make_user(Role.ARCHIVIST, agency=world.agency))
    assert client.get(reverse("party:queue")).status_code == 403


def test_refused_access_another_agency_does_not_find_the_request(world, pending):
    client = Client()
    client.force_login(world.outsider)
    assert client.get(reverse("party:submission", args=[pending.pk])).status_code == 404


def test_refused_access_an_officer_reads_but_cannot_decide(world, pending):
    client = Client()
    client.force_login(world.officer)
    page = client.get(reverse("party:submission", args=[pending.pk]))
    assert page.status_code == 200 and "<h2>办理</h2>" not in page.content.decode()
    response = client.post(
        reverse("party:submission", args=[pending.pk]), {"decision": "approve", "reason": "同意"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_refused_access_attachments_of_another_agency(world):
    with steps.travel(steps.START_DAY):
        case = steps.notified_case(world)
        issued = codes.party_access_issue(case=case, purpose="测试")
        access = codes.party_access_open(code=issued.code, factor=factor_of(case), address=None)
        submission = services.statement_submit(
            access=access, statement="附证明。", files=[services.Upload("证明.pdf", b"%PDF-1.4 x")]
        )
    attachment = submission.attachments.get()
    outsider = Client()
    outsider.force_login(world.outsider)
    assert outsider.get(reverse("party:attachment", args=[attachment.pk])).status_code == 404
    officer = Client()
    officer.force_login(world.officer)
    response = officer.get(reverse("party:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_the_head_decides_on_the_queue(world, pending):
    client = Client()
    client.force_login(world.head)
    csp_check(client, reverse("party:queue"))
    assert pending.case.number in client.get(reverse("party:queue")).content.decode()
    with steps.travel("2026-03-21"):
        refused = client.post(
            reverse("party:submission", args=[pending.pk]), {"decision": "refuse", "reason": ""}
        )
        assert refused.status_code == 400 and "说明理由" in refused.content.decode()
        done = client.post(
            reverse("party:submission", args=[pending.pk]),
            {"decision": "refuse", "reason": "未提供困难证明。"},
        )
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "refused"
    home = client.get("/")
    assert "当事人申请" in home.content.decode()
