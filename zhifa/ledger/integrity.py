"""`zhifa ledger verify`: recompute the whole log from the leaf data and the stored records.

Checks, in one pass over the leaves in index order: the indexes are gap-free; every leaf hash is
SHA-256(0x00 || data); the data names the leaf's kind and ref; the latest leaf of every record
matches the record as stored now (rebuilt by the kind's registered function, in batches);
every stored subtree hash equals the recomputed one. Then every checkpoint: its note parses,
its Ed25519 signature is valid under a known key (checked with `cryptography`, not the
stand-alone verifier's pure-Python code), and its root is the recomputed root at its size. Finally, every record a kind lists as existing has a leaf. The first divergence is raised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Max, Q

from zhifa.ledger import registry
from zhifa.ledger.keys import checkpoint_signed_by, verifier_keys
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.services import canonical
from zhifa.ledger.verify import fold_subtrees, leaf_hash, node_hash, parse_checkpoint

BATCH = 1000


class Divergence(Exception):
    def __init__(self, message: str, *, index: int | None = None, ref: str = "") -> None:
        super().__init__(message)
        self.index = index
        self.ref = ref


@dataclass
class Summary:
    size: int
    root: bytes
    checkpoints: int
    records: int


def _batches(size: int) -> Iterator[list[tuple[int, str, str, str, str]]]:
    for start in range(0, size, BATCH):
        rows = LedgerLeaf.objects.filter(index__gte=start, index__lt=start + BATCH).order_by("index")
        yield list(rows.values_list("index", "kind", "ref", "data", "hash"))


def _stored_nodes(start: int, end: int) -> dict[tuple[int, int], bytes]:
    """The stored subtree hashes whose last leaf is in [start, end)."""
    condition = Q()
    for level in range(64):
        low, high = ((start + 1 + (1 << level) - 1) >> level) - 1, (end >> level) - 1
        if level and end < 1 << level:
            break
        if low <= high:
            condition |= Q(level=level, index__gte=low, index__lte=high)
    rows = LedgerNode.objects.filter(condition).values_list("level", "index", "hash")
    return {(level, index): bytes(h) for level, index, h in rows}


def _check_records(rows: list[tuple[int, str, str, str, str]], seen: set[str]) -> int:
    """Compare the latest leaf of each record in this batch with the record as stored now."""
    refs = {ref for _, _, ref, _, _ in rows}
    last = dict(
        LedgerLeaf.objects.filter(ref__in=refs)
        .values("ref")
        .annotate(last=Max("index"))
        .values_list("ref", "last")
    )
    wanted: dict[str, list[tuple[int, str, dict]]] = {}
    for index, kind, ref, data, _ in rows:
        seen.add(ref)
        if last.get(ref) == index:
            wanted.setdefault(kind, []).append((index, ref, json.loads(data)["payload"]))
    for kind, items in wanted.items():
        entry = registry.get(kind)
        if entry is None:
            index, ref, _ = items[0]
            raise Divergence(
                f"leaf {index}: no app registers the kind {kind!r} to rebuild {ref}", index=index, ref=ref
            )
        rebuilt = entry.payloads([ref for _, ref, _ in items])
        for index, ref, payload in items:
            if ref not in rebuilt:
                raise Divergence(
                    f"leaf {index} ({kind}): the record {ref} no longer exists", index=index, ref=ref
                )
            # The leaf vouches for the fields it holds; a field a later version of zhifa added to
            # the payload is not in the leaves that version did not write.
            now = rebuilt[ref]
            fields = sorted(k for k in payload if k not in now or canonical(payload[k]) != canonical(now[k]))
            if fields:
                raise Divergence(
                    f"leaf {index} ({kind}): the record {ref} differs from its leaf in {', '.join(fields)}: "
                    + "; ".join(f"{k}: leaf {payload.get(k)!r}, stored {now.get(k)!r}" for k in fields),
                    index=index,
                    ref=ref,
                )
    return sum(len(items) for items in wanted.values())


def verify_log(*, progress: Callable[[int], object] | None = None, records: bool = True) -> Summary:
    head = LedgerHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    count = LedgerLeaf.objects.count()
    if count != size:
        raise Divergence(f"the head says {size} leaves but {count} are stored")
    checkpoints = list(Checkpoint.objects.order_by("pk"))
    wanted_sizes = {c.size for c in checkpoints}
    roots: dict[int, bytes] = {}
    if 0 in wanted_sizes:
        roots[0] = fold_subtrees([])
    # Every ref with a leaf of any kind (a record's kind of leaf may have changed over versions).
    seen: set[str] = set()
    stack: list[tuple[int, bytes]] = []
    checked = 0
    expected = 0
    for rows in _batches(size):
        if not rows:
            break
        nodes = _stored_nodes(rows[0][0], rows[-1][0] + 1)
        for index, kind, ref, data, stored_hash in rows:
            if index != expected:
                raise Divergence(
                    f"leaf {expected} is missing (the next stored leaf is {index})", index=expected
                )
            h = leaf_hash(data.encode("utf-8"))
            if h.hex() != stored_hash:
                raise Divergence(
                    f"leaf {index} ({kind} {ref}): its data hashes to {h.hex()}, the stored leaf hash is {stored_hash}",
                    index=index,
                    ref=ref,
                )
            try:
                parsed = json.loads(data)
            except ValueError:
                raise Divergence(
                    f"leaf {index} ({ref}): its data is not JSON", index=index, ref=ref
                ) from None
            if parsed.get("kind") != kind or parsed.get("ref") != ref or canonical(parsed) != data.encode():
                raise Divergence(
                    f"leaf {index}: its data names {parsed.get('kind')} {parsed.get('ref')}, the row {kind} {ref}",
                    index=index,
                    ref=ref,
                )
            level, current = 0, h
            while True:
                if nodes.get((level, index >> level)) != current:
                    raise Divergence(
                        f"subtree hash ({level}, {index >> level}) ending at leaf {index} ({ref}) "
                        "is missing or differs from the recomputed one",
                        index=index,
                        ref=ref,
                    )
                if not stack or stack[-1][0] != level:
                    break
                current = node_hash(stack.pop()[1], current)
                level += 1
            stack.append((level, current))
            expected = index + 1
            if expected in wanted_sizes:
                roots[expected] = fold_subtrees([h for _, h in stack])
            if progress:
                progress(1)  # per leaf, so a terminal shows movement from the first one
        if records:
            checked += _check_records(rows, seen)
    stored_nodes = LedgerNode.objects.count()
    should = sum(size >> level for level in range(size.bit_length()))
    if stored_nodes != should:
        raise Divergence(f"{stored_nodes} subtree hashes are stored, a log of {size} leaves has {should}")
    root = fold_subtrees([h for _, h in stack])
    if head is not None and bytes(head.frontier) != b"".join(h for _, h in stack):
        raise Divergence("the head's right-edge hashes differ from the recomputed ones")
    _check_checkpoints(checkpoints, roots, size)
    if records:
        _check_unlogged(seen)
    return Summary(size=size, root=root, checkpoints=len(checkpoints), records=checked)


def _check_checkpoints(checkpoints: list[Checkpoint], roots: dict[int, bytes], size: int) -> None:
    keys = verifier_keys()
    for c in checkpoints:
        where = f"checkpoint #{c.pk} (size {c.size})"
        if c.size > size:
            raise Divergence(f"{where} is beyond the log's {size} leaves")
        try:
            _, note_size, note_root, _, _ = parse_checkpoint(c.note)
        except ValueError as exc:
            raise Divergence(f"{where}: the note does not parse: {exc}") from None
        if note_size != c.size or note_root.hex() != c.root:
            raise Divergence(
                f"{where}: the note says size {note_size} root {note_root.hex()}, the row {c.size} {c.root}"
            )
        if not any(checkpoint_signed_by(c.note, key) for key in keys):
            raise Divergence(f"{where}: the Ed25519 signature is not valid under any known ledger key")
        if roots.get(c.size) != note_root:
            raise Divergence(
                f"{where}: its signed root {note_root.hex()} is not the log's root at that size "
                f"({roots[c.size].hex() if c.size in roots else '?'})"
            )


def _check_unlogged(seen: set[str]) -> None:
    for entry in registry.kinds():
        if entry.existing is None:
            continue
        for _, ref in entry.existing():
            if ref not in seen:
                raise Divergence(f"the record {ref} ({entry.name}) has no leaf in the ledger", ref=ref)
