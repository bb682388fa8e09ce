from __future__ import annotations

import base64
import gc

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction

from zhifa.ledger import keys, selectors, services
from zhifa.ledger import verify as v
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode

pytestmark = pytest.mark.django_db


def _append(n: int, start: int = 0) -> list[LedgerLeaf]:
    return [
        services.ledger_append(kind="test", ref=f"test.thing:{i}", payload={"n": i, "名": "值"})
        for i in range(start, start + n)
    ]


def test_leaf_data_is_canonical_json_and_hash_is_rfc9162():
    leaf = services.ledger_append(kind="test", ref="test.thing:1", payload={"b": 1, "a": ["x", None, True]})
    assert leaf.index == 0
    assert leaf.data == '{"kind":"test","payload":{"a":["x",null,true],"b":1},"ref":"test.thing:1"}'
    assert leaf.hash == v.leaf_hash(leaf.data.encode()).hex()


def test_non_json_payload_is_refused():
    with pytest.raises(TypeError):
        services.ledger_append(kind="test", ref="test.thing:1", payload={"x": object()})
    with pytest.raises(ValueError):
        services.ledger_append(kind="test", ref="test.thing:1", payload={"x": float("nan")})


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        services.ledger_append(kind="test", ref="test.thing:1", payload={})
    assert not LedgerLeaf.objects.exists()
    with transaction.atomic():
        services.ledger_append(kind="test", ref="test.thing:1", payload={})
    assert LedgerLeaf.objects.count() == 1


def test_indexes_are_gap_free_and_roots_match_a_full_recomputation():
    leaves = _append(37)
    assert [leaf.index for leaf in leaves] == list(range(37))
    hashes = [leaf.hash_bytes for leaf in leaves]
    for size in range(38):
        assert selectors.root_at(size) == v.root_from_leaf_hashes(hashes[:size])
    size, root = services.current_root()
    assert (size, root) == (37, v.root_from_leaf_hashes(hashes))
    # One stored hash per perfect subtree: 37 + 18 + 9 + 4 + 2 + 1.
    assert LedgerNode.objects.count() == 71


def test_appending_many_at_once_builds_the_same_tree_as_one_by_one():
    first = _append(5)
    services.ledger_append_many([("test", f"test.thing:{i}", {"n": i, "名": "值"}) for i in range(5, 42)])
    batch = list(LedgerLeaf.objects.filter(index__gte=5).order_by("index"))
    leaves = first + batch + _append(3, start=42)
    assert [leaf.index for leaf in LedgerLeaf.objects.order_by("index")] == list(range(45))
    hashes = [leaf.hash_bytes for leaf in leaves]
    assert [leaf.hash for leaf in LedgerLeaf.objects.order_by("index")] == [h.hex() for h in hashes]
    for size in range(46):
        assert selectors.root_at(size) == v.root_from_leaf_hashes(hashes[:size])
    assert services.current_root() == (45, v.root_from_leaf_hashes(hashes))


def test_served_proofs_verify_with_the_standalone_verifier():
    hashes = [leaf.hash_bytes for leaf in _append(23)]
    for size in range(1, 24):
        root = selectors.root_at(size)
        for index in range(size):
            proof = selectors.inclusion_proof(index=index, size=size)
            assert proof == v.inclusion_path(index, size, lambda a, b: v.root_from_leaf_hashes(hashes[a:b]))
            assert v.verify_inclusion(leaf_hash=hashes[index], index=index, size=size, proof=proof, root=root)
        for size1 in range(0, size + 1):
            proof = selectors.consistency_proof(size1=size1, size2=size)
            assert v.verify_consistency(
                size1=size1, size2=size, root1=selectors.root_at(size1), root2=root, proof=proof
            )


def test_proofs_beyond_the_log_are_refused():
    _append(3)
    with pytest.raises(selectors.ProofUnavailable):
        selectors.inclusion_proof(index=0, size=4)
    with pytest.raises(selectors.ProofUnavailable):
        selectors.inclusion_proof(index=3, size=3)
    with pytest.raises(selectors.ProofUnavailable):
        selectors.consistency_proof(size1=3, size2=2)


def test_proof_takes_a_constant_number_of_queries(django_assert_max_num_queries):
    _append(300)
    with django_assert_max_num_queries(2):
        selectors.inclusion_proof(index=123, size=300)
    with django_assert_max_num_queries(2):
        selectors.consistency_proof(size1=77, size2=300)


def test_checkpoint_is_a_signed_c2sp_note():
    _append(5)
    checkpoint = services.checkpoint_make(reason="测试")
    root = selectors.root_at(5)
    body = f"zhifa.test/ledger\n5\n{base64.b64encode(root).decode()}\n"
    assert checkpoint.note.startswith(body + "\n\u2014 zhifa.test/ledger ")
    assert checkpoint.note.endswith("\n")
    key = keys.signing_key()
    blob = base64.b64decode(checkpoint.note.rsplit(" ", 1)[1])
    assert blob[:4] == v.key_id("zhifa.test/ledger", key.public)
    Ed25519PublicKey.from_public_bytes(key.public).verify(blob[4:], body.encode())
    # The pure-Python verifier agrees, and refuses a changed note.
    assert v.verify_checkpoint(checkpoint.note, key.verifier_key)
    assert not v.verify_checkpoint(checkpoint.note.replace("\n5\n", "\n6\n"), key.verifier_key)
    assert selectors.latest_checkpoint() == checkpoint


