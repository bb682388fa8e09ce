"""Every write to the ledger: appending a leaf and signing a checkpoint. Nothing is ever updated.

A leaf is appended in the transaction of the write it records, so the two commit or roll back
together: a record never lacks its leaf and a leaf never outlives its record. Appends are
serialised by a row lock on the head (SQLite serialises writers anyway).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.core import bulk
from zhifa.ledger.keys import signing_key
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.verify import HASH_SIZE, fold_subtrees, leaf_hash, node_hash

# One encoder for every leaf: json.dumps with options builds a new encoder on every call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical(value: Any) -> bytes:
    """The one byte form of a leaf's data: sorted keys, no spaces, UTF-8, JSON-native values only."""
    return _ENCODER.encode(value).encode("utf-8")


def leaf_data(*, kind: str, ref: str, payload: dict[str, Any]) -> bytes:
    return canonical({"kind": kind, "ref": ref, "payload": payload})


def frontier_hashes(head: LedgerHead) -> list[bytes]:
    raw = bytes(head.frontier)
    return [raw[i : i + HASH_SIZE] for i in range(0, len(raw), HASH_SIZE)]


def _locked_head() -> LedgerHead:
    head, _ = LedgerHead.objects.select_for_update().get_or_create(pk=1)
    return head


_LEAF_COLUMNS = ("index", "kind", "ref", "data", "hash", "created_at")


def ledger_append(*, kind: str, ref: str, payload: dict[str, Any]) -> LedgerLeaf:
    """Append the leaf of one stored record, in the caller's transaction (RFC 9162 §2.1)."""
    (row,) = _append(((kind, ref, payload),))
    return LedgerLeaf(**dict(zip(_LEAF_COLUMNS, row, strict=True)))


