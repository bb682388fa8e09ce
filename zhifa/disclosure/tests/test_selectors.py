"""What the public sees and what the queue shows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from zhifa.cases.models import RemedyResult
from zhifa.catalog.models import MatterKind
from zhifa.disclosure import selectors, services
from zhifa.disclosure.models import Kind, Publication
from zhifa.disclosure.tests.factories import make_decided_case, make_remedy, publish
from zhifa.org.models import Agency
from zhifa.testing.factories import make_matter

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


def published_on(world, day: dt.date, **case_fields) -> Publication:
    with time_machine.travel(at(day), tick=False):
        return publish(world, make_decided_case(world, **case_fields))


def test_public_list_holds_published_only(world, decided_case):
    draft = services.decision_prepare(actor=world.admin, case=decided_case).publication
    shown = published_on(world, dt.date(2025, 10, 9))
    gone = published_on(world, dt.date(2025, 10, 9))
    services.publication_withdraw(actor=world.admin, publication=gone, reason="决定已被撤销。")
    on = dt.date(2025, 10, 20)
    assert list(selectors.public_publications(on=on)) == [shown]
    assert list(selectors.withdrawn_publications(on=on)) == [gone]
    assert selectors.publication_get_public(pk=gone.pk, on=on) == gone
    with pytest.raises(Http404):
        selectors.publication_get_public(pk=draft.pk, on=on)


def test_filters_by_kind_and_agency(world):
    mine = published_on(world, dt.date(2025, 10, 9))
    other = published_on(world, dt.date(2025, 10, 9), agency=world.other_agency)
    on = dt.date(2025, 10, 20)
    assert set(selectors.public_publications(kind=Kind.DECISION, on=on)) == {mine, other}
    assert list(selectors.public_publications(agency=world.other_agency, on=on)) == [other]
    assert list(selectors.public_publications(kind=Kind.AGENCY, on=on)) == []


def test_display_period_end_removes_from_public_while_rows_stay(world):
    publication = published_on(world, dt.date(2025, 10, 9))  # 5000 yuan fine only: 3 months
    assert selectors.public_publications(on=dt.date(2026, 1, 8)).filter(pk=publication.pk).exists()
    assert not selectors.public_publications(on=dt.date(2026, 1, 9)).exists()
    with pytest.raises(Http404):
        selectors.publication_get_public(pk=publication.pk, on=dt.date(2026, 1, 9))
    assert Publication.objects.filter(pk=publication.pk).exists()
    assert selectors.current_version(publication) is not None
    expired = selectors.expired_publications(agencies=Agency.objects.all(), on=dt.date(2026, 1, 9))
    assert list(expired) == [publication]


def test_current_version_is_the_latest_approved(world, decided_case):
    publication = publish(world, decided_case)
    first = selectors.current_version(publication)
    services.publication_correct(actor=world.admin, publication=publication, content={"a": "b"}, note="更正")
    assert selectors.current_version(publication) == first
    assert selectors.draft_version(publication).number == 2


def test_staff_reads_follow_the_policy(world, decided_case):
    publication = publish(world, decided_case)
    assert selectors.publication_get_for(user=world.admin, pk=publication.pk) == publication
    assert selectors.publication_get_for(user=world.supervisor, pk=publication.pk) == publication
    for user in (world.other_admin, world.officer):
        with pytest.raises(Http404):
            selectors.publication_get_for(user=user, pk=publication.pk)


def test_decisions_due_with_colours(world):
    agencies = Agency.objects.filter(pk=world.agency.pk)
    late = make_decided_case(world, decided_on=dt.date(2025, 9, 26))  # due 10-13
    soon = make_decided_case(world, decided_on=dt.date(2025, 10, 9))  # due 10-20
    fine = make_decided_case(world, decided_on=dt.date(2025, 10, 14))  # due 10-23
    hidden = make_matter(
        agency=world.agency, domain=world.domain, kind=MatterKind.PENALTY, disclosure_workdays=None
    )
    make_decided_case(world, matter=hidden)  # 依法不主动公开
    done = make_decided_case(world, decided_on=dt.date(2025, 10, 14))
    publish(world, done)
    revoked = make_decided_case(world, decided_on=dt.date(2025, 10, 14))
    make_remedy(revoked, result=RemedyResult.REVOKED, concluded_on=dt.date(2025, 10, 15))
    drafted = make_decided_case(world, decided_on=dt.date(2025, 10, 14))
    draft = services.decision_prepare(actor=world.admin, case=drafted).publication
    items = selectors.decisions_due(agencies=agencies, on=dt.date(2025, 10, 16))
    assert [(i.case, i.urgency) for i in items] == [
        (late, "late"),
        (soon, "soon"),
        (fine, ""),
        (drafted, ""),
    ]
    assert items[-1].publication == draft
    assert (
        selectors.decisions_due(
            agencies=Agency.objects.filter(pk=world.other_agency.pk), on=dt.date(2025, 10, 16)
        )
        == []
    )


def test_withdrawals_due_after_a_changing_result(world):
    agencies = Agency.objects.filter(pk=world.agency.pk)
    case = make_decided_case(world)
    publication = publish(world, case)
    make_remedy(case, result="")  # pending: nothing due yet
    assert selectors.withdrawals_due(agencies=agencies, on=dt.date(2026, 2, 20)) == []
    make_remedy(case, result=RemedyResult.UPHELD, concluded_on=dt.date(2026, 2, 1))
    assert selectors.withdrawals_due(agencies=agencies, on=dt.date(2026, 2, 20)) == []
    make_remedy(case, result=RemedyResult.REVOKED, concluded_on=dt.date(2026, 2, 12), kind="litigation")
    (item,) = selectors.withdrawals_due(agencies=agencies, on=dt.date(2026, 2, 13))
    assert item.publication == publication
    assert item.due_on == dt.date(2026, 2, 24)
    assert item.urgency == "soon"
    assert "撤销" in item.cause
    (item,) = selectors.withdrawals_due(agencies=agencies, on=dt.date(2026, 2, 25))
    assert item.urgency == "late"
    services.publication_withdraw(actor=world.admin, publication=publication, reason="判决撤销。")
    assert selectors.withdrawals_due(agencies=agencies, on=dt.date(2026, 2, 25)) == []


def test_timeliness_by_month(world):
    published_on(world, dt.date(2025, 10, 9), decided_on=dt.date(2025, 9, 26))  # due 10-13: on time
    published_on(world, dt.date(2025, 10, 14), decided_on=dt.date(2025, 9, 26))  # late
    published_on(world, dt.date(2025, 11, 3), decided_on=dt.date(2025, 10, 30))  # on time
    bars = selectors.timeliness_by_month(agencies=Agency.objects.all())
    assert [(b.month, b.on_time, b.late) for b in bars] == [("2025-10", 1, 1), ("2025-11", 1, 0)]
