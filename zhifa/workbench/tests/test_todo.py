"""The 待办 centre: each role's counts on the home page and in the menu, equal to the lists they open."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.deadlines import service_due, warning_window
from zhifa.cases.models import Case, CaseHandler, Status
from zhifa.cases.timeline import event
from zhifa.core.calendar import today
from zhifa.disclosure.services import decision_prepare
from zhifa.disclosure.tests.factories import make_decided_case, make_remedy, publish
from zhifa.review.models import ReviewRound
from zhifa.supervision import cockpit_selectors
from zhifa.supervision.cockpit_projection import cockpit_rebuild, cockpit_refresh
from zhifa.testing.factories import CertificateFactory, make_user
from zhifa.workbench import todo
from zhifa.workbench.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def listed(client: Client, url: str) -> int:
    """How many rows the list behind a 待办 link shows (the page and its section)."""
    parts = urlsplit(url)
    response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
    assert response.status_code == 200, url
    context = response.context
    if parts.path.startswith("/cases/"):
        return context["page"].paginator.count
    if parts.path.startswith("/org/officers/"):
        return len(context["standings"])
    if parts.path.startswith("/review/"):
        return len(context[{"mine-title": "mine", "un-title": "unassigned"}[parts.fragment]])
    if parts.path == "/":
        return len(context[parts.fragment])
    if parts.path == "/party/staff/":
        return sum(1 for item in context["items"] if item["may_decide"])
    if parts.path.startswith("/inspections/tasks/"):
        key = {"/inspections/tasks/": "mine", "/inspections/tasks/warnings/": "warnings"}.get(
            parts.path, "rows"
        )
        return len(context[key])
    if parts.path == "/supervision/clues/":
        return len(context["notices" if "notices=" in parts.query else "rows"])
    if parts.path in ("/supervision/filings/", "/supervision/warnings/"):
        return context["total"]
    assert parts.path == "/disclosure/", url
    return {
        "d-title": len(context["decisions"]),
        "a-title": len(list(context["drafts"])),
        "w-title": len(context["withdrawals"]),
    }[parts.fragment]


def home_todos(user) -> dict[str, todo.Todo]:
    response = client_for(user).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    items = {t.label: t for t in response.context["todos"]}
    for item in items.values():
        assert (
            f'<span class="todo-count">{item.count}</span><span class="todo-label">{item.label}</span>'
            in body
        )
    return items


def assert_counts_match_lists(user, items: dict[str, todo.Todo]) -> None:
    client = client_for(user)
    late = [t for t in items.values() if t.label == "逾期未公开的决定"]
    for item in items.values():
        if item in late and urlsplit(item.url).path == "/disclosure/":
            # The queue lists overdue decisions among those due, each marked 已逾期.
            assert item.count == client.get("/disclosure/").context["decisions_late"]
            continue
        assert item.count == listed(client, item.url), item.label


def overdue_case(world, **fields):
    """Decided 2025-09-26 and never served: the 7-day service limit is long past."""
    return make_decided_case(world, status=Status.DECIDED, **fields)


def test_officer_sees_own_overdue_cases_only(world):
    mine = overdue_case(world)
    overdue_case(world)  # the agency's, not handled by this officer
    CaseHandler.objects.create(case=mine, officer=world.officer.officer, is_lead=True)
    items = home_todos(world.officer)
    assert items["我承办的案件已超期"].count == 1
    assert_counts_match_lists(world.officer, items)


def test_reviewer_sees_reviews_assigned_to_them(world):
    reviewer = make_user(Role.REVIEWER, agency=world.agency, full_name="审核员甲")
    colleague = make_user(Role.REVIEWER, agency=world.agency, full_name="审核员乙")
    for who in (reviewer, reviewer, colleague):
        case = make_decided_case(world, status=Status.REPORTED, document=False)
        ReviewRound.objects.create(
            case=case, number=1, submitted_by=world.officer, submitted_at=timezone.now(), reviewer=who
        )
    items = home_todos(reviewer)
    assert items["待我法制审核"].count == 2
    assert_counts_match_lists(reviewer, items)
    assert todo.pending_total(todo.todos(reviewer, today())) == 2


def test_head_sees_approvals_and_agency_overdue(world):
    overdue_case(world)
    make_decided_case(world, status=Status.CLOSING)
    make_decided_case(world, status=Status.FILING, document=False, received_on=today())
    items = home_todos(world.head)
    assert items["待我审批"].count == 2
    assert items["本机关案件已超期"].count == 1
    assert_counts_match_lists(world.head, items)


def test_disclosure_admin_sees_due_overdue_drafts_and_withdrawals(world):
    overdue_case(world)  # decided 2025-09-26: 7 working days long past
    make_decided_case(world, decided_on=today())  # due in 7 working days
    drafted = make_decided_case(world, decided_on=today())
    decision_prepare(actor=world.admin, case=drafted)
    changed = make_decided_case(world, status=Status.EXECUTION, decision_served_on=dt.date(2025, 9, 28))
    publish(world, changed)
    make_remedy(changed, result="revoked", concluded_on=today())
    make_decided_case(world, agency=world.other_agency)  # not this admin's
    items = home_todos(world.admin)
    assert items["逾期未公开的决定"].count == 1
    assert items["待公开的执法决定"].count == 3
    assert items["待审核发布的公示稿"].count == 1
    assert items["应撤回的决定"].count == 1
    assert_counts_match_lists(world.admin, items)
    # The overdue row is among the due ones: the menu counts each decision once.
    assert todo.pending_total(list(items.values())) == 3 + 1 + 1
    body = client_for(world.admin).get("/cases/").content.decode()
    assert '<span class="nav-count" aria-label="待办 5 项">5</span>' in body


def test_archivist_sees_handed_over_and_pending(world):
    archivist = make_user(Role.ARCHIVIST, agency=world.agency, full_name="档案员甲")
    make_decided_case(world, status=Status.CLOSED, closed_on=today(), archived_at=timezone.now())
    make_decided_case(world, status=Status.CLOSED, closed_on=today())
    make_decided_case(world, status=Status.CLOSED, closed_on=today())
    make_decided_case(
        world, status=Status.EXECUTION, decision_served_on=dt.date(2025, 9, 28)
    )  # open: nothing for the archive
    make_decided_case(world, agency=world.other_agency, status=Status.CLOSED, archived_at=timezone.now())
    items = home_todos(archivist)
    assert items["已移交归档的案卷"].count == 1
    assert items["已结案待移交归档"].count == 2
    assert_counts_match_lists(archivist, items)


def test_supervisor_sees_jurisdiction_overdue_unpublished_and_certificates(world):
    overdue_case(world)
    overdue_case(world, agency=world.other_agency)  # outside the bureau's region
    make_user(Role.OFFICER, agency=world.agency, full_name="无证人员")
    expired = make_user(Role.OFFICER, agency=world.agency, full_name="过期人员")
    CertificateFactory(
        officer=expired.officer,
        issued_on=today() - dt.timedelta(days=2000),
        valid_until=today() - dt.timedelta(days=10),
    )
    make_user(Role.OFFICER, agency=world.other_agency)  # outside: not counted
    cockpit_rebuild()  # the region's case counts are read from the cockpit's projection
    items = home_todos(world.supervisor)
    assert items["辖区案件已超期"].count == 1
    assert items["逾期未公开的决定"].count == 1
    # Nobody in the world's agency and bureau holds a certificate in these fixtures.
    may_not_act = items["执法证不能执法"].count
    assert may_not_act >= 2
    assert_counts_match_lists(world.supervisor, items)


def test_supervisor_counts_follow_the_cases_before_the_projection_is_refreshed(world, monkeypatch):
    """The projection is refreshed every minute; the cases changed since are judged from the
    cases themselves, so the counts equal the lists they open at every moment."""
    old = overdue_case(world)
    # Decided on a day whose 7 working days of service end within the warning window.
    days = (today() - dt.timedelta(days=k) for k in range(30))
    make_decided_case(
        world,
        decided_on=next(d for d in days if 0 <= (service_due(d).due - today()).days <= warning_window()),
    )
    overdue_case(world, agency=world.other_agency)  # outside the bureau's region
    cockpit_rebuild()
    items = home_todos(world.supervisor)
    assert items["辖区案件已超期"].count == 1
    assert items["辖区案件即将到期"].count == 1
    assert items["辖区案件即将到期"].level == ""  # for information: not in the menu's badge
    assert_counts_match_lists(world.supervisor, items)

    new = overdue_case(world)
    event(new, world.officer, "note", "补充记录")  # after the refresh: judged from the case
    Case.objects.filter(pk=old.pk).update(status=Status.CLOSED, closed_on=today())
    event(old, world.head, "close", "结案")
    items = home_todos(world.supervisor)
    assert items["辖区案件已超期"].count == 1  # the new one; the old one closed
    assert_counts_match_lists(world.supervisor, items)

    # Once the refresh has read the events the projection alone says the same.
    cockpit_refresh()
    alone = cockpit_selectors.region_deadline_counts(user=world.supervisor, on=today())
    assert alone == {"overdue": 1, "due_soon": 1}
    assert {t.label: t.count for t in todo.todos(world.supervisor, today())}["辖区案件已超期"] == 1

    # With the refresh too far behind, the projection's figures stand until it catches up.
    monkeypatch.setattr(todo, "LIVE_AT_MOST", 0)
    later = overdue_case(world)
    event(later, world.officer, "note", "补充记录")
    assert {t.label: t.count for t in todo.todos(world.supervisor, today())}["辖区案件已超期"] == 1
    cockpit_refresh()
    items = home_todos(world.supervisor)
    assert items["辖区案件已超期"].count == 2
    assert_counts_match_lists(world.supervisor, items)


def test_counts_cost_the_same_queries_for_one_row_or_many(world, django_assert_max_num_queries):
    def queries(user) -> int:
        todo.todos(user, today())  # the user's officer row is read once and kept on the user
        with CaptureQueriesContext(connection) as captured:
            todo.todos(user, today())
        return len(captured)

    def cases_of_every_kind() -> None:
        handled = [
            overdue_case(world),
            make_decided_case(world, status=Status.EXECUTION, decision_served_on=dt.date(2025, 9, 28)),
            make_decided_case(world, status=Status.INVESTIGATION, document=False),
            make_decided_case(world, status=Status.NOTICE, document=False, notice_served_on=today()),
            make_decided_case(world, status=Status.FILING, document=False),
        ]
        for case in handled:
            CaseHandler.objects.create(case=case, officer=world.officer.officer, is_lead=True)
        CertificateFactory(officer=make_user(Role.OFFICER, agency=world.agency).officer)

    users = (world.officer, world.admin, world.supervisor, world.head)
    cases_of_every_kind()
    baseline = {u.pk: queries(u) for u in users}
    for _ in range(3):
        cases_of_every_kind()
    for user in users:
        assert queries(user) == baseline[user.pk], user.role
        # A ceiling, not the rule (the equality above is): supervision's counts take a few.
        with django_assert_max_num_queries(24):
            todo.todos(user, today())


def test_refused_access_home_needs_a_login():
    response = Client().get("/")
    assert response.status_code == 302
