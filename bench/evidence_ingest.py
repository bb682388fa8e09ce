"""Evidence ingest: throughput and peak memory for a large file, beside sha256sum on the same file.

    .venv/bin/python bench/evidence_ingest.py [--size-mb 2048] [--small-mb 200] [--dir DIR]

Generates a file of random-looking bytes (written once, in chunks), then in the same run:
  1. `sha256sum FILE` (coreutils, for reference);
  2. the ingest path in a child process: the file staged in one streaming pass computing SHA-256
     and SM3, moved to its content address, and the item, case event and ledger leaf written
     through zhifa.evidence.services.evidence_add, on a scratch file SQLite database;
  3. the same for a small file, to show the peak memory does not grow with the file.
Peak memory is the child's maximum resident set size (getrusage through os.wait4), which
includes Django itself. Prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
BLOCK = 64 * 1024 * 1024


def generate(path: Path, size_mb: int) -> None:
    block = bytearray(os.urandom(BLOCK))
    left = size_mb * 1024 * 1024
    counter = 0
    with open(path, "wb") as out:
        while left > 0:
            block[:8] = counter.to_bytes(8, "little")  # every block differs
            n = min(left, BLOCK)
            out.write(block[:n])
            left -= n
            counter += 1
        out.flush()
        os.fsync(out.fileno())


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS in KiB, stdout) of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, env=env, cwd=CHECKOUT, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{args[0]} failed: {output}")
    return elapsed, usage.ru_maxrss, output


CHILD = r"""
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
import django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from zhifa.accounts.models import Role
from zhifa.cases import services as cases
from zhifa.cases.tests.steps import party
from zhifa.evidence import storage
from zhifa.evidence.services import Metadata, evidence_add
from zhifa.testing.factories import AgencyFactory, make_user
from pathlib import Path
agency = AgencyFactory(document_abbr="测试")
head = make_user(Role.HEAD, agency=agency, full_name="局长")
case = cases.case_register_clue(actor=head, agency=agency, received_on=timezone.localdate(), source="complaint",
    cause="基准测试", clue_summary="基准测试。", **party(organisation=True))
meta = Metadata(kind="audiovisual", title="执法记录仪视频", proves="现场检查过程", collected_at=timezone.now(),
    place="基准测试", collector=head.officer)
path = Path(sys.argv[1])
started = time.perf_counter()
staged = storage.copy_to_staging(path)
hashed = time.perf_counter()
item = evidence_add(actor=head, case=case, staged=staged, meta=meta, original_name=path.name)
done = time.perf_counter()
print(json.dumps({"stage_hash": hashed - started, "commit": done - hashed, "total": done - started,
                  "sha256": item.blob.sha256}))
"""


def ingest(path: Path, scratch: Path) -> tuple[float, int, dict[str, float | str]]:
    var = scratch / f"var-{path.name}"
    var.mkdir()
    env = dict(os.environ)
    env.update({"ZHIFA_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'zhifa.sqlite3'}"})
    env.pop("ZHIFA_EVIDENCE_S3_BUCKET", None)
    elapsed, rss, output = run_measured([sys.executable, "-c", CHILD, str(path)], env)
    return elapsed, rss, json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size-mb", type=int, default=2048)
    parser.add_argument("--small-mb", type=int, default=200)
    parser.add_argument("--dir", help="where to write the test files (default: a temporary directory)")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="zhifa-bench-", dir=options.dir))
    try:
        rows = []
        for size_mb in (options.size_mb, options.small_mb):
            path = scratch / f"body-camera-{size_mb}MB.bin"
            generate(path, size_mb)
            sums, sums_rss, out = run_measured(["sha256sum", str(path)])
            elapsed, rss, result = ingest(path, scratch)
            assert out.split()[0] == result["sha256"], "sha256sum and the ingest disagree"
            rows.append((size_mb, sums, sums_rss, elapsed, rss, result))
            path.unlink()
        print(
            f"{'文件':>8} | {'sha256sum':>14} | {'入库（SHA-256+SM3，移入，写库+账本）':>30} | {'峰值内存':>10}"
        )
        print(f"{'MB':>8} | {'秒 (MB/s)':>14} | {'秒 (MB/s)；其中哈希暂存 / 提交':>30} | {'MiB':>10}")
        for size_mb, sums, _, _elapsed, rss, result in rows:
            stage = float(result["stage_hash"])
            commit = float(result["commit"])
            print(
                f"{size_mb:>8} | {sums:>6.2f} ({size_mb / sums:>5.0f}) | "
                f"{stage + commit:>6.2f} ({size_mb / (stage + commit):>5.0f})；{stage:.2f} / {commit:.2f} | "
                f"{rss / 1024:>10.0f}"
            )
        print(
            "入库子进程的墙钟时间（含 Django 启动和建库迁移）："
            + "，".join(f"{r[0]} MB {r[3]:.1f} 秒" for r in rows)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
