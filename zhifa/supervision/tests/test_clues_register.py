from __future__ import annotations

import pytest

from zhifa.core.errors import NotPermitted
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import clue_services
from zhifa.supervision.models_clues import ClueSource, ClueStatus

pytestmark = pytest.mark.django_db


def test_a_supervisor_registers_a_clue_in_the_bureaus_inbox_with_its_ledger_leaf(jurisdiction):
    j = jurisdiction
    clue = clue_services.clue_register(
        actor=j.supervisor,
        source=ClueSource.WARNING,
        agency=j.agency,
        title="案件超期",
        content="某案超过办案期限。",
        origin_ref="warning:42",
        link="/cases/1/",
    )
    assert clue.status == ClueStatus.REGISTERED and clue.bureau == j.bureau
    assert clue.number.startswith("JDXS")
    event = clue.events.get()
    assert event.action == "register"
    assert LedgerLeaf.objects.filter(ref=f"supervision.clueevent:{event.pk}").exists()


def test_the_public_registers_through_the_portal_only_and_reaches_the_supervising_bureau(jurisdiction):
    j = jurisdiction
    clue = clue_services.clue_register(
        actor=None,
        source=ClueSource.PORTAL,
        agency=j.other,
        title="投诉",
        content="态度粗暴",
        contact_name="张三",
    )
    assert clue.bureau == j.bureau and clue.contact_name == "张三"
    with pytest.raises(NotPermitted):
        clue_services.clue_register(
            actor=None, source=ClueSource.HOTLINE, agency=j.agency, title="x", content="y"
        )


def test_a_supervisor_cannot_register_about_an_agency_outside_the_region(jurisdiction):
    j = jurisdiction
    with pytest.raises(NotPermitted):
        clue_services.clue_register(
            actor=j.supervisor, source=ClueSource.FINDING, agency=j.outside, title="x", content="y"
        )
    with pytest.raises(NotPermitted):
        clue_services.clue_register(
            actor=j.head, source=ClueSource.FINDING, agency=j.agency, title="x", content="y"
        )
