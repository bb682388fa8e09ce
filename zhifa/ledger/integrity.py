"""`zhifa ledger verify`: recompute the whole log from the leaf data and the stored records.

Checks, in aligned batches of 2^16 leaves: the indexes are gap-free; every leaf hash is
SHA-256(0x00 || data); the data is the canonical leaf of the row's kind and ref; the newest leaf
of every record matches the record as stored now (rebuilt by the kind's registered function);
every stored subtree hash equals the recomputed one. Then every checkpoint: its note parses,
its Ed25519 signature is valid under a known key (checked with `cryptography`, not the
stand-alone verifier's pure-Python code), and its root is the recomputed root at its size.
Finally, every record a kind lists as existing has a leaf. The divergence at the lowest leaf
is raised.

Why it is shaped this way (1 M leaves in seconds): rows are read with plain SQL a batch at a
time; the tree is recomputed a level at a time and each level compared with the stored one as a
whole list (one range query per level); the batches are read newest first, so the first leaf
met of a record is its newest and no query asks for it; a record's rebuilt payload is compared
with its leaf as canonical bytes, and parsed only to name the fields that differ.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from zhifa.ledger import registry
from zhifa.ledger.keys import checkpoint_signed_by, verifier_keys
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.services import canonical
from zhifa.ledger.verify import fold_subtrees, parse_checkpoint

LEVELS = 16
BATCH = 1 << LEVELS

Row = tuple[str, str, bytes, str]  # kind, ref, data (UTF-8), hash; the index is the position


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


def _quoted(text: str) -> str:
    """The canonical JSON string of `text` (ensure_ascii=False); refs and kinds rarely need escapes."""
    if '"' in text or "\\" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return f'"{text}"'


def _leaves(start: int, end: int) -> list[Row]:
    """The leaves [start, end) in order, their data as bytes (hashed as stored, never decoded)."""
    table = connection.ops.quote_name(LedgerLeaf._meta.db_table)
    index = connection.ops.quote_name("index")
    data = "convert_to(data, 'UTF8')" if connection.vendor == "postgresql" else "CAST(data AS BLOB)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, ref, {data}, hash FROM {table} WHERE {index} >= %s AND {index} < %s ORDER BY {index}",
            [start, end],
        )
        rows = cursor.fetchall()
    if rows and not isinstance(rows[0][2], bytes):  # psycopg may hand bytea over as a memoryview
        rows = [(kind, ref, bytes(blob), hash_) for kind, ref, blob, hash_ in rows]
    return rows


def _first_missing(start: int, end: int) -> int:
    present = set(LedgerLeaf.objects.filter(index__gte=start, index__lt=end).values_list("index", flat=True))
    return next(i for i in range(start, end) if i not in present)


def _stored_level(level: int, low: int, high: int) -> list[bytes]:
    """The stored subtree hashes of one level, positions [low, high), in order."""
    table = connection.ops.quote_name(LedgerNode._meta.db_table)
    index = connection.ops.quote_name("index")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hash FROM {table} WHERE level = %s AND {index} >= %s AND {index} < %s ORDER BY {index}",
            [level, low, high],
        )
        return [bytes(h) for (h,) in cursor.fetchall()]


def _ref_of(index: int) -> str:
    return LedgerLeaf.objects.filter(index=index).values_list("ref", flat=True).first() or "?"


def _check_leaves(rows: list[Row], start: int, end: int) -> list[bytes]:
    """The leaves are all there, each hashes to its stored hash and is the canonical leaf of its
    row's kind and ref; returns the leaf hashes."""
    if len(rows) != end - start:  # the index is the primary key: a short range has a gap
        missing = _first_missing(start, end)
        raise Divergence(f"leaf {missing} is missing", index=missing)
    sha256 = hashlib.sha256
    heads: dict[str, bytes] = {}
    hashes = []
    for index, (kind, ref, data, stored_hash) in enumerate(rows, start):
        h = sha256(b"\x00" + data).digest()
        if h.hex() != stored_hash:
            raise Divergence(
                f"leaf {index} ({kind} {ref}): its data hashes to {h.hex()}, the stored leaf hash is {stored_hash}",
                index=index,
                ref=ref,
            )
        head = heads.get(kind) or heads.setdefault(kind, _head(kind))
        if not (data.startswith(head) and data.endswith(_tail(ref))):
            raise Divergence(
                f"leaf {index}: its data does not name the row's {kind} {ref}", index=index, ref=ref
            )
        hashes.append(h)
    return hashes


def _head(kind: str) -> bytes:
    """How the canonical leaf of `kind` begins (its keys sorted: kind, payload, ref)."""
    return f'{{"kind":{_quoted(kind)},"payload":'.encode()


def _tail(ref: str) -> bytes:
    return f',"ref":{_quoted(ref)}}}'.encode()


def _check_tree(
    hashes: list[bytes], level: int, offset: int, rows: list[Row] | None, picked: Picked
) -> list[bytes]:
    """Compare `hashes` (level `level`, from position `offset`) and every complete level above them
    with the stored subtree hashes; keeps the nodes `picked` wants. Returns the top level."""
    start = offset << level  # the first leaf, which `rows` (if given) begin with
    sha256 = hashlib.sha256
    while True:
        stored = _stored_level(level, offset, offset + len(hashes))
        if stored != hashes:
            at = next((i for i, h in enumerate(hashes) if i >= len(stored) or stored[i] != h), len(hashes))
            position = offset + at
            last = ((position + 1) << level) - 1
            ref = (
                rows[last - start][1] if rows is not None and 0 <= last - start < len(rows) else _ref_of(last)
            )
            raise Divergence(
                f"subtree hash ({level}, {position}) ending at leaf {last} ({ref}) "
                "is missing or differs from the recomputed one",
                index=last,
                ref=ref,
            )
        picked.keep(level, offset, hashes)
        if len(hashes) < 2 or (rows is not None and level == LEVELS):
            return hashes
        hashes = [sha256(b"\x01" + hashes[i] + hashes[i + 1]).digest() for i in range(0, len(hashes) - 1, 2)]
        level += 1
        offset >>= 1


