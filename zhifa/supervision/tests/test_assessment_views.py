"""The pages of 年度考核: each works for whom it is for, and is refused to everyone else (agency
staff before publication or beyond their own row, another county's supervisor, anonymous)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.supervision import assessment_services as services
from zhifa.supervision.assessment_workflow import take
from zhifa.supervision.models_assessment import Assessment, AssessmentStatus
from zhifa.supervision.tests.assessment_world import YEAR, only_certificates, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    only_certificates()
    return services.assessment_create(actor=world.supervisor, year=YEAR)


@pytest.fixture
def published(world, draft):
    take("approve", actor=world.bureau_head, assessment=draft)
    take("publish", actor=world.supervisor, assessment=draft)
    draft.refresh_from_db()
    return draft


def urls(a):
    return [
        reverse("supervision:assessment_list"),
        reverse("supervision:assessment_detail", args=[a.pk]),
        reverse("supervision:assessment_step", args=[a.pk, "approve"]),
    ]


def test_the_supervisor_drafts_approves_and_publishes_from_the_pages(world, client):
    only_certificates()
    client.force_login(world.supervisor)
    listing = reverse("supervision:assessment_list")
    assert client.get(listing).status_code == 200
    response = client.post(listing, {"year": YEAR})
    a = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:assessment_detail", args=[a.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert world.agency.name in page and world.other.name in page and "100.00" in page and "+50.00" in page
    assert "bar-fill bar-ok w-50" in page and "style=" not in page
    assert client.post(listing, {"year": YEAR}).status_code == 400  # once a year
    step = reverse("supervision:assessment_step", args=[a.pk, "publish"])
    refused = client.post(step, {})
    assert refused.status_code == 409 and "草拟" in refused.content.decode()
    assert client.get(reverse("supervision:assessment_step", args=[a.pk, "approve"])).status_code == 200
    client.post(reverse("supervision:assessment_step", args=[a.pk, "approve"]), {"idempotency_key": "k1"})
    client.post(step, {"idempotency_key": "k2"})
    a.refresh_from_db()
    assert a.status == AssessmentStatus.PUBLISHED and a.notice is not None
    page = client.get(reverse("supervision:assessment_detail", args=[a.pk])).content.decode()
    assert a.notice.number in page
    home = client.get(reverse("supervision:home")).content.decode()
    assert "年度考核" in home and reverse("supervision:assessment_detail", args=[a.pk]) in home


def test_anonymous_is_sent_to_login(draft, client):
    for url in urls(draft):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_another_countys_supervisor_sees_nothing(world, draft, client):
    client.force_login(world.outside_supervisor)
    listing = client.get(reverse("supervision:assessment_list"))
    assert listing.status_code == 200 and draft.number not in listing.content.decode()
    for url in urls(draft)[1:]:
        assert client.get(url).status_code == 404
    assert client.post(urls(draft)[2], {}).status_code == 404


def test_agency_staff_see_nothing_before_publication(world, draft, client):
    for user in (world.head, world.officer):
        client.force_login(user)
        assert client.get(urls(draft)[0]).status_code == 403
        assert client.post(urls(draft)[0], {"year": YEAR}).status_code == 403
        assert client.get(urls(draft)[1]).status_code == 404
        assert client.get(urls(draft)[2]).status_code == 404


def test_agency_staff_see_only_their_own_row_once_published(world, published, client):
    client.force_login(world.officer)
    listing = client.get(urls(published)[0])
    assert listing.status_code == 200 and published.number in listing.content.decode()
    assert "拟定年度考核" not in listing.content.decode()
    page = client.get(urls(published)[1])
    text = page.content.decode()
    assert page.status_code == 200 and world.agency.name in text and world.other.name not in text
    assert "PDF" not in text  # the bureau's file; the agency verifies the 通报 by its code
    assert client.get(urls(published)[2]).status_code == 403  # no step for the agency
    assert client.post(urls(published)[0], {"year": YEAR}).status_code == 403
    client.force_login(world.other_head)
    text = client.get(urls(published)[1]).content.decode()
    assert world.other.name in text and world.agency.name not in text


def test_the_bureau_head_approves_but_does_not_draft(world, draft, client):
    client.force_login(world.bureau_head)
    listing = client.get(urls(draft)[0])
    assert listing.status_code == 200 and "拟定年度考核" not in listing.content.decode()
    assert client.post(urls(draft)[0], {"year": YEAR - 1}).status_code == 403
    assert client.get(urls(draft)[2]).status_code == 200
    assert client.get(reverse("supervision:assessment_step", args=[draft.pk, "recompute"])).status_code == 403
