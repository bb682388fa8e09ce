"""No path issues a decision that skips a required review (acceptance of the review issue):
the decide service, the step page, the document issue under it, the on-the-spot decision, the
admin, the management commands and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import review_gate
from zhifa.cases.models import Case, Status
from zhifa.cases.tests.steps import on_the_spot_case, pass_review, refused
from zhifa.cases.timeline import issue
from zhifa.core.errors import DomainError
from zhifa.documents.models import Document
from zhifa.review.gate import review_due
from zhifa.review.tests.helpers import assigned, listed_case, returned
from zhifa.testing.factories import make_user

REFUSAL = "未经法制审核或者审核未通过的，不得作出决定（《行政处罚法》第五十八条）"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def no_decision(case: Case) -> bool:
    case.refresh_from_db()
    decisions = Document.objects.filter(
        subject_ref=case.subject_ref, kind__in=["penalty_decision", "no_penalty_decision"]
    )
    return case.status != Status.DECIDED and not decisions.exists()


def test_the_step_page_refuses_the_decision_naming_article_58(world):
    w = world
    case = listed_case(w)
    head = client_for(w.head)
    url = f"/cases/{case.pk}/step/decide/"
    page = head.get(url)
    assert page.status_code == 409 and "第五十八条" in page.content.decode()
    posted = head.post(url, {"no_penalty_reason": "违法行为轻微。"})
    assert posted.status_code == 409 and "第五十八条" in posted.content.decode()
    assert no_decision(case)


def test_the_document_issue_itself_asks_the_gate(world):
    """A future step that forgets the guard still cannot issue a decision document."""
    w = world
    case = listed_case(w)
    returned(w, case)  # reviewed, with problems
    for kind in ("penalty_decision", "no_penalty_decision"):
        with refused(DomainError, REFUSAL):
            issue(case, w.head, kind, facts="x")
    assert no_decision(case)


def test_without_the_review_app_the_fallback_clears_nothing(world):
    w = world
    case = listed_case(w)
    previous = review_gate.install(review_gate._fallback)
    try:
        with refused(DomainError, REFUSAL):
            issue(case, w.head, "no_penalty_decision", facts="x")
    finally:
        review_gate.install(previous)


def test_a_listed_matter_is_not_decided_on_the_spot(world):
    w = world
    w.matter.versions.update(review_always_required=True)
    with refused(DomainError, "不能当场作出行政处罚决定.*第五十八条"):
        on_the_spot_case(w)
    w.matter.versions.update(review_always_required=False)
    assert on_the_spot_case(w).procedure == "on_the_spot"


def test_the_admin_cannot_create_or_change_documents_or_reviews(world):
    admin = make_user(Role.SYSADMIN, is_staff=True, is_superuser=True)
    client = client_for(admin)
    assert client.get("/admin/documents/document/add/").status_code == 403
    response = client.post(
        "/admin/documents/document/add/", {"kind": "penalty_decision", "agency": world.agency.pk}
    )
    assert response.status_code == 403
    assert client.get("/admin/review/reviewround/add/").status_code == 403


def test_no_management_command_issues_documents(world):
    with pytest.raises(CommandError):
        call_command("documents", "issue", "penalty_decision")
    # The commands that write cases (the demo) go through zhifa.cases.services, so the gate applies;
    # none imports the document service to issue a decision of its own.
    from pathlib import Path

    import zhifa

    for command in Path(zhifa.__file__).parent.glob("*/management/commands/*.py"):
        text = command.read_text()
        assert "penalty_decision" not in text and "no_penalty_decision" not in text, command


def test_the_step_api_refuses_the_decision_naming_article_58(world):
    w = world
    case = listed_case(w)
    url = f"/api/cases/{case.pk}/steps/decide"
    payload = {"no_penalty_reason": "违法行为轻微并及时改正。"}
    assert Client().post(url, payload, content_type="application/json").status_code == 401
    outsider = client_for(w.outsider).post(url, payload, content_type="application/json")
    assert outsider.status_code == 404
    officer = client_for(w.officer).post(url, payload, content_type="application/json")
    assert officer.status_code == 403 and "本机关负责人" in officer.json()["message"]
    refused_ = client_for(w.head).post(url, payload, content_type="application/json")
    # The step is not open while the review has not passed: a conflict with the case's state.
    assert refused_.status_code == 409 and REFUSAL in refused_.json()["message"]
    assert no_decision(case)
    pass_review(w, case)
    done = client_for(w.head).post(url, payload, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == Status.DECIDED
    bad = client_for(w.head).post(f"/api/cases/{case.pk}/steps/nonsense", {}, content_type="application/json")
    assert bad.status_code == 404


# ── 审核期限 ──────────────────────────────────────────────────────────────────────────────


def test_the_review_deadline_is_ten_working_days_and_a_setting(world):
    from zhifa.core.models import JurisdictionSetting

    w = world
    round_ = assigned(w, listed_case(w))
    start = round_.submitted_at.astimezone().date()
    due = review_due(round_)
    assert due.due is not None and due.due > start and due.met_on is None
    from zhifa.core.calendar import add_workdays

    assert due.due == add_workdays(start, 10).date
    assert due.level(due.due + dt.timedelta(days=1)) == "danger"
    assert due.level(due.due - dt.timedelta(days=1)) == "warning"
    JurisdictionSetting.objects.create(key="review_period_workdays", value="15")
    assert review_due(round_).due == add_workdays(start, 15).date
    round_.reviewed_at = timezone.now()
    assert review_due(round_).met_on is not None
