"""The pages of 备案审查 and 预警: each side sees and does its part; everyone else is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhifa.core.calendar import today
from zhifa.supervision import filing_services
from zhifa.supervision.models_filings import Filing, FilingKind, FilingStatus
from zhifa.supervision.models_warnings import HitStatus, WarningHit
from zhifa.supervision.tests.filing_world import a_case, decision, major
from zhifa.supervision.warning_services import warnings_run

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(jurisdiction):
    case = major(jurisdiction.agency, decided_on=today() - dt.timedelta(days=40))
    decision(case)
    overdue = a_case(jurisdiction.agency, status="investigation", filed_on=today() - dt.timedelta(days=120))
    filing_services.filings_sync()
    warnings_run()
    jurisdiction.filing = Filing.objects.get(case=case)
    jurisdiction.hit = WarningHit.objects.get(rule__code="case_overdue", object_id=overdue.pk)
    return jurisdiction


def test_the_head_files_through_the_pages(world):
    j = world
    head = client_for(j.head)
    page = head.get("/supervision/filings/")
    assert page.status_code == 200 and j.filing.title in page.content.decode()
    assert "badge-danger" in page.content.decode()  # past its filing day: red
    detail = head.get(f"/supervision/filings/{j.filing.pk}/").content.decode()
    assert f"/supervision/filings/{j.filing.pk}/steps/submit/" in detail
    form = head.get(f"/supervision/filings/{j.filing.pk}/steps/submit/")
    assert form.status_code == 200
    done = head.post(
        f"/supervision/filings/{j.filing.pk}/steps/submit/", {"note": "补报", "idempotency_key": "k1"}
    )
    assert done.status_code == 302
    j.filing.refresh_from_db()
    assert j.filing.status == FilingStatus.SUBMITTED and j.filing.submitted_late
    again = head.post(
        f"/supervision/filings/{j.filing.pk}/steps/submit/", {"note": "补报", "idempotency_key": "k1"}
    )
    assert again.status_code == 302  # the same key: taken once


def test_the_supervisor_reviews_and_a_wrong_step_is_a_409(world):
    j = world
    supervisor = client_for(j.supervisor)
    refused = supervisor.get(f"/supervision/filings/{j.filing.pk}/steps/record/")
    assert refused.status_code == 409 and "待报备" in refused.content.decode()
    assert client_for(j.head).post(f"/supervision/filings/{j.filing.pk}/steps/submit/", {}).status_code == 302
    empty = supervisor.post(f"/supervision/filings/{j.filing.pk}/steps/correct/", {"opinion": ""})
    assert empty.status_code == 400
    done = supervisor.post(f"/supervision/filings/{j.filing.pk}/steps/record/", {"opinion": "同意备案"})
    assert done.status_code == 302
    j.filing.refresh_from_db()
    assert j.filing.status == FilingStatus.RECORDED


def test_filing_pages_refuse_outsiders(world):
    j = world
    pk = j.filing.pk
    for user in (j.outside_supervisor, j.other_head):
        c = client_for(user)
        assert c.get(f"/supervision/filings/{pk}/").status_code == 404
        assert c.get(f"/supervision/filings/{pk}/steps/submit/").status_code == 404
        assert c.post(f"/supervision/filings/{pk}/steps/submit/", {}).status_code == 404
        assert j.filing.title not in c.get("/supervision/filings/").content.decode()
    # The agency's officer sees the filing but the head files it.
    officer = client_for(j.officer)
    assert officer.get(f"/supervision/filings/{pk}/").status_code == 200
    assert officer.post(f"/supervision/filings/{pk}/steps/submit/", {}).status_code == 403
    anonymous = client_for(None)
    for url in ("/supervision/filings/", f"/supervision/filings/{pk}/", "/supervision/filings/declare/"):
        assert anonymous.get(url).status_code == 302


def test_declaring_a_benchmark_change_is_for_the_head(world):
    j = world
    assert client_for(j.officer).get("/supervision/filings/declare/").status_code == 403
    assert client_for(j.supervisor).get("/supervision/filings/declare/").status_code == 403
    head = client_for(j.head)
    assert head.get("/supervision/filings/declare/").status_code == 200
    done = head.post(
        "/supervision/filings/declare/",
        {
            "kind": FilingKind.DOCUMENT_FORMAT,
            "title": "行政处罚决定书格式（2026 版）",
            "changed_on": f"{today()}",
        },
    )
    assert done.status_code == 302
    assert Filing.objects.filter(kind=FilingKind.DOCUMENT_FORMAT, agency=j.agency).exists()


def test_warnings_for_the_region_the_agency_and_no_one_else(world):
    j = world
    hit = j.hit
    page = client_for(j.supervisor).get("/supervision/warnings/").content.decode()
    assert hit.summary in page
    assert hit.summary in client_for(j.head).get("/supervision/warnings/").content.decode()
    assert hit.summary not in client_for(j.other_head).get("/supervision/warnings/").content.decode()
    assert hit.summary not in client_for(j.outside_supervisor).get("/supervision/warnings/").content.decode()
    assert client_for(j.outside_supervisor).get(f"/supervision/warnings/{hit.pk}/").status_code == 404
    assert client_for(j.supervisor).get("/supervision/warnings/rules/").status_code == 200
    assert client_for(j.head).get("/supervision/warnings/rules/").status_code == 403
    anonymous = client_for(None)
    for url in ("/supervision/warnings/", f"/supervision/warnings/{hit.pk}/", "/supervision/warnings/rules/"):
        assert anonymous.get(url).status_code == 302
    assert anonymous.post(f"/supervision/warnings/{hit.pk}/dismiss/", {"reason": "x"}).status_code == 302


def test_dismissing_from_the_page(world):
    j = world
    hit = j.hit
    detail = client_for(j.head).get(f"/supervision/warnings/{hit.pk}/").content.decode()
    assert "排除预警" not in detail and f"/cases/{hit.object_id}/" in detail
    assert (
        client_for(j.head).post(f"/supervision/warnings/{hit.pk}/dismiss/", {"reason": "x"}).status_code
        == 403
    )
    assert (
        client_for(j.outside_supervisor)
        .post(f"/supervision/warnings/{hit.pk}/dismiss/", {"reason": "x"})
        .status_code
        == 404
    )
    supervisor = client_for(j.supervisor)
    assert "排除预警" in supervisor.get(f"/supervision/warnings/{hit.pk}/").content.decode()
    assert (
        supervisor.post(f"/supervision/warnings/{hit.pk}/dismiss/", {"reason": "已核实延期"}).status_code
        == 302
    )
    hit.refresh_from_db()
    assert hit.status == HitStatus.DISMISSED and hit.close_reason == "已核实延期"


def test_the_home_card_counts_and_links(world):
    page = client_for(world.supervisor).get("/supervision/").content.decode()
    assert "备案审查与预警" in page and "/supervision/filings/?status=due" in page
    assert "逾期未报备 1" in page


def test_the_heads_todo_shows_open_warnings(world):
    from zhifa.workbench.todo import todos

    items = {t.label: t for t in todos(world.head, today())}
    assert items["执法监督预警待处理"].count >= 1
    assert items["待报备、待整改的备案事项"].count == 1
    supervisor = {t.label: t for t in todos(world.supervisor, today())}
    assert supervisor["待审查的备案事项"].count == 0


def test_a_warning_becomes_a_clue_for_the_regions_supervisor_only(world):
    from zhifa.supervision.models_clues import Clue, ClueSource

    j = world
    hit = j.hit
    url = f"/supervision/warnings/{hit.pk}/convert/"
    assert client_for(j.head).post(url, {"note": "x"}).status_code == 403
    assert client_for(j.outside_supervisor).post(url, {"note": "x"}).status_code == 404
    assert client_for(None).post(url, {"note": "x"}).status_code == 302
    assert not Clue.objects.exists()
    supervisor = client_for(j.supervisor)
    assert "转为监督线索" in supervisor.get(f"/supervision/warnings/{hit.pk}/").content.decode()
    assert supervisor.post(url, {"note": "请核查超期原因"}).status_code == 302
    hit.refresh_from_db()
    clue = Clue.objects.get()
    assert hit.status == HitStatus.CONVERTED and hit.clue_ref == clue.number
    assert clue.source == ClueSource.WARNING and clue.agency == j.agency and clue.bureau == j.bureau
    assert clue.origin_ref == f"warning:{hit.pk}" and clue.link == hit.link and "请核查" in clue.content
    # Converted once: a second post changes nothing.
    supervisor.post(url, {"note": "again"})
    assert Clue.objects.count() == 1
