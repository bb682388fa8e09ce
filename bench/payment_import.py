"""Receipt file import (罚缴分离): time to import a bank file of N lines, beside the time to parse it.

    .venv/bin/python bench/payment_import.py [--lines 10000] [--cases 200]

In a child process on a scratch SQLite database (migrated first): an agency, its head and two
officers, and `--cases` on-the-spot decisions with unpaid fines served 60 days ago (so every
payment carries the 第七十二条 surcharge, most of them capped). A receipt file of `--lines` lines
is generated with SimulatedSource: one exact payment per case, the rest lines naming no case of
the agency (they go to the queue). Then, each timed:
  1. parsing the file alone (zhifa.payments.sources.FileSource) — the anchor: what reading the
     bank's file costs before any database work;
  2. the import (receipt_import_run): bulk ingest of the queued lines, and each exact payment
     through the cases' record_payment step (lock, event, ledger leaves);
and the database queries of the import. Prints a table; asserts nothing about time.
"""

from __future__ import annotations

import argparse

from scratch import run_child

CHILD = r"""
import datetime as dt, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
os.environ["ZHIFA_TASKS_IMMEDIATE"] = "1"
import django
django.setup()
from decimal import Decimal
from types import SimpleNamespace
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
call_command("migrate", verbosity=0)
from zhifa.accounts.models import Role
from zhifa.cases.payment_code import payment_code
from zhifa.cases.tests.conftest import TEXT_EXCEPT_MANDATORY, certified
from zhifa.cases.tests.steps import on_the_spot_case
from zhifa.payments.selectors import owed_on
from zhifa.payments.services import receipt_import_create, receipt_import_run
from zhifa.payments.sources import FileSource, Simulated, SimulatedSource
from zhifa.testing.factories import AgencyFactory, EnforcementDomainFactory, make_matter, make_user
from zhifa.testing.signing import install_test_credential

lines, count = int(sys.argv[1]), int(sys.argv[2])
past = timezone.now() - dt.timedelta(days=60)
with time_machine.travel(past, tick=False):
    agency = AgencyFactory(document_abbr="基准")
    install_test_credential(agency, since_2024=True)
    domain = EnforcementDomainFactory(name="劳动保障监察")
    matter = make_matter(agency=agency, domain=domain, effective_from=dt.date(2024, 1, 1), av_levels=TEXT_EXCEPT_MANDATORY)
    head = make_user(Role.HEAD, agency=agency, full_name="局长")
    officer = make_user(Role.OFFICER, agency=agency, full_name="执法员甲")
    colleague = make_user(Role.OFFICER, agency=agency, full_name="执法员乙")
    for user in (officer, colleague):
        certified(user, domain, agency)
    world = SimpleNamespace(agency=agency, matter=matter, officer=officer, colleague=colleague)
    cases = [on_the_spot_case(world, fine=Decimal(50 + n % 150)) for n in range(count)]
today = timezone.localdate()
payments = [Simulated(payment_code(c), today, owed_on(c, today).total) for c in cases]
payments += [Simulated(f"{n:020d}", today, Decimal("10.00")) for n in range(lines - len(payments))]
content = SimulatedSource(payments, prefix="BENCH").as_csv()
started = time.perf_counter()
FileSource("bank.csv", content).receipts()
parsed = time.perf_counter() - started
source = receipt_import_create(actor=head, file_name="bank.csv", content=content, queue=False)
with CaptureQueriesContext(connection) as queries:
    started = time.perf_counter()
    done = receipt_import_run(pk=source.pk)
    imported = time.perf_counter() - started
print(json.dumps({"lines": done.total, "applied": done.applied, "queued": done.queued, "parse": parsed,
                  "import": imported, "queries": len(queries), "bytes": len(content)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=200)
    options = parser.parse_args()
    r = run_child(CHILD, options.lines, options.cases)
    per_payment = r["import"] / max(r["applied"], 1)
    print(
        f"缴款文件 {r['lines']} 行（{r['bytes'] / 1024:.0f} KiB）：入账 {r['applied']} 笔，待处理 {r['queued']} 笔"
    )
    print(f"{'步骤':<24} | {'秒':>8} | {'行/秒':>10}")
    print(f"{'仅解析文件（锚点）':<22} | {r['parse']:>8.2f} | {r['lines'] / r['parse']:>10.0f}")
    print(f"{'导入（含入账）':<23} | {r['import']:>8.2f} | {r['lines'] / r['import']:>10.0f}")
    print(
        f"数据库查询 {r['queries']} 次；按入账笔数平均每笔不超过 {per_payment * 1000:.0f} 毫秒（含其余行的批量写入）。"
    )


if __name__ == "__main__":
    main()
