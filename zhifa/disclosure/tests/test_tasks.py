"""公示's background work: the index after approval, the hourly drafts, what left display."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhifa.disclosure import tasks
from zhifa.disclosure.models import Publication, PublicationVersion, State
from zhifa.disclosure.tests.factories import make_decided_case, publish

pytestmark = pytest.mark.django_db


def test_the_index_is_filled_after_approval_and_the_sweep_mends_a_lost_task(world, decided_case):
    publication = publish(world, decided_case)
    publication.refresh_from_db()
    assert publication.search_text  # the task ran after the commit (at once in the suite)
    Publication.objects.filter(pk=publication.pk).update(search_text="")  # as if it had been lost
    assert tasks.publications_index_pending.call_local() == 1
    publication.refresh_from_db()
    assert publication.search_text


def test_the_hourly_job_drafts_every_decision_due_as_the_agencys_administrator(world, decided_case):
    assert tasks.decision_drafts_prepare.call_local() >= 1
    draft = PublicationVersion.objects.get(publication__case=decided_case)
    assert draft.approved_at is None and draft.prepared_by == world.admin
    assert draft.publication.state == State.DRAFT  # a person still approves it
    assert tasks.decision_drafts_prepare.call_local() == 0  # once


def test_what_left_display_leaves_the_index(world):
    case = make_decided_case(world)
    publication = publish(world, case)
    Publication.objects.filter(pk=publication.pk).update(
        published_at=timezone.now() - dt.timedelta(days=5 * 366), display_class="standard"
    )
    assert tasks.display_ends_unindex.call_local() == 1
    publication.refresh_from_db()
    assert publication.search_text == "" and publication.state == State.PUBLISHED
