"""Run a benchmark's child script on a scratch SQLite database and return what it printed last.

The child runs in its own process (a fresh Django, the checkout as its working directory) with
ZHIFA_VAR_DIR and DATABASE_URL pointing into a temporary directory that is removed afterwards;
its last line of standard output is JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent


def run_child(child: str, *args: object) -> Any:
    scratch = Path(tempfile.mkdtemp(prefix="zhifa-bench-"))
    try:
        env = {
            **os.environ,
            "ZHIFA_VAR_DIR": str(scratch),
            "DATABASE_URL": f"sqlite:///{scratch / 'zhifa.sqlite3'}",
        }
        out = subprocess.run(
            [sys.executable, "-c", child, *map(str, args)],
            env=env,
            cwd=CHECKOUT,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
