"""GET /api/inspections/draws and /draws/{id}: public, complete enough to redo, nothing personal."""

from __future__ import annotations

import pytest

from zhifa.inspections.tests.conftest import drawn
from zhifa.inspections.verify import recompute

pytestmark = pytest.mark.django_db


def test_draw_list_and_detail_are_public(client, world, time_machine):
    plan = drawn(world, time_machine, joint=True)
    listing = client.get("/api/inspections/draws")
    assert listing.status_code == 200
    item = listing.json()["items"][0]
    assert item["plan"] == plan.number and item["seed"] == plan.draw.seed
    assert set(item["inputs"]) == {"snapshot_sha256", "checkpoint", "witness"}
    detail = client.get(item["url"])
    assert detail.status_code == 200
    body = detail.json()
    assert {"plan", "seed", "inputs", "strata", "tasks"} <= set(body)
    assert set(body["strata"][0]) == {"class", "ratio", "population", "selected"}
    assert set(body["tasks"][0]) >= {"subject", "inspectors"}
    assert recompute(body) == []
    text = detail.content.decode()
    for person in [*world.inspectors, *world.partner_inspectors]:
        assert person.name not in text
    assert "王某" not in text  # the witness's name stays on the staff page


def test_unknown_draw_is_404_in_json(client, db):
    response = client.get("/api/inspections/draws/12345")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/inspections/draws?limit=1000").status_code == 422


def test_the_draw_document_is_cached_until_a_recusal_replaces_an_inspector(
    client, world, time_machine, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from zhifa.inspections import draw_cache
    from zhifa.inspections.models import InspectorStatus
    from zhifa.inspections.services import recusal_declare

    plan = drawn(world, time_machine)
    url = f"/api/inspections/draws/{plan.draw.pk}"
    page_url = f"/public/inspections/plans/{plan.pk}/"
    first = client.get(url).json()
    client.get(page_url)
    with django_assert_num_queries(0):  # answered from the cache: no draw, no slot read
        assert client.get(url).json() == first
    assigned = plan.draw.assignments.first().inspectors.filter(status=InspectorStatus.ASSIGNED).first()
    subject = assigned.assignment.uscc
    with django_capture_on_commit_callbacks(execute=True):
        recusal_declare(
            actor=world.head, officer=assigned.officer, subject=assigned.assignment.subject, reason="亲属"
        )
    after = client.get(url).json()
    task = next(t for t in after["tasks"] if t["subject"] == subject)
    assert {"certificate": assigned.certificate_number, "after_draw": True} in task["skipped"]
    assert after != first and assigned.certificate_number not in task["inspectors"]
    # The public plan page reads the same document.
    row = f"<code>{subject}</code></td><td>{'、'.join(task['inspectors'])}</td>"
    assert row in client.get(page_url).content.decode()
    before = draw_cache.version(plan.draw.pk)
    draw_cache.changed(plan.draw.pk)
    assert draw_cache.version(plan.draw.pk) > before


def test_a_document_built_before_the_commit_is_not_answered_after_it(client, world, time_machine):
    # The version moves when the change is made and again at its commit: what was stored in between
    # (read without the change) is under a version no reader asks for any more.
    from zhifa.inspections import draw_cache

    plan = drawn(world, time_machine)
    pk = plan.draw.pk
    calls = []
    draw_cache.document(pk, lambda: calls.append(1) or {"v": 1})
    draw_cache.changed(pk)  # the service ran...
    draw_cache.document(pk, lambda: calls.append(2) or {"v": 2})  # ...a reader stored the old state...
    draw_cache.changed(pk)  # ...and the commit moved the version again
    assert draw_cache.document(pk, lambda: calls.append(3) or {"v": 3}) == {"v": 3}
    assert calls == [1, 2, 3]
