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
import contextlib
import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson
from django.db import connection, connections

from zhifa.ledger import registry
from zhifa.ledger.keys import checkpoint_signed_by, verifier_keys
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.services import canonical
from zhifa.ledger.verify import fold_subtrees, parse_checkpoint

LEVELS = 16
BATCH = 1 << LEVELS


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


@dataclass
class Batch:
    """The leaves [start, end), column by column (the index is the position). The tree pass reads
    the data and hashes, the records pass the kinds, refs and data."""

    start: int
    data: tuple[bytes, ...]  # UTF-8, hashed as stored, never decoded
    hashes: tuple[str, ...] = ()  # hex, as stored
    kinds: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.data)


def _leaves(start: int, end: int, *, names: bool = False) -> Batch:
    table = connection.ops.quote_name(LedgerLeaf._meta.db_table)
    index = connection.ops.quote_name("index")
    data = "convert_to(data, 'UTF8')" if connection.vendor == "postgresql" else "CAST(data AS BLOB)"
    columns = f"kind, ref, {data}" if names else f"{data}, hash"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE {index} >= %s AND {index} < %s ORDER BY {index}",
            [start, end],
        )
        rows = cursor.fetchall()
    if not rows:
        return Batch(start, ())
    if names:
        kinds, refs, blobs = zip(*rows, strict=True)
        return Batch(start, _as_bytes(blobs), kinds=kinds, refs=refs)
    blobs, hashes = zip(*rows, strict=True)
    return Batch(start, _as_bytes(blobs), hashes=hashes)


def _as_bytes(blobs: tuple[bytes, ...]) -> tuple[bytes, ...]:
    if blobs and not isinstance(blobs[0], bytes):  # psycopg may hand bytea over as a memoryview
        return tuple(bytes(b) for b in blobs)
    return blobs


def _first_missing(start: int, end: int) -> int:
    present = set(LedgerLeaf.objects.filter(index__gte=start, index__lt=end).values_list("index", flat=True))
    return next(i for i in range(start, end) if i not in present)


def _stored_level(level: int, low: int, high: int) -> bytes:
    """The stored subtree hashes of one level, positions [low, high), in order, end to end."""
    table = connection.ops.quote_name(LedgerNode._meta.db_table)
    index = connection.ops.quote_name("index")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hash FROM {table} WHERE level = %s AND {index} >= %s AND {index} < %s ORDER BY {index}",
            [level, low, high],
        )
        return b"".join(h for (h,) in cursor.fetchall())


def _ref_of(index: int) -> str:
    return LedgerLeaf.objects.filter(index=index).values_list("ref", flat=True).first() or "?"


def _check_leaves(batch: Batch, start: int, end: int) -> list[bytes]:
    """The leaves are all there and each hashes to its stored hash; returns the leaf hashes. One
    expression per batch: the loop after a failed comparison only names its first leaf."""
    if len(batch) != end - start:  # the index is the primary key: a short range has a gap
        missing = _first_missing(start, end)
        raise Divergence(f"leaf {missing} is missing", index=missing)
    sha256 = hashlib.sha256
    hashes = [sha256(b"\x00" + data).digest() for data in batch.data]
    if [h.hex() for h in hashes] != list(batch.hashes):
        at = next(i for i, h in enumerate(hashes) if h.hex() != batch.hashes[i])
        ref = _ref_of(start + at)
        raise Divergence(
            f"leaf {start + at} ({ref}): its data hashes to {hashes[at].hex()}, "
            f"the stored leaf hash is {batch.hashes[at]}",
            index=start + at,
            ref=ref,
        )
    return hashes


def _check_framing(batch: Batch) -> None:
    """Each leaf's data is the canonical leaf of its row's kind and ref (it begins with the one and
    ends with the other), so a row's columns cannot be moved to another leaf."""
    heads = {kind: _head(kind) for kind in set(batch.kinds)}
    joined = "".join(batch.refs)
    if '"' in joined or "\\" in joined or not joined.isprintable():
        tails = [_tail(ref) for ref in batch.refs]
    else:  # no ref needs an escape: build the tails without asking each one
        tails = [b',"ref":"' + ref.encode() + b'"}' for ref in batch.refs]
    framed = map(bytes.startswith, batch.data, [heads[kind] for kind in batch.kinds])
    if not all(framed) or not all(map(bytes.endswith, batch.data, tails)):
        at = next(
            i
            for i, data in enumerate(batch.data)
            if not (data.startswith(heads[batch.kinds[i]]) and data.endswith(_tail(batch.refs[i])))
        )
        raise Divergence(
            f"leaf {batch.start + at}: its data does not name the row's {batch.kinds[at]} {batch.refs[at]}",
            index=batch.start + at,
            ref=batch.refs[at],
        )


def _head(kind: str) -> bytes:
    """How the canonical leaf of `kind` begins (its keys sorted: kind, payload, ref)."""
    return f'{{"kind":{_quoted(kind)},"payload":'.encode()


