"""Public ledger pages and JSON endpoints: no login, hashes only; and the proof on record pages."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.ledger import keys, selectors, services
from zhifa.ledger import verify as v

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    for i in range(9):
        services.ledger_append(kind="test", ref=f"test.thing:{i}", payload={"name": "张三", "n": i})
    return services.checkpoint_make(reason="测试")


def test_index_page_is_public_and_shows_no_leaf_data(client: Client, log):
    response = client.get("/ledger/")
    assert response.status_code == 200
    body = response.content.decode()
    assert log.root[:12] in body and "verify.py" in body
    assert "张三" not in body


def test_checkpoint_and_key_as_text(client: Client, log):
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == log.note
    key = client.get("/ledger/key").content.decode().strip()
    assert v.verify_checkpoint(response.content.decode(), key)
    assert client.get("/ledger/checkpoint/9").content.decode() == log.note
    assert client.get("/ledger/checkpoint/8").status_code == 404
    assert b"def verify_inclusion" in client.get("/ledger/verify.py").content


def test_no_checkpoint_yet(client: Client):
    assert client.get("/ledger/checkpoint").status_code == 404
    assert client.get("/api/ledger/checkpoint").status_code == 404
    assert client.get("/ledger/").status_code == 200


def test_writes_are_refused(client: Client, log):
    assert client.post("/ledger/checkpoint").status_code == 405
    assert client.post("/api/ledger/inclusion?index=0").status_code == 405


def test_api_inclusion_by_index_and_by_hash(client: Client, log):
    data = client.get("/api/ledger/inclusion", {"index": 4}).json()
    assert data["size"] == 9 and data["root"] == log.root and data["checkpoint"]["note"] == log.note
    assert "张三" not in str(data)
    assert v.verify_inclusion(
        leaf_hash=bytes.fromhex(data["leaf_hash"]),
        index=4,
        size=9,
        proof=[bytes.fromhex(h) for h in data["proof"]],
        root=bytes.fromhex(data["root"]),
    )
    by_hash = client.get("/api/ledger/inclusion", {"leaf_hash": data["leaf_hash"], "size": 7}).json()
    assert by_hash["index"] == 4 and by_hash["size"] == 7 and by_hash["checkpoint"] is None
    assert by_hash["root"] == selectors.root_at(7).hex()


def test_api_refusals(client: Client, log):
    assert client.get("/api/ledger/inclusion").json()["code"] == "invalid_input"
    assert client.get("/api/ledger/inclusion", {"index": 99}).status_code == 404
    assert client.get("/api/ledger/inclusion", {"leaf_hash": "00" * 32}).status_code == 404
    refused = client.get("/api/ledger/inclusion", {"index": 4, "size": 3})
    assert refused.status_code == 400 and refused.json()["code"] == "proof_unavailable"
    assert client.get("/api/ledger/consistency", {"size1": 5, "size2": 50}).status_code == 400
    # Out-of-range parameters are refused by the schema before any query (422).
    for url, params in [
        ("/api/ledger/checkpoints", {"limit": 0}),
        ("/api/ledger/checkpoints", {"limit": 201}),
        ("/api/ledger/checkpoints", {"offset": -1}),
        ("/api/ledger/checkpoints", {"offset": 2**63}),
        ("/api/ledger/inclusion", {"index": -1}),
        ("/api/ledger/inclusion", {"index": 2**63}),
        ("/api/ledger/inclusion", {"index": 0, "size": 2**63}),
        ("/api/ledger/consistency", {"size1": 2**63}),
        ("/api/ledger/consistency", {"size1": 1, "size2": -1}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 422, (url, params)
        assert response.json()["code"] == "invalid_input" and response.json()["message"]
    # The largest value a database stores is in range: the answer is about the log, not a 500.
    assert client.get("/api/ledger/checkpoints", {"offset": 2**63 - 1}).json() == []
    assert client.get("/api/ledger/consistency", {"size1": 2**63 - 1}).status_code == 400


def test_api_consistency_and_lists(client: Client, log):
    services.ledger_append(kind="test", ref="test.thing:9", payload={})
    later = services.checkpoint_make()
    data = client.get("/api/ledger/consistency", {"size1": 9}).json()
    assert data["size2"] == 10 and data["root1"] == log.root and data["root2"] == later.root
    assert v.verify_consistency(
        size1=9,
        size2=10,
        root1=log.root_bytes,
        root2=later.root_bytes,
        proof=[bytes.fromhex(h) for h in data["proof"]],
    )
    assert data["command"].startswith("zhifa-verify consistency --size1 9 --size2 10 ")
    listed = client.get("/api/ledger/checkpoints").json()
    assert [c["size"] for c in listed] == [10, 9]
    assert client.get("/api/ledger/key").json()["verifier_key"] == keys.signing_key().verifier_key


def test_document_verification_page_shows_the_proof(client: Client, world):
    from zhifa.cases.tests import steps
    from zhifa.documents.models import Document, DocumentStatus

    steps.investigated_case(world)
    document = Document.objects.filter(status=DocumentStatus.ISSUED).first()
    pending = client.get(f"/verify/{document.verification_code}/").content.decode()
    assert "待下一签名检查点" in pending
    services.checkpoint_make()
    body = client.get(f"/verify/{document.verification_code}/").content.decode()
    assert "zhifa-verify inclusion --leaf-hash" in body
    assert selectors.leaf_for(f"documents.document:{document.pk}").hash in body


def test_case_page_shows_each_events_proof(client: Client, world, django_assert_max_num_queries):
    from zhifa.cases.tests import steps

    case = steps.investigated_case(world)
    services.checkpoint_make()
    client.force_login(world.officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    events = case.events.count()
    assert body.count('class="ledger-proof"') == events
    assert body.count("zhifa-verify inclusion") == events
