"""The draw: lock, seed, strata, inspectors, recusals, and the refusals on the way."""

from __future__ import annotations

import hashlib
import hmac
import math

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from zhifa.core.errors import Conflict, DomainError, NotPermitted
from zhifa.inspections import drawing, services, workflow
from zhifa.inspections.models import DrawInspector, InspectorStatus, PlanStatus
from zhifa.inspections.selectors import draw_document
from zhifa.inspections.tests.conftest import drawn, make_plan, to_locked
from zhifa.ledger.models import Checkpoint, LedgerLeaf
from zhifa.ledger.services import checkpoint_make


def test_draw_follows_the_published_rules(world, time_machine):
    plan = drawn(world, time_machine)
    assert plan.status == PlanStatus.DRAWN
    draw = plan.draw
    snapshot = plan.snapshot
    codes = snapshot.codes.split("\n")
    assert codes == sorted(s.uscc for s in world.subjects)
    assert snapshot.sha256 == hashlib.sha256("\n".join(codes).encode()).hexdigest()
    checkpoint = Checkpoint.objects.filter(size__gt=snapshot.leaf_index).order_by("size").first()
    assert (draw.checkpoint_size, draw.checkpoint_root) == (checkpoint.size, checkpoint.root)
    text = f"zhifa-draw-v1|{plan.number}|{snapshot.sha256}|{checkpoint.root}|3251.17"
    seed = hashlib.sha256(text.encode()).digest()
    assert draw.seed == seed.hex()
    by_class = {s["class"]: s for s in draw.strata}
    for cls, ratio in {"A": 0.05, "B": 0.1, "C": 0.2, "D": 0.5}.items():
        population = sorted(s.uscc for s in world.subjects if s.risk_class == cls)
        keyed = sorted(population, key=lambda c: hmac.new(seed, c.encode(), "sha256").digest())
        assert by_class[cls]["selected"] == keyed[: math.ceil(len(population) * ratio)]
        assert by_class[cls]["population"] == len(population)
    assignment = draw.assignments.get(position=0)
    ranked = sorted(
        (o.certificates.get().number for o in world.inspectors),
        key=lambda n: hmac.new(seed, f"{assignment.uscc}|{n}".encode(), "sha256").digest(),
    )
    assigned = assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).order_by("rank")
    assert [s.certificate_number for s in assigned] == ranked[:2]
    kinds = set(LedgerLeaf.objects.values_list("kind", flat=True))
    assert {"inspection_lock", "inspection_draw", "inspection_plan_event"} <= kinds


def test_the_draw_waits_for_a_signed_checkpoint_that_includes_the_lock(world, time_machine):
    plan = to_locked(world, make_plan(world), checkpoint=False)
    time_machine.move_to(plan.draw_at)
    with pytest.raises(Conflict, match="检查点"):
        workflow.take("draw", actor=world.head, plan=plan, witness_name="见证人", witness_value="1")
    checkpoint_make(reason="测试")
    workflow.take("draw", actor=world.head, plan=plan, witness_name="见证人", witness_value="1")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN


def test_the_draw_waits_for_its_time_and_the_head(world, time_machine):
    plan = to_locked(world, make_plan(world))
    with pytest.raises(Conflict, match="未到计划公布的抽取时间"):
        workflow.take("draw", actor=world.head, plan=plan, witness_name="见证人", witness_value="1")
    time_machine.move_to(plan.draw_at)
    with pytest.raises(NotPermitted, match="牵头机关负责人"):
        workflow.take("draw", actor=world.officer_user, plan=plan, witness_name="见证人", witness_value="1")


