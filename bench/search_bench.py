"""Search at scale: full-text search() against a plain substring scan over N published decisions.

    .venv/bin/python bench/search_bench.py [--n 1000000] [--repeat 9] [--dir DIR]
    .venv/bin/python bench/search_bench.py --n 200000 --database-url postgresql://postgres@127.0.0.1:5432/DB

Builds a fresh database (SQLite in a temporary directory unless --database-url names an empty
PostgreSQL database, which is migrated), bulk-inserts N published decisions across 30 agencies
and 8 enforcement domains, written from templates of how agencies word their decisions
(parties, facts, legal basis, penalty, amounts, dates, 文号), with search_text from the same
word functions as zhifa.disclosure.search (jieba search mode; each template fragment and slot
value is cut once and cached, which is what makes a million rows take minutes, not hours).
The full-text index is maintained by the migration's triggers (SQLite) or GIN index (PostgreSQL)
during the load, as in production.

Then, in the same run, each typical query (words, with and without filters) is timed as the
public list page runs it — the first page of 20 and the count, capped at 10,000 as on the
page (search.capped_count); the exact number matched is counted apart, untimed — through
  search:  zhifa.disclosure.search.search() over selectors.public_publications()
  scan:    the same filters with search_text LIKE '%word%' for every word, newest first
and a table of median / p95 milliseconds and rows matched is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

CHECKOUT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CHECKOUT))

DOMAINS = [
    ("劳动保障监察", "人社监"),
    ("统计执法", "统执"),
    ("市场监管", "市监"),
    ("食品安全", "食药"),
    ("安全生产", "应急"),
    ("生态环境", "环"),
    ("交通运输", "交"),
    ("城市管理", "城管"),
]
CITIES = ["东湖", "西山", "南岭", "北川", "清河", "临江", "长宁", "永安", "平阳", "安远"]
COMPANY_WORDS = [
    "建筑劳务",
    "商贸",
    "餐饮管理",
    "物流",
    "建材",
    "电子科技",
    "食品",
    "纺织",
    "机械制造",
    "物业服务",
    "化工",
    "汽车运输",
    "房地产开发",
    "医药连锁",
    "家具",
    "印刷",
    "环保工程",
    "农业开发",
    "酒店管理",
    "超市",
]
COMPANY_SUFFIX = ["有限公司", "有限责任公司", "股份有限公司", "经营部", "合作社", "店"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
WORKERS = ["农民工", "职工", "劳动者", "员工"]

# (domain index, facts template, basis, penalty kinds) — slots: {party} {n} {amount} {y} {m} {m2} {place}
FACTS = [
    (
        0,
        "经查，当事人{party}自{y}年{m}月至{m2}月拖欠{worker}{n}人工资共计人民币{amount}元，经本机关责令限期支付后逾期仍未支付。",
        "《劳动保障监察条例》第二十六条",
        ["fine"],
    ),
    (
        0,
        "经查，当事人{party}未依法与{n}名劳动者订立书面劳动合同，且未按时足额支付加班工资人民币{amount}元。",
        "《劳动合同法》第八十五条",
        ["warning", "fine"],
    ),
    (
        0,
        "经查，当事人{party}安排{n}名女职工在孕期从事国家规定的第三级体力劳动强度的劳动。",
        "《女职工劳动保护特别规定》第十三条",
        ["fine"],
    ),
    (
        1,
        "经查，当事人{party}在{y}年度国家统计调查中提供不真实的统计资料，虚报营业收入人民币{amount}元。",
        "《中华人民共和国统计法》第四十一条",
        ["warning", "fine"],
    ),
    (
        1,
        "经查，当事人{party}拒绝提供{y}年{m}月统计调查所需的原始记录和凭证，迟报统计资料{n}次。",
        "《中华人民共和国统计法》第四十一条",
        ["warning"],
    ),
    (
        2,
        "经查，当事人{party}在{place}销售的{n}批次商品标注虚假产地，违法所得人民币{amount}元。",
        "《中华人民共和国产品质量法》第五十三条",
        ["fine", "confiscate_gains"],
    ),
    (
        2,
        "经查，当事人{party}发布的广告含有虚假或者引人误解的内容，广告费用人民币{amount}元。",
        "《中华人民共和国广告法》第五十五条",
        ["fine"],
    ),
    (
        3,
        "经查，当事人{party}经营超过保质期的食品{n}批次，货值金额人民币{amount}元，违法所得已没收。",
        "《中华人民共和国食品安全法》第一百二十四条",
        ["fine", "confiscate_gains", "confiscate_property"],
    ),
    (
        3,
        "经查，当事人{party}未取得食品经营许可证从事餐饮服务活动，经营场所位于{place}。",
        "《中华人民共和国食品安全法》第一百二十二条",
        ["fine", "confiscate_property"],
    ),
    (
        4,
        "经查，当事人{party}未按规定对{n}名从业人员进行安全生产教育和培训，存在重大事故隐患。",
        "《中华人民共和国安全生产法》第九十七条",
        ["fine"],
    ),
    (
        4,
        "经查，当事人{party}在{place}的危险化学品仓库未设置安全警示标志，责令改正后逾期未改正。",
        "《中华人民共和国安全生产法》第九十九条",
        ["warning", "fine", "suspend_business"],
    ),
    (
        5,
        "经查，当事人{party}通过暗管排放水污染物，化学需氧量超过排放标准{n}倍。",
        "《中华人民共和国水污染防治法》第八十三条",
        ["fine", "restrict_activity"],
    ),
    (
        5,
        "经查，当事人{party}未采取有效措施防治扬尘污染，施工工地位于{place}。",
        "《中华人民共和国大气污染防治法》第一百一十五条",
        ["fine"],
    ),
    (
        6,
        "经查，当事人{party}使用未取得道路运输证的车辆从事道路货物运输经营，违法所得人民币{amount}元。",
        "《中华人民共和国道路运输条例》第六十三条",
        ["fine", "confiscate_gains"],
    ),
    (
        7,
        "经查，当事人{party}在{place}擅自占用城市道路堆放物料，占道面积{n}平方米。",
        "《城市道路管理条例》第四十二条",
        ["warning", "fine"],
    ),
    (
        7,
        "经查，当事人{party}未经批准擅自设置大型户外广告设施，设置地点为{place}。",
        "《城市市容和环境卫生管理条例》第三十六条",
        ["fine"],
    ),
]
PLACES = [
    "人民路",
    "解放大道",
    "滨江路",
    "建设街",
    "工业园区",
    "高新区",
    "中山路",
    "新华街道",
    "城关镇",
    "开发区",
]
PENALTY_TEXT = {
    "warning": "警告",
    "fine": "罚款人民币{fine}元",
    "confiscate_gains": "没收违法所得",
    "confiscate_property": "没收非法财物",
    "suspend_business": "责令停产停业",
    "restrict_activity": "限制开展生产经营活动",
}


def _setup(database_url: str | None, scratch: Path) -> None:
    os.environ["ZHIFA_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{scratch / 'search.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Generator:
    """Decisions as (Publication fields, search_text); every fragment is cut once (cached)."""

    def __init__(self, agencies: list[Any], domains: list[str], seed: int = 6) -> None:
        from zhifa.disclosure import search

        self.search = search
        self.random = random.Random(seed)
        self.agencies = agencies
        self.domains = domains
        self.serial: dict[tuple[int, int], int] = {}
        self.companies = [
            f"{self.random.choice(CITIES)}{self.random.choice(CITIES)}{w}{self.random.choice(COMPANY_SUFFIX)}"
            for w in COMPANY_WORDS
            for _ in range(60)
        ]
        self.cut = lru_cache(maxsize=200_000)(search.words)
        self.whole = lru_cache(maxsize=200_000)(search.whole_word)

    def _words(self, pieces: list[str]) -> list[str]:
        out: list[str] = []
        for piece in pieces:
            out.extend(self.cut(piece))
        return out

    def make(self, index: int, today: dt.date) -> tuple[dict[str, Any], str]:
        r = self.random
        domain_index, template, basis, kinds = FACTS[r.randrange(len(FACTS))]
        agency = self.agencies[(domain_index * 4 + r.randrange(4)) % len(self.agencies)]
        citizen = r.random() < 0.3
        party = f"{r.choice(SURNAMES)}**" if citizen else r.choice(self.companies)
        decided = today - dt.timedelta(days=r.randrange(5, 900))
        fine = Decimal(r.choice([200, 500, 1000, 2000, 3000, 5000, 8000, 10000, 20000, 30000, 50000, 100000]))
        amount = f"{r.randrange(1, 500) * 100}"
        slots = {
            "party": party,
            "n": str(r.randrange(2, 40)),
            "amount": amount,
            "y": str(decided.year - 1),
            "m": str(r.randrange(1, 7)),
            "m2": str(r.randrange(7, 13)),
            "place": f"{r.choice(CITIES)}区{r.choice(PLACES)}",
            "worker": r.choice(WORKERS),
        }
        # The facts split at the slots: fixed fragments and slot values are cut (and cached) apart.
        pieces, rest = [], template
        while "{" in rest:
            head, _, tail = rest.partition("{")
            name, _, rest = tail.partition("}")
            pieces += [head, slots[name]]
        pieces.append(rest)
        facts = "".join(pieces)
        penalty = "、".join(PENALTY_TEXT[k].format(fine=fine) for k in kinds)
        key = (agency.pk, decided.year)
        self.serial[key] = self.serial.get(key, 0) + 1
        number = f"{agency.document_abbr}罚〔{decided.year}〕{self.serial[key]}号"
        words = self._words(
            [
                agency.name,
                party,
                self.domains[domain_index],
                "行政处罚",
                facts.split("，")[0],
                *pieces,
                f"依据{basis}",
                penalty,
                agency.document_abbr,
                "罚",
                str(decided.year),
                str(self.serial[key]),
                "号",
                decided.isoformat(),
                f"{fine:.2f}",
            ]
        )
        for whole in (agency.name, number, party):
            word = self.whole(whole)
            if 1 < len(word) <= self.search.WHOLE_WORD_MAX:
                words.append(word)
        published = dt.datetime.combine(
            decided + dt.timedelta(days=r.randrange(1, 8)), dt.time(10), tzinfo=dt.UTC
        )
        minor = kinds == ["warning"] or (kinds == ["fine"] and fine <= 10000)
        if minor:  # keep the short display period current for most of them
            published = dt.datetime.combine(
                today - dt.timedelta(days=r.randrange(1, 85)), dt.time(10), tzinfo=dt.UTC
            )
        fields = {
            "agency_id": agency.pk,
            "kind": "decision",
            "subject": f"bench:{index}",
            "state": "published",
            "published_at": published,
            "display_class": "minor" if minor else "standard",
            "party_is_natural_person": citizen,
            "title": f"行政处罚决定书 {number}",
            "document_number": number,
            "decided_on": decided,
            "category": self.domains[domain_index],
            "matter_kind": "penalty",
            "outcome": "penalty",
            "fine": fine if "fine" in kinds else None,
            "penalty_kinds": kinds,
            "revision": index + 1,
        }
        return fields, " ".join(words)


def load(n: int, batch: int) -> tuple[float, Any]:
    from django.db import connection, transaction
    from tqdm import tqdm

    from zhifa.disclosure.models import Publication
    from zhifa.org.models import EnforcementDomain
    from zhifa.testing.factories import AgencyFactory, RegionFactory

    region = RegionFactory()
    agencies = []
    for i in range(30):
        name, abbr = DOMAINS[i % len(DOMAINS)]
        city = CITIES[i % len(CITIES)]
        agencies.append(
            AgencyFactory(name=f"{city}市{name}局{i}", document_abbr=f"{city[0]}{abbr}{i}", region=region)
        )
    for code, (name, _) in enumerate(DOMAINS):
        EnforcementDomain.objects.get_or_create(code=f"B{code}", defaults={"name": name})
    generator = Generator(agencies, [d for d, _ in DOMAINS])
    today = dt.date.today()
    started = time.perf_counter()
    with tqdm(total=n, unit="件", desc="生成并写入", file=sys.stderr) as bar:
        for offset in range(0, n, batch):
            rows = []
            for index in range(offset, min(n, offset + batch)):
                fields, text = generator.make(index, today)
                rows.append(Publication(search_text=text, **fields))
            with transaction.atomic():
                Publication.objects.bulk_create(rows, batch_size=1000)
            bar.update(len(rows))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO disclosure_publication_fts(disclosure_publication_fts) VALUES ('optimize')"
            )
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE disclosure_publication")
    return time.perf_counter() - started, agencies


def scan(queryset: Any, query: str) -> Any:
    from zhifa.disclosure import search

    for term in search.query_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset.order_by("-decided_on", "-published_at", "-pk")


def rank_everything(queryset: Any, query: str) -> Any:
    """search() as it was before issue 17: relevance (bm25 / ts_rank) over every match."""
    from zhifa.disclosure import search

    limit = search.RANK_LIMIT
    search.RANK_LIMIT = 10**12
    try:
        return search.search(queryset, query)
    finally:
        search.RANK_LIMIT = limit


def percentile(times: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted times."""
    return times[min(len(times) - 1, max(0, round(share * len(times) + 0.5) - 1))]


