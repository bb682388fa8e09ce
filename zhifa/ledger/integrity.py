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
time, once for both checks; the tree is recomputed a level at a time and each level compared
with the stored one end to end (one range query per level); the batches are read newest first,
so the first leaf met of a record is its newest and no query asks for it; a kind's rebuilt
records are compared with their leaves as canonical bytes in one comparison, and parsed only to
name the fields that differ (a compared leaf needs no framing check of its own: its bytes are the
canonical leaf of its row's kind and ref). The batches are shared out in contiguous ranges, one
process per core: an older range first reads the refs logged after it, so it compares exactly
the records one pass would.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import hashlib
import json
import multiprocessing
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, pairwise, repeat
from typing import Any

import orjson
from django.db import connection, connections

from zhifa.ledger import registry
from zhifa.ledger.keys import checkpoint_signed_by, verifier_keys
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.services import canonical
from zhifa.ledger.verify import fold_subtrees, parse_checkpoint

LEVELS = 16
BATCH = 1 << LEVELS
MAX_PROCESSES = 8  # one per core, this many at most: each older range first reads the newer refs


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
    """The leaves [start, end), column by column (the index is the position): both checks of a
    batch read the same rows once."""

    start: int
    data: tuple[bytes, ...]  # UTF-8, hashed as stored, never decoded
    hashes: tuple[str, ...] = ()  # hex, as stored
    kinds: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.data)


def _leaves(start: int, end: int) -> Batch:
    table = connection.ops.quote_name(LedgerLeaf._meta.db_table)
    index = connection.ops.quote_name("index")
    data = "convert_to(data, 'UTF8')" if connection.vendor == "postgresql" else "CAST(data AS BLOB)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {data}, hash, kind, ref FROM {table} WHERE {index} >= %s AND {index} < %s ORDER BY {index}",
            [start, end],
        )
        rows = cursor.fetchall()
    if not rows:
        return Batch(start, ())
    blobs, hashes, kinds, refs = zip(*rows, strict=True)
    return Batch(start, _as_bytes(blobs), hashes=hashes, kinds=kinds, refs=refs)