def test_recusal_at_the_draw_skips_and_after_the_draw_replaces(world, time_machine):
    plan = to_locked(world, make_plan(world))
    # Everyone but two recused for one drawn subject before the draw: those two inspect it.
    time_machine.move_to(plan.draw_at)
    probe = services.drawing.seed_of(
        plan=plan.number,
        snapshot=plan.snapshot.sha256,
        root=Checkpoint.objects.latest("pk").root,
        witness="42",
    )
    drawn_first = services.drawing.select(
        probe, sorted(s.uscc for s in world.subjects if s.risk_class == "D"), 1
    )[0][0]
    first = next(s for s in world.subjects if s.uscc == drawn_first)
    for officer in world.inspectors[:4]:
        services.recusal_declare(actor=world.head, officer=officer, subject=first, reason="亲属关系")
    workflow.take("draw", actor=world.head, plan=plan, witness_name="见证人", witness_value="42")
    plan.refresh_from_db()
    assignment = plan.draw.assignments.get(subject=first)
    skipped = assignment.inspectors.filter(status=InspectorStatus.SKIPPED)
    assert {s.officer for s in skipped} <= set(world.inspectors[:4])
    assert all("亲属关系" in s.reason for s in skipped)
    assert assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).count() == 2
    assignment = plan.draw.assignments.exclude(subject=first).order_by("position").first()
    before = list(assignment.inspectors.filter(status=InspectorStatus.ASSIGNED))
    assert len(before) == 2
    gone = before[0]
    services.recusal_declare(
        actor=world.head, officer=gone.officer, subject=assignment.subject, reason="曾在该单位任职"
    )
    gone.refresh_from_db()
    assert gone.status == InspectorStatus.REPLACED and "曾在该单位任职" in gone.reason
    now = list(assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).order_by("rank"))
    assert len(now) == 2 and gone.replaced_by in now and gone.officer not in [s.officer for s in now]
    document = draw_document(plan.draw)
    task = document["tasks"][assignment.position]
    assert {"certificate": gone.certificate_number, "after_draw": True} in task["skipped"]
    assert LedgerLeaf.objects.filter(kind="inspection_recusal_change").count() == 1


def test_a_joint_plan_gives_two_inspectors_of_each_agency(world, time_machine):
    plan = drawn(world, time_machine, joint=True)
    for task in draw_document(plan.draw)["tasks"]:
        assert len(task["inspectors"]) == 4
        assert [n[:2] for n in task["inspectors"]] == ["SJ", "SJ", "WJ", "WJ"]


def test_too_few_inspectors_refuse_the_draw(world, time_machine):
    plan = to_locked(world, make_plan(world))
    for officer in world.inspectors[1:]:
        officer.is_active = False
        officer.save()
    time_machine.move_to(plan.draw_at)
    with pytest.raises(DomainError, match="第四十二条"):
        workflow.take("draw", actor=world.head, plan=plan, witness_name="见证人", witness_value="1")
    assert not DrawInspector.objects.exists()


def test_zhifa_ledger_verify_rebuilds_every_inspections_leaf(world, time_machine):
    from zhifa.ledger.integrity import verify_log

    plan = drawn(world, time_machine, joint=True)
    assignment = plan.draw.assignments.order_by("position").first()
    slot = assignment.inspectors.filter(status=InspectorStatus.ASSIGNED).first()
    services.recusal_declare(actor=None, officer=slot.officer, subject=assignment.subject, reason="亲属")
    checkpoint_make(reason="测试")
    summary = verify_log()
    assert summary.size == LedgerLeaf.objects.count()


def test_a_recusal_is_declared_once(world):
    subject = world.subjects[0]
    services.recusal_declare(actor=world.head, officer=world.inspectors[0], subject=subject, reason="亲属")
    with pytest.raises(Conflict, match="已对"):
        services.recusal_declare(
            actor=world.head, officer=world.inspectors[0], subject=subject, reason="亲属"
        )
    with pytest.raises(NotPermitted, match="第四十三条"):
        services.recusal_declare(
            actor=world.officer_user, officer=world.inspectors[1], subject=subject, reason="x"
        )


def test_plan_rules_refuse_with_a_sentence(world):
    from zhifa.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="0 到 1"):
        make_plan(world, ratios={"A": "1.5"})
    with pytest.raises(InvalidInput, match="本地分类"):
        make_plan(world, ratios={"Z": "0.1"})
    with pytest.raises(InvalidInput, match="参与机关"):
        make_plan(world, items=[world.item, world.partner_item])  # a partner's item without the partner
    with pytest.raises(InvalidInput, match="须承担"):
        make_plan(world, items=[world.item], partners=[(world.partner, world.partner_domain)])
    with pytest.raises(NotPermitted):
        make_plan(world, actor=world.partner_head)


@given(seed=st.binary(min_size=0, max_size=100), message=st.binary(max_size=200))
@hsettings(max_examples=200, deadline=None)
def test_the_keyer_is_hmac_sha256(seed, message):
    assert drawing.keyer(seed)(message) == hmac.digest(seed, message, "sha256")
