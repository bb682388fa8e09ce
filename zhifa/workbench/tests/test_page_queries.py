"""The pages people open all day cost the same number of queries with 5 cases or 30 (issue 17):
deadlines, settings and calendar adjustments are read once per page, not once per case."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases.models import Case, CaseHandler, Status
from zhifa.cases.timeline import event
from zhifa.core.calendar import today
from zhifa.disclosure.tests.factories import make_decided_case
from zhifa.supervision.cockpit_projection import cockpit_rebuild
from zhifa.workbench.tests.conftest import client_for
from zhifa.workbench.tests.test_todo import overdue_case
from zhifa.workbench.todo import todos

PAGES = ("/", "/cases/", "/calendar/")


def _cases(world) -> None:
    made = [
        overdue_case(world),
        make_decided_case(world, status=Status.EXECUTION, decision_served_on=dt.date(2025, 9, 28)),
        make_decided_case(world, status=Status.INVESTIGATION, document=False),
        make_decided_case(world, status=Status.NOTICE, document=False, notice_served_on=today()),
        make_decided_case(world, status=Status.FILING, document=False),
    ]
    for case in made:
        CaseHandler.objects.create(case=case, officer=world.officer.officer, is_lead=True)


def _queries(client, url: str) -> int:
    client.get(url)  # the session and the user's officer row are read on the first request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_home_case_list_and_calendar_cost_the_same_for_few_cases_or_many(world):
    users = (world.officer, world.head, world.admin, world.supervisor)
    clients = {user.pk: client_for(user) for user in users}
    _cases(world)
    few = {(user.pk, url): _queries(clients[user.pk], url) for user in users for url in PAGES}
    for _ in range(5):
        _cases(world)
    many = {(user.pk, url): _queries(clients[user.pk], url) for user in users for url in PAGES}
    grew = {
        f"{u} {url}": (few[(u, url)], many[(u, url)]) for (u, url) in few if many[(u, url)] != few[(u, url)]
    }
    assert not grew, grew
    listed = clients[world.head.pk].get("/cases/").content.decode()
    assert listed.count('href="/cases/') > 20  # the list did grow: 30 cases, a page of them shown


def test_supervisor_pages_cost_the_same_from_the_projection_for_few_cases_or_many(world):
    """The supervisor's 待办 counts the region's cases from the cockpit's projection, and those
    changed since its last refresh from the cases themselves: neither grows with the cases."""
    client = client_for(world.supervisor)

    def more(times: int) -> None:
        for _ in range(times):
            _cases(world)
        cockpit_rebuild()
        for case in Case.objects.order_by("-pk")[:3]:  # changed after the refresh
            event(case, world.officer, "note", "补充记录")

    more(1)
    few = {url: _queries(client, url) for url in PAGES}
    more(10)
    many = {url: _queries(client, url) for url in PAGES}
    assert few == many
    counts = {t.label: t.count for t in todos(world.supervisor, today())}
    assert counts["辖区案件已超期"] >= 11  # the overdue case of each of the 11 rounds
