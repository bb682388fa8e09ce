"""The published flow charts are drawn from the workflow table, and the table's `leads_to` is
what the steps really do (checked by watching the runner take them)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from zhifa.cases import selectors, workflow
from zhifa.cases.models import Outcome, Procedure, Status
from zhifa.cases.party_actor import PartyActor
from zhifa.cases.tests import steps
from zhifa.cases.tests.conftest import world  # noqa: F401 — the case procedure's world
from zhifa.cases.tests.test_flow import test_general_procedure_from_clue_to_archive as general_flow
from zhifa.cases.workflow import take
from zhifa.core import workflow as runner
from zhifa.disclosure import flowchart


def test_general_chart_has_every_step_label_of_the_general_procedure():
    chart = flowchart.chart(Procedure.GENERAL)
    expected = {
        s.label
        for s in workflow.CASES.steps.values()
        if s.variants is None or Procedure.GENERAL in s.variants
    }
    assert expected <= chart.step_labels
    svg = flowchart.render_svg(Procedure.GENERAL)
    ET.fromstring(svg)  # well-formed, so browsers draw it inline
    for label in expected:
        assert label in svg
    assert "当场处罚备案" not in svg  # a step of the other procedure


def test_on_the_spot_chart_starts_with_the_decision_and_ends_closed():
    chart = flowchart.chart(Procedure.ON_THE_SPOT)
    assert chart.entry.label == "当场作出行政处罚决定"
    assert [s.status for s in chart.stages] == [Status.EXECUTION, Status.CLOSING, Status.CLOSED]
    assert "当场处罚备案" in chart.step_labels
    assert "批准立案" not in chart.step_labels
    ET.fromstring(flowchart.render_svg(Procedure.ON_THE_SPOT))


def test_chart_arrows_name_who_takes_the_step():
    stages = {s.status: s for s in flowchart.chart(Procedure.GENERAL).stages}
    onward = stages[Status.FILING].onward
    assert [(m.label, m.who, m.target) for m in onward] == [
        ("批准立案", "本机关负责人", Status.INVESTIGATION)
    ]
    branches = {(m.label, m.target) for m in stages[Status.REPORTED].branches}
    assert ("移送司法机关", Status.TRANSFERRED) in branches
    assert ("作出决定", Status.DECIDED) in branches  # 不予处罚 goes straight to the decision


def test_every_step_that_moves_a_case_declares_where_to():
    moving = {s.code for s in workflow.CASES.steps.values() if s.leads_to}
    assert moving == {
        "request_filing",
        "approve_filing",
        "decline_filing",
        "submit_report",
        "notify",
        "decide",
        "serve",
        "request_closing",
        "approve_closing",
        "transfer",
        "transfer_judicial",
        "revoke",
        "party_receive",
    }
    for step in workflow.CASES.steps.values():
        for a, _ in step.transitions():
            assert a in step.statuses


@contextmanager
def watching(monkeypatch) -> Iterator[list[list]]:
    """Every step the runner takes, as [code, case pk, status before, status after]."""
    log: list[list] = []
    real = runner.run

    def spy(workflow_, code, *, subject, **kwargs):
        before = type(subject).objects.get(pk=subject.pk).status
        done = real(workflow_, code, subject=subject, **kwargs)
        log.append([code, subject.pk, before, done.status])
        return done

    monkeypatch.setattr(runner, "run", spy)
    yield log


@pytest.mark.django_db
def test_steps_end_in_the_status_their_step_declares(world, monkeypatch):  # noqa: F811
    w = world
    with watching(monkeypatch) as log:
        general_flow(w)
        declined = steps.requested_case(w)

        take("decline_filing", actor=w.head, case=declined, reason="不属于本机关管辖。")
        clue = steps.clue(w)
        take(
            "transfer",
            actor=w.head,
            case=clue,
            to_agency=None,
            recipient="某区市场监督管理局",
            reason="不属于本机关管辖。",
            materials=["案源登记表"],
        )
        filed = steps.filed_case(w)
        take("revoke", actor=w.head, case=filed, reason="违法事实不能成立。")
        crime = steps.reported_case(w, outcome=Outcome.TRANSFER)
        take(
            "transfer_judicial",
            actor=w.head,
            case=crime,
            recipient="某县公安局",
            reason="涉嫌拒不支付劳动报酬罪。",
            materials=["案卷"],
        )
        # The party's first opening serves the decision electronically (zhifa.party), with consent.
        with steps.travel(steps.START_DAY):
            online = steps.notified_case(w)
            party = PartyActor(case_id=online.pk, access_id=0)
            take("party_consent_service", actor=party, case=online, address="party@example.com")
        with steps.travel("2026-03-10"):
            take("decide", actor=w.head, case=online, kinds=["warning"], penalty="警告。")
            take("party_receive", actor=party, case=online, documents=selectors.unserved_documents(online))
    moved: set[str] = set()
    for code, _pk, before, after in log:
        step = workflow.CASES.steps[code]
        if after == before:
            # Declared moves that did not happen: only where leads_from narrows them (serve).
            assert not step.leads_to or step.leads_from is not None or before in step.leads_to, code
            continue
        assert (before, after) in step.transitions(), f"{code}: {before} → {after} is not declared"
        moved.add(code)
    assert moved == {s.code for s in workflow.CASES.steps.values() if s.leads_to}


@pytest.mark.django_db
def test_entries_create_cases_in_the_declared_status(world):  # noqa: F811
    assert steps.clue(world).status in workflow.ENTRIES[Procedure.GENERAL].leads_to
    case = steps.on_the_spot_case(world)
    assert case.status in workflow.ENTRIES[Procedure.ON_THE_SPOT].leads_to
