"""备案审查 end to end on the step runner: a major decision is filed, reviewed, corrected; each
rule has its allowed and refused case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import Conflict, InvalidInput, NotPermitted
from zhifa.documents.models import Document
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import filing_services
from zhifa.supervision.filing_workflow import FILINGS, next_steps, take
from zhifa.supervision.models_filings import Filing, FilingEvent, FilingKind, FilingStatus
from zhifa.supervision.models_warnings import HitStatus, WarningHit
from zhifa.supervision.tests.filing_world import a_case, decision, major
from zhifa.supervision.warning_services import warnings_run
from zhifa.testing.signing import install_test_credential, use_temp_dirs

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(jurisdiction, settings, tmp_path):
    use_temp_dirs(settings, tmp_path)
    install_test_credential(jurisdiction.bureau)
    return jurisdiction


def test_a_major_decision_is_filed_reviewed_and_corrected_on_the_runner(signing):
    j = signing
    case = major(j.agency, decided_on=today() - dt.timedelta(days=3))
    decision_doc = decision(case)
    assert filing_services.filings_sync() == 1
    filing = Filing.objects.get(case=case)
    assert filing.kind == FilingKind.MAJOR_DECISION and filing.bureau == j.bureau
    assert filing.due_on == add_workdays(case.decided_on, 15).date
    assert "罚款" in filing.description
    assert filing_services.filings_sync() == 0  # the cursor moved on; nothing opened twice

    take("submit", actor=j.head, filing=filing, note="按期报备")
    assert filing.status == FilingStatus.SUBMITTED and filing.document == decision_doc
    assert not filing.submitted_late
    assert filing.review_due_on == add_workdays(today(), 30).date

    document = take(
        "correct", actor=j.supervisor, filing=filing, opinion="罚款数额未说明裁量理由，请予纠正。"
    )
    assert filing.status == FilingStatus.CORRECTING
    assert document.kind == "filing_correction_opinion" and document.agency == j.bureau
    assert filing.correction_document == document and filing.correction_due_on > today()
    assert "备案审查纠错意见书" in Document.objects.get(pk=document.pk).title

    take("report", actor=j.head, filing=filing, report="已补充裁量说明并重新送达。")
    assert filing.status == FilingStatus.CORRECTED and filing.corrected_on == today()
    actions = list(FilingEvent.objects.filter(filing=filing).values_list("action", flat=True))
    assert actions == ["open", "submit", "correct", "report"]
    refs = {
        f"supervision.filingevent:{pk}"
        for pk in FilingEvent.objects.filter(filing=filing).values_list("pk", flat=True)
    }
    assert refs <= set(LedgerLeaf.objects.values_list("ref", flat=True))


def test_a_filing_recorded_without_fault(signing):
    j = signing
    case = major(j.agency, decided_on=today())
    decision(case)
    filing_services.filings_sync()
    filing = Filing.objects.get(case=case)
    take("submit", actor=j.head, filing=filing)
    take("record", actor=j.supervisor, filing=filing, opinion="")
    assert filing.status == FilingStatus.RECORDED and filing.reviewed_on == today()


def test_a_minor_decision_owes_no_filing(jurisdiction):
    case = a_case(jurisdiction.agency, decided_on=today(), final_fine=Decimal(500), final_kinds=["fine"])
    filing_services.filings_sync()
    assert not Filing.objects.filter(case=case).exists()


def test_a_township_case_is_filed_at_its_filing(jurisdiction):
    case = a_case(jurisdiction.other, status="investigation", filed_on=today() - dt.timedelta(days=1))
    filing_services.filings_sync()
    filing = Filing.objects.get(case=case)
    assert filing.kind == FilingKind.TOWNSHIP_CASE and filing.agency == jurisdiction.other
    take("submit", actor=jurisdiction.other_head, filing=filing)
    assert filing.status == FilingStatus.SUBMITTED


def test_submit_is_the_heads_step_and_needs_the_signed_decision(signing):
    j = signing
    case = major(j.agency, decided_on=today())
    filing_services.filings_sync()
    filing = Filing.objects.get(case=case)
    with pytest.raises(NotPermitted, match="报备机关负责人"):
        take("submit", actor=j.officer, filing=filing)
    with pytest.raises(Conflict, match="行政处罚决定书"):
        take("submit", actor=j.head, filing=filing)
    decision(case)
    take("submit", actor=j.head, filing=filing)
    assert filing.status == FilingStatus.SUBMITTED


def test_review_is_for_the_receiving_bureau_only(signing):
    j = signing
    case = major(j.agency, decided_on=today())
    decision(case)
    filing_services.filings_sync()
    filing = Filing.objects.get(case=case)
    take("submit", actor=j.head, filing=filing)
    with pytest.raises(NotPermitted):
        take("record", actor=j.outside_supervisor, filing=filing)
    with pytest.raises(NotPermitted, match="司法局"):
        take("record", actor=j.head, filing=filing)
    with pytest.raises(InvalidInput, match="纠正要求"):
        take("correct", actor=j.supervisor, filing=filing, opinion="  ")
    assert filing.status == FilingStatus.SUBMITTED
    with pytest.raises(Conflict, match="待审查"):
        take("report", actor=j.head, filing=filing, report="x")


def test_a_late_filing_raises_a_warning_and_a_timely_one_does_not(signing):
    j = signing
    late_case = major(j.agency, decided_on=today() - dt.timedelta(days=40))
    decision(late_case)
    timely_case = major(j.agency, decided_on=today())
    decision(timely_case)
    filing_services.filings_sync()
    warnings_run()
    late = Filing.objects.get(case=late_case)
    timely = Filing.objects.get(case=timely_case)
    hit = WarningHit.objects.get(rule__code="filing_late", object_id=late.pk)
    assert hit.status == HitStatus.OPEN and "逾期未报备" in hit.summary and hit.level == "red"
    assert not WarningHit.objects.filter(rule__code="filing_late", object_id=timely.pk).exists()

    take("submit", actor=j.head, filing=late)
    assert late.submitted_late
    warnings_run()
    hit.refresh_from_db()
    # The same fact, now told as a late submission: still one open hit, not two.
    assert hit.status == HitStatus.OPEN and "才报备" in hit.summary
    assert WarningHit.objects.filter(rule__code="filing_late", object_id=late.pk).count() == 1


def test_a_filing_that_falls_due_without_any_event_is_caught_by_its_watch(signing):
    j = signing
    case = major(j.agency, decided_on=today())
    decision(case)
    filing_services.filings_sync()
    warnings_run()
    filing = Filing.objects.get(case=case)
    assert not WarningHit.objects.filter(rule__code="filing_late").exists()
    warnings_run(on=filing.due_on + dt.timedelta(days=1))
    assert WarningHit.objects.filter(rule__code="filing_late", object_id=filing.pk, status="open").exists()


def test_a_head_declares_a_changed_benchmark_and_only_a_head(jurisdiction):
    j = jurisdiction
    filing = filing_services.filing_declare(
        actor=j.head,
        kind=FilingKind.DISCRETION,
        title="劳动保障监察行政处罚裁量基准（2026 修订）",
        changed_on=today(),
    )
    assert filing.bureau == j.bureau and filing.status == FilingStatus.DUE
    take("submit", actor=j.head, filing=filing)
    assert filing.status == FilingStatus.SUBMITTED and filing.document is None
    with pytest.raises(NotPermitted, match="机关负责人"):
        filing_services.filing_declare(
            actor=j.officer, kind=FilingKind.DISCRETION, title="x", changed_on=today()
        )
    with pytest.raises(InvalidInput):
        filing_services.filing_declare(
            actor=j.head, kind=FilingKind.MAJOR_DECISION, title="x", changed_on=today()
        )


def test_next_steps_show_each_side_its_steps(signing):
    j = signing
    case = major(j.agency, decided_on=today())
    decision(case)
    filing_services.filings_sync()
    filing = Filing.objects.get(case=case)
    assert [s.step.code for s in next_steps(filing, j.head) if s.allowed] == ["submit"]
    assert next_steps(filing, j.outside_supervisor) == []
    take("submit", actor=j.head, filing=filing)
    assert {s.step.code for s in next_steps(filing, j.supervisor) if s.allowed} == {"record", "correct"}
    assert FILINGS.name == "supervision_filings"


def test_the_correction_opinion_reads_as_a_document():
    from zhifa.documents.kinds import KINDS
    from zhifa.documents.rendering import Stamp, render_html

    html = render_html(
        kind=KINDS["filing_correction_opinion"],
        content={
            "agency": {"name": "测试县司法局", "address": "测试路1号", "phone": "0999-1", "remedies": ""},
            "filing": {
                "agency": "测试县人力资源和社会保障局",
                "kind_label": "重大行政处罚决定备案",
                "title": "测人社罚〔2026〕3号",
                "submitted_on": "2026-11-02",
                "document_number": "测人社罚〔2026〕3号",
            },
            "opinion": "裁量理由不充分。",
            "correction_due_on": "2026-12-15",
            "basis": "004（四）3",
        },
        stamp=Stamp(number="测司备纠〔2026〕1号", verification_code="ABCDEFGHJK"),
    )
    assert "备案审查纠错意见书" in html and "测试县人力资源和社会保障局：" in html
    assert "裁量理由不充分。" in html and "2026年12月15日前" in html and "{{" not in html


def test_a_benchmark_changed_in_the_catalog_opens_its_filing_once(jurisdiction):
    """制定, 修改 and 废止 of a 裁量基准 each open one 行政裁量权基准备案 with the supervising bureau, in
    the catalog's transaction; a retry of the hook opens nothing more; an agency no 司法局
    supervises opens none."""
    from zhifa.catalog.models import DiscretionAction
    from zhifa.catalog.services.benchmarks import (
        TierInput,
        benchmark_amend,
        benchmark_create,
        benchmark_repeal,
    )
    from zhifa.testing.factories import AgencyFactory, make_matter

    j = jurisdiction
    tier = TierInput(
        "general", "一般情形", ["fine"], "处二千元以上一万元以下罚款。", Decimal(2000), Decimal(10000)
    )
    matter = make_matter(agency=j.agency)
    made = benchmark_create(
        actor=None,
        matter=matter,
        title="拖欠工资裁量基准",
        document_ref="测人社规〔2026〕1号",
        effective_from=dt.date(2026, 1, 1),
        tiers=[tier],
    )
    filing = Filing.objects.get()
    assert (filing.kind, filing.agency, filing.bureau, filing.status) == (
        FilingKind.DISCRETION,
        j.agency,
        j.bureau,
        FilingStatus.DUE,
    )
    assert filing.origin_ref == f"catalog.benchmark:{made.pk}:create" and "第1版，制定" in filing.title
    assert filing.basis_on == today() and filing.due_on == filing_services.due_on(today())
    assert filing.events.get().action == "open"
    again = filing_services.filing_open_for_benchmark(
        actor=None, benchmark=made, action=DiscretionAction.CREATE
    )
    assert again == filing and Filing.objects.count() == 1
    new = benchmark_amend(
        actor=None, benchmark=made, effective_from=dt.date(2026, 6, 1), change_note="调整幅度。"
    )
    benchmark_repeal(actor=None, benchmark=new, effective_on=dt.date(2026, 9, 1), reason="上位法修改。")
    titles = list(Filing.objects.order_by("pk").values_list("title", flat=True))
    assert len(titles) == 3 and "第2版，修改（新版本）" in titles[1] and "第2版，废止" in titles[2]
    # The head files it like a declared one; an agency with no 司法局 above opens no filing.
    take("submit", actor=j.head, filing=filing)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    lone = AgencyFactory()
    benchmark_create(
        actor=None,
        matter=make_matter(agency=lone),
        title="裁量基准",
        document_ref="文〔2026〕1号",
        effective_from=dt.date(2026, 1, 1),
        tiers=[tier],
    )
    assert Filing.objects.count() == 3
