"""Benchmark services: 制定, 修改 (new version), 废止, the agency-wide lists; each rule allowed and
refused, the change record and the ledger leaves (verify and backfill)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhifa.accounts.models import Role
from zhifa.catalog import ledger as catalog_ledger
from zhifa.catalog.models import Benchmark, BenchmarkTier, DiscretionAction, DiscretionEvent, DiscretionFactor
from zhifa.catalog.services import matter_repeal
from zhifa.catalog.services.benchmarks import (
    FactorInput,
    TierInput,
    benchmark_amend,
    benchmark_create,
    benchmark_repeal,
    discretion_factor_amend,
    discretion_factor_create,
)
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.ledger.integrity import Divergence, verify_log
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode
from zhifa.ledger.services import ledger_backfill
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory, make_matter, make_user

pytestmark = pytest.mark.django_db

D1 = dt.date(2025, 1, 1)
GENERAL = TierInput(
    "general", "一般情形", ["warning", "fine"], "处二千元以上一万元以下罚款。", D(2000), D(10000)
)
SERIOUS = TierInput("serious", "较重情形", ["fine"], "处一万元以上二万元以下罚款。", D(10000), D(20000))
OWN = FactorInput("lenient", "own-1", "主动退赔", "《行政处罚法》第三十二条第（一）项")


@pytest.fixture
def matter():
    return make_matter(effective_from=dt.date(2024, 1, 1))


def create(matter, actor=None, **kw):
    args = {
        "title": "测试裁量基准",
        "document_ref": "测规〔2025〕1号",
        "effective_from": D1,
        "tiers": [GENERAL, SERIOUS],
        "factors": [OWN],
    }
    return benchmark_create(actor=actor, matter=matter, **(args | kw))


def leaves(kind: str) -> list[str]:
    return list(LedgerLeaf.objects.filter(kind=kind).order_by("index").values_list("ref", flat=True))


# ── 制定 ────────────────────────────────────────────────────────────────────────────────


def test_create_writes_the_version_its_parts_event_and_leaves(matter):
    head = make_user(Role.HEAD, agency=matter.agency)
    benchmark = create(matter, actor=head)
    assert benchmark.version == 1 and benchmark.effective_to is None
    assert [t.circumstance for t in benchmark.tiers.order_by("pk")] == ["general", "serious"]
    assert [f.code for f in benchmark.factors.all()] == ["own-1"]
    event = DiscretionEvent.objects.get(benchmark=benchmark)
    assert event.action == DiscretionAction.CREATE and event.actor == head
    assert leaves("benchmark") == [catalog_ledger.benchmark_ref(benchmark.pk)]
    assert leaves("discretion_event") == [catalog_ledger.event_ref(event.pk)]
    assert verify_log().size == LedgerLeaf.objects.count()


def test_create_refused_to_another_agency(matter):
    outsider = make_user(Role.HEAD)
    with unchanged_db(), pytest.raises(NotPermitted, match="无权修改"):
        create(matter, actor=outsider)


def test_create_refused_for_a_repealed_matter(matter):
    matter_repeal(actor=None, matter=matter, effective_on=dt.date(2024, 6, 1), reason="法律修改")
    with unchanged_db(), pytest.raises(DomainError, match="已于 2024-06-01 废止"):
        create(matter)


def test_create_refused_when_a_version_exists(matter):
    create(matter)
    with unchanged_db(), pytest.raises(Conflict, match="已有第1版裁量基准"):
        create(matter)


def test_create_needs_the_publication_document(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="第三十四条"):
        create(matter, document_ref="  ")


def test_create_needs_a_tier(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="至少规定一个情节档次"):
        create(matter, tiers=[])


def test_create_refuses_a_repeated_tier(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="“一般”重复"):
        create(matter, tiers=[GENERAL, GENERAL])


def test_create_refuses_an_unknown_penalty_kind(matter):
    tier = TierInput("general", "一般", ["fine", "caning"], "条款", D(1), D(2))
    with unchanged_db(), pytest.raises(InvalidInput, match="第九条"):
        create(matter, tiers=[tier])


def test_create_refuses_a_fine_without_a_range_and_a_range_without_a_fine(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="列有罚款，须写明罚款幅度"):
        create(matter, tiers=[TierInput("general", "一般", ["fine"], "条款")])
    with unchanged_db(), pytest.raises(InvalidInput, match="处罚种类应包括罚款"):
        create(matter, tiers=[TierInput("general", "一般", ["warning"], "条款", D(1), D(2))])
    warning_only = create(matter, tiers=[TierInput("minor", "轻微", ["warning"], "给予警告。")])
    assert warning_only.tiers.get().fine_min is None


def test_create_refuses_an_inverted_range_and_a_bad_share(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="下限不大于上限"):
        create(matter, tiers=[TierInput("general", "一般", ["fine"], "条款", D(5), D(1))])
    with unchanged_db(), pytest.raises(InvalidInput, match="比例"):
        create(matter, leniency_share=D("1.5"))


def test_create_refuses_a_repeated_own_factor_code(matter):
    with unchanged_db(), pytest.raises(InvalidInput, match="own-1”重复"):
        create(matter, factors=[OWN, OWN])


# ── 修改 ────────────────────────────────────────────────────────────────────────────────


def test_amend_makes_a_new_version_and_ends_the_current(matter):
    v1 = create(matter)
    v2 = benchmark_amend(
        actor=None,
        benchmark=v1,
        effective_from=dt.date(2026, 7, 1),
        change_note="降低一般档次幅度。",
        tiers=[TierInput("general", "一般", ["fine"], "处一千元以上五千元以下罚款。", D(1000), D(5000))],
    )
    v1.refresh_from_db()
    assert (v2.version, v2.effective_from, v1.effective_to) == (2, dt.date(2026, 7, 1), dt.date(2026, 6, 30))
    assert [t.fine_max for t in v2.tiers.all()] == [D(5000)]
    assert [f.code for f in v2.factors.all()] == ["own-1"]  # not given: the current version's
    assert v2.document_ref == v1.document_ref and v1.tiers.count() == 2  # history kept
    # Both versions changed: each has a leaf as it stands now; the change record names the previous.
    assert leaves("benchmark")[-2:] == [
        catalog_ledger.benchmark_ref(v1.pk),
        catalog_ledger.benchmark_ref(v2.pk),
    ]
    assert DiscretionEvent.objects.get(benchmark=v2).data["previous"] == v1.pk
    verify_log()


def test_amend_refused_on_a_superseded_version(matter):
    v1 = create(matter)
    benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note="修改")
    v1.refresh_from_db()
    with unchanged_db(), pytest.raises(Conflict, match="已被第2版取代"):
        benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2027, 1, 1), change_note="再改")


def test_amend_needs_a_note(matter):
    v1 = create(matter)
    with unchanged_db(), pytest.raises(InvalidInput, match="修改说明"):
        benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note=" ")


def test_amend_cannot_start_on_or_before_the_current_version(matter):
    v1 = create(matter)
    with unchanged_db(), pytest.raises(InvalidInput, match="同一日只能有一个施行的裁量基准版本"):
        benchmark_amend(actor=None, benchmark=v1, effective_from=D1, change_note="改写现行版本")


def test_amend_refused_to_an_officer_and_for_a_repealed_matter(matter):
    v1 = create(matter)
    officer = make_user(Role.OFFICER, agency=matter.agency)
    with unchanged_db(), pytest.raises(NotPermitted):
        benchmark_amend(actor=officer, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note="改")
    matter_repeal(actor=None, matter=matter, effective_on=dt.date(2026, 1, 1), reason="事项取消")
    with unchanged_db(), pytest.raises(DomainError, match="废止，不能再修改"):
        benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 2, 1), change_note="改")


def test_amend_refuses_an_unknown_field(matter):
    v1 = create(matter)
    with unchanged_db(), pytest.raises(InvalidInput, match="没有这些字段：version"):
        benchmark_amend(
            actor=None, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note="改", version=9
        )


# ── 废止 ────────────────────────────────────────────────────────────────────────────────


def test_repeal_ends_the_current_version(matter):
    v1 = create(matter)
    repealed = benchmark_repeal(
        actor=None, benchmark=v1, effective_on=dt.date(2026, 1, 1), reason="上位法修改"
    )
    assert repealed.effective_to == dt.date(2025, 12, 31)
    event = DiscretionEvent.objects.get(benchmark=v1, action=DiscretionAction.REPEAL)
    assert event.note == "上位法修改"
    assert leaves("benchmark") == [catalog_ledger.benchmark_ref(v1.pk)] * 2
    verify_log()
    # A later version may follow the gap.
    v2 = benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 6, 1), change_note="重新制定")
    v1.refresh_from_db()
    assert v2.version == 2 and v1.effective_to == dt.date(2025, 12, 31)


def test_repeal_needs_a_reason(matter):
    v1 = create(matter)
    with unchanged_db(), pytest.raises(InvalidInput, match="写明理由"):
        benchmark_repeal(actor=None, benchmark=v1, effective_on=dt.date(2026, 1, 1), reason="")


def test_repeal_refused_twice_and_before_the_version_starts(matter):
    v1 = create(matter)
    with unchanged_db(), pytest.raises(InvalidInput, match="须晚于第1版的施行日期"):
        benchmark_repeal(actor=None, benchmark=v1, effective_on=D1, reason="撤回")
    benchmark_repeal(actor=None, benchmark=v1, effective_on=dt.date(2026, 1, 1), reason="废止")
    with unchanged_db(), pytest.raises(Conflict, match="已于 2025-12-31 失效"):
        benchmark_repeal(actor=None, benchmark=v1, effective_on=dt.date(2026, 3, 1), reason="再废止")


def test_repeal_refused_on_a_superseded_version(matter):
    v1 = create(matter)
    benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note="修改")
    with unchanged_db(), pytest.raises(Conflict, match="历史版本"):
        benchmark_repeal(actor=None, benchmark=v1, effective_on=dt.date(2027, 1, 1), reason="废止")


# ── the agency-wide lists ───────────────────────────────────────────────────────────────


def test_factor_create_and_amend_with_leaves():
    agency = AgencyFactory()
    head = make_user(Role.HEAD, agency=agency)
    factor = discretion_factor_create(
        actor=head, agency=agency, effect="exempt", code=" first ", label="首违", basis="第三十三条"
    )
    assert factor.code == "first"
    discretion_factor_amend(actor=head, factor=factor, note="应当进行教育。")
    factor.refresh_from_db()
    assert factor.note == "应当进行教育。"
    assert leaves("discretion_factor") == [catalog_ledger.factor_ref(factor.pk)] * 2
    assert list(factor.events.values_list("action", flat=True).order_by("at")) == [
        "factor_create",
        "factor_amend",
    ]
    verify_log()


def test_factor_create_refuses_a_repeated_code_another_agency_and_an_unknown_list():
    agency = AgencyFactory()
    discretion_factor_create(actor=None, agency=agency, effect="lenient", code="x", label="甲", basis="依据")
    with unchanged_db(), pytest.raises(InvalidInput, match="已有编码为“x”"):
        discretion_factor_create(
            actor=None, agency=agency, effect="lenient", code="x", label="乙", basis="依据"
        )
    outsider = make_user(Role.HEAD)
    with unchanged_db(), pytest.raises(NotPermitted):
        discretion_factor_create(
            actor=outsider, agency=agency, effect="lenient", code="y", label="乙", basis="依据"
        )
    with unchanged_db(), pytest.raises(InvalidInput, match="清单“lighter”不存在"):
        discretion_factor_create(
            actor=None, agency=agency, effect="lighter", code="z", label="丙", basis="依据"
        )


def test_factor_amend_refuses_a_matter_entry_and_other_fields(matter):
    own = create(matter).factors.get()
    with unchanged_db(), pytest.raises(Conflict, match="制定新版本"):
        discretion_factor_amend(actor=None, factor=own, label="改")
    common = discretion_factor_create(
        actor=None, agency=matter.agency, effect="lenient", code="c", label="甲", basis="依据"
    )
    with unchanged_db(), pytest.raises(InvalidInput, match="code"):
        discretion_factor_amend(actor=None, factor=common, code="d")


def test_factor_applied_to_a_case_is_not_amended(matter):
    from zhifa.cases.models import CaseAssessment
    from zhifa.cases.services import case_register_clue
    from zhifa.core.calendar import today

    benchmark = create(matter)
    common = discretion_factor_create(
        actor=None, agency=matter.agency, effect="lenient", code="c", label="甲", basis="依据"
    )
    officer = make_user(Role.OFFICER, agency=matter.agency)
    case = case_register_clue(
        actor=officer,
        agency=matter.agency,
        source="complaint",
        received_on=today(),
        cause="测试",
        clue_summary="测试",
    )
    assessment = CaseAssessment.objects.create(
        case=case,
        benchmark=benchmark,
        version_note="",
        violation_on=D1,
        circumstance="general",
        assessed_by=officer,
    )
    assessment.factors.add(common)
    with unchanged_db(), pytest.raises(Conflict, match="已在 1 件案件的裁量中适用"):
        discretion_factor_amend(actor=None, factor=common, label="改")


# ── the ledger ──────────────────────────────────────────────────────────────────────────


def test_verify_names_a_tier_changed_behind_the_services(matter):
    benchmark = create(matter)
    BenchmarkTier.objects.filter(benchmark=benchmark, circumstance="general").update(fine_max=D(99999))
    with pytest.raises(Divergence, match="differs from its leaf in tiers"):
        verify_log()


def test_verify_names_a_benchmark_written_behind_the_services(matter):
    create(matter)
    Benchmark.objects.create(
        matter=make_matter(agency=matter.agency),
        version=1,
        title="后门",
        document_ref="无",
        effective_from=D1,
        change_note="",
    )
    with pytest.raises(Divergence, match="has no leaf"):
        verify_log()


def test_backfill_covers_the_benchmarks_of_an_older_database(matter):
    v1 = create(matter)
    benchmark_amend(actor=None, benchmark=v1, effective_from=dt.date(2026, 1, 1), change_note="修改")
    common = discretion_factor_create(
        actor=None, agency=matter.agency, effect="lenient", code="c", label="甲", basis="依据"
    )
    # An older database: the rows exist, the ledger and the change record do not.
    for model in (Checkpoint, LedgerNode, LedgerLeaf, LedgerHead, DiscretionEvent):
        model.objects.all().delete()
    appended = ledger_backfill()
    assert appended == Benchmark.objects.count() + 1
    assert set(leaves("benchmark")) == {catalog_ledger.benchmark_ref(b.pk) for b in Benchmark.objects.all()}
    assert leaves("discretion_factor") == [catalog_ledger.factor_ref(common.pk)]
    assert verify_log().size == appended
    assert DiscretionFactor.objects.filter(agency__isnull=False).count() == 1
