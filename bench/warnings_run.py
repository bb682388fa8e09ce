"""预警 incremental evaluation: one run after one certificate change, and after one case event,
beside the first run over every case (the anchor: what a rescan would cost).

    .venv/bin/python bench/warnings_run.py [--cases 2000] [--officers 40]

In a child process on a scratch SQLite database (migrated first): an agency with its head and
`--officers` certified officers (certificates registered and reviewed through zhifa.org.services,
so each has its CertificateEvent), `--cases` open cases filed 10 days ago (bulk-inserted, not
timed), two handlers each, one CaseEvent each. Then, each timed with its database queries:
  1. the first warnings_run, which reads every case event: every case is evaluated (the anchor);
  2. a run after one officer's certificate is suspended (certificate_set_status): only his open
     cases are evaluated;
  3. a run after one new case event: that case only;
  4. a run with nothing new.
Prints a table; asserts nothing about time.
"""

from __future__ import annotations

import argparse

from scratch import run_child

CHILD = r"""
import datetime as dt, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from zhifa.accounts.models import Role
from zhifa.cases.models import Case, CaseEvent, CaseHandler, ClueSource, Status
from zhifa.core.calendar import today
from zhifa.org.models import CertificateStatus
from zhifa.org.services import annual_review_record, certificate_issue, certificate_set_status
from zhifa.supervision.models_warnings import WarningHit
from zhifa.supervision.warning_services import warnings_run
from zhifa.testing.factories import AgencyFactory, EnforcementDomainFactory, first_version, make_matter, make_user

count, officers = int(sys.argv[1]), int(sys.argv[2])
agency = AgencyFactory(document_abbr="基准")
head = make_user(Role.HEAD, agency=agency)
domain = EnforcementDomainFactory()
matter = make_matter(agency=agency, domain=domain)
version = first_version(matter)
people = [make_user(Role.OFFICER, agency=agency).officer for _ in range(officers)]
certificates = []
for n, officer in enumerate(people):
    c = certificate_issue(actor=head, officer=officer, number=f"ZFB{n:06d}", issuer="基准市人民政府",
                          issued_on=today() - dt.timedelta(days=300), valid_until=today() + dt.timedelta(days=1500),
                          domains=[domain], area=agency.region)
    annual_review_record(actor=head, certificate=c, year=today().year, reviewed_on=today(), passed=True)
    certificates.append(c)
filed = today() - dt.timedelta(days=10)
cases = Case.objects.bulk_create([
    Case(agency=agency, number=f"基准案{n:06d}", cause="未按规定签订劳动合同案", source=ClueSource.INSPECTION,
         received_on=filed - dt.timedelta(days=3), filed_on=filed, status=Status.INVESTIGATION,
         party_kind="organisation", party_name="某某有限公司", matter=matter, matter_version=version,
         registered_by=head)
    for n in range(count)
])
CaseHandler.objects.bulk_create([
    CaseHandler(case=c, officer=people[(n + k) % officers], is_lead=k == 0)
    for n, c in enumerate(cases) for k in (0, 1)
])
CaseEvent.objects.bulk_create([CaseEvent(case=c, action="register", summary="register") for c in cases])

def timed(label):
    executed = []  # counted by a wrapper: Django's query log keeps 9,000 at most

    def count(execute, sql, params, many, context):
        executed.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        report = warnings_run(batch=10 ** 9)
        seconds = time.perf_counter() - started
    return {"label": label, "seconds": seconds, "queries": len(executed), "evaluated": report.evaluated,
            "opened": report.opened}

rows = [timed("首次评估（全部案件，锚点）")]
certificate_set_status(actor=head, certificate=certificates[0], status=CertificateStatus.SUSPENDED, reason="暂扣")
rows.append(timed("一名执法人员的执法证暂扣后"))
CaseEvent.objects.create(case=cases[-1], action="note", summary="note")
rows.append(timed("一件案件有新记录后"))
rows.append(timed("没有新记录"))
held = CaseHandler.objects.filter(officer=people[0]).count()
print(json.dumps({"rows": rows, "held": held, "hits": WarningHit.objects.filter(rule__code="invalid_certificate").count()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--officers", type=int, default=40)
    options = parser.parse_args()
    r = run_child(CHILD, options.cases, options.officers)
    print(
        f"在办案件 {options.cases} 件，执法人员 {options.officers} 名；被暂扣者承办 {r['held']} 件，"
        f"持证失效预警 {r['hits']} 条"
    )
    print(f"{'运行':<20} | {'毫秒':>9} | {'查询':>6} | {'评估对象':>8} | {'新增预警':>8}")
    for row in r["rows"]:
        print(
            f"{row['label']:<18} | {row['seconds'] * 1000:>9.0f} | {row['queries']:>6} | "
            f"{row['evaluated']:>8} | {row['opened']:>8}"
        )


if __name__ == "__main__":
    main()
