"""演示裁量基准: benchmarks and the four lists for the demo matters, and the demo cases' assessments.

Amounts come from the statutes (../shared/laws): 劳动保障监察条例 第二十五条 (每人100–500元)
and 第三十条 (2000–20000元), 统计法 第四十四条 (十万元以下；情节严重的十万元以上五十万元以下),
档案法 第四十九条第二款 (二万元以上二十万元以下), 食品安全法 第一百二十二条、第一百二十四条 (货值不足
一万元的五万元以上十万元以下；一万元以上的十倍以上二十倍以下). The tiers within them are the demo
agencies' own (as a real agency's benchmark would be).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from zhifa.cases.models import Case, CaseAssessment, Outcome, Status
from zhifa.catalog import benchmarks as reads
from zhifa.catalog import discretion
from zhifa.catalog.models import Benchmark, DiscretionFactor, Matter
from zhifa.catalog.services.benchmarks import (
    FactorInput,
    TierInput,
    benchmark_amend,
    benchmark_create,
    benchmark_repeal,
    discretion_factor_create,
)
from zhifa.org.models import Agency

D = Decimal
XZCF = "《中华人民共和国行政处罚法》"
NO_PENALTY_KINDS = ("warning", "criticism")


@dataclass(frozen=True)
class TierSpec:
    circumstance: str
    conditions: str
    kinds: tuple[str, ...]
    clause: str
    fine: tuple[int, int] | None = None
    multiple: tuple[str, str, str] | None = None  # base, min, max
    threshold: int | None = None


@dataclass(frozen=True)
class FactorSpec:
    effect: str
    code: str
    label: str
    basis: str
    note: str = ""


@dataclass(frozen=True)
class BenchmarkSpec:
    agency: str
    matter: str
    version: int
    title: str
    document_ref: str
    effective_from: dt.date
    effective_to: dt.date | None
    change_note: str
    tiers: tuple[TierSpec, ...]
    factors: tuple[FactorSpec, ...] = ()


COMMON_FACTORS = (
    FactorSpec(
        "exempt",
        "first-minor",
        "初次违法且危害后果轻微并及时改正",
        f"{XZCF}第三十三条第一款",
        "可以不予行政处罚（首违不罚），应当对当事人进行教育。",
    ),
    FactorSpec(
        "exempt",
        "minor-corrected",
        "违法行为轻微并及时改正，没有造成危害后果",
        f"{XZCF}第三十三条第一款",
        "不予行政处罚。",
    ),
    FactorSpec(
        "exempt", "no-fault", "当事人有证据足以证明没有主观过错", f"{XZCF}第三十三条第二款", "不予行政处罚。"
    ),
    FactorSpec("mitigate", "coerced", "受他人胁迫或者诱骗实施违法行为", f"{XZCF}第三十二条第（二）项"),
    FactorSpec("mitigate", "merit", "配合行政机关查处违法行为有立功表现", f"{XZCF}第三十二条第（四）项"),
    FactorSpec("lenient", "remedied", "主动消除或者减轻违法行为危害后果", f"{XZCF}第三十二条第（一）项"),
    FactorSpec("lenient", "confessed", "主动供述行政机关尚未掌握的违法行为", f"{XZCF}第三十二条第（三）项"),
    FactorSpec(
        "aggravate", "repeat", "一年内因同一种违法行为受过行政处罚又实施", f"{XZCF}第五条第二款（过罚相当）"
    ),
    FactorSpec(
        "aggravate",
        "obstruct",
        "拒不改正，或者隐匿、销毁证据、阻碍执法检查",
        f"{XZCF}第五条第二款（过罚相当）",
    ),
    FactorSpec("aggravate", "emergency", "违反突发事件应对措施", f"{XZCF}第四十九条", "依法快速、从重处罚。"),
    FactorSpec(
        "no_coercion",
        "slight",
        "违法行为情节显著轻微或者没有明显社会危害",
        "《中华人民共和国行政强制法》第十六条第二款",
        "可以不采取行政强制措施。",
    ),
)
COMMON_FACTOR_AGENCIES = ("hrss", "stats", "archives", "samr", "city_samr", "dongshan_samr")

W, C, F = "warning", "criticism", "fine"
LDBZ25 = "《劳动保障监察条例》第二十五条：给予警告，责令限期改正，并可以按照受侵害的劳动者每人100元以上500元以下的标准计算，处以罚款"
TJF44 = "《统计法》第四十四条第二款：企业事业单位或者其他组织可以并处十万元以下的罚款；情节严重的，并处十万元以上五十万元以下的罚款"
SPF124 = "《食品安全法》第一百二十四条第一款：货值金额不足一万元的，并处五万元以上十万元以下罚款；一万元以上的，并处货值金额十倍以上二十倍以下罚款；情节严重的，吊销许可证"
SPF122 = "《食品安全法》第一百二十二条第一款：货值金额不足一万元的，并处五万元以上十万元以下罚款；一万元以上的，并处货值金额十倍以上二十倍以下罚款"
FOOD = ("confiscate_gains", "confiscate_property", F)


def _stats_tiers(general: tuple[int, int], serious: tuple[int, int]) -> tuple[TierSpec, ...]:
    return (
        TierSpec(
            "minor",
            "初次迟报、漏报个别指标，经催报后及时补报，未影响统计数据质量",
            (W, C),
            f"{TJF44}。轻微：给予警告，可以予以通报，不并处罚款。",
        ),
        TierSpec(
            "general",
            "拒绝提供或者提供不完整的统计资料，经责令改正后改正",
            (W, C, F),
            f"{TJF44}。一般：{general[0]}元以上{general[1]}元以下。",
            general,
        ),
        TierSpec(
            "serious",
            "提供不真实的统计资料，或者拒绝、阻碍统计检查",
            (W, C, F),
            f"{TJF44}。较重：{serious[0]}元以上{serious[1]}元以下。",
            serious,
        ),
        TierSpec(
            "severe",
            "情节严重：多次提供不真实统计资料，或者转移、篡改、毁弃原始记录",
            (W, C, F),
            f"{TJF44}。严重：十万元以上五十万元以下。",
            (100000, 500000),
        ),
    )


BENCHMARKS = (
    BenchmarkSpec(
        "hrss",
        "990121-RS-CF-001",
        1,
        "违反工作时间规定行政处罚裁量基准",
        "示人社规〔2024〕2号",
        dt.date(2024, 3, 1),
        None,
        "首次制定。",
        (
            TierSpec(
                "minor",
                "涉及劳动者10人以下，且每月超出法定上限不超过12小时",
                (W, F),
                f"{LDBZ25}。轻微：每人100元以上200元以下。",
                multiple=("persons", "100", "200"),
            ),
            TierSpec(
                "general",
                "涉及劳动者11人以上50人以下，或者每月超出法定上限12小时以上24小时以下",
                (W, F),
                f"{LDBZ25}。一般：每人200元以上300元以下。",
                multiple=("persons", "200", "300"),
            ),
            TierSpec(
                "serious",
                "涉及劳动者51人以上100人以下，或者每月超出法定上限24小时以上36小时以下",
                (W, F),
                f"{LDBZ25}。较重：每人300元以上400元以下。",
                multiple=("persons", "300", "400"),
            ),
            TierSpec(
                "severe",
                "涉及劳动者100人以上，或者每月超出法定上限36小时以上，或者损害劳动者身体健康",
                (W, F),
                f"{LDBZ25}。严重：每人400元以上500元以下。",
                multiple=("persons", "400", "500"),
            ),
        ),
        (
            FactorSpec(
                "exempt",
                "overtime-first",
                "初次违法，超出法定上限不超过4小时、涉及劳动者不超过5人，在责令改正期限内改正",
                f"{XZCF}第三十三条第一款；《劳动保障监察条例》第二十五条",
                "不予行政处罚，责令改正并进行教育。",
            ),
            FactorSpec(
                "aggravate", "overtime-health", "延长工作时间导致劳动者伤病", "《劳动保障监察条例》第二十五条"
            ),
        ),
    ),
    BenchmarkSpec(
        "hrss",
        "990121-RS-CF-002",
        1,
        "阻挠劳动保障监察行政处罚裁量基准",
        "示人社规〔2024〕2号",
        dt.date(2024, 3, 1),
        None,
        "首次制定。",
        tuple(
            TierSpec(
                c,
                cond,
                (F,),
                f"《劳动保障监察条例》第三十条第一款：处2000元以上2万元以下的罚款。{label}：{lo}元以上{hi}元以下。",
                (lo, hi),
            )
            for c, label, cond, lo, hi in (
                ("minor", "轻微", "经说服教育后配合检查", 2000, 5000),
                ("general", "一般", "拒不提供有关资料，经责令改正后改正", 5000, 10000),
                ("serious", "较重", "以暴力、威胁以外的方式阻挠检查", 10000, 15000),
                ("severe", "严重", "多次阻挠检查，或者造成检查无法进行", 15000, 20000),
            )
        ),
    ),
    BenchmarkSpec(
        "stats",
        "990121-TJ-CF-001",
        1,
        "统计违法行为行政处罚裁量基准",
        "示统规〔2024〕1号",
        dt.date(2024, 9, 13),
        dt.date(2026, 6, 30),
        "统计法修正后首次制定。",
        _stats_tiers((10000, 50000), (50000, 100000)),
    ),
    BenchmarkSpec(
        "stats",
        "990121-TJ-CF-001",
        2,
        "统计违法行为行政处罚裁量基准",
        "示统规〔2026〕1号",
        dt.date(2026, 7, 1),
        None,
        "细化一般、较重档次，降低一般情节的罚款幅度；增加首违不罚的统计专用情形。",
        _stats_tiers((5000, 30000), (30000, 100000)),
        (
            FactorSpec(
                "exempt",
                "stats-late-first",
                "初次迟报统计资料，迟报时间不超过5个工作日，经催报后及时报送",
                f"{XZCF}第三十三条第一款",
                "不予行政处罚，进行统计法治教育。",
            ),
        ),
    ),
    BenchmarkSpec(
        "archives",
        "990121-DA-CF-001",
        1,
        "档案违法行为行政处罚裁量基准",
        "示档规〔2024〕1号",
        dt.date(2024, 3, 1),
        None,
        "档案法实施条例施行后制定。",
        tuple(
            TierSpec(
                c,
                cond,
                (W, F),
                f"《档案法》第四十九条第二款：给予警告，并处二万元以上二十万元以下的罚款。{label}：{lo}元以上{hi}元以下。",
                (lo, hi),
            )
            for c, label, cond, lo, hi in (
                ("minor", "轻微", "丢失或者损毁一般档案，数量较少并已找回或者修复", 20000, 50000),
                ("general", "一般", "擅自提供、复制档案，或者丢失一般档案未能找回", 50000, 100000),
                ("serious", "较重", "篡改、伪造档案，或者丢失重要档案", 100000, 150000),
                ("severe", "严重", "擅自销毁档案，或者造成档案无法弥补的损失", 150000, 200000),
            )
        ),
    ),
    *(
        BenchmarkSpec(
            agency,
            matter,
            1,
            title,
            "示市监规〔2024〕3号",
            dt.date(2024, 3, 1),
            None,
            "首次制定。",
            (
                TierSpec(
                    "general",
                    "货值金额较小，未造成危害后果",
                    FOOD,
                    f"{clause}。一般：五万元以上七万五千元以下；货值金额一万元以上的，十倍以上十五倍以下。",
                    (50000, 75000),
                    ("goods_value", "10", "15"),
                    10000,
                ),
                TierSpec(
                    "serious",
                    "货值金额较大，或者已销售给消费者",
                    FOOD,
                    f"{clause}。较重：七万五千元以上十万元以下；货值金额一万元以上的，十五倍以上二十倍以下。",
                    (75000, 100000),
                    ("goods_value", "15", "20"),
                    10000,
                ),
                *(
                    (
                        TierSpec(
                            "severe",
                            "情节严重：造成食源性疾病，或者一年内多次违法",
                            (*FOOD, "revoke_licence"),
                            f"{clause}。严重：幅度同较重，并吊销许可证。",
                            (75000, 100000),
                            ("goods_value", "15", "20"),
                            10000,
                        ),
                    )
                    if revoke
                    else ()
                ),
            ),
        )
        for agency, matter, title, clause, revoke in (
            ("samr", "990121-SJ-CF-001", "生产经营不符合食品安全标准的食品行政处罚裁量基准", SPF124, True),
            (
                "dongshan_samr",
                "990122-SJ-CF-001",
                "生产经营不符合食品安全标准的食品行政处罚裁量基准",
                SPF124,
                True,
            ),
            ("city_samr", "990100-SJ-CF-001", "未取得食品生产经营许可行政处罚裁量基准", SPF122, False),
        )
    ),
)


def _factor(spec: FactorSpec, *, agency: Agency) -> DiscretionFactor:
    return discretion_factor_create(
        actor=None,
        agency=agency,
        effect=spec.effect,
        code=spec.code,
        label=spec.label,
        basis=spec.basis,
        note=spec.note,
    )


def _tier(t: TierSpec) -> TierInput:
    return TierInput(
        circumstance=t.circumstance,
        conditions=t.conditions,
        kinds=list(t.kinds),
        clause=t.clause,
        fine_min=D(t.fine[0]) if t.fine else None,
        fine_max=D(t.fine[1]) if t.fine else None,
        multiple_of=t.multiple[0] if t.multiple else "",
        multiple_min=D(t.multiple[1]) if t.multiple else None,
        multiple_max=D(t.multiple[2]) if t.multiple else None,
        multiple_threshold=D(t.threshold) if t.threshold is not None else None,
    )


def _benchmark(spec: BenchmarkSpec, matter: Matter) -> Benchmark:
    """Version 1 is 制定, a later one 修改 of the version before (which then ends the day before)."""
    tiers = [_tier(t) for t in spec.tiers]
    factors = [FactorInput(f.effect, f.code, f.label, f.basis, f.note) for f in spec.factors]
    latest = Benchmark.objects.filter(matter=matter).order_by("-version").first()
    if latest is None:
        benchmark = benchmark_create(
            actor=None,
            matter=matter,
            title=spec.title,
            document_ref=spec.document_ref,
            effective_from=spec.effective_from,
            change_note=spec.change_note,
            tiers=tiers,
            factors=factors,
        )
    else:
        benchmark = benchmark_amend(
            actor=None,
            benchmark=latest,
            effective_from=spec.effective_from,
            change_note=spec.change_note,
            title=spec.title,
            document_ref=spec.document_ref,
            tiers=tiers,
            factors=factors,
        )
    assert benchmark.version == spec.version, (spec.matter, spec.version)
    # An end date the next version of the demo does not set is a 废止.
    superseded = any(s.matter == spec.matter and s.version == spec.version + 1 for s in BENCHMARKS)
    if spec.effective_to is not None and not superseded:
        benchmark = benchmark_repeal(
            actor=None,
            benchmark=benchmark,
            effective_on=spec.effective_to + dt.timedelta(days=1),
            reason="演示：基准施行期满。",
        )
    return benchmark


@transaction.atomic
def load(agencies: dict[str, Agency]) -> tuple[int, int]:
    """Create what is missing (by natural key); returns (benchmarks created, already there)."""
    for key in COMMON_FACTOR_AGENCIES:
        agency = agencies.get(key)
        if agency is None:
            continue
        have = set(DiscretionFactor.objects.filter(agency=agency).values_list("code", flat=True))
        for f in COMMON_FACTORS:
            if f.code not in have:
                _factor(f, agency=agency)
    created = existing = 0
    for spec in BENCHMARKS:
        agency = agencies.get(spec.agency)
        matter = Matter.objects.filter(agency=agency, code=spec.matter).first() if agency else None
        if matter is None:
            continue
        if Benchmark.objects.filter(matter=matter, version=spec.version).exists():
            existing += 1
            continue
        _benchmark(spec, matter)
        created += 1
    return created, existing


# ── The demo cases' assessments ─────────────────────────────────────────────────────────

# Said by the handler of the one demo case whose intended penalty leaves the range, so the
# legal reviewer sees the flag with its reason.
DEVIATION_REASON = (
    "当事人在责令改正后仍继续安排劳动者超时工作，违法持续时间长于本档次所列情形，"
    "拟按高于本档次上限的标准处罚，提请法制审核时一并审查。"
)
PERSONS = re.compile(r"(\d+)名劳动者")
TRIES: tuple[tuple[str, ...], ...] = ((), ("remedied",), ("repeat",))


def _persons(case: Case) -> int:
    found = PERSONS.search(case.report_facts)
    return int(found.group(1)) if found else 0


def _fits(benchmark: Benchmark, case: Case, persons: int) -> tuple[str, tuple[str, ...]] | None:
    """The lightest tier, with the fewest factors, whose range holds the case's intended penalty."""
    rules = reads.rules_of(benchmark)
    factors = {f.code: reads.factor_terms(f) for f in reads.factors_of(benchmark)}
    if case.outcome == Outcome.NO_PENALTY:
        code = next(c for c in ("overtime-first", "first-minor") if c in factors)
        return rules.tiers[0].circumstance, (code,)
    for tier in rules.tiers:
        for codes in TRIES:
            rng = discretion.calculate(rules, tier.circumstance, [factors[c] for c in codes], persons=persons)
            points = discretion.deviations(
                rng, penalised=True, kinds=case.intended_kinds, fine=case.intended_fine
            )
            if not points:
                return tier.circumstance, codes
    return None