def _refs_from(start: int) -> set[str]:
    """Every ref with a leaf at `start` or later."""
    table = connection.ops.quote_name(LedgerLeaf._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ref FROM {table} WHERE {connection.ops.quote_name('index')} >= %s", [start])
        return set(chain.from_iterable(cursor.fetchall()))


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
        return b"".join(chain.from_iterable(cursor.fetchall()))


def _ref_of(index: int) -> str:
    return LedgerLeaf.objects.filter(index=index).values_list("ref", flat=True).first() or "?"


def _check_leaves(batch: Batch, start: int, end: int) -> list[bytes]:
    """The leaves are all there and each hashes to its stored hash; returns the leaf hashes. One
    comparison per batch (of the hex strings end to end): the loop after a failed one only names
    its first leaf."""
    if len(batch) != end - start:  # the index is the primary key: a short range has a gap
        missing = _first_missing(start, end)
        raise Divergence(f"leaf {missing} is missing", index=missing)
    sha256 = hashlib.sha256
    hashes = [sha256(b"\x00" + data).digest() for data in batch.data]
    if b"".join(hashes).hex() != "".join(batch.hashes):
        at = next(i for i, h in enumerate(hashes) if h.hex() != batch.hashes[i])
        ref = _ref_of(start + at)
        raise Divergence(
            f"leaf {start + at} ({ref}): its data hashes to {hashes[at].hex()}, "
            f"the stored leaf hash is {batch.hashes[at]}",
            index=start + at,
            ref=ref,
        )
    return hashes


def _framing_problem(batch: Batch, ats: Sequence[int]) -> Divergence | None:
    """The divergence at the first leaf of `ats` whose data is not framed as the canonical leaf of
    its row's kind and ref (it begins with the one and ends with the other), so that a row's
    columns cannot be moved to another leaf. Per-leaf work in C: maps, no Python loop."""
    if not ats:
        return None
    whole = len(ats) == len(batch)
    data = batch.data if whole else tuple(map(batch.data.__getitem__, ats))
    kinds = batch.kinds if whole else tuple(map(batch.kinds.__getitem__, ats))
    refs = batch.refs if whole else tuple(map(batch.refs.__getitem__, ats))
    heads = {kind: _head(kind) for kind in set(kinds)}
    joined = "".join(refs)
    tails: Iterable[bytes]
    if '"' in joined or "\\" in joined or not joined.isprintable():
        tails = map(_tail, refs)
    else:  # no ref needs an escape (nor holds a newline): encode them all at once
        encoded = "\n".join(refs).encode().split(b"\n")
        tails = map(operator.add, map(b',"ref":"'.__add__, encoded), repeat(b'"}'))
    if all(map(bytes.startswith, data, map(heads.__getitem__, kinds))) and all(
        map(bytes.endswith, data, tails)
    ):
        return None
    i = next(
        i for i, d in enumerate(data) if not (d.startswith(heads[kinds[i]]) and d.endswith(_tail(refs[i])))
    )
    at = ats[i]
    return Divergence(
        f"leaf {batch.start + at}: its data does not name the row's {kinds[i]} {refs[i]}",
        index=batch.start + at,
        ref=refs[i],
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
        hashes = [
            sha256(b"\x01" + left + right).digest()
            for left, right in zip(hashes[::2], hashes[1::2], strict=False)
        ]
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
    the record as stored now; check the framing of the leaves not compared. Returns how many
    records were compared; raises the divergence at the lowest leaf, a framing one first.

    A compared leaf needs no framing check: its bytes equal the canonical leaf rebuilt from the
    row's own kind and ref. Leaves of records with a newer leaf (in this batch or a newer one)
    are only checked for framing."""
    n = len(batch)
    # A later leaf of a ref overwrites an earlier one: the newest index of each ref, in C.
    newest = dict(zip(batch.refs, range(n), strict=True))
    picks: Sequence[int]
    if len(newest) == n and seen.isdisjoint(newest):
        picks, others = range(n), []  # each leaf is its record's newest: no per-leaf loop
    else:
        picks = sorted(map(newest.__getitem__, newest.keys() - seen))
        chosen = set(picks)
        others = [i for i in range(n) if i not in chosen]
    seen.update(newest)
    kinds_of = batch.kinds if len(picks) == n else tuple(map(batch.kinds.__getitem__, picks))
    if len(kinds := set(kinds_of)) == 1:
        groups = {kinds.pop(): list(picks)}
    else:
        groups = {kind: list(compress(picks, map(kind.__eq__, kinds_of))) for kind in kinds}
    unframed = list(others)  # the leaves whose framing is still to check
    problems: list[Divergence] = []
    for kind, ats in groups.items():
        if not _same_as_rebuilt(batch, kind, ats, problems):
            unframed.extend(ats)
    framing = _framing_problem(batch, sorted(unframed))
    if framing is not None:
        raise framing
    if problems:
        raise min(problems, key=lambda p: p.index or 0)
    return len(picks)


def _same_as_rebuilt(batch: Batch, kind: str, ats: list[int], problems: list[Divergence]) -> bool:
    """Compare the leaves `ats` (all of `kind`) with their records rebuilt by the kind's registered
    function; True when all are as logged, else the differences are added to `problems`."""
    start = batch.start
    whole = len(ats) == len(batch)
    refs = list(batch.refs) if whole else list(map(batch.refs.__getitem__, ats))
    entry = registry.get(kind)
    if entry is None:
        problems.append(
            Divergence(
                f"leaf {start + ats[0]}: no app registers the kind {kind!r} to rebuild {refs[0]}",
                index=start + ats[0],
                ref=refs[0],
            )
        )
        return False
    rebuilt = entry.payloads(refs)
    data = batch.data if whole else tuple(map(batch.data.__getitem__, ats))
    dumps = orjson.dumps
    # orjson writes the same canonical form (sorted keys, no spaces, UTF-8) many times faster,
    # and the whole kind's leaves at once: one comparison when every record is as logged.
    try:
        leaves = [
            {"kind": kind, "payload": p, "ref": r}
            for r, p in zip(refs, map(rebuilt.__getitem__, refs), strict=True)
        ]
        if dumps(leaves, option=_ORJSON) == b"[" + b",".join(data) + b"]":
            return True
    except (KeyError, TypeError):  # a record is gone, or a value orjson does not write
        pass
    framed = _framing_problem(batch, ats) is None
    for at, ref, stored in zip(ats, refs, data, strict=True):
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
            if dumps(leaf, option=_ORJSON) == stored:
                continue
        except TypeError:
            pass
        if canonical(leaf) != stored and framed:  # a misframed leaf is named by its framing
            problem = _differs(start + at, kind, ref, now, stored)
            if problem is not None:
                problems.append(problem)
    return False


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

    The batches are shared out in contiguous ranges between this process and forked ones (one
    per core) when the database can be read from another process (a file or a server, outside a
    transaction); `parallel` forces the choice (False in a test's transaction)."""
    head = LedgerHead.objects.filter(pk=1).first()
    size = head.size if head else 0
    count = LedgerLeaf.objects.count()
    if count != size:
        raise Divergence(f"the head says {size} leaves but {count} are stored")
    checkpoints = list(Checkpoint.objects.order_by("pk"))
    picked = Picked({c.size for c in checkpoints if c.size <= size} | {size})
    if parallel is None:
        parallel = _can_fork()
    parts = _run_ranges(_ranges(size, _cores() if parallel else 1), picked, records, progress)
    problems = [
        (Divergence(message, index=index, ref=ref), step)
        for p in parts
        for message, index, ref, step in p.problems
    ]
    if problems:  # the lowest leaf wins; at the same leaf, its hash before its record
        raise min(problems, key=lambda p: (p[0].index or 0, p[1]))[0]
    for part in parts:
        picked.nodes.update(part.nodes)
    tops = [top for part in parts for top in part.tops]  # newest first
    tops.reverse()
    if len(tops) > 1:
        _check_tree(
            [
                hashlib.sha256(b"\x01" + left + right).digest()
                for left, right in zip(tops[::2], tops[1::2], strict=False)
            ],
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
    for part in parts:
        if part.unlogged is not None:
            raise Divergence(part.unlogged[0], ref=part.unlogged[1])
    return Summary(
        size=size, root=picked.root(size), checkpoints=len(checkpoints), records=sum(p.records for p in parts)
    )


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


@dataclass
class _Part:
    """What the check of one range of batches found, in a form a pipe carries (no exceptions)."""

    tops: list[bytes] = field(default_factory=list)  # the level-LEVELS hash of each full batch, newest first
    nodes: dict[tuple[int, int], bytes] = field(default_factory=dict)  # the picked nodes it recomputed
    records: int = 0
    problems: list[tuple[str, int | None, str, int]] = field(
        default_factory=list
    )  # message, index, ref, step
    unlogged: tuple[str, str] | None = None  # a record without a leaf: message, ref

    def add(self, divergence: Divergence, step: int) -> None:
        self.problems.append((str(divergence), divergence.index, divergence.ref, step))


@_no_gc()
def _check_range(
    low: int,
    high: int,
    picked: Picked,
    seen: set[str],
    records: bool,
    progress: Callable[[int], object] | None,
) -> _Part:
    """Check the batches [low, high), newest first, both ways from one read of each: every leaf
    and stored subtree hash (step 0); the framing of every leaf and, with `records`, the newest
    leaf of every record against the record as stored now (step 1). `seen` holds the refs with a
    leaf after `high`. The range that starts the log then looks for records without a leaf."""
    part = _Part()
    for start in reversed(range(low, high, BATCH)):
        end = min(start + BATCH, high)
        batch = _leaves(start, end)
        try:
            top = _check_tree(_check_leaves(batch, start, end), 0, start, picked, top=LEVELS)
            if end - start == BATCH:
                part.tops.extend(top)
        except Divergence as divergence:
            part.add(divergence, 0)
        try:
            if records:
                part.records += _check_records(batch, seen)
            elif (framing := _framing_problem(batch, range(len(batch)))) is not None:
                raise framing
        except Divergence as divergence:
            part.add(divergence, 1)
            seen.update(batch.refs)
        if progress:
            progress(len(batch))
    part.nodes = picked.nodes
    if records and low == 0 and not part.problems:
        try:
            _check_unlogged(seen)
        except Divergence as divergence:
            part.unlogged = (str(divergence), divergence.ref)
    return part


def _cores() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, MAX_PROCESSES)


# An older range first reads the refs logged after it, at about an eighth of a leaf's check each
# (measured at 1 M): each range is given that much fewer leaves than the newer one beside it.
REF_COST = 0.12


def _ranges(size: int, count: int) -> list[tuple[int, int]]:
    """At most `count` contiguous ranges of whole batches covering [0, size), newest first, sized
    so that each costs about the same, its newer refs included."""
    shares = [(1 - REF_COST) ** k for k in range(count)]
    cuts, high = set(), float(size)
    for share in shares[:-1]:
        high -= share / sum(shares) * size
        cuts.add(round(high / BATCH) * BATCH)
    edges = [0, *sorted(c for c in cuts if 0 < c < size), size]
    return list(reversed(list(pairwise(edges))))


def _can_fork() -> bool:
    """A second process sees what this one sees: the database is a file or a server, and no
    transaction of this process holds rows it cannot see."""
    if not hasattr(os, "fork") or connection.in_atomic_block:
        return False
    return connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and not connection.is_in_memory_db()  # type: ignore[attr-defined]
    )


def _run_ranges(
    ranges: list[tuple[int, int]], picked: Picked, records: bool, progress: Callable[[int], object] | None
) -> list[_Part]:
    """Check the newest range here and each older one in a forked process (which first reads the
    refs after its range, so that it compares the same records as one pass would); the parts
    come back newest first. The children's progress is passed on between this process's batches."""
    if len(ranges) == 1:
        return [_check_range(*ranges[0], picked, set(), records, progress)]
    context = multiprocessing.get_context("fork")
    connections.close_all()  # each child opens its own; a shared socket or file handle would tangle
    children = [_Child(context, low, high, picked, records) for low, high in ranges[1:]]

    def forward(count: int) -> None:
        if progress:
            progress(count)
        for child in children:
            child.drain(progress, block=False)

    try:
        own = _check_range(*ranges[0], picked, set(), records, forward)
        return [own, *(child.part(progress) for child in children)]
    finally:
        for child in children:
            child.stop()


class _Child:
    """A forked process checking one range; it sends ("progress", n) per batch, then its part."""

    def __init__(self, context: Any, low: int, high: int, picked: Picked, records: bool) -> None:
        receive, send = context.Pipe(duplex=False)

        def run() -> None:
            try:
                with _no_gc():
                    seen = _refs_from(high) if records else set()
                part = _check_range(low, high, picked, seen, records, lambda n: send.send(("progress", n)))
                send.send(("part", part))
            except BaseException as exc:  # reported in the parent, which raises it
                send.send(("error", f"{type(exc).__name__}: {exc}"))
            finally:
                connections.close_all()

        self.process = context.Process(target=run, name="zhifa-ledger-verify", daemon=True)
        self.process.start()
        send.close()
        self.receive = receive
        self.answer: _Part | None = None

    def drain(self, progress: Callable[[int], object] | None, *, block: bool) -> None:
        while self.answer is None and (block or self.receive.poll()):
            try:
                message = self.receive.recv()
            except EOFError:  # it died before it could answer
                message = ("error", "the process ended without an answer")
            if message[0] == "progress":
                if progress:
                    progress(message[1])
            elif message[0] == "part":
                self.answer = message[1]
            else:
                raise RuntimeError(f"checking the ledger in a second process failed: {message[1]}")

    def part(self, progress: Callable[[int], object] | None) -> _Part:
        self.drain(progress, block=True)
        assert self.answer is not None
        self.process.join()
        return self.answer

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


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
