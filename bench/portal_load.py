"""The public portal under load: gunicorn with 2 workers, 200 concurrent clients, cache off and on.

    .venv/bin/python bench/portal_load.py [--clients 200] [--seconds 20] [--workers 2] [--keep]
    .venv/bin/python bench/portal_load.py --reuse DIR          # a scratch directory kept by --keep

Builds a scratch demo database (`zhifa migrate` and `zhifa demo` in a temporary ZHIFA_VAR_DIR,
SQLite; --laws is passed on to the demo), collects the anonymous portal addresses from it (home,
the agencies and their columns, the decision list with and without words, every public
decision, the Atom feed, the open-data page, the flow charts), then, in the same run, serves it
with `gunicorn zhifa.wsgi --workers 2` twice — ZHIFA_PORTAL_CACHE=0 (every page rendered) and
ZHIFA_PORTAL_CACHE=1 (zhifa.disclosure.portal_cache) — and drives each for --seconds with
--clients concurrent aiohttp clients, each requesting random addresses one after the other
(a fresh client without cookies, as the public arrives). Prints requests per second, p50 / p99
latency and the answers by status. The client runs on the same machine and takes CPU too:
compare the two rows, not the absolute figures.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
WORDS = ["工资", "罚款", "食品", "拖欠 工资", "安全生产", "营业执照", "核辐射"]


def _env(scratch: Path, cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ZHIFA_VAR_DIR=str(scratch),
        DATABASE_URL=f"sqlite:///{scratch / 'zhifa.sqlite3'}",
        DJANGO_SETTINGS_MODULE="zhifa.settings",
        ZHIFA_PORTAL_CACHE="1" if cache else "0",
        ZHIFA_DEBUG="0",
    )
    return env


def build(scratch: Path, laws: str | None) -> None:
    env = _env(scratch, cache=True)
    zhifa = str(VENV_BIN / "zhifa")
    subprocess.run([zhifa, "migrate", "--verbosity", "0"], env=env, check=True, cwd=CHECKOUT)
    subprocess.run(
        [zhifa, "collectstatic", "--noinput", "--verbosity", "0"], env=env, check=True, cwd=CHECKOUT
    )
    demo = [zhifa, "demo"] + (["--laws", laws] if laws else [])
    subprocess.run(demo, env=env, check=True, cwd=CHECKOUT, stdout=subprocess.DEVNULL)


def addresses(scratch: Path) -> list[str]:
    """The anonymous portal pages of the demo database (read in a child: its own Django)."""
    code = (
        "import django; django.setup()\n"
        "from zhifa.disclosure import selectors, flowchart\n"
        "from zhifa.disclosure.models import Kind\n"
        "from zhifa.disclosure.portal_selectors import portal_agencies\n"
        "paths = ['/public/', '/public/agencies/', '/public/decisions/', '/public/feed.atom', '/public/opendata/']\n"
        "paths += [f'/public/agencies/{pk}/' for pk in portal_agencies().values_list('pk', flat=True)[:40]]\n"
        "paths += [f'/public/decisions/{p.pk}/' for p in selectors.public_publications(kind=Kind.DECISION)[:200]]\n"
        "paths += [f'/public/flowcharts/{p}/' for p in flowchart.PROCEDURES]\n"
        "print('\\n'.join(paths))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(scratch, cache=True),
        check=True,
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
    ).stdout
    paths = [line for line in out.splitlines() if line.startswith("/public/")]
    paths += [f"/public/decisions/?q={word}" for word in WORDS]
    paths += ["/public/decisions/?outcome=penalty", "/public/decisions/?page=2"]
    return paths


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(scratch: Path, cache: bool, workers: int, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "zhifa.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        env=_env(scratch, cache),
        cwd=CHECKOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn 未能在 60 秒内启动。")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def drive(
    base: str, paths: list[str], clients: int, seconds: float
) -> tuple[list[float], Counter[int]]:
    import aiohttp

    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    stop_at = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()
    ) as session:

        async def client(seed: int) -> None:
            r = random.Random(seed)
            while time.monotonic() < stop_at:
                path = r.choice(paths)
                started = time.monotonic()
                try:
                    async with session.get(base + path) as response:
                        await response.read()
                        statuses[response.status] += 1
                except (TimeoutError, aiohttp.ClientError):
                    statuses[0] += 1
                latencies.append((time.monotonic() - started) * 1000)

        await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, statuses


def run(scratch: Path, paths: list[str], *, cache: bool, options: argparse.Namespace) -> dict[str, object]:
    port = _free_port()
    server = serve(scratch, cache, options.workers, port)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(drive(base, paths, min(options.clients, 20), 3))  # warm-up: imports, jieba, caches
        started = time.monotonic()
        latencies, statuses = asyncio.run(drive(base, paths, options.clients, options.seconds))
        elapsed = time.monotonic() - started
    finally:
        stop(server)
    latencies.sort()
    return {
        "requests": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "statuses": dict(sorted(statuses.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent clients (default 200)")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of load per run (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--laws", help="statute folder passed to `zhifa demo --laws`")
    parser.add_argument("--reuse", help="a scratch directory an earlier --keep run left (skips the demo)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    options = parser.parse_args()
    if options.clients < 1 or options.seconds <= 0 or options.workers < 1:
        print("--clients、--seconds 和 --workers 须为正数。", file=sys.stderr)
        raise SystemExit(2)
    scratch = Path(options.reuse) if options.reuse else Path(tempfile.mkdtemp(prefix="zhifa-portal-load-"))
    try:
        if not options.reuse:
            started = time.monotonic()
            build(scratch, options.laws)
            print(f"demo database built in {time.monotonic() - started:.0f} s", file=sys.stderr)
        paths = addresses(scratch)
        print(
            f"\n{len(paths)} portal addresses, {options.clients} clients, gunicorn --workers {options.workers},"
            f" {options.seconds:.0f} s per run.\n"
        )
        header = f"{'portal cache':<14} {'requests':>9} {'req/s':>8} {'p50 ms':>9} {'p99 ms':>9}  statuses"
        print(header)
        print("-" * len(header))
        rows = {}
        for cache in (False, True):
            rows[cache] = result = run(scratch, paths, cache=cache, options=options)
            print(
                f"{'on' if cache else 'off':<14} {result['requests']:>9,} {result['rate']:>8.0f}"
                f" {result['p50']:>9.1f} {result['p99']:>9.1f}  {result['statuses']}"
            )
        off, on = rows[False], rows[True]
        print(
            f"\ncache on / off: {on['rate'] / off['rate']:.1f}× the requests per second,"  # type: ignore[operator]
            f" p99 {off['p99'] / on['p99']:.1f}× lower."  # type: ignore[operator]
        )
    finally:
        if options.keep or options.reuse:
            print(f"scratch directory kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
