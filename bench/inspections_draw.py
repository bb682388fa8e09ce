"""双随机 draw over a large registry: lock and draw times on SQLite, and the draw's memory.

    .venv/bin/python bench/inspections_draw.py [--subjects 1000000] [--dir DIR]

In a child process on a scratch SQLite database: a registry of N generated subjects in four
risk classes (inserted with executemany, not timed), one agency with 20 inspectors, a plan with ratios
1 % / 2 % / 3 % / 5 %, taken through its steps. Times:
  1. the lock (the population query, sorting, SHA-256, the snapshot row and its ledger leaf);
  2. the draw step as the runner takes it (seed, HMAC of every code, the selection, inspector
     ranks, the assignments and inspector rows, the ledger leaf);
  3. the public JSON of the draw and `verify-draw`'s recomputation of it.
Memory: tracemalloc's peak of the selection alone (zhifa.inspections.drawing.select) over the
population list, beside the size of the list itself: the selection keeps only the drawn keys
(heapq.nsmallest), so what it adds does not grow with the population.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent

CHILD = r"""
import datetime as dt, json, os, sys, time, tracemalloc
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
import django
django.setup()
from decimal import Decimal
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
import time_machine
call_command("migrate", verbosity=0)
from stdnum.cn import uscc
from zhifa.accounts.models import Role
from zhifa.catalog.services.inspections import inspection_item_create
from zhifa.inspections import drawing, services, workflow
from zhifa.inspections.models import Subject
from zhifa.inspections.selectors import draw_document
from zhifa.inspections.verify import recompute
from zhifa.ledger.services import checkpoint_make
from zhifa.org.services import region_create
from zhifa.testing.factories import AgencyFactory, CertificateFactory, EnforcementDomainFactory, OfficerFactory, make_user

n = int(sys.argv[1])
region = region_create(code="990121", name="示例县", level="county")
agency = AgencyFactory(name="示例县市场监督管理局", short_name="县市场监管局", region=region)
domain = EnforcementDomainFactory(code="SPAQ", name="食品安全")
head = make_user(Role.HEAD, agency=agency)
today = timezone.localdate()
for i in range(20):
    CertificateFactory(officer=OfficerFactory(agency=agency), number=f"SJ{i:04d}", issued_on=today - dt.timedelta(days=30),
                       valid_until=today + dt.timedelta(days=900), domains=[domain])
item = inspection_item_create(actor=None, agency=agency, code="SJ-1", effective_from=today - dt.timedelta(days=30),
    name="食品经营检查", subject_type="食品经营者", basis="食品安全法", content="经营条件", method="现场检查", ratio="5%")
started = time.perf_counter()
classes = "ABCD"
batch = 50000
from django.db import connection
table = Subject._meta.db_table
stamp = timezone.now()
sql = (f'INSERT INTO "{table}" (created_at, updated_at, uscc, name, address, region_id, industry, licences, '
       'risk_class, is_active) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)')
with transaction.atomic(), connection.cursor() as cursor:
    for start in range(0, n, batch):
        rows = []
        for k in range(start, min(n, start + batch)):
            base = f"91990121{k:09d}"
            rows.append((stamp, stamp, base + uscc.calc_check_digit(base), f"商户{k}", "", region.pk, "", "[]",
                         classes[k % 4], True))
        cursor.executemany(sql, rows)
setup = time.perf_counter() - started
now = timezone.now()
plan = services.plan_create(actor=head, agency=agency, title="基准抽查", year=today.year, domain=domain, items=[item],
    ratios={"A": "0.01", "B": "0.02", "C": "0.03", "D": "0.05"}, window_start=today + dt.timedelta(days=2),
    window_end=today + dt.timedelta(days=30), draw_at=now + dt.timedelta(hours=1), witness_rule="收盘点位")
for code in ("submit", "approve", "publish"):
    workflow.take(code, actor=head, plan=plan)
