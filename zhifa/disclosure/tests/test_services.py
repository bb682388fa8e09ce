"""Prepare, approve, correct and withdraw: each rule allowed and refused; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.cases.models import Outcome, RemedyResult, Status
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.disclosure import services
from zhifa.disclosure.models import DisplayClass, Kind, Publication, State
from zhifa.disclosure.selectors import current_version, version_history
from zhifa.disclosure.tests.factories import (
    CITIZEN,
    ORGANISATION,
    approve,
    make_decided_case,
    make_remedy,
    publish,
)
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db


def refused(error, call, match: str | None = None):
    with unchanged_db(), pytest.raises(error, match=match):
        call()


# ── decision_prepare: the projection ───────────────────────────────────────────────────────


def test_prepare_projects_a_citizens_decision_redacted(world, decided_case):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    content = version.content
    assert content["agency"] == world.agency.name
    assert content["party"] == "张**"
    assert content["document_number"].startswith("测人社监罚〔2025〕")
    assert content["decided_on"] == "2025-09-26"
    assert content["fine"] == "5000.00"
    assert content["category"] == "劳动保障监察"
    assert content["matter_kind"] == "行政处罚"
    assert "《劳动保障监察条例》第二十六条" in content["basis"]
    text = "".join(content.values())
    for secret in (CITIZEN["party_name"], CITIZEN["party_id_number"], CITIZEN["party_address"], "王五"):
        assert secret not in text
    assert "party_credit_code" not in content
    assert version.marks["party"] == [[0, 3, "name"]]
    assert version.approved_at is None
    publication = version.publication
    assert publication.state == State.DRAFT
    assert publication.case == decided_case
    assert publication.due_on == dt.date(2025, 10, 13)
    assert publication.published_at is None
    assert publication.display_class == DisplayClass.MINOR
    assert publication.party_is_natural_person


def test_prepare_shows_an_organisation_and_its_credit_code_and_masks_its_representative(world):
    case = make_decided_case(
        world, party=ORGANISATION, fine=Decimal(20000), report_facts="法定代表人李四光拒不整改。"
    )
    content = services.decision_prepare(actor=world.admin, case=case).content
    assert content["party"] == ORGANISATION["party_name"]
    assert content["party_credit_code"] == ORGANISATION["party_id_number"]
    assert "李四光" not in content["facts"]
    assert ORGANISATION["party_address"] not in "".join(content.values())
    assert case.publications.get().display_class == DisplayClass.STANDARD


def test_prepare_no_penalty_decision(world):
    case = make_decided_case(world, outcome=Outcome.NO_PENALTY)
    version = services.decision_prepare(actor=world.admin, case=case)
    assert version.content["conclusion"] == Outcome.NO_PENALTY.label
    assert "fine" not in version.content
    assert version.publication.title.startswith("不予行政处罚决定书")


def test_prepare_again_replaces_the_draft(world, decided_case):
    first = services.decision_prepare(actor=world.admin, case=decided_case)
    second = services.decision_prepare(actor=world.head, case=decided_case)
    assert first.pk == second.pk and second.number == 1
    assert second.prepared_by == world.head


@pytest.mark.parametrize("who", ["officer", "supervisor", "other_admin"])
def test_prepare_refused_to_others(world, decided_case, who):
    refused(NotPermitted, lambda: services.decision_prepare(actor=getattr(world, who), case=decided_case))


def test_prepare_refused_for_an_undecided_case(world):
    case = make_decided_case(world, status=Status.NOTICE)
    refused(DomainError, lambda: services.decision_prepare(actor=world.admin, case=case), "第四十八条")


def test_prepare_refused_for_a_transferred_case(world):
    case = make_decided_case(world, outcome=Outcome.TRANSFER, status=Status.TRANSFERRED)
    refused(DomainError, lambda: services.decision_prepare(actor=world.admin, case=case))


def test_prepare_refused_once_published(world, decided_case):
    publish(world, decided_case)
    refused(DomainError, lambda: services.decision_prepare(actor=world.admin, case=decided_case), "更正")


def test_generic_prepare_refuses_empty_content_and_foreign_case(world, decided_case):
    call = lambda **kw: services.publication_prepare(  # noqa: E731
        actor=world.admin, agency=world.agency, kind=Kind.AGENCY, subject="agency", title="执法主体信息", **kw
    )
    refused(InvalidInput, lambda: call(content={}))
    other_case = make_decided_case(world, agency=world.other_agency)
    refused(InvalidInput, lambda: call(content={"a": "b"}, case=other_case))
    refused(InvalidInput, lambda: call(content={"a": "b"}, facets={"party_name": "x"}))
    version = call(content={"duties": "依法实施行政处罚。"}, facets={"category": "劳动保障监察"})
    assert version.publication.category == "劳动保障监察"


# ── approve ────────────────────────────────────────────────────────────────────────────────


def test_approve_publishes_with_revision_and_search_text(world, decided_case):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    publication = approve(world.head, version)
    version.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.published_at is not None
    assert version.approved_by == world.head and version.approved_at is not None
    assert publication.revision == 1
    assert publication.document_number == version.content["document_number"]
    assert publication.fine == Decimal("5000.00")
    assert publication.decided_on == dt.date(2025, 9, 26)
    assert publication.penalty_kinds == ["fine"]
    assert publication.outcome == Outcome.PENALTY
    # The index is filled by a task right after the commit (at once in the suite).
    publication.refresh_from_db()
    assert publication.search_text
    assert "张三丰" not in publication.search_text
    assert current_version(publication) == version


def test_revisions_grow_with_every_public_change(world):
    a = publish(world, make_decided_case(world))
    b = publish(world, make_decided_case(world))
    c = services.publication_withdraw(actor=world.admin, publication=a, reason="决定已被撤销。")
    assert (a.revision, b.revision, c.revision) == (1, 2, 3)


@pytest.mark.parametrize("who", ["officer", "supervisor", "other_admin"])
def test_approve_refused_to_others(world, decided_case, who):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    refused(NotPermitted, lambda: services.publication_approve(actor=getattr(world, who), version=version))


def test_approve_refused_twice(world, decided_case):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    services.publication_approve(actor=world.admin, version=version)
    refused(DomainError, lambda: services.publication_approve(actor=world.admin, version=version), "重复发布")


@pytest.mark.parametrize(
    "result", [RemedyResult.REVOKED, RemedyResult.CHANGED, RemedyResult.CONFIRMED_ILLEGAL]
)
def test_approve_refused_when_the_decision_was_revoked_or_changed(world, decided_case, result):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    make_remedy(decided_case, result=result, concluded_on=dt.date(2025, 10, 9))
    refused(
        DomainError,
        lambda: services.publication_approve(actor=world.admin, version=version),
        "第四十八条第二款",
    )


@pytest.mark.parametrize("result", ["", RemedyResult.UPHELD, RemedyResult.TERMINATED])
def test_approve_allowed_while_a_remedy_is_pending_or_upheld(world, decided_case, result):
    version = services.decision_prepare(actor=world.admin, case=decided_case)
    make_remedy(decided_case, result=result, concluded_on=dt.date(2025, 10, 9) if result else None)
    assert services.publication_approve(actor=world.admin, version=version).state == State.PUBLISHED


# ── correct ────────────────────────────────────────────────────────────────────────────────


def test_correction_keeps_history_and_replaces_on_approval(world, decided_case):
    publication = publish(world, decided_case)
    first = current_version(publication)
    content = {**first.content, "penalty": "罚款人民币五千元"}
    draft = services.publication_correct(
        actor=world.admin, publication=publication, content=content, note="更正处罚内容的写法"
    )
    assert draft.number == 2
    assert current_version(publication) == first  # not yet public
    publication = services.publication_approve(actor=world.head, version=draft)
    assert current_version(publication) == draft
    assert [v.number for v in version_history(publication)] == [2, 1]
    first.refresh_from_db()
    assert first.content["penalty"] == "罚款人民币5000元"
    assert publication.revision == 2
    assert publication.published_at == Publication.objects.get(pk=publication.pk).published_at


def test_correction_needs_a_note(world, decided_case):
    publication = publish(world, decided_case)
    content = current_version(publication).content
    refused(
        InvalidInput,
        lambda: services.publication_correct(
            actor=world.admin, publication=publication, content=content, note=" "
        ),
        "第十二条",
    )


def test_correction_refused_before_publication_and_to_supervisors(world, decided_case):
    draft = services.decision_prepare(actor=world.admin, case=decided_case)
    refused(
        DomainError,
        lambda: services.publication_correct(
            actor=world.admin, publication=draft.publication, content={"a": "b"}, note="x"
        ),
    )
    publication = publish(world, make_decided_case(world))
    refused(
        NotPermitted,
        lambda: services.publication_correct(
            actor=world.supervisor, publication=publication, content={"a": "b"}, note="x"
        ),
    )


# ── withdraw ───────────────────────────────────────────────────────────────────────────────


def test_withdraw_records_reason_and_the_remedy_deadline(world, decided_case):
    publication = publish(world, decided_case)
    make_remedy(decided_case, result=RemedyResult.REVOKED, concluded_on=dt.date(2025, 12, 31))
    publication = services.publication_withdraw(
        actor=world.admin, publication=publication, reason="该决定已被复议机关撤销。"
    )
    assert publication.state == State.WITHDRAWN
    assert publication.withdrawal_reason == "该决定已被复议机关撤销。"
    assert publication.withdrawn_by == world.admin and publication.withdrawn_at is not None
    assert publication.withdrawal_due_on == dt.date(2026, 1, 6)
    assert "撤销" in publication.withdrawal_cause


def test_withdraw_drops_a_pending_correction(world, decided_case):
    publication = publish(world, decided_case)
    services.publication_correct(actor=world.admin, publication=publication, content={"a": "b"}, note="x")
    services.publication_withdraw(actor=world.admin, publication=publication, reason="决定已变更。")
    assert publication.versions.filter(approved_at__isnull=True).count() == 0
    assert publication.versions.count() == 1


def test_withdraw_needs_a_reason(world, decided_case):
    publication = publish(world, decided_case)
    refused(
        InvalidInput,
        lambda: services.publication_withdraw(actor=world.admin, publication=publication, reason="  "),
        "第四十八条第二款",
    )


@pytest.mark.parametrize("who", ["officer", "supervisor", "other_admin"])
def test_withdraw_refused_to_others(world, decided_case, who):
    publication = publish(world, decided_case)
    refused(
        NotPermitted,
        lambda: services.publication_withdraw(
            actor=getattr(world, who), publication=publication, reason="理由"
        ),
    )


def test_withdraw_refused_for_drafts_and_twice(world, decided_case):
    draft = services.decision_prepare(actor=world.admin, case=decided_case)
    refused(
        DomainError,
        lambda: services.publication_withdraw(
            actor=world.admin, publication=draft.publication, reason="理由"
        ),
    )
    publication = publish(world, make_decided_case(world))
    services.publication_withdraw(actor=world.admin, publication=publication, reason="理由")
    refused(
        DomainError,
        lambda: services.publication_withdraw(actor=world.admin, publication=publication, reason="理由"),
    )


def test_withdrawn_publication_cannot_be_prepared_again(world, decided_case):
    publication = publish(world, decided_case)
    services.publication_withdraw(actor=world.admin, publication=publication, reason="理由")
    refused(
        DomainError,
        lambda: services.publication_prepare(
            actor=world.admin,
            agency=world.agency,
            kind=Kind.DECISION,
            subject=publication.subject,
            title="x",
            content={"a": "b"},
        ),
        "已撤回",
    )
