"""A worker killed (SIGKILL) in the middle of an upload leaves no item, no leaf and no file at
a content address, and the ledger still verifies. Cross-process, on a scratch file database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

GROWN = 16 * 1024 * 1024


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'zhifa.sqlite3'}",
            "ZHIFA_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        }
    )
    env.pop("ZHIFA_EVIDENCE_S3_BUCKET", None)
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_upload_leaves_nothing_behind(tmp_path, migrated_sqlite):
    env = _env(tmp_path)
    migrated_sqlite(tmp_path / "zhifa.sqlite3")  # the worker's own migrate then has nothing to do
    worker = subprocess.Popen(
        [sys.executable, "-m", "zhifa.evidence.tests.ingest_worker"],
        cwd=settings.CHECKOUT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert worker.stdout is not None
        line = worker.stdout.readline()
        assert line.startswith("READY"), line + (worker.stderr.read() if worker.stderr else "")
        staging = Path(line.split(" ", 1)[1].strip())
        deadline = time.monotonic() + 120  # a guard against a hung worker, not a timed assertion
        while not any(p.stat().st_size > GROWN for p in staging.glob("*.part")):
            assert worker.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    store = tmp_path / "evidence"
    addressed = [p for p in (store / "sha256").rglob("*") if p.is_file()]
    assert len(addressed) == 1  # only the complete first item
    with sqlite3.connect(tmp_path / "zhifa.sqlite3") as db:
        assert db.execute("select count(*) from evidence_evidenceitem").fetchone() == (1,)
        assert db.execute("select count(*) from evidence_blob").fetchone() == (1,)
        leaves = db.execute("select ref from ledger_ledgerleaf where kind = 'evidence'").fetchall()
        assert len(leaves) == 1
    # The partial staging file is all that is left; it is never referenced by anything.
    assert [p.stat().st_size > GROWN for p in staging.glob("*.part")] == [True]

    verify = subprocess.run(
        [sys.executable, "-m", "zhifa", "ledger", "verify"],
        cwd=settings.CHECKOUT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