def test_checkpoint_only_if_grown_returns_the_latest():
    _append(2)
    first = services.checkpoint_make()
    assert services.checkpoint_make(only_if_grown=True) == first
    _append(1, start=2)
    assert services.checkpoint_make(only_if_grown=True).size == 3
    assert Checkpoint.objects.count() == 2


def test_checkpoint_due_by_leaves_or_age(settings):
    settings.ZHIFA_LEDGER_CHECKPOINT_LEAVES = 3
    settings.ZHIFA_LEDGER_CHECKPOINT_SECONDS = 3600
    assert not services.checkpoint_due()
    _append(1)
    assert services.checkpoint_due()  # no checkpoint yet
    services.checkpoint_make()
    _append(2, start=1)
    assert not services.checkpoint_due()
    _append(1, start=3)
    assert services.checkpoint_due()


def test_checkpoint_after_commit_once_per_transaction(django_capture_on_commit_callbacks, settings):
    settings.ZHIFA_LEDGER_CHECKPOINT_SECONDS = 0  # due whenever the log grew
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _append(3)
    assert len(callbacks) == 1
    assert Checkpoint.objects.get().size == 3
    # The next transaction schedules its own.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _append(2, start=3)
    assert len(callbacks) == 1
    assert list(Checkpoint.objects.order_by("pk").values_list("size", flat=True)) == [3, 5]


class _Refused(Exception):
    pass


@pytest.fixture
def _no_gc():
    # A dropped callback must die at once (services._scheduled holds it weakly), not when the
    # cycle collector happens to run: with it off, a reference cycle would fail these tests.
    gc.disable()
    yield
    gc.enable()


@pytest.mark.usefixtures("_no_gc")
def test_a_rolled_back_savepoint_does_not_take_the_checkpoint_with_it(django_capture_on_commit_callbacks):
    # The only append that scheduled the check rolls back with its savepoint (and Django drops
    # the callback with it): the next append schedules it again.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(_Refused), transaction.atomic():
            _append(1)
            raise _Refused
        _append(2, start=1)
    assert len(callbacks) == 1
    assert Checkpoint.objects.get().size == 2


@pytest.mark.usefixtures("_no_gc")
def test_a_savepoint_after_the_first_append_schedules_nothing_more(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _append(1)
        with pytest.raises(_Refused), transaction.atomic():
            _append(1, start=1)
            raise _Refused
        with transaction.atomic():
            _append(1, start=1)
    assert len(callbacks) == 1
    assert Checkpoint.objects.get().size == 2


@pytest.mark.usefixtures("_no_gc")
@pytest.mark.django_db(transaction=True)
def test_one_checkpoint_check_per_committed_transaction(settings, monkeypatch):
    settings.ZHIFA_LEDGER_CHECKPOINT_SECONDS = 0
    checks: list[int] = []
    check = services._checkpoint_if_due
    monkeypatch.setattr(services, "_checkpoint_if_due", lambda: (checks.append(1), check()))
    with transaction.atomic():
        _append(5)
    with transaction.atomic():
        _append(2, start=5)
    assert len(checks) == 2
    # A transaction that rolls back runs nothing and leaves nothing scheduled for the next one.
    with pytest.raises(_Refused), transaction.atomic():
        _append(1, start=7)
        raise _Refused
    assert len(checks) == 2
    with transaction.atomic():
        with pytest.raises(_Refused), transaction.atomic():
            _append(1, start=7)
            raise _Refused
        _append(1, start=7)
        _append(1, start=8)
    assert len(checks) == 3
    assert list(Checkpoint.objects.order_by("pk").values_list("size", flat=True)) == [5, 7, 9]


def test_verifier_key_round_trips_and_rotation_keeps_old_keys():
    key = keys.signing_key()
    name, kid, public = v.parse_verifier_key(key.verifier_key)
    assert (name, kid, public) == ("zhifa.test/ledger", key.key_id, key.public)
    _append(1)
    old = services.checkpoint_make()
    new_key = keys.rotate()
    assert new_key.public != key.public
    assert key.verifier_key in keys.verifier_keys()
    assert v.verify_checkpoint(old.note, key.verifier_key)
    assert v.verify_checkpoint(services.checkpoint_make().note, new_key.verifier_key)


def test_proofs_for_records():
    _append(6)
    assert selectors.proof_for("test.thing:2").pending
    checkpoint = services.checkpoint_make()
    _append(1, start=6)
    views = selectors.proofs_for(["test.thing:2", "test.thing:6", "test.thing:99"])
    assert set(views) == {"test.thing:2", "test.thing:6"}
    view = views["test.thing:2"]
    assert not view.pending and view.checkpoint == checkpoint
    assert v.verify_inclusion(
        leaf_hash=bytes.fromhex(view.leaf_hash),
        index=2,
        size=6,
        proof=[bytes.fromhex(h) for h in view.proof],
        root=checkpoint.root_bytes,
    )
    assert view.command.startswith(f"zhifa-verify inclusion --leaf-hash {view.leaf_hash} --index 2 --size 6 ")
    assert views["test.thing:6"].pending and views["test.thing:6"].command == ""


def test_head_is_recreated_after_a_flush():
    LedgerHead.objects.all().delete()
    assert services.ledger_append(kind="test", ref="test.thing:1", payload={}).index == 0