def _tail(ref: str) -> bytes:
    return f',"ref":{_quoted(ref)}}}'.encode()


def _check_tree(hashes: list[bytes], level: int, offset: int, picked: Picked, *, top: int) -> list[bytes]:
    """Compare `hashes` (level `level`, from position `offset`) and every complete level above them
    with the stored subtree hashes, up to level `top`; keeps the nodes `picked` wants. Returns the
    highest level reached."""
    sha256 = hashlib.sha256
    while True:
        stored = _stored_level(level, offset, offset + len(hashes))
        if stored != b"".join(hashes):
            at = next(i for i, h in enumerate(hashes) if stored[32 * i : 32 * i + 32] != h)
            position = offset + at
            last = ((position + 1) << level) - 1
            ref = _ref_of(last)
            raise Divergence(
                f"subtree hash ({level}, {position}) ending at leaf {last} ({ref}) "
                "is missing or differs from the recomputed one",
                index=last,
                ref=ref,
            )
        picked.keep(level, offset, hashes)
        if len(hashes) < 2 or level == top:
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


_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _check_records(batch: Batch, seen: set[str]) -> int:
    """Compare the newest leaf of each record in this batch (the batches come newest first) with
    the record as stored now."""
    # A later leaf of a ref overwrites an earlier one: the newest index of each ref, in C.
    newest = dict(zip(batch.refs, range(len(batch)), strict=True))
    kinds = batch.kinds
    wanted: dict[str, list[tuple[int, str]]] = {kind: [] for kind in set(kinds)}
    add = {kind: items.append for kind, items in wanted.items()}
    for ref in newest.keys() - seen:
        at = newest[ref]
        add[kinds[at]]((at, ref))
    seen.update(newest)
    problems: list[Divergence] = []
    start = batch.start
    dumps = orjson.dumps
    for kind, items in wanted.items():
        if not items:
            continue
        entry = registry.get(kind)
        if entry is None:
            at, ref = min(items)
            problems.append(
                Divergence(
                    f"leaf {start + at}: no app registers the kind {kind!r} to rebuild {ref}",
                    index=start + at,
                    ref=ref,
                )
            )
            continue
        rebuilt = entry.payloads([ref for _, ref in items])
        # orjson writes the same canonical form (sorted keys, no spaces, UTF-8) many times faster,
        # and the whole kind's leaves at once: one comparison when every record is as logged.
        try:
            leaves = [{"kind": kind, "payload": rebuilt[ref], "ref": ref} for _, ref in items]
            if dumps(leaves, option=_ORJSON) == b"[" + b",".join([batch.data[at] for at, _ in items]) + b"]":
                continue
        except (KeyError, TypeError):  # a record is gone, or a value orjson does not write
            pass
        for at, ref in items:
            now = rebuilt.get(ref)
            if now is None:
                problems.append(
                    Divergence(
                        f"leaf {start + at} ({kind}): the record {ref} no longer exists",
                        index=start + at,
                        ref=ref,
                    )
                )
                continue
            # Whatever orjson writes differently (a float, an escape) is asked of the one canonical
            # encoder before it counts as a difference.
            leaf = {"kind": kind, "payload": now, "ref": ref}
            try:
                if dumps(leaf, option=_ORJSON) == batch.data[at]:
                    continue
            except TypeError:
                pass
            if canonical(leaf) != batch.data[at]:
                problem = _differs(start + at, kind, ref, now, batch.data[at])
                if problem is not None:
                    problems.append(problem)
    if problems:
        raise min(problems, key=lambda p: p.index or 0)
    return sum(len(items) for items in wanted.values())


def _differs(index: int, kind: str, ref: str, now: dict[str, object], data: bytes) -> Divergence | None:
    """Name the fields in which the record differs from its leaf (the framing was checked with the leaf).

    The leaf vouches for the fields it holds; a field a later version of zhifa added to the
    payload is not in the leaves that version did not write."""
    payload = json.loads(data[len(_head(kind)) : data.rindex(b',"ref":')])
    fields = sorted(k for k in payload if k not in now or canonical(payload[k]) != canonical(now[k]))
    if not fields:  # only fields added since: the record is what its leaf says
        return None
    return Divergence(
        f"leaf {index} ({kind}): the record {ref} differs from its leaf in {', '.join(fields)}: "
        + "; ".join(f"{k}: leaf {payload.get(k)!r}, stored {now.get(k)!r}" for k in fields),
        index=index,
        ref=ref,
    )


