"""Caching of the anonymous portal pages (portal_cache): a change shows at once, nobody's own
page is stored, and the pages carry ETag / Last-Modified / Cache-Control."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from zhifa.core.models import JurisdictionSetting
from zhifa.disclosure import portal_cache
from zhifa.disclosure.models import Publication
from zhifa.disclosure.services import publication_correct, publication_withdraw
from zhifa.disclosure.tests.factories import approve, publish

pytestmark = pytest.mark.django_db

PAGES = ("portal:home", "portal:decisions", "portal:feed")


def page(client: Client, name: str, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_is_rendered_once_and_answered_from_the_cache(
    world, decided_case, django_assert_max_num_queries
):
    publication = publish(world, decided_case)
    client = Client()
    first = client.get(reverse("portal:decision", args=[publication.pk]))
    with django_assert_max_num_queries(0):
        again = client.get(reverse("portal:decision", args=[publication.pk]))
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


def test_a_publication_shows_at_once_everywhere(world, decided_case):
    client = Client()
    before = {name: page(client, name) for name in PAGES}  # cached, without the decision
    publication = publish(world, decided_case)
    path = reverse("portal:decision", args=[publication.pk])
    for name in PAGES:
        assert path in page(client, name) and path not in before[name]
    assert path in page(client, "portal:decisions", q="工资")


def test_a_withdrawal_disappears_at_once(world, decided_case):
    publication = publish(world, decided_case)
    client = Client()
    path = reverse("portal:decision", args=[publication.pk])
    assert path in page(client, "portal:decisions")
    assert "撤回理由" not in page(client, "portal:decision", publication.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        publication_withdraw(actor=world.admin, publication=publication, reason="复议机关撤销了原处罚决定。")
    assert path not in page(client, "portal:decisions")
    assert path not in page(client, "portal:home")
    assert "复议机关撤销了原处罚决定" in page(client, "portal:decision", publication.pk)


def test_a_correction_shows_once_approved(world, decided_case):
    publication = publish(world, decided_case)
    client = Client()
    assert "社会保险" not in page(client, "portal:decision", publication.pk)
    version = publication.versions.get()
    draft = publication_correct(
        actor=world.admin,
        publication=publication,
        content={**version.content, "facts": "经查，当事人未依法参加社会保险。"},
        note="更正违法事实。",
    )
    assert "社会保险" not in page(client, "portal:decision", publication.pk)  # a draft is not public
    approve(world.admin, draft)
    assert "社会保险" in page(client, "portal:decision", publication.pk)
    assert reverse("portal:decision", args=[publication.pk]) in page(client, "portal:decisions", q="社会保险")


def test_the_display_end_is_seen_the_next_day(world, decided_case):
    publication = publish(world, decided_case)  # minor: shown 3 months
    path = reverse("portal:decision", args=[publication.pk])
    client = Client()
    assert path in page(client, "portal:decisions")  # cached today
    later = timezone.localtime() + dt.timedelta(days=200)  # no service announces the display end
    with time_machine.travel(later):
        assert path not in page(client, "portal:decisions")
        assert client.get(path).status_code == 410


def test_a_setting_change_renders_the_pages_again(world, decided_case):
    publication = publish(world, decided_case)
    path = reverse("portal:decision", args=[publication.pk])
    Publication.objects.filter(pk=publication.pk).update(published_at=timezone.now() - dt.timedelta(days=100))
    client = Client()
    assert path not in page(client, "portal:decisions")  # minor: 3 months, over
    JurisdictionSetting.objects.create(key="display_months_minor", value="6", note="本省规定")
    assert path in page(client, "portal:decisions")


def test_headers_and_conditional_get(world, decided_case):
    publish(world, decided_case)
    client = Client()
    for name in (*PAGES, "portal:agency_list", "portal:opendata"):
        response = client.get(reverse(name))
        assert response["Cache-Control"].startswith("public, max-age=")
        assert response["ETag"] and response["Last-Modified"]
        assert "Cookie" in response["Vary"]
        assert client.get(reverse(name), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        later = client.get(reverse(name), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
        assert later.status_code == 304
    assert client.get(reverse("portal:feed"))["Content-Type"].startswith("application/atom+xml")


def test_a_new_version_changes_the_etag(world, decided_case):
    client = Client()
    old = client.get(reverse("portal:home"))["ETag"]
    publish(world, decided_case)
    response = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=old)
    assert response.status_code == 200 and response["ETag"] != old


def test_logged_in_and_flash_message_requests_are_neither_answered_nor_stored(world, decided_case):
    publication = publish(world, decided_case)
    staff = Client()
    staff.force_login(world.admin)
    mine = staff.get(reverse("portal:home"))
    assert mine.status_code == 200 and not mine.has_header("ETag")
    stored = [k for k in portal_cache.cache._cache if portal_cache.PAGE_PREFIX in k]  # type: ignore[attr-defined]
    assert stored == []
    anonymous = Client().get(reverse("portal:home"))
    assert anonymous.has_header("ETag")
    flashed = Client()
    flashed.cookies["messages"] = "x"
    assert not flashed.get(reverse("portal:decision", args=[publication.pk])).has_header("ETag")


@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False)
def test_pages_with_a_form_for_one_visitor_are_not_cached(world):
    from zhifa.disclosure import credentials
    from zhifa.testing.factories import AnnualReviewFactory, CertificateFactory, OfficerFactory

    officer = OfficerFactory(agency=world.agency, name="王执法")
    certificate = CertificateFactory(officer=officer, number="ZF20250001", domains=[world.domain])
    AnnualReviewFactory(certificate=certificate, year=2025, reviewed_on=dt.date(2025, 12, 1))
    token = credentials.credential_token(certificate)
    client = Client()
    for path in (
        reverse("portal:credential_lookup"),
        reverse("portal:credential", args=[token]),
        reverse("portal:feedback", args=[token]),
    ):
        response = client.get(path)
        assert response.status_code == 200 and not response.has_header("ETag"), path
    form = client.get(reverse("portal:feedback", args=[token]))
    assert "csrfmiddlewaretoken" in form.content.decode()
    assert client.get(reverse("portal:feedback", args=[token])).content != form.content  # a fresh token


def test_the_cache_can_be_turned_off(world, settings, decided_case):
    settings.ZHIFA_PORTAL_CACHE = False
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 200 and not response.has_header("ETag")


def test_an_early_end_of_display_leaves_the_lists_at_once(world, decided_case):
    # 信用修复 approved: the display ends today, and the cached lists must not keep showing it.
    from zhifa.disclosure.services import publication_end_display

    publication = publish(world, decided_case)
    client = Client()
    path = reverse("portal:decision", args=[publication.pk])
    assert path in page(client, "portal:decisions")
    with TestCase.captureOnCommitCallbacks(execute=True):
        publication_end_display(actor=world.admin, publication=publication, reason="信用修复申请已获批准。")
    assert path not in page(client, "portal:decisions")
    assert path not in page(client, "portal:home")