def measure(run: Callable[[], Any], repeat: int) -> list[float]:
    run()  # warm the caches once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def queries(agencies: list[Any]) -> list[tuple[str, str, dict[str, Any]]]:
    from zhifa.disclosure.models import Publication

    sample = (
        Publication.objects.filter(subject="bench:12345").first()
        or Publication.objects.order_by("pk").first()
    )
    number = sample.document_number if sample else ""
    year = dt.date.today().year - 1
    return [
        ("常见词", "工资", {}),
        ("两个词", "拖欠 工资", {}),
        ("统计", "统计资料", {}),
        ("短语", "未取得食品经营许可证", {}),
        ("少见词", "暗管", {}),
        ("文号", number, {}),
        (
            "词+机关+日期",
            "工资",
            {
                "agency": agencies[0].pk,
                "decided_from": dt.date(year, 1, 1),
                "decided_to": dt.date(year, 12, 31),
            },
        ),
        ("词+罚款+种类", "罚款", {"fine_min": Decimal(10000), "penalty_kind": "confiscate_gains"}),
        ("无结果", "核辐射 工资", {}),
        ("仅筛选", "", {"category": "统计执法", "decided_from": dt.date(year, 1, 1)}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n", type=int, default=1_000_000, help="published decisions to generate (default 1,000,000)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query (after one warm-up run)")
    parser.add_argument(
        "--scan-repeat", type=int, default=5, help="timed runs per query of the scan and of --before"
    )
    parser.add_argument("--batch", type=int, default=20_000, help="rows per insert transaction")
    parser.add_argument(
        "--database-url", help="an empty PostgreSQL database to use instead of a scratch SQLite file"
    )
    parser.add_argument(
        "--dir", help="where to put the scratch SQLite database (default: a temporary directory)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--reuse",
        help="a database an earlier run kept (SQLite file or, with --database-url, the same database):"
        " time the queries without loading again",
    )
    parser.add_argument(
        "--before",
        action="store_true",
        help="also time relevance over every match (search() before issue 17)",
    )
    options = parser.parse_args()
    if options.n < 1 or options.repeat < 1:
        print("--n 和 --repeat 须为正整数。", file=sys.stderr)
        raise SystemExit(2)
    scratch = Path(tempfile.mkdtemp(prefix="zhifa-search-bench-", dir=options.dir))
    try:
        reuse = options.reuse
        _setup(options.database_url or (f"sqlite:///{Path(reuse).resolve()}" if reuse else None), scratch)
        from django.db import connection

        from zhifa.disclosure import search, selectors
        from zhifa.disclosure.models import Publication
        from zhifa.org.models import Agency

        if reuse:
            agencies = list(Agency.objects.filter(name__contains="局").order_by("pk"))
            n = Publication.objects.count()
            print(f"\n{n:,} published decisions on {connection.vendor} (reused);", end=" ")
        else:
            if connection.vendor == "postgresql" and Publication.objects.exists():
                print("--database-url 须是空数据库（只含迁移）。", file=sys.stderr)
                raise SystemExit(2)
            seconds, agencies = load(options.n, options.batch)
            size = ""
            if connection.vendor == "sqlite":
                size = f", {Path(connection.settings_dict['NAME']).stat().st_size / 2**20:.0f} MiB"
            print(
                f"\n{options.n:,} published decisions on {connection.vendor} loaded in {seconds:.0f} s"
                f" ({options.n / seconds:,.0f} rows/s{size});",
                end=" ",
            )
        print(
            f"{options.repeat} runs per query ({options.scan_repeat} for the scan) after one warm-up;"
            " ratio = scan p50 / method p50.\n"
        )
        header = (
            f"{'query':<14} {'words':<22} {'method':<7} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}"
            f" {'matched':>9} {'scan/search':>11}"
        )
        print(header)
        print("-" * len(header))
        every: dict[str, list[float]] = {"search": [], "scan": [], "bm25-all": []}
        methods: list[tuple[str, Callable[[Any, str], Any]]] = [("scan", scan), ("search", search.search)]
        if options.before:
            methods.append(("bm25-all", rank_everything))
        for label, query, filters in queries(agencies):
            base = search.apply_filters(
                selectors.public_publications(), search.Filters(kind="decision", **filters)
            )
            results, medians = {}, {}
            for method, build in methods:

                def run(build: Callable[[Any, str], Any] = build, q: str = query, b: Any = base) -> int:
                    rows = build(b, q)
                    list(rows[:20])
                    return search.capped_count(rows, search.count_cap(q))  # what the list page shows

                times = measure(run, options.repeat if method == "search" else options.scan_repeat)
                if query.strip():  # the filters-only row is the same query both ways: not in the totals
                    every[method].extend(times)
                medians[method] = statistics.median(times)
                count = results[method] = build(base, query).count()  # the true number, not timed
                ratio = f"{medians['scan'] / medians[method]:.1f}×" if method != "scan" else ""
                print(
                    f"{label:<14} {query[:20]:<22} {method:<7} {medians[method]:>9.1f}"
                    f" {percentile(times, 0.95):>9.1f} {percentile(times, 0.99):>9.1f} {count:>9,} {ratio:>11}"
                )
            if results["search"] != results["scan"]:
                print(f"{'':<14} (word match vs substring: {results['search']:,} vs {results['scan']:,})")
        print()
        for method, times in every.items():
            if times:
                times.sort()
                print(
                    f"all word queries, {method:<8}: p50 {statistics.median(times):8.1f} ms"
                    f"  p95 {percentile(times, 0.95):8.1f} ms  p99 {percentile(times, 0.99):8.1f} ms"
                    f"  mean {statistics.fmean(times):8.1f} ms"
                )
        if every["search"]:
            print(
                f"scan / search, mean time over the word queries: "
                f"{statistics.fmean(every['scan']) / statistics.fmean(every['search']):.0f}×"
            )
    finally:
        if options.keep:
            print(f"scratch directory kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
