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
