"""The supervision cockpit's first view at 1,000,000 cases on PostgreSQL: from the projection,
beside the naive ORM aggregation over the raw cases, in the same run.

    .venv/bin/python bench/cockpit.py [--cases 1000000] [--agencies 200] [--repeat 5]
                                      [--url postgresql://postgres@127.0.0.1:5432/postgres]
                                      [--db zhifa_bench_cockpit] [--keep] [--reuse]

Creates a scratch database (--db, zhifa_bench_cockpit unless told) on the server of --url (trust
auth), migrates it and generates, with INSERT … SELECT over generate_series (not timed):
  - one county 司法局 with a supervisor, N agencies in the county and its 20 townships, 5 matters
    each in 10 domains;
  - the cases over three years in every status, with fines, late decisions, legal reviews,
    decision publications (some late) and remedies (reconsiderations and lawsuits, some won);
  - the projection: a fact row per case (same columns as the service writes; the open deadline
    follows a simplified rule, 90 days from filing) and its cells summed by the projection's own
    code (cockpit_projection._sum_cells).
Then, each in a fresh process started the way gunicorn starts a worker (import zhifa.wsgi), times
cold (first call in the process) and warm (median of --repeat), for the current year:
  1. the process start itself (import zhifa.wsgi: settings, apps, the URLconf and templates it warms);
  2. the whole page as the supervisor's browser gets it (GET /supervision/cockpit/, with the
     navigation bar's to-do count), as the very first request of the process; (b) without the
     to-do's 逾期未公开的决定, which lists every decision still to publish of the region in Python
     (zhifa.disclosure.selectors.decisions_due; minutes at 1,000,000 cases, not the cockpit's);
  3. the supervisor's to-do count alone (zhifa.workbench.todo.todos), (b) likewise;
and in a second fresh process:
  4. the cockpit's figures from the projection (cockpit_selectors.cockpit_for);
  5. the same figures by the naive ORM aggregation over cases, reviews, publications and remedies;
checks that 4 and 5 agree, prints the ratio and the load average, and drops the database (kept
with --keep; --reuse times a kept database again without generating it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

CHECKOUT = Path(__file__).resolve().parent.parent
DB = "zhifa_bench_cockpit"

GENERATE = r'''
import datetime as dt, os, statistics, sys, time
T0 = time.perf_counter()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
import django
django.setup()
from django.conf import settings
# The page without collectstatic (the manifest's hashing is not what is measured).
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
from decimal import Decimal
from django.core.management import call_command
from django.db import connection

N, AGENCIES = (int(x) for x in sys.argv[1:3])
t0 = time.perf_counter()
call_command("migrate", verbosity=0)

from zhifa.accounts.models import Role
from zhifa.cases.models import DECIDED, TERMINAL, Case, Remedy, RemedyKind, WITHDRAWING_RESULTS
from zhifa.catalog.models import Matter, MatterVersion
from zhifa.core.calendar import today
from zhifa.disclosure.models import Publication
from zhifa.org.models import Agency, RegionLevel
from zhifa.review.models import ReviewRound
from zhifa.supervision import cockpit_selectors, policies
from zhifa.supervision.cockpit_projection import _sum_cells
from zhifa.supervision.models_cockpit import CaseFact, CockpitCell, CockpitCursor
from zhifa.testing.factories import AgencyFactory, EnforcementDomainFactory, RegionFactory, make_user

county = RegionFactory(level=RegionLevel.COUNTY)
towns = [RegionFactory(parent=county, level=RegionLevel.TOWNSHIP) for _ in range(20)]
bureau = AgencyFactory(region=county, is_justice_bureau=True, name="基准县司法局")
supervisor = make_user(Role.SUPERVISOR, agency=bureau)
agencies = [AgencyFactory(region=county if i % 3 == 0 else towns[i % 20]) for i in range(AGENCIES)]
domains = [EnforcementDomainFactory(code=f"D{i:02d}", name=f"基准执法类别{i}") for i in range(10)]
matters = Matter.objects.bulk_create(
    [Matter(agency=a, code=f"BM{a.pk}-{k}") for a in agencies for k in range(5)]
)
versions = MatterVersion.objects.bulk_create(
    [
        MatterVersion(matter=m, version=1, name=f"基准事项{m.pk}", kind="penalty",
                      domain=domains[i % 10], effective_from=dt.date(2020, 1, 1), change_note="基准")
        for i, m in enumerate(matters)
    ]
)

def filler(table, given):
    """Every NOT NULL column without a default that the INSERT does not name, as a blank value."""
    with connection.cursor() as c:
        c.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
            "AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            [table],
        )
        blank = {"boolean": "false", "jsonb": "'[]'::jsonb", "numeric": "0", "integer": "0",
                 "bigint": "0", "smallint": "0", "date": "current_date",
                 "timestamp with time zone": "now()"}
        cols = [(n, blank.get(t, "''")) for n, t in c.fetchall() if n not in given]
    return [n for n, _ in cols], [v for _, v in cols]

today_ = today()
with connection.cursor() as c:
    c.execute("CREATE TEMP TABLE bm (idx int PRIMARY KEY, agency_id int, matter_id int, version_id int, domain text)")
    rows = [(i, m.agency_id, m.pk, v.pk, domains[i % 10].code) for i, (m, v) in enumerate(zip(matters, versions))]
    c.executemany("INSERT INTO bm VALUES (%s, %s, %s, %s, %s)", rows)
    # status by a hashed bucket of 100 (independent of the agency and the date): closed 60, execution 10, decided 5, investigation 10, notice 5,
    # clue 4, not_filed 3, transferred 2, revoked 1.
    c.execute("""
        CREATE TEMP TABLE gen AS
        SELECT g, bm.agency_id, bm.matter_id, bm.version_id, bm.domain,
          CASE WHEN b < 60 THEN 'closed' WHEN b < 70 THEN 'execution' WHEN b < 75 THEN 'decided'
               WHEN b < 85 THEN 'investigation' WHEN b < 90 THEN 'notice' WHEN b < 94 THEN 'clue'
               WHEN b < 97 THEN 'not_filed' WHEN b < 99 THEN 'transferred' ELSE 'revoked' END AS status,
          (date %s - age)::date AS received_on
        FROM (SELECT g::int AS g, (abs(hashtext('s' || g)) %% 100)::int AS b,
                     ((g %% %s) * 5 + (g / %s) %% 5)::int AS idx, (abs(hashtext('a' || g)) %% 1095)::int AS age
              FROM generate_series(1::bigint, %s) g) s JOIN bm USING (idx)
    """, [today_, AGENCIES, AGENCIES, N])
    given = {"agency_id", "number", "status", "cause", "matter_id", "matter_version_id", "source",
             "received_on", "clue_summary", "registered_by_id", "filed_on", "decided_on", "outcome",
             "final_fine", "decided_late", "procedure", "created_at", "updated_at", "decision_served_on"}
    cols, vals = filler("cases_case", given)
    c.execute(f"""
        INSERT INTO cases_case (id, agency_id, number, status, cause, matter_id, matter_version_id, source,
          received_on, clue_summary, registered_by_id, filed_on, decided_on, outcome, final_fine,
          decided_late, procedure, created_at, updated_at, decision_served_on {''.join(', ' + n for n in cols)})
        SELECT g, agency_id, 'BENCH-' || g, status, '基准案件', matter_id, version_id, 'complaint',
          received_on, '基准', %s,
          CASE WHEN status IN ('clue', 'not_filed') THEN NULL ELSE received_on + 5 END,
          CASE WHEN status IN ('closed', 'execution', 'decided') THEN received_on + 40 END,
          CASE WHEN status IN ('closed', 'execution', 'decided') THEN 'penalty' ELSE '' END,
          CASE WHEN status IN ('closed', 'execution', 'decided') THEN ((g %% 50) + 1) * 100 ELSE 0 END,
          status IN ('closed', 'execution', 'decided') AND g %% 23 = 0,
          'general', now(), now(),
          CASE WHEN status IN ('closed', 'execution') THEN received_on + 45 END {''.join(', ' + v for v in vals)}
        FROM gen
    """, [supervisor.pk])
    c.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [N])
    cols, vals = filler("review_reviewround", {"case_id", "number", "submitted_by_id", "submitted_at",
                                                "reviewer_id", "opinion", "reviewed_at"})
    c.execute(f"""
        INSERT INTO review_reviewround (case_id, number, submitted_by_id, submitted_at, reviewer_id,
          opinion, reviewed_at {''.join(', ' + n for n in cols)})
        SELECT g, 1, %s, now(), %s, 'agree', now() {''.join(', ' + v for v in vals)}
        FROM gen WHERE status IN ('closed', 'execution', 'decided') AND g %% 8 = 0
    """, [supervisor.pk, supervisor.pk])
    cols, vals = filler("disclosure_publication", {"agency_id", "kind", "subject", "case_id", "state",
                                                    "due_on", "published_at", "title"})
    c.execute(f"""
        INSERT INTO disclosure_publication (agency_id, kind, subject, case_id, state, due_on, published_at,
          title {''.join(', ' + n for n in cols)})
        SELECT agency_id, 'decision', 'cases.case:' || g, g, 'published', received_on + 47,
          (received_on + 40 + (g %% 10))::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '9 hours',
          '基准决定' {''.join(', ' + v for v in vals)}
        FROM gen WHERE status IN ('closed', 'execution', 'decided') AND g %% 10 < 7
    """, [])
    cols, vals = filler("cases_remedy", {"case_id", "kind", "filed_on", "result", "concluded_on",
                                          "recorded_by_id", "body"})
    c.execute(f"""
        INSERT INTO cases_remedy (case_id, kind, body, filed_on, result, concluded_on, recorded_by_id
          {''.join(', ' + n for n in cols)})
        SELECT g, CASE WHEN g %% 3 = 0 THEN 'litigation' ELSE 'reconsideration' END, '基准法院',
          received_on + 50, CASE WHEN g %% 7 = 0 THEN 'revoked' ELSE 'upheld' END, received_on + 80, %s
          {''.join(', ' + v for v in vals)}
        FROM gen WHERE status IN ('closed', 'execution', 'decided') AND g %% 40 = 0
    """, [supervisor.pk])
    # The projection, as the service writes it (the open deadline by a simplified rule).
    c.execute("""
        INSERT INTO supervision_casefact (case_id, agency_id, domain, matter_id, year, status, outcome,
          fine, is_open, due_on, decided, decided_late, reviewed, publish_due_on, published_on,
          reconsidered, reconsideration_corrected, litigated, litigation_lost, self_corrected, refreshed_at)
        SELECT c.id, c.agency_id, gen.domain, c.matter_id, extract(year FROM c.received_on), c.status,
          c.outcome, c.final_fine, c.status NOT IN ('closed', 'not_filed', 'transferred', 'revoked'),
          CASE WHEN c.status IN ('investigation', 'notice') THEN c.filed_on + 90
               WHEN c.status = 'clue' THEN c.received_on + 21 END,
          c.decided_on IS NOT NULL, c.decided_late,
          EXISTS (SELECT 1 FROM review_reviewround r WHERE r.case_id = c.id AND r.opinion <> ''),
          p.due_on, (p.published_at AT TIME ZONE 'Asia/Shanghai')::date,
          EXISTS (SELECT 1 FROM cases_remedy m WHERE m.case_id = c.id AND m.kind = 'reconsideration' AND m.result <> ''),
          EXISTS (SELECT 1 FROM cases_remedy m WHERE m.case_id = c.id AND m.kind = 'reconsideration' AND m.result IN ('changed', 'revoked', 'confirmed_illegal', 'confirmed_void')),
          EXISTS (SELECT 1 FROM cases_remedy m WHERE m.case_id = c.id AND m.kind = 'litigation' AND m.result <> ''),
          EXISTS (SELECT 1 FROM cases_remedy m WHERE m.case_id = c.id AND m.kind = 'litigation' AND m.result IN ('changed', 'revoked', 'confirmed_illegal', 'confirmed_void')),
          false, now()
        FROM cases_case c JOIN gen ON gen.g = c.id
        LEFT JOIN disclosure_publication p ON p.case_id = c.id AND p.kind = 'decision'
    """)
CockpitCell.objects.bulk_create(_sum_cells(CaseFact.objects.all()), batch_size=5000)
CockpitCursor.objects.create(name="cases", last_event_id=0)
with connection.cursor() as c:
    c.execute("VACUUM ANALYZE")  # the visibility map too, as autovacuum would: index-only scans
cells = CockpitCell.objects.count()
print(f"generated {Case.objects.count():,} cases, {Publication.objects.count():,} publications, "
      f"{Remedy.objects.count():,} remedies, {ReviewRound.objects.count():,} reviews, "
      f"{CaseFact.objects.count():,} fact rows, {cells:,} cells in {time.perf_counter() - t0:.0f} s")

'''

# What both timing processes begin with: a worker's start, the supervisor, the timer.
PRELUDE = r"""
import datetime as dt, os, statistics, sys, time
T0 = time.perf_counter()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
from django.conf import settings
# The page without collectstatic (the manifest's hashing is not what is measured).
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# A worker's start, as gunicorn does it: the WSGI module (and what it warms) before any request.
import zhifa.wsgi  # noqa
STARTED = time.perf_counter() - T0
from django.test import Client
from zhifa.accounts.models import Role, User
from zhifa.core.calendar import today