@transaction.atomic
def attach_assessments(agencies: dict[str, Agency]) -> int:
    """Give every demo case that reached the report an assessment, dated at its report.

    The case in 告知 or 调查终结 with the lowest number deviates (one tier too light, with a reason).
    """
    cases = Case.objects.filter(
        agency__in=agencies.values(),
        outcome__in=[Outcome.PENALTY, Outcome.NO_PENALTY],
        reported_at__isnull=False,
    ).order_by("pk")
    deviating = next(
        (
            c.pk
            for c in cases
            if c.status in (Status.REPORTED, Status.NOTICE) and c.outcome == Outcome.PENALTY
        ),
        None,
    )
    made = 0
    for case in cases:
        if case.matter is None or hasattr(case, "assessment"):
            continue
        assert case.reported_at is not None
        violation_on = case.received_on - dt.timedelta(days=7)
        persons = _persons(case)
        choice = reads.benchmark_for_case(
            case.matter,
            violation_on=violation_on,
            circumstance="general",
            factor_codes=frozenset(),
            illegal_gains=D(0),
            goods_value=D(0),
            persons=persons,
            on=case.reported_at.date(),
        )
        if choice is None:
            continue
        fit = _fits(choice.benchmark, case, persons)
        reason = ""
        if fit is not None and case.pk == deviating:
            tiers = [t.circumstance for t in reads.rules_of(choice.benchmark).tiers]
            fit = (tiers[max(0, tiers.index(fit[0]) - 1)], ())
            reason = DEVIATION_REASON
        if fit is None:
            continue
        lead = case.handlers.filter(is_lead=True).select_related("officer__user").first()
        if lead is None or lead.officer.user is None:
            continue
        row = CaseAssessment.objects.create(
            case=case,
            benchmark=choice.benchmark,
            version_note=choice.note,
            violation_on=violation_on,
            circumstance=fit[0],
            affected_persons=persons,
            rationale="依本机关裁量基准，结合违法情节和当事人改正情况确定档次和情节。",
            deviation_reason=reason,
            assessed_by=lead.officer.user,
        )
        row.factors.set([f for f in reads.factors_of(choice.benchmark) if f.code in fit[1]])
        at = case.reported_at - dt.timedelta(minutes=30)
        CaseAssessment.objects.filter(pk=row.pk).update(created_at=at, updated_at=at)
        made += 1
    return made