class Picked:
    """The recomputed nodes the roots are folded from (the log's and each checkpoint's)."""

    def __init__(self, sizes: set[int]) -> None:
        self.wanted: dict[int, list[int]] = {}
        for level, position in {p for size in sizes for p in _frontier(size)}:
            self.wanted.setdefault(level, []).append(position)
        for positions in self.wanted.values():
            positions.sort()
        self.nodes: dict[tuple[int, int], bytes] = {}

    def keep(self, level: int, offset: int, hashes: list[bytes]) -> None:
        positions = self.wanted.get(level, [])
        low, high = bisect.bisect_left(positions, offset), bisect.bisect_left(positions, offset + len(hashes))
        for position in positions[low:high]:
            self.nodes[(level, position)] = hashes[position - offset]

    def subtrees(self, size: int) -> list[bytes]:
        return [self.nodes[position] for position in _frontier(size)]

    def root(self, size: int) -> bytes:
        return fold_subtrees(self.subtrees(size))


def _frontier(size: int) -> list[tuple[int, int]]:
    """The perfect subtrees a log of `size` leaves folds into, largest first."""
    return [(level, (size >> level) - 1) for level in reversed(range(size.bit_length())) if size >> level & 1]


def _check_records(rows: list[Row], start: int, seen: set[str]) -> int:
    """Compare the newest leaf of each record in this batch (the batches come newest first) with
    the record as stored now."""
    wanted: dict[str, list[tuple[int, str, bytes]]] = {}
    for index in reversed(range(start, start + len(rows))):
        kind, ref, data, _ = rows[index - start]
        if ref not in seen:
            seen.add(ref)
            wanted.setdefault(kind, []).append((index, ref, data))
    problems: list[Divergence] = []
    for kind, items in wanted.items():
        entry = registry.get(kind)
        if entry is None:
            index, ref, _ = min(items)
            problems.append(
                Divergence(
                    f"leaf {index}: no app registers the kind {kind!r} to rebuild {ref}", index=index, ref=ref
                )
            )
            continue
        rebuilt = entry.payloads([ref for _, ref, _ in items])
        head = len(_head(kind))
        for index, ref, data in items:
            if ref not in rebuilt:
                problems.append(
                    Divergence(
                        f"leaf {index} ({kind}): the record {ref} no longer exists", index=index, ref=ref
                    )
                )
                continue
            text = data[head : data.rindex(b',"ref":')]  # the framing was checked with the leaf
            now = rebuilt[ref]
            if canonical(now) == text:
                continue
            # The leaf vouches for the fields it holds; a field a later version of zhifa added to
            # the payload is not in the leaves that version did not write.
            payload = json.loads(text)
            fields = sorted(k for k in payload if k not in now or canonical(payload[k]) != canonical(now[k]))
            if fields:
                problems.append(
                    Divergence(
                        f"leaf {index} ({kind}): the record {ref} differs from its leaf in {', '.join(fields)}: "
                        + "; ".join(f"{k}: leaf {payload.get(k)!r}, stored {now.get(k)!r}" for k in fields),
                        index=index,
                        ref=ref,
                    )
                )
    if problems:
        raise min(problems, key=lambda p: p.index or 0)
    return sum(len(items) for items in wanted.values())


def verify_log(*, progress: Callable[[int], object] | None = None, records: bool = True) -> Summary:
    head = LedgerHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    count = LedgerLeaf.objects.count()
    if count != size:
        raise Divergence(f"the head says {size} leaves but {count} are stored")
    checkpoints = list(Checkpoint.objects.order_by("pk"))
    picked = Picked({c.size for c in checkpoints if c.size <= size} | {size})
    seen: set[str] = set()  # every ref with a leaf of any kind (its kind may have changed over versions)
    tops: list[bytes] = []  # the level-LEVELS hash of each full batch, newest first
    checked = 0
    first: Divergence | None = None  # the batches come newest first; the lowest divergence wins
    for start in reversed(range(0, size, BATCH)):
        end = min(start + BATCH, size)
        rows = _leaves(start, end)
        try:
            top = _check_tree(_check_leaves(rows, start, end), 0, start, rows, picked)
            if end - start == BATCH:
                tops.extend(top)
            if records:
                checked += _check_records(rows, start, seen)
        except Divergence as divergence:
            first = divergence
            seen.update(row[1] for row in rows)
        if progress:
            progress(len(rows))
    if first is not None:
        raise first
    tops.reverse()
    if len(tops) > 1:
        _check_tree(
            [hashlib.sha256(b"\x01" + tops[i] + tops[i + 1]).digest() for i in range(0, len(tops) - 1, 2)],
            LEVELS + 1,
            0,
            None,
            picked,
        )
    stored_nodes = LedgerNode.objects.count()
    should = sum(size >> level for level in range(size.bit_length()))
    if stored_nodes != should:
        raise Divergence(f"{stored_nodes} subtree hashes are stored, a log of {size} leaves has {should}")
    if head is not None and bytes(head.frontier) != b"".join(picked.subtrees(size)):
        raise Divergence("the head's right-edge hashes differ from the recomputed ones")
    roots = {c.size: picked.root(c.size) for c in checkpoints if c.size <= size}
    _check_checkpoints(checkpoints, roots, size)
    if records:
        _check_unlogged(seen)
    return Summary(size=size, root=picked.root(size), checkpoints=len(checkpoints), records=checked)


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