REPEAT = int(sys.argv[1])
supervisor = User.objects.get(role=Role.SUPERVISOR, officer__agency__name="基准县司法局")
year = today().year

def timed(fn):
    start = time.perf_counter()
    value = fn()
    cold = time.perf_counter() - start
    warm = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - start)
    return value, cold, statistics.median(warm)

def line(label, cold, warm):
    print(f"{label:38} {cold * 1000:7.0f}ms {warm * 1000:13.0f}ms", flush=True)
"""

PAGE = (
    PRELUDE
    + r"""
from zhifa.workbench import todo

client = Client()
client.force_login(supervisor)  # not timed: the login page's own work

from unittest import mock

# The one to-do row left out: 逾期未公开的决定 lists every decision of the region still to publish
# (zhifa.disclosure.selectors.decisions_due, not the cockpit's; minutes at 1,000,000 cases).
unpublished = mock.patch.object(todo.disclosure_selectors, "decisions_due", return_value=[])

def page():
    with unpublished:
        response = client.get("/supervision/cockpit/")
    assert response.status_code == 200, response.status_code

def todos():
    with unpublished:
        return todo.todos(supervisor, today())

_, g_cold, g_warm = timed(page)
items, t_cold, t_warm = timed(todos)
print(f"{'':38} {'cold':>8} {'warm (median)':>14}")
print(f"{'process start (import zhifa.wsgi)':38} {STARTED * 1000:7.0f}ms")
line("page GET /supervision/cockpit/ (b)", g_cold, g_warm)
line("supervisor's to-do count (todos) (b)", t_cold, t_warm)
print("to-do:", ", ".join(f"{t.label} {t.count:,}" for t in items if "案件" in t.label))
"""
)

FIGURES = (
    PRELUDE
    + r'''
from decimal import Decimal
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from zhifa.cases.models import DECIDED, TERMINAL, Case, Remedy, RemedyKind, WITHDRAWING_RESULTS
from zhifa.disclosure.models import Publication
from zhifa.review.models import ReviewRound
from zhifa.supervision import cockpit_selectors, policies

agencies_q = policies.supervised_agencies(supervisor)

def projected():
    c = cockpit_selectors.cockpit_for(user=supervisor, year=year)
    t = c.total
    return (t.cases, t.is_open, t.decided, t.decided_late, t.fines, t.reviewed, t.publish_due,
            t.published_on_time, t.published_late, t.reconsidered, t.reconsideration_corrected,
            t.litigated, t.litigation_lost, t.overdue, len(c.rows), sorted((s[0], s[2]) for s in c.statuses))

def naive():
    """The same figures straight from the cases: grouped queries with EXISTS subqueries."""
    on = today()
    cases = Case.objects.filter(agency__in=agencies_q, received_on__gte=dt.date(year, 1, 1),
                                received_on__lte=dt.date(year, 12, 31))
    decided = Q(status__in=DECIDED, decided_on__isnull=False)
    pub = Publication.objects.filter(case=OuterRef("pk"), kind="decision")
    def remedy(kind, corrected=False):
        q = Remedy.objects.filter(case=OuterRef("pk"), kind=kind).exclude(result="")
        return Exists(q.filter(result__in=WITHDRAWING_RESULTS) if corrected else q)
    overdue = (Q(status__in=("investigation", "notice"), filed_on__lt=on - dt.timedelta(days=90))
               | Q(status="clue", received_on__lt=on - dt.timedelta(days=21)))
    rows = list(
        cases.values("agency_id").annotate(
            cases=Count("pk"),
            open=Count("pk", filter=~Q(status__in=TERMINAL)),
            decided=Count("pk", filter=decided),
            late=Count("pk", filter=decided & Q(decided_late=True)),
            fines=Sum("final_fine", filter=decided),
            reviewed=Count("pk", filter=Q(Exists(ReviewRound.objects.filter(case=OuterRef("pk")).exclude(opinion="")))),
            publish_due=Count("pk", filter=Q(Exists(pub.filter(due_on__isnull=False)))),
            on_time=Count("pk", filter=Q(Exists(pub.filter(published_at__date__lte=F("due_on"))))),
            late_pub=Count("pk", filter=Q(Exists(pub.filter(published_at__date__gt=F("due_on"))))),
            recon=Count("pk", filter=Q(remedy(RemedyKind.RECONSIDERATION))),
            recon_c=Count("pk", filter=Q(remedy(RemedyKind.RECONSIDERATION, True))),
            lit=Count("pk", filter=Q(remedy(RemedyKind.LITIGATION))),
            lost=Count("pk", filter=Q(remedy(RemedyKind.LITIGATION, True))),
            overdue=Count("pk", filter=overdue),
        ).order_by()
    )
    statuses = sorted(cases.values_list("status").annotate(n=Count("pk")).order_by())
    list(cases.values("matter_version__domain__code").annotate(n=Count("pk"), d=Count("pk", filter=decided)).order_by())
    keys = ("cases", "open", "decided", "late", "fines", "reviewed", "publish_due", "on_time", "late_pub",
            "recon", "recon_c", "lit", "lost", "overdue")
    sums = [sum((r[k] or 0) for r in rows) for k in keys]
    return (*sums, len(rows), statuses)

p_value, p_cold, p_warm = timed(projected)
n_value, n_cold, n_warm = timed(naive)
agree = list(p_value[:-1]) == [Decimal(x) if isinstance(x, Decimal) else x for x in n_value[:-1]] and p_value[-1] == n_value[-1]
in_year = p_value[0]
print(f"year {year}: {in_year:,} cases of the jurisdiction in the first view ({Case.objects.count():,} on the books)")
line("projection (cockpit_for)", p_cold, p_warm)
line("naive ORM aggregation over cases", n_cold, n_warm)
print(f"ratio naive / projection: cold {n_cold / p_cold:.0f}x, warm {n_warm / p_warm:.0f}x")
print(f"figures agree: {'yes' if agree else 'NO'}")
if not agree:
    print("projection:", p_value)
    print("naive:     ", n_value)
print("load average: %.2f %.2f %.2f" % os.getloadavg())
sys.exit(0 if agree else 1)
'''
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db", default=DB, help="the scratch database's name (dropped and created)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    parser.add_argument("--reuse", action="store_true", help="time a kept database without generating")
    args = parser.parse_args()
    server = urlparse(args.url)
    scratch = urlunparse(server._replace(path=f"/{args.db}"))
    admin = [
        "-h",
        server.hostname or "127.0.0.1",
        "-p",
        str(server.port or 5432),
        "-U",
        server.username or "postgres",
    ]
    python = str(CHECKOUT / ".venv" / "bin" / "python")
    python = python if Path(python).exists() else sys.executable
    env = {**os.environ, "DATABASE_URL": scratch, "DJANGO_SETTINGS_MODULE": "zhifa.settings"}
    env.setdefault("ZHIFA_VAR_DIR", f"/tmp/{args.db}-var")
    env["ZHIFA_ALLOWED_HOSTS"] = "testserver"

    def child(code: str, *argv: object) -> int:
        run = [python, "-c", code, *(str(a) for a in argv)]
        return subprocess.run(run, cwd=CHECKOUT, env=env, check=False).returncode

    try:
        if not args.reuse:
            subprocess.run(["dropdb", "--if-exists", *admin, args.db], check=True)
            subprocess.run(["createdb", *admin, args.db], check=True)
            if child(GENERATE, args.cases, args.agencies):
                return 1
        # Each timing in a fresh process: its first request is a new worker's first request.
        return child(PAGE, args.repeat) or child(FIGURES, args.repeat)
    finally:
        if not args.keep:
            subprocess.run(["dropdb", "--if-exists", *admin, args.db], check=False)


if __name__ == "__main__":
    sys.exit(main())
