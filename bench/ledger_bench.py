"""Ledger benchmarks (issue 4 item 7): append rate, full verification and proof time at 1M leaves.

    .venv/bin/python bench/ledger_bench.py [--leaves 1000000] [--appends 10000] [--proofs 1000]
        [--keep DIR | --reuse DIR] [--passes] [--profile]

Runs on a fresh database: a temporary SQLite file by default, or DATABASE_URL (PostgreSQL: give
a database you can spare; its ledger tables are emptied first). `--keep DIR` builds in DIR and
leaves it there (the SQLite file and the checkpoint key); `--reuse DIR` measures the log kept
there without building it again. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup(tmp: Path, *, fresh: bool = True) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    os.environ["ZHIFA_VAR_DIR"] = str(tmp / "var")
    # Checkpoints are signed by the benchmark, not after each commit.
    os.environ["ZHIFA_LEDGER_CHECKPOINT_LEAVES"] = str(10**12)
    os.environ["ZHIFA_LEDGER_CHECKPOINT_SECONDS"] = str(10**12)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhifa.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not fresh:
        return
    from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode

    for model in (Checkpoint, LedgerNode, LedgerLeaf, LedgerHead):
        model.objects.all().delete()


def _payload(n: int) -> dict[str, object]:
    return {"n": n, "summary": f"基准记录 {n}", "sha256": f"{n:064x}"}


def _register() -> None:
    from zhifa.ledger.registry import ref_pk, register

    register("bench", lambda refs: {ref: _payload(ref_pk(ref)) for ref in refs})


def _append_rate(n: int) -> None:
    from django.db import transaction

    from zhifa.ledger.selectors import tree_size
    from zhifa.ledger.services import ledger_append

    start = tree_size()
    t = time.perf_counter()
    with transaction.atomic():
        for i in range(start, start + n):
            ledger_append(kind="bench", ref=f"bench.item:{i}", payload=_payload(i))
    one = time.perf_counter() - t
    print(f"append, {n} in one transaction:   {n / one:9.0f} leaves/s ({one * 1e6 / n:.0f} µs each)")
    start += n
    t = time.perf_counter()
    for i in range(start, start + n):
        with transaction.atomic():
            ledger_append(kind="bench", ref=f"bench.item:{i}", payload=_payload(i))
    many = time.perf_counter() - t
    print(f"append, {n} in {n} transactions: {n / many:9.0f} leaves/s ({many * 1e6 / n:.0f} µs each)")


def _bulk_build(target: int, chunk: int = 20_000) -> None:
    """Fill the log up to `target` leaves the fast way (same hashes, rows written in bulk)."""
    from django.db import transaction

    from zhifa.ledger.models import LedgerHead, LedgerLeaf, LedgerNode
    from zhifa.ledger.services import frontier_hashes, leaf_data
    from zhifa.ledger.verify import leaf_hash, node_hash

    head = LedgerHead.objects.get(pk=1)
    size = head.size
    levels = [b for b in range(size.bit_length() - 1, -1, -1) if size >> b & 1]
    stack = list(zip(levels, frontier_hashes(head), strict=True))
    t = time.perf_counter()
    while size < target:
        leaves, nodes = [], []
        for index in range(size, min(size + chunk, target)):
            ref = f"bench.item:{index}"
            data = leaf_data(kind="bench", ref=ref, payload=_payload(index))
            h = leaf_hash(data)
            leaves.append(LedgerLeaf(index=index, kind="bench", ref=ref, data=data.decode(), hash=h.hex()))
            nodes.append(LedgerNode(level=0, index=index, hash=h))
            level, current = 0, h
            while stack and stack[-1][0] == level:
                current = node_hash(stack.pop()[1], current)
                level += 1
                nodes.append(LedgerNode(level=level, index=index >> level, hash=current))
            stack.append((level, current))
        with transaction.atomic():
            LedgerLeaf.objects.bulk_create(leaves, batch_size=5000)
            LedgerNode.objects.bulk_create(nodes, batch_size=5000)
            size += len(leaves)
            LedgerHead.objects.filter(pk=1).update(size=size, frontier=b"".join(h for _, h in stack))
        print(f"\rbuilding: {size}/{target}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"bulk build to {target} leaves: {time.perf_counter() - t:.1f} s")


def _proofs(count: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zhifa.ledger import selectors
    from zhifa.ledger.verify import verify_consistency, verify_inclusion

    size = selectors.tree_size()
    root = selectors.root_at(size)
    rng = random.Random(4)
    for what in ("inclusion", "consistency"):

        def prove(what: str = what) -> list[bytes]:
            if what == "inclusion":
                return selectors.inclusion_proof(index=rng.randrange(size), size=size)
            return selectors.consistency_proof(size1=rng.randrange(1, size), size2=size)

        # Timed bare; the queries are counted on a second run (capturing them costs time too).
        t = time.perf_counter()
        hashes = sum(len(prove()) for _ in range(count))
        elapsed = time.perf_counter() - t
        with CaptureQueriesContext(connection) as captured:
            for _ in range(100):
                prove()
        print(
            f"{what} proof at {size} leaves: {elapsed * 1e3 / count:.2f} ms each, "
            f"{len(captured) / 100:.1f} queries each, {hashes / count:.1f} hashes each ({count} random)"
        )
    # One of each, checked by the stand-alone verifier.
    leaf = selectors.leaf_at(size // 3)
    assert leaf is not None
    ok = verify_inclusion(
        leaf_hash=leaf.hash_bytes,
        index=leaf.index,
        size=size,
        proof=selectors.inclusion_proof(index=leaf.index, size=size),
        root=root,
    )
    ok2 = verify_consistency(
        size1=size // 7,
        size2=size,
        root1=selectors.root_at(size // 7),
        root2=root,
        proof=selectors.consistency_proof(size1=size // 7, size2=size),
    )
    print(f"sample proofs verify with verify.py: inclusion {ok}, consistency {ok2}")


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its children that have ended (verify's forked ones)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _verify(anchor: float, *, records: bool = True) -> None:
    from zhifa.ledger.integrity import verify_log

    cpu = _cpu()
    t = time.perf_counter()
    summary = verify_log(records=records)
    elapsed = time.perf_counter() - t
    own, child = (b - a for a, b in zip(cpu, _cpu(), strict=True))
    what = "full verification" if records else "--no-records"
    print(
        f"{what} at {summary.size} leaves: {elapsed:.2f} s "
        f"({summary.size / elapsed:.0f} leaves/s; {summary.records} records compared, "
        f"{summary.checkpoints} checkpoints); {elapsed / anchor:.1f}× the hashlib anchor; "
        f"CPU {own:.2f} s here + {child:.2f} s in the forked one; load average {_load()}"
    )


def _passes(*, profile: bool) -> None:
    """The whole check in this one process (wall and CPU time, with and without the records),
    optionally under cProfile: what the processes of verify share out."""
    import cProfile
    import pstats

    from zhifa.ledger import integrity
    from zhifa.ledger.models import Checkpoint
    from zhifa.ledger.selectors import tree_size

    size = tree_size()
    for records in (True, False):
        picked = integrity.Picked({c.size for c in Checkpoint.objects.all()} | {size})
        profiler = cProfile.Profile(time.process_time) if profile else None
        cpu, t = time.process_time(), time.perf_counter()
        args = (0, size, picked, set(), records, None)
        part = profiler.runcall(integrity._check_range, *args) if profiler else integrity._check_range(*args)
        assert not part.problems, part.problems
        what = "with the records" if records else "without the records"
        print(
            f"one process, {what}: {time.perf_counter() - t:.2f} s, CPU {time.process_time() - cpu:.2f} s; "
            f"load average {_load()}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _anchor() -> float:
    """The hashlib floor: the same leaves' data, read once, hashed into the tree in memory."""
    import hashlib

    from zhifa.ledger.models import LedgerLeaf

    data = [
        d.encode("utf-8")
        for d in LedgerLeaf.objects.order_by("index").values_list("data", flat=True).iterator(10_000)
    ]
    t = time.perf_counter()
    level = [hashlib.sha256(b"\x00" + d).digest() for d in data]
    while len(level) > 1:
        level = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
    elapsed = time.perf_counter() - t
    print(f"anchor: hashlib over the same {len(data)} leaves and their subtrees: {elapsed:.2f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=10_000)
    parser.add_argument("--proofs", type=int, default=1000)
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and leave it there")
    kept.add_argument(
        "--reuse", type=Path, metavar="DIR", help="measure the log an earlier --keep left in DIR"
    )
    parser.add_argument("--passes", action="store_true", help="also time the whole check in one process")
    parser.add_argument(
        "--profile", action="store_true", help="print each pass's cProfile (implies --passes)"
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.reuse:
            tmp = args.reuse
        elif args.keep:
            tmp = args.keep
            tmp.mkdir(parents=True, exist_ok=True)
        else:
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="zhifa-ledger-bench-")))
        _setup(tmp, fresh=not args.reuse)
        from django.db import connection

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load average {_load()}")
        _register()
        if not args.reuse:
            _append_rate(args.appends)
            from zhifa.ledger.services import checkpoint_make

            checkpoint_make(reason="bench")
            _proofs(args.proofs)
            _bulk_build(args.leaves)
            checkpoint_make(reason="bench")
        _proofs(args.proofs)
        anchor = _anchor()
        _verify(anchor)
        _verify(anchor, records=False)
        if args.passes or args.profile:
            _passes(profile=args.profile)


if __name__ == "__main__":
    main()