t = time.perf_counter()
workflow.take("lock", actor=head, plan=plan)
lock = time.perf_counter() - t
checkpoint_make(reason="基准")
with time_machine.travel(plan.draw_at + dt.timedelta(minutes=1), tick=False):
    t, cpu = time.perf_counter(), time.process_time()
    workflow.take("draw", actor=head, plan=plan, witness_name="见证人", witness_value="3287.45")
    draw_time, draw_cpu = time.perf_counter() - t, time.process_time() - cpu
plan.refresh_from_db()
t = time.perf_counter()
document = draw_document(plan.draw)
publish = time.perf_counter() - t
t = time.perf_counter()
problems = recompute(document)
verify = time.perf_counter() - t
assert problems == [], problems
codes = plan.snapshot.codes.split("\n")
seed = bytes.fromhex(plan.draw.seed)
# The computation alone (no database): every stratum's selection and every drawn subject's ranks.
t = time.perf_counter()
classes_of = plan.snapshot.classes.split("\n")
pool = plan.draw.pools[0]["eligible"]
for cls, ratio in (("A", "0.01"), ("B", "0.02"), ("C", "0.03"), ("D", "0.05")):
    for code, _ in drawing.select(seed, [c for c, k in zip(codes, classes_of) if k == cls], Decimal(ratio)):
        drawing.rank(seed, code, pool)
compute = time.perf_counter() - t
import hmac as _hmac
t = time.perf_counter()
for c in codes[:200000]:
    _hmac.digest(seed, c.encode(), "sha256")
hmac_us = (time.perf_counter() - t) / min(len(codes), 200000) * 1e6
load = os.getloadavg()[0]
tracemalloc.start()
base, _ = tracemalloc.get_traced_memory()
chosen = drawing.select(seed, codes, Decimal("0.02"))
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
list_bytes = sys.getsizeof(codes) + sum(sys.getsizeof(c) for c in codes)
print(json.dumps({"subjects": n, "setup": setup, "lock": lock, "draw": draw_time, "draw_cpu": draw_cpu, "publish": publish, "verify": verify,
    "drawn": len(document["tasks"]), "compute": compute, "hmac_us": hmac_us, "load": load, "selection_peak": peak - base, "list_bytes": list_bytes, "selected": len(chosen)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--dir", help="where to put the scratch database (default: a temporary directory)")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="zhifa-bench-", dir=options.dir))
    try:
        env = dict(os.environ)
        env.update({"ZHIFA_VAR_DIR": str(scratch), "DATABASE_URL": f"sqlite:///{scratch / 'zhifa.sqlite3'}"})
        env["ZHIFA_TASKS_IMMEDIATE"] = "1"
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(options.subjects)],
            env=env,
            cwd=CHECKOUT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr or f"the benchmark's child process ended with {done.returncode}")
        r = json.loads(done.stdout.strip().splitlines()[-1])
        mib = 1024 * 1024
        print(f"双随机抽取基准：名录 {r['subjects']:,} 户（SQLite；建库 {r['setup']:.1f} 秒，不计时）")
        print(f"  锁定（查询、排序、SHA-256、快照和账本叶）   {r['lock']:7.2f} 秒")
        print(
            f"  抽取（种子、逐户 HMAC、选取、检查人员排名、写入任务和账本叶）{r['draw']:7.2f} 秒"
            f"（本进程 CPU {r['draw_cpu']:.2f} 秒），抽中 {r['drawn']:,} 户"
        )
        print(f"    其中纯计算（各层选取和检查人员排名，不含数据库）{r['compute']:.2f} 秒")
        print(f"  生成公开 JSON {r['publish']:.2f} 秒；verify-draw 复算 {r['verify']:.2f} 秒")
        print(
            f"  内存：名录列表本身 {r['list_bytes'] / mib:.0f} MiB；在其上选取 2 %（{r['selected']:,} 户）"
            f"的峰值增量 {r['selection_peak'] / mib:.1f} MiB（只保留抽中者的键）"
        )
        print(
            f"  参照：本机此时一次 HMAC-SHA256 {r['hmac_us']:.2f} 微秒，1 分钟平均负载 {r['load']:.1f}"
            f"（{os.cpu_count()} 核）；负载高时上述时间按比例变长"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