def ledger_append_many(entries: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
    """Append the leaves of many stored records (kind, ref, payload) in order, under one lock of the
    head: a draw's thousands of tasks cost a few statements, not a few per leaf."""
    _append(entries)


def _append(entries: Sequence[tuple[str, str, dict[str, Any]]]) -> list[tuple[Any, ...]]:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ledger_append must run inside the transaction of the write it records")
    for kind, ref, _ in entries:
        if not kind or not ref or len(ref) > 100 or len(kind) > 40:
            raise ValueError(f"a leaf needs a kind and a ref of at most 100 characters: {kind!r} {ref!r}")
    head = _locked_head()
    index = head.size
    # The right edge: one perfect subtree per set bit of the size. Each new leaf joins equal ones.
    levels = [bit for bit in range(index.bit_length() - 1, -1, -1) if index >> bit & 1]
    stack = list(zip(levels, frontier_hashes(head), strict=True))
    now = timezone.now()
    leaves: list[tuple[Any, ...]] = []  # rows of _LEAF_COLUMNS: a draw's tens of thousands need no instances
    nodes: list[tuple[int, int, bytes]] = []
    for kind, ref, payload in entries:
        data = leaf_data(kind=kind, ref=ref, payload=payload)
        h = leaf_hash(data)
        leaves.append((index, kind, ref, data.decode("utf-8"), h.hex(), now))
        nodes.append((0, index, h))
        level, current = 0, h
        while stack and stack[-1][0] == level:
            current = node_hash(stack.pop()[1], current)
            level += 1
            nodes.append((level, index >> level, current))
        stack.append((level, current))
        index += 1
    bulk.insert_rows(LedgerLeaf, _LEAF_COLUMNS, leaves)
    bulk.insert_rows(LedgerNode, ("level", "index", "hash"), nodes)
    head.size = index
    head.frontier = b"".join(hash_ for _, hash_ in stack)
    head.save(update_fields=["size", "frontier"])
    _checkpoint_after_commit()
    return leaves


def current_root() -> tuple[int, bytes]:
    head = LedgerHead.objects.filter(pk=1).first()
    if head is None:
        return 0, fold_subtrees([])
    return head.size, fold_subtrees(frontier_hashes(head))


def checkpoint_body(*, origin: str, size: int, root: bytes) -> str:
    """The C2SP tlog-checkpoint body: origin, tree size, base64 root hash, each on its line."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


@transaction.atomic
def checkpoint_make(*, reason: str = "", only_if_grown: bool = False) -> Checkpoint:
    """Sign a C2SP checkpoint of the tree as it is now and keep it.

    With only_if_grown, the latest checkpoint is returned when no leaf was appended since.
    """
    head = _locked_head()
    latest = Checkpoint.objects.order_by("-pk").first()
    if only_if_grown and latest is not None and latest.size == head.size:
        return latest
    root = fold_subtrees(frontier_hashes(head))
    key = signing_key()
    body = checkpoint_body(origin=settings.ZHIFA_LEDGER_ORIGIN, size=head.size, root=root)
    signature = base64.b64encode(key.sign(body.encode("utf-8"))).decode()
    return Checkpoint.objects.create(
        size=head.size,
        root=root.hex(),
        note=f"{body}\n\u2014 {key.name} {signature}\n",
        key_name=key.name,
        key_id=key.key_id.hex(),
        reason=reason[:200],
    )


def checkpoint_due(*, now: dt.datetime | None = None) -> bool:
    """A checkpoint is due when leaves were added since the latest, and it is old or far behind."""
    size, _ = current_root()
    latest = Checkpoint.objects.order_by("-pk").only("size", "created_at").first()
    if latest is None:
        return size > 0
    if size <= latest.size:
        return False
    age = (now or timezone.now()) - latest.created_at
    return (
        size - latest.size >= settings.ZHIFA_LEDGER_CHECKPOINT_LEAVES
        or age.total_seconds() >= settings.ZHIFA_LEDGER_CHECKPOINT_SECONDS
    )


def _checkpoint_if_due() -> None:
    # A cheap query here; the signing itself is the worker's (at once when tasks are eager).
    if checkpoint_due():
        from zhifa.ledger import tasks

        tasks.checkpoint("自动（定期）", True)


# Per database connection (Django keeps one per thread), the callback scheduled for the end of its
# transaction. It is held weakly: Django holds the callback until the transaction commits (and runs
# it) or drops it when the transaction, or the savepoint it was scheduled in, rolls back. So a live
# callback is still due to run at this transaction's commit and nothing more need be scheduled; a
# dead one went with a rollback, and the next append schedules anew. (CPython frees a dropped
# callback at once: it has no other reference.)
_scheduled: weakref.WeakKeyDictionary[Any, weakref.ref[Callable[[], None]]] = weakref.WeakKeyDictionary()


def _checkpoint_after_commit() -> None:
    """Schedule one checkpoint check for the end of the transaction, however many leaves it appends."""
    connection = transaction.get_connection()
    ref = _scheduled.get(connection)
    if ref is not None and ref() is not None:
        return

    def checkpoint_if_due() -> None:
        if _scheduled.get(connection) is scheduled:
            del _scheduled[connection]  # this transaction is over: the next append schedules again
        _checkpoint_if_due()

    # The callback names its weak reference, never itself: a reference cycle would keep a dropped
    # callback alive until the garbage collector ran, and a rolled-back append would then seem
    # scheduled.
    scheduled = weakref.ref(checkpoint_if_due)
    _scheduled[connection] = scheduled
    transaction.on_commit(checkpoint_if_due, robust=True)


def ledger_backfill(*, batch: int = 500) -> int:
    """Append the leaves of records written before the ledger existed, oldest first.

    For a database of an earlier version: every record a kind lists as existing and that has no
    leaf yet gets one, built by the kind's registered function. Returns how many were appended.
    """
    from zhifa.ledger import registry

    logged = set(LedgerLeaf.objects.values_list("ref", flat=True).iterator(chunk_size=5000))
    pending = sorted(
        (at, ref, kind.name)
        for kind in registry.kinds()
        if kind.existing is not None
        for at, ref in kind.existing()
        if ref not in logged
    )
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        with transaction.atomic():
            by_kind: dict[str, list[str]] = {}
            for _, ref, name in chunk:
                by_kind.setdefault(name, []).append(ref)
            payloads = {
                ref: payload
                for name, refs in by_kind.items()
                for ref, payload in registry.get(name).payloads(refs).items()  # type: ignore[union-attr]
            }
            for _, ref, name in chunk:
                if ref in payloads:
                    ledger_append(kind=name, ref=ref, payload=payloads[ref])
    return len(pending)