def verify_log(
    *, progress: Callable[[int], object] | None = None, records: bool = True, parallel: bool | None = None
) -> Summary:
    """Verify the whole log (see the module's docstring); raises the first Divergence.

    The records are compared in a second process while this one recomputes the tree, when the
    database can be read from one (a file or a server, outside a transaction); `parallel`
    forces the choice (False in a test's transaction)."""
    head = LedgerHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    count = LedgerLeaf.objects.count()
    if count != size:
        raise Divergence(f"the head says {size} leaves but {count} are stored")
    checkpoints = list(Checkpoint.objects.order_by("pk"))
    picked = Picked({c.size for c in checkpoints if c.size <= size} | {size})
    if parallel is None:
        parallel = _can_fork()
    pending = _records_in_child(size, records) if parallel else None
    problems: list[tuple[Divergence, int]] = []  # (divergence, pass): the lowest leaf wins
    tops: list[bytes] = []
    try:
        tops = _tree_pass(size, picked, progress)
    except Divergence as divergence:
        problems.append((divergence, 0))
    checked, unlogged = 0, None
    try:
        checked = pending() if pending is not None else _records_pass(size, records)
    except Divergence as divergence:
        if divergence.index is None:
            unlogged = divergence
        else:
            problems.append((divergence, 1))
    if problems:
        raise min(problems, key=lambda p: (p[0].index or 0, p[1]))[0]
    tops.reverse()
    if len(tops) > 1:
        _check_tree(
            [hashlib.sha256(b"\x01" + tops[i] + tops[i + 1]).digest() for i in range(0, len(tops) - 1, 2)],
            LEVELS + 1,
            0,
            picked,
            top=-1,
        )
    stored_nodes = LedgerNode.objects.count()
    should = sum(size >> level for level in range(size.bit_length()))
    if stored_nodes != should:
        raise Divergence(f"{stored_nodes} subtree hashes are stored, a log of {size} leaves has {should}")
    if head is not None and bytes(head.frontier) != b"".join(picked.subtrees(size)):
        raise Divergence("the head's right-edge hashes differ from the recomputed ones")
    roots = {c.size: picked.root(c.size) for c in checkpoints if c.size <= size}
    _check_checkpoints(checkpoints, roots, size)
    if unlogged is not None:
        raise unlogged
    return Summary(size=size, root=picked.root(size), checkpoints=len(checkpoints), records=checked)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Reading millions of rows makes millions of tuples, none in a cycle: the cyclic collector
    would walk them all again and again (it measured half the time of a pass)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_no_gc()
def _tree_pass(size: int, picked: Picked, progress: Callable[[int], object] | None) -> list[bytes]:
    """Every leaf and every stored subtree hash, newest batch first; returns the level-LEVELS hash
    of each full batch, newest first. Raises the divergence at the lowest leaf."""
    tops: list[bytes] = []
    first: Divergence | None = None
    for start in reversed(range(0, size, BATCH)):
        end = min(start + BATCH, size)
        batch = _leaves(start, end)
        try:
            top = _check_tree(_check_leaves(batch, start, end), 0, start, picked, top=LEVELS)
            if end - start == BATCH:
                tops.extend(top)
        except Divergence as divergence:
            first = divergence
        if progress:
            progress(len(batch))
    if first is not None:
        raise first
    return tops


@_no_gc()
def _records_pass(size: int, records: bool) -> int:
    """Every leaf names its row's kind and ref; with `records`, the newest leaf of every record
    against the record as stored now, then the records that have no leaf. Returns how many
    records were compared."""
    seen: set[str] = set()  # every ref with a leaf of any kind (its kind may have changed over versions)
    checked = 0
    first: Divergence | None = None
    for start in reversed(range(0, size, BATCH)):
        batch = _leaves(start, min(start + BATCH, size), names=True)
        try:
            _check_framing(batch)
            if records:
                checked += _check_records(batch, seen)
        except Divergence as divergence:
            first = divergence
            seen.update(batch.refs)
    if first is not None:
        raise first
    if records:
        _check_unlogged(seen)
    return checked


def _can_fork() -> bool:
    """A second process sees what this one sees: the database is a file or a server, and no
    transaction of this process holds rows it cannot see."""
    if not hasattr(os, "fork") or connection.in_atomic_block:
        return False
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and not connection.is_in_memory_db()  # type: ignore[attr-defined]
    )


def _records_in_child(size: int, records: bool) -> Callable[[], int]:
    """Start the records pass in a forked process; returns the call that waits for its answer."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    connections.close_all()  # the child opens its own; a shared socket or file handle would tangle

    def child() -> None:
        try:
            send.send(("ok", _records_pass(size, records)))
        except Divergence as divergence:
            send.send(("divergence", str(divergence), divergence.index, divergence.ref))
        except BaseException as exc:  # reported in the parent, which raises it
            send.send(("error", f"{type(exc).__name__}: {exc}"))
        finally:
            connections.close_all()

    process = context.Process(target=child, name="zhifa-ledger-records", daemon=True)
    process.start()
    send.close()

    def wait() -> int:
        try:
            answer = receive.recv()
        except EOFError:  # it died before it could answer
            answer = ("error", "the records process ended without an answer")
        process.join()
        if answer[0] == "divergence":
            raise Divergence(answer[1], index=answer[2], ref=answer[3])
        if answer[0] == "error":
            raise RuntimeError(f"comparing the records failed: {answer[1]}")
        return int(answer[1])

    return wait


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
