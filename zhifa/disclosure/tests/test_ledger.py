"""Publications and withdrawals leave ledger leaves in their transaction; `zhifa ledger verify` passes
and names a publication whose text was changed behind the application's back."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhifa.core.errors import NotPermitted
from zhifa.disclosure import ledger, services
from zhifa.disclosure.models import Publication, PublicationVersion
from zhifa.disclosure.tests.factories import make_decided_case, publish
from zhifa.ledger.integrity import Divergence, verify_log
from zhifa.ledger.models import Checkpoint, LedgerLeaf

pytestmark = pytest.mark.django_db


def verify_command() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_approve_appends_a_publication_leaf_and_a_checkpoint(world, decided_case):
    publication = publish(world, decided_case)
    version = publication.versions.get()
    leaf = LedgerLeaf.objects.get(kind=ledger.PUBLICATION)
    assert leaf.ref == f"disclosure.publicationversion:{version.pk}"
    payload = json.loads(leaf.data)["payload"]
    assert payload["agency"] == world.agency.pk
    assert payload["kind"] == "decision"
    assert payload["subject"] == publication.subject
    assert payload["version"] == 1
    assert payload["content_sha256"] == version.content_sha256
    assert payload["approved_at"]
    assert Checkpoint.objects.filter(reason="publication").exists()


def test_prepare_alone_appends_nothing(world, decided_case):
    services.decision_prepare(actor=world.admin, case=decided_case)
    assert not LedgerLeaf.objects.filter(kind__in=[ledger.PUBLICATION, ledger.STATE]).exists()


def test_withdrawal_leaf_and_verify_passes(world, decided_case):
    publication = publish(world, decided_case)
    draft = services.publication_correct(
        actor=world.admin, publication=publication, content={"party": "张**"}, note="更正"
    )
    services.publication_approve(actor=world.admin, version=draft)
    services.publication_withdraw(actor=world.admin, publication=publication, reason="决定已被撤销。")
    kinds = list(LedgerLeaf.objects.filter(ref__startswith="disclosure.").values_list("kind", flat=True))
    assert kinds == [ledger.PUBLICATION, ledger.STATE] * 2 + [ledger.STATE]
    withdrawal = json.loads(LedgerLeaf.objects.filter(kind=ledger.STATE).last().data)["payload"]
    assert withdrawal["reason"] == "决定已被撤销。" and withdrawal["publication"] == publication.pk
    assert withdrawal["state"] == "withdrawn"
    summary = verify_log()
    assert summary.size == LedgerLeaf.objects.count()
    code, out = verify_command()
    assert code == 0, out


def test_refused_approval_appends_no_leaf(world, decided_case):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    before = LedgerLeaf.objects.count()
    with pytest.raises(NotPermitted):
        services.publication_approve(actor=world.supervisor, version=version)
    assert LedgerLeaf.objects.count() == before


def test_verify_names_a_published_text_changed_in_the_database(world):
    publication = publish(world, make_decided_case(world))
    version = publication.versions.get()
    PublicationVersion.objects.filter(pk=version.pk).update(content={**version.content, "fine": "50.00"})
    with pytest.raises(Divergence, match="content_sha256"):
        verify_log()
    code, _ = verify_command()
    assert code == 1


def test_verify_notices_a_withdrawal_undone_behind_the_application(world):
    publication = publish(world, make_decided_case(world))
    services.publication_withdraw(actor=world.admin, publication=publication, reason="撤销。")
    type(publication).objects.filter(pk=publication.pk).update(state="published", withdrawal_reason="")
    with pytest.raises(Divergence, match=r"disclosure\.publication:"):
        verify_log()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("fine", Decimal("1.00")),
        ("title", "改过的标题"),
        ("document_number", "假文号"),
        ("decided_on", dt.date(2020, 1, 1)),
        ("display_class", "current"),
    ],
)
def test_a_served_column_changed_in_the_database_is_named(world, decided_case, column, value):
    publication = publish(world, decided_case)
    verify_log()
    Publication.objects.filter(pk=publication.pk).update(**{column: value})
    with pytest.raises(Divergence, match=f"differs from its leaf in {column}"):
        verify_log()
