"""The public portal: anonymous pages, only approved text, withdrawals, display periods, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.disclosure import prior
from zhifa.disclosure.models import Kind, Publication
from zhifa.disclosure.services import publication_approve, publication_correct, publication_withdraw
from zhifa.disclosure.tests.factories import CITIZEN, publish
from zhifa.testing.factories import first_version


@pytest.fixture
def column(world):
    """The agency's 主体信息 and 事项清单 published (version 1 each)."""
    for kind in (Kind.AGENCY, Kind.MATTERS):
        publication_approve(
            actor=world.admin, version=prior.prior_publish(actor=world.admin, agency=world.agency, kind=kind)
        )
    return world


def text(response) -> str:
    return response.content.decode()


def test_home_and_agency_list_anonymous(column, decided_case):
    publication = publish(column, decided_case)
    home = Client().get(reverse("portal:home"))
    assert home.status_code == 200
    page = text(home)
    assert column.agency.name in page
    assert reverse("portal:decision", args=[publication.pk]) in page
    assert 'action="/public/decisions/"' in page
    assert "公示导航" in page and "退出" not in page  # the public layout, no staff navigation
    agencies = Client().get(reverse("portal:agency_list"))
    assert agencies.status_code == 200 and column.agency.name in text(agencies)
    assert column.other_agency.name not in text(agencies)  # nothing published there


def test_agency_column_shows_approved_lists_and_their_history(column):
    page = text(Client().get(reverse("portal:agency", args=[column.agency.pk])))
    assert "执法职责" in page and column.agency.duties in page
    assert "第1版" in page and "尚未公开" in page  # the officer list is not published
    column.agency.duties = "依法实施劳动保障监察（新职责）。"
    column.agency.save()
    draft = prior.prior_publish(actor=column.admin, agency=column.agency, kind=Kind.AGENCY)
    page = text(Client().get(reverse("portal:agency", args=[column.agency.pk])))
    assert "新职责" not in page  # a draft never reaches the portal
    publication_approve(actor=column.admin, version=draft)
    page = text(Client().get(reverse("portal:agency", args=[column.agency.pk])))
    assert "新职责" in page and "历史版本（2）" in page
    old = Client().get(reverse("portal:prior_version", args=[column.agency.pk, Kind.AGENCY, 1]))
    assert old.status_code == 200
    assert "历史版本" in text(old) and "新职责" not in text(old)
    assert (
        Client().get(reverse("portal:prior_version", args=[column.agency.pk, Kind.AGENCY, 3])).status_code
        == 404
    )
    assert (
        Client().get(reverse("portal:prior_version", args=[column.agency.pk, "decision", 1])).status_code
        == 404
    )


def test_matter_page_has_its_flow_charts(column):
    page = Client().get(reverse("portal:matter", args=[column.agency.pk, column.matter.code]))
    assert page.status_code == 200
    body = text(page)
    assert first_version(column.matter).name in body
    assert body.count("<svg") == 2 and "批准立案" in body and "当场处罚备案" in body
    assert Client().get(reverse("portal:matter", args=[column.agency.pk, "NOPE"])).status_code == 404
    flow = Client().get(reverse("portal:flowchart", args=["general"]))
    assert flow.status_code == 200 and "提交调查终结报告" in text(flow)
    assert Client().get(reverse("portal:flowchart", args=["secret"])).status_code == 404


def test_agency_with_nothing_published_has_no_column(world):
    assert Client().get(reverse("portal:agency", args=[world.agency.pk])).status_code == 404


def test_decision_page_shows_the_redacted_projection_only(world, decided_case):
    publication = publish(world, decided_case)
    page = Client().get(reverse("portal:decision", args=[publication.pk]))
    assert page.status_code == 200
    body = text(page)
    assert publication.document_number in body
    for secret in (CITIZEN["party_id_number"], CITIZEN["party_phone"], CITIZEN["party_name"]):
        assert secret not in body
    assert "/verify/" in body


def test_draft_decision_is_not_public(world, decided_case):
    from zhifa.disclosure.services import decision_prepare

    version = decision_prepare(actor=world.admin, case=decided_case)
    assert Client().get(reverse("portal:decision", args=[version.publication.pk])).status_code == 404
    assert version.publication.title not in text(Client().get(reverse("portal:home")))


def test_prior_list_is_not_a_decision_page(column):
    listing = Publication.objects.get(kind=Kind.AGENCY)
    assert Client().get(reverse("portal:decision", args=[listing.pk])).status_code == 404


def test_withdrawn_decision_shows_the_reason_instead_of_the_content(world, decided_case):
    publication = publish(world, decided_case)
    facts = publication.versions.get().content["facts"]
    publication_withdraw(actor=world.admin, publication=publication, reason="该决定已被行政复议机关撤销。")
    page = Client().get(reverse("portal:decision", args=[publication.pk]))
    assert page.status_code == 200
    body = text(page)
    assert "已撤回" in body and "该决定已被行政复议机关撤销。" in body
    assert facts not in body  # the reason stands in place of the content


def test_corrected_decision_keeps_its_history(world, decided_case):
    publication = publish(world, decided_case)
    current = publication.versions.get()
    content = {**current.content, "penalty": "警告，并处罚款人民币 4000 元。"}
    version = publication_correct(
        actor=world.admin, publication=publication, content=content, note="更正罚款金额笔误"
    )
    body = text(Client().get(reverse("portal:decision", args=[publication.pk])))
    assert "4000" not in body  # not before approval
    publication_approve(actor=world.admin, version=version)
    body = text(Client().get(reverse("portal:decision", args=[publication.pk])))
    assert "4000" in body and "更正记录" in body and "更正罚款金额笔误" in body and "第1版" in body


def test_display_period_over_answers_410(world, decided_case):
    publication = publish(world, decided_case)
    Publication.objects.filter(pk=publication.pk).update(
        published_at=dt.datetime(2020, 1, 1, 10, tzinfo=dt.UTC), display_class="minor"
    )
    page = Client().get(reverse("portal:decision", args=[publication.pk]))
    assert page.status_code == 410
    assert "公示期已满，已停止公示" in text(page)
    assert publication.document_number not in text(page)
    assert Client().get(reverse("portal:decision", args=[999999])).status_code == 404


def test_portal_pages_take_no_posts(column):
    assert Client().post(reverse("portal:home")).status_code == 405
    assert Client().post(reverse("portal:agency", args=[column.agency.pk])).status_code == 405
