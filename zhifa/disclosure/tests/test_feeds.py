"""The Atom feed (/public/feed.atom): valid XML, entries, only public redacted content."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from zhifa.disclosure import selectors
from zhifa.disclosure.models import Kind
from zhifa.disclosure.services import (
    decision_prepare,
    publication_approve,
    publication_correct,
    publication_prepare,
)
from zhifa.disclosure.tests.factories import make_decided_case
from zhifa.disclosure.tests.opendata_data import SECRETS, make_published
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, **params):
    response = client.get("/public/feed.atom", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry"), response.content.decode()


def test_feed_lists_published_decisions_and_prior_lists(client, world):
    rows = make_published(world)
    draft = decision_prepare(actor=world.admin, case=make_decided_case(world))
    listing = publication_prepare(
        actor=world.admin,
        agency=world.agency,
        kind=Kind.GUIDES,
        subject=Kind.GUIDES,
        title="服务指南",
        content={"guides": [{"name": "劳动保障监察投诉", "time_limit": "5个工作日"}]},
    )
    publication_approve(actor=world.admin, version=listing)
    found, text = entries(client)
    titles = [e.findtext(f"{ATOM}title") for e in found]
    assert len(found) == 3  # two decisions and the guide; not the draft nor the withdrawn one
    assert titles[0] == f"【{world.agency.name}】服务指南"  # newest revision first
    assert any(rows.company.title in t for t in titles)
    assert draft.publication.title not in text.replace(rows.company.title, "").replace(rows.citizen.title, "")
    ids = [e.findtext(f"{ATOM}id") for e in found]
    assert len(set(ids)) == 3
    # Absolute and stable (RFC 4151): the portal's host, the day of first publication, the number.
    guide = listing.publication
    guide.refresh_from_db()
    assert (
        ids[0]
        == f"tag:127.0.0.1,{timezone.localtime(guide.published_at).date().isoformat()}:publication/{guide.pk}"
    )
    assert all(i.startswith("tag:127.0.0.1,") for i in ids)
    # The summary is plain text, said as such: no type="html" for readers to parse as markup.
    summaries = [e.find(f"{ATOM}summary") for e in found]
    assert all(s is not None and s.get("type") is None and s.text for s in summaries)
    link = found[1].find(f"{ATOM}link").get("href")
    assert link.startswith("http://testserver/public/")
    assert "劳动保障监察投诉" in text


def test_a_correction_returns_to_the_top_with_its_note(client, world):
    rows = make_published(world)
    before = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in entries(client)[0]}
    version = selectors.current_version(rows.citizen)
    draft = publication_correct(
        actor=world.admin, publication=rows.citizen, content=dict(version.content), note="更正文号。"
    )
    publication_approve(actor=world.admin, version=draft)
    found, _ = entries(client)
    assert rows.citizen.title in found[0].findtext(f"{ATOM}title")
    assert "更正文号" in found[0].findtext(f"{ATOM}summary")
    assert found[0].findtext(f"{ATOM}id") == before[found[0].findtext(f"{ATOM}title")]  # the same entry


def test_feed_by_agency(client, world):
    make_published(world)
    assert len(entries(client, agency=world.other_agency.pk)[0]) == 0
    assert len(entries(client, agency=world.agency.pk)[0]) == 2
    assert len(entries(client, agency="x")[0]) == 2  # a malformed filter is ignored


def test_feed_never_leaks_personal_data(client, world):
    make_published(world)
    _, text = entries(client)
    for secret in SECRETS:
        assert secret not in text


def test_feed_is_read_only(client, world):
    make_published(world)
    with unchanged_db():
        assert client.post("/public/feed.atom").status_code in (403, 405)
