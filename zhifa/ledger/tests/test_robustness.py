"""Issue item 6: a worker killed (SIGKILL) in the middle of an append transaction leaves the log
verifiable, with no orphaned leaf. Runs real processes on a file-based SQLite database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

WORKER = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from django.db import transaction
    from zhifa.ledger.services import ledger_append

    for i in range(20):
        with transaction.atomic():
            ledger_append(kind="test", ref=f"test.thing:{i}", payload={"i": i})
            ledger_append(kind="test", ref=f"test.other:{i}", payload={"i": i})
    with transaction.atomic():
        for i in range(3):
            ledger_append(kind="test", ref=f"test.doomed:{i}", payload={"i": i})
        print("holding", flush=True)
        time.sleep(120)
    """
)

CHECK = textwrap.dedent(
    """
    import django
    django.setup()
    from django.db import transaction
    from zhifa.ledger.integrity import verify_log
    from zhifa.ledger.models import LedgerLeaf
    from zhifa.ledger.services import ledger_append

    assert not LedgerLeaf.objects.filter(ref__startswith="test.doomed").exists()
    summary = verify_log(records=False)
    assert summary.size == 40, summary
    with transaction.atomic():
        assert ledger_append(kind="test", ref="test.after:0", payload={}).index == 40
    assert verify_log(records=False).size == 41
    print("ok")
    """
)


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhifa.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        "ZHIFA_VAR_DIR": str(tmp_path / "var"),
        # The automatic checkpoint signs after commits; keep it out of the way of this test.
        "ZHIFA_LEDGER_CHECKPOINT_LEAVES": "1000000",
        "ZHIFA_LEDGER_CHECKPOINT_SECONDS": "1000000",
    }


def test_killed_append_leaves_no_orphan_and_a_verifiable_log(tmp_path):
    env = _env(tmp_path)
    zhifa = [sys.executable, "-m", "zhifa"]
    subprocess.run([*zhifa, "migrate", "ledger", "--verbosity", "0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "holding"
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    check = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "ok"
