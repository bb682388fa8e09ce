"""Reads of the ledger: leaves, checkpoints, roots and proofs. All of it is public (hashes only),
except the leaf data, which the record's own page shows to those who may see the record.

Proofs are computed from the stored perfect-subtree hashes: a proof needs O(log n) of them,
fetched in one query, whatever the size of the log.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max

from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.verify import (
    consistency_path,
    fold_subtrees,
    inclusion_path,
    perfect_subtrees,
)

NodeKey = tuple[int, int]
_HEAD = connection.ops.quote_name(LedgerHead._meta.db_table)
_NODE = connection.ops.quote_name(LedgerNode._meta.db_table)
_INDEX = connection.ops.quote_name("index")


class ProofUnavailable(ValueError):
    """The sizes or index asked for are not in the log (yet)."""


def tree_size() -> int:
    # Plain SQL: every proof asks, and the ORM's query building was most of a proof's time.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT size FROM {_HEAD} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def leaf_for(ref: str) -> LedgerLeaf | None:
    """The latest leaf of a record."""
    return LedgerLeaf.objects.filter(ref=ref).order_by("-index").first()


def leaf_at(index: int) -> LedgerLeaf | None:
    return LedgerLeaf.objects.filter(index=index).first()


def leaf_by_hash(hex_hash: str) -> LedgerLeaf | None:
    return LedgerLeaf.objects.filter(hash=hex_hash.lower()).order_by("index").first()


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-pk").first()


def checkpoint_at(size: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(size=size).order_by("-pk").first()


def recent_checkpoints(limit: int = 20, offset: int = 0) -> list[Checkpoint]:
    return list(Checkpoint.objects.order_by("-pk")[offset : offset + limit])


# ── subtree hashes ──


def _fetch(keys: Iterable[NodeKey]) -> dict[NodeKey, bytes]:
    """The stored hashes of these subtrees, in one plain-SQL query (a proof needs O(log n))."""
    by_level: dict[int, list[int]] = {}
    for level, index in keys:
        by_level.setdefault(level, []).append(index)
    if not by_level:
        return {}
    terms, params = [], []
    for level, indexes in by_level.items():
        terms.append(f"(level = %s AND {_INDEX} IN ({', '.join(['%s'] * len(indexes))}))")
        params += [level, *indexes]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT level, {_INDEX}, hash FROM {_NODE} WHERE {' OR '.join(terms)}", params)
        return {(level, index): bytes(h) for level, index, h in cursor.fetchall()}


class _Planner:
    """Runs a proof algorithm twice: first to learn which subtrees it needs, then with their hashes."""

    def __init__(self) -> None:
        self.keys: set[NodeKey] = set()
        self.nodes: dict[NodeKey, bytes] = {}

    def plan(self, start: int, end: int) -> bytes:
        self.keys.update(perfect_subtrees(start, end))
        return b"\0" * 32

    def load(self) -> None:
        self.nodes = _fetch(self.keys - self.nodes.keys()) | self.nodes
        missing = self.keys - self.nodes.keys()
        if missing:
            raise ProofUnavailable(f"subtree hashes missing from the log: {sorted(missing)[:3]}")

    def hash(self, start: int, end: int) -> bytes:
        return fold_subtrees([self.nodes[key] for key in perfect_subtrees(start, end)])


def _check_size(size: int) -> None:
    if size < 0 or size > tree_size():
        raise ProofUnavailable(f"the log has no tree of size {size}")


def root_at(size: int) -> bytes:
    """MTH of the first `size` leaves."""
    _check_size(size)
    planner = _Planner()
    planner.plan(0, size)
    planner.load()
    return planner.hash(0, size)


def inclusion_proof(*, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 §2.1.3.1)."""
    _check_size(size)
    if not 0 <= index < size:
        raise ProofUnavailable(f"leaf {index} is not in the tree of size {size}")
    planner = _Planner()
    inclusion_path(index, size, planner.plan)
    planner.load()
    return inclusion_path(index, size, planner.hash)


def consistency_proof(*, size1: int, size2: int) -> list[bytes]:
    """PROOF(size1, D[size2]) (RFC 9162 §2.1.4.1); empty when the sizes are equal or size1 is 0."""
    _check_size(size2)
    if not 0 <= size1 <= size2:
        raise ProofUnavailable(f"no consistency proof from size {size1} to size {size2}")
    planner = _Planner()
    consistency_path(size1, size2, planner.plan)
    planner.load()
    return consistency_path(size1, size2, planner.hash)


# ── a record's proof, for its page ──


@dataclass(frozen=True)
class ProofView:
    ref: str
    leaf_index: int
    leaf_hash: str
    leaf_data: str
    checkpoint: Checkpoint | None
    proof: tuple[str, ...] = ()

    @property
    def pending(self) -> bool:
        """The leaf is newer than the latest signed checkpoint: its proof comes with the next one."""
        return self.checkpoint is None or self.leaf_index >= self.checkpoint.size

    @property
    def command(self) -> str:
        if self.pending or self.checkpoint is None:
            return ""
        return inclusion_command(
            leaf_hash=self.leaf_hash,
            index=self.leaf_index,
            size=self.checkpoint.size,
            root=self.checkpoint.root,
            proof=self.proof,
        )


def inclusion_command(*, leaf_hash: str, index: int, size: int, root: str, proof: Sequence[str]) -> str:
    return (
        f"zhifa-verify inclusion --leaf-hash {leaf_hash} --index {index} --size {size} "
        f"--root {root} --proof {','.join(proof) or chr(34) * 2}"
    )


def consistency_command(*, size1: int, size2: int, root1: str, root2: str, proof: Sequence[str]) -> str:
    return (
        f"zhifa-verify consistency --size1 {size1} --size2 {size2} --root1 {root1} --root2 {root2} "
        f"--proof {','.join(proof) or chr(34) * 2}"
    )


def proofs_for(refs: Iterable[str]) -> dict[str, ProofView]:
    """The latest leaf of each record with its inclusion proof in the latest checkpoint.

    Three queries however many records: leaves, the checkpoint, and every subtree hash needed.
    """
    refs = list(dict.fromkeys(refs))
    latest = (
        LedgerLeaf.objects.filter(ref__in=refs).values("ref").annotate(last=Max("index")).values_list("last")
    )
    leaves = {leaf.ref: leaf for leaf in LedgerLeaf.objects.filter(index__in=latest)}
    checkpoint = latest_checkpoint()
    planner = _Planner()
    if checkpoint is not None:
        for leaf in leaves.values():
            if leaf.index < checkpoint.size:
                inclusion_path(leaf.index, checkpoint.size, planner.plan)
        planner.load()
    views = {}
    for ref, leaf in leaves.items():
        proof: tuple[str, ...] = ()
        if checkpoint is not None and leaf.index < checkpoint.size:
            proof = tuple(h.hex() for h in inclusion_path(leaf.index, checkpoint.size, planner.hash))
        views[ref] = ProofView(
            ref=ref,
            leaf_index=leaf.index,
            leaf_hash=leaf.hash,
            leaf_data=leaf.data,
            checkpoint=checkpoint,
            proof=proof,
        )
    return views


def proof_for(ref: str) -> ProofView | None:
    return proofs_for([ref]).get(ref)
