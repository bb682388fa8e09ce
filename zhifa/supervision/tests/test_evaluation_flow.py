"""案卷评查 end to end on the runner, and each rule with its allowed and refused case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.documents.models import Document
from zhifa.inspections import drawing
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import evaluation_figures
from zhifa.supervision.evaluation_services import sample, sample_verify
from zhifa.supervision.evaluation_workflow import take_campaign, take_file, take_rectification
from zhifa.supervision.models_evaluation import (
    CampaignStatus,
    EvaluationEvent,
    FileStatus,
    Grade,
    Rectification,
    RectificationStatus,
)
from zhifa.supervision.tests.evaluation_world import ev_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def full_marks(file):
    """Scores equal to what zhifa pre-filled: no reason needed."""
    return {c.item_id: {"met": c.met, "points": c.points} for c in file.checks.all()}


def test_a_campaign_from_draft_to_its_notice_and_rectification(ev):
    good = [ev.closed_case() for _ in range(2)]
    # A decision on a matter of another agency's catalog: beyond authority, a veto item.
    beyond = ev.closed_case(matter=ev.other_matter)
    town = ev.closed_case(ev.j.other)
    ev.closed_case(ev.j.outside, matter=ev.other_matter)  # another county: never in scope
    campaign = ev.drawn(ev.campaign())
    assert campaign.status == CampaignStatus.SAMPLED
    files = {f.number: f for f in campaign.files.all()}
    assert set(files) == {c.number for c in [*good, beyond, town]}
    veto = files[beyond.number].checks.get(item__code="V3")
    assert veto.auto_met is False and "超越职权" in veto.evidence and veto.met is False

    for file in files.values():
        evaluator = ev.evaluator if file.agency_id == ev.j.agency.pk else ev.evaluator_b
        take_file("assign", actor=ev.j.supervisor, file=file, evaluator=evaluator)
        take_file("score", actor=evaluator, file=file, scores=full_marks(file), comment="案卷规范。")
        file.refresh_from_db()
        assert file.status == FileStatus.SCORED
    assert files[good[0].number].grade == Grade.EXCELLENT
    vetoed = files[beyond.number]
    vetoed.refresh_from_db()
    assert vetoed.score == Decimal("100.00") and vetoed.vetoed and vetoed.grade == Grade.FAIL

    document = take_campaign("finish", actor=ev.j.supervisor, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED and campaign.notice == document
    assert document.kind == "evaluation_notice" and document.agency == ev.j.bureau
    assert "评通" in document.number
    assert document.content["failed"][0]["number"] == beyond.number
    rect = Rectification.objects.get()
    assert rect.file == vetoed and rect.agency == ev.j.agency and "V3" in rect.problems

    with pytest.raises(NotPermitted, match="负责人"):
        take_rectification("report", actor=ev.j.officer, rect=rect, report="已整改。")
    take_rectification("report", actor=ev.j.head, rect=rect, report="已撤销该决定并移送有权机关。")
    take_rectification("accept", actor=ev.j.supervisor, rect=rect, opinion="同意。")
    assert rect.status == RectificationStatus.ACCEPTED

    refs = {
        f"supervision.evaluationevent:{pk}" for pk in EvaluationEvent.objects.values_list("pk", flat=True)
    }
    leaves = set(LedgerLeaf.objects.values_list("ref", flat=True))
    assert refs <= leaves
    assert {
        f"supervision.campaign-snapshot:{campaign.pk}",
        f"supervision.campaign-draw:{campaign.pk}",
    } <= leaves

    figures = evaluation_figures.by_agency(
        agency_ids=[ev.j.agency.pk, ev.j.other.pk], year=campaign.finished_at.year
    )
    mine = figures[ev.j.agency.pk]
    assert mine["evaluation.files"] == 3 and mine["evaluation.grade.fail"] == 1
    assert mine["evaluation.vetoed"] == 1 and mine["evaluation.rectified"] == 1
    assert mine["evaluation.average"] == Decimal("100.0")


def test_the_sample_is_reproducible_from_its_public_inputs(ev):
    for _ in range(6):
        ev.closed_case()
    for _ in range(3):
        ev.closed_case(ev.j.other)
    campaign = ev.drawn(ev.campaign(ratio=None, count=2))
    assert campaign.files.filter(agency=ev.j.agency).count() == 2
    assert campaign.files.filter(agency=ev.j.other).count() == 2
    ok, message = sample_verify(campaign)
    assert ok, message
    # Recomputed here from the published values alone, with the inspection draw's functions.
    numbers = campaign.snapshot_numbers.split("\n")
    assert numbers == sorted(numbers) and drawing.snapshot_sha256(numbers) == campaign.snapshot_sha256
    seed = drawing.seed_of(
        plan=campaign.number,
        snapshot=campaign.snapshot_sha256,
        root=campaign.checkpoint_root,
        witness="3210.55",
    )
    drawn = sample(seed, numbers, campaign.snapshot_agencies.split("\n"), ratio=None, count=2)
    assert {n for _, n, _ in drawn} == set(campaign.files.values_list("number", flat=True))
    # A file swapped behind the draw's back is found.
    file = campaign.files.filter(agency=ev.j.agency).first()
    file.number = next(n for n in numbers if n not in {x for _, x, _ in drawn} and n.startswith("评测"))
    file.save()
    assert sample_verify(campaign) == (False, "抽中的案卷与按公开输入重新计算的结果不一致。")


def test_a_ratio_takes_the_ceiling_per_agency(ev):
    for _ in range(3):
        ev.closed_case()
    ev.closed_case(ev.j.other)
    campaign = ev.drawn(ev.campaign(ratio="0.5"))
    assert campaign.files.filter(agency=ev.j.agency).count() == 2  # ceil(3 × 0.5)
    assert campaign.files.filter(agency=ev.j.other).count() == 1


def test_the_draw_waits_for_a_signed_checkpoint(ev):
    ev.closed_case()
    campaign = ev.campaign()
    take_campaign("approve", actor=ev.j.supervisor, campaign=campaign)
    take_campaign("lock", actor=ev.j.supervisor, campaign=campaign)
    with pytest.raises(Conflict, match="检查点"):
        take_campaign(
            "draw", actor=ev.j.supervisor, campaign=campaign, witness_name="李四", witness_value="1"
        )


def test_an_empty_scope_cannot_be_locked(ev):
    campaign = ev.campaign()
    take_campaign("approve", actor=ev.j.supervisor, campaign=campaign)
    with pytest.raises(DomainError, match="没有已结案"):
        take_campaign("lock", actor=ev.j.supervisor, campaign=campaign)


def test_the_evaluated_agencys_own_staff_are_refused_as_evaluators(ev):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    with pytest.raises(DomainError, match="不得评查本机关的案卷"):
        take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator_b)
    with pytest.raises(DomainError, match="不得评查本机关的案卷"):
        take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.j.head)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    assert file.evaluator == ev.evaluator


def test_only_the_assigned_evaluator_scores(ev):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    with pytest.raises(NotPermitted):
        take_file("score", actor=ev.j.other_head, file=file, scores=full_marks(file))
    with pytest.raises(NotPermitted):
        take_file("score", actor=ev.j.supervisor, file=file, scores=full_marks(file))
    take_file("score", actor=ev.evaluator, file=file, scores=full_marks(file))
    assert file.status == FileStatus.SCORED


def test_a_veto_item_forces_fail_whatever_the_score(ev):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    scores = full_marks(file)
    v1 = file.checks.get(item__code="V1")  # no automatic check: the evaluator's call
    scores[v1.item_id] = {"met": False, "reason": "处罚依据引用已废止的规章。"}
    take_file("score", actor=ev.evaluator, file=file, scores=scores)
    file.refresh_from_db()
    assert file.score == Decimal("100.00") and file.vetoed and file.grade == Grade.FAIL


def test_grades_follow_the_standards_thresholds(ev):
    cases = [ev.closed_case() for _ in range(2)]
    campaign = ev.drawn(ev.campaign())
    for case, deduct, grade in ((cases[0], "F1", Grade.PASS), (cases[1], None, Grade.EXCELLENT)):
        file = campaign.files.get(number=case.number)
        take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
        scores = full_marks(file)
        if deduct:
            item = file.checks.get(item__code=deduct)
            scores[item.item_id] = {"points": "0"}  # no automatic check: no reason needed
        take_file("score", actor=ev.evaluator, file=file, scores=scores)
        file.refresh_from_db()
        assert file.grade == grade
    assert ev.standard.pass_min <= file.score


def test_overriding_a_prefilled_check_needs_a_reason(ev):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    check = file.checks.get(item__code="P4")  # 公示: decided by zhifa (nothing due: met)
    assert check.auto_met is True and check.evidence
    scores = full_marks(file)
    scores[check.item_id] = {"points": "0"}
    with pytest.raises(InvalidInput, match=r"与系统核查结果.*请写明理由"):
        take_file("score", actor=ev.evaluator, file=file, scores=scores)
    scores[check.item_id] = {"points": "0", "reason": "公示内容未隐去当事人身份证号。"}
    take_file("score", actor=ev.evaluator, file=file, scores=scores)
    check.refresh_from_db()
    assert check.overridden and check.points == 0 and check.reason


def test_points_out_of_range_are_refused(ev):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    scores = full_marks(file)
    scores[file.checks.get(item__code="F1").item_id] = {"points": "16"}
    with pytest.raises(InvalidInput, match="0 至 15"):
        take_file("score", actor=ev.evaluator, file=file, scores=scores)


def test_the_notice_waits_for_every_file(ev):
    ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    with pytest.raises(Conflict, match="尚有 1 件案卷未评分"):
        take_campaign("finish", actor=ev.j.supervisor, campaign=campaign)
    assert not Document.objects.filter(kind="evaluation_notice").exists()


def test_only_the_bureaus_supervisors_run_the_campaign(ev):
    ev.closed_case()
    campaign = ev.campaign()
    for outsider in (ev.j.outside_supervisor, ev.j.head, ev.evaluator):
        with pytest.raises(NotPermitted):
            take_campaign("approve", actor=outsider, campaign=campaign)
    take_campaign("approve", actor=ev.j.supervisor, campaign=campaign)
    assert campaign.status == CampaignStatus.APPROVED


def test_the_scope_is_the_bureaus_region(ev):
    with pytest.raises(NotPermitted, match="不在您所在司法行政部门的监督范围内"):
        ev.campaign(agencies=[ev.j.agency, ev.j.outside])
    with pytest.raises(NotPermitted):
        ev.campaign(actor=ev.j.head)
    with pytest.raises(InvalidInput, match="二者之一"):
        ev.campaign(ratio="0.5", count=3)


def test_a_returned_rectification_goes_back_to_the_agency(ev):
    case = ev.closed_case(matter=ev.other_matter)
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    take_file("score", actor=ev.evaluator, file=file, scores=full_marks(file))
    take_campaign("finish", actor=ev.j.supervisor, campaign=campaign)
    rect = Rectification.objects.get()
    with pytest.raises(NotPermitted):
        take_rectification("report", actor=ev.j.other_head, rect=rect, report="已整改。")
    take_rectification("report", actor=ev.j.head, rect=rect, report="已整改。")
    with pytest.raises(InvalidInput, match="退回理由"):
        take_rectification("return", actor=ev.j.supervisor, rect=rect, opinion=" ")
    take_rectification("return", actor=ev.j.supervisor, rect=rect, opinion="未附整改后的决定文书。")
    assert rect.status == RectificationStatus.OPEN


def test_zhifa_ledger_verify_rebuilds_every_evaluation_leaf(ev):
    from zhifa.ledger.integrity import verify_log
    from zhifa.ledger.services import checkpoint_make

    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign(ratio="0.5"))
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    take_file("score", actor=ev.evaluator, file=file, scores=full_marks(file))
    checkpoint_make(reason="测试")
    summary = verify_log()
    assert summary.size == LedgerLeaf.objects.count()
