"""Issue 13: generated cases whose facts name third persons (apprentices, employees, customers…)
without a listed marker, published, then read back from every public surface — the decision page,
the API (item and changes), the Atom feed, CSV and XLSX. No third person's name comes out raw, and
the ordinary words of the law (劳动者) come out whole and can be searched."""

from __future__ import annotations

import io
import json
import random

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.disclosure.redaction import samples
from zhifa.disclosure.tests.factories import make_decided_case, publish

pytestmark = pytest.mark.django_db
CASES = 6
LAW_PROSE = "当事人延长劳动者工作时间，涉及60名劳动者；执法人员张贴了查封公告。"


def _facts(rng: random.Random, records: list[dict]) -> tuple[str, list[str]]:
    chosen = rng.sample(records, 3)
    text = "经查，" + "".join(r["text"] for r in chosen) + LAW_PROSE
    return text, [name for r in chosen for name in r["names"]]


@pytest.fixture
def published(world):
    rng = random.Random(13)
    records = samples.third_person_records(seed=1313, count=60)
    third_persons: list[str] = []
    publications = []
    for _ in range(CASES):
        facts, names = _facts(rng, records)
        third_persons += names
        # The case does not know these people: only the engine's own evidence can find them.
        publications.append(publish(world, make_decided_case(world, report_facts=facts)))
    return publications, set(third_persons)


def _surfaces(client: Client, publications) -> dict[str, str]:
    pages = {
        f"page {p.pk}": client.get(reverse("portal:decision", args=[p.pk])).content.decode()
        for p in publications
    }
    items = {
        f"api {p.pk}": json.dumps(
            client.get(f"/api/disclosure/publications/{p.pk}").json(), ensure_ascii=False
        )
        for p in publications
    }
    changes = client.get("/api/disclosure/changes", {"limit": 100}).json()
    assert len(changes["items"]) >= len(publications)
    xlsx = load_workbook(
        io.BytesIO(b"".join(client.get("/public/export.xlsx").streaming_content)), read_only=True
    )
    cells = "\n".join(",".join(str(c) for c in row) for row in xlsx.active.iter_rows(values_only=True))
    return {
        **pages,
        **items,
        "changes": json.dumps(changes, ensure_ascii=False),
        "atom": client.get("/public/feed.atom").content.decode(),
        "csv": b"".join(client.get("/public/export.csv").streaming_content).decode("utf-8-sig"),
        "xlsx": cells,
    }


def test_no_public_surface_shows_a_third_persons_name(published):
    publications, third_persons = published
    assert len(third_persons) >= 2 * CASES
    surfaces = _surfaces(Client(), publications)
    leaks = [(where, name) for where, body in surfaces.items() for name in third_persons if name in body]
    assert leaks == []
    # The facts did reach each surface, masked (not dropped): 学徒李** rather than nothing.
    for where in ("atom", "csv", "xlsx", "changes"):
        assert "**" in surfaces[where] or "*" in surfaces[where], where


def test_the_law_comes_out_whole_and_can_be_searched(published):
    publications, _ = published
    client = Client()
    surfaces = _surfaces(client, publications)
    for where, body in surfaces.items():
        if where.startswith(("page", "api")):
            assert "延长劳动者工作时间" in body and "60名劳动者" in body and "张贴了查封公告" in body, where
    found = client.get(reverse("portal:decisions"), {"q": "劳动者"}).content.decode()
    assert all(p.document_number in found for p in publications)
