"""The case's discretion assessment: recording it, the deviation flag, the reason rule, the panel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases import discretion
from zhifa.cases.models import Outcome
from zhifa.cases.tests import steps
from zhifa.cases.workflow import take
from zhifa.catalog.models import Benchmark
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.demo import benchmarks as demo
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db
SPEC = next(s for s in demo.BENCHMARKS if s.matter == "990121-RS-CF-002")  # 2000–20000 in four tiers


@pytest.fixture
def bench(world) -> Benchmark:
    for f in demo.COMMON_FACTORS:
        demo._factor(f, agency=world.agency)
    return demo._benchmark(SPEC, world.matter)


def assess(world, case, **kw):
    args = {"violation_on": dt.date.today() - dt.timedelta(days=30), "circumstance": "general"}
    return discretion.case_assess(actor=world.officer, case=case, **(args | kw))


def test_no_assessment_no_flag(world, bench):
    case = steps.reported_case(world)
    assert discretion.assessment_for(case) is None


def test_inside_the_range(world, bench):
    case = steps.investigated_case(world)
    result = assess(world, case)
    assert (result.range.fine_min, result.range.fine_max) == (D(5000), D(10000))
    assert not result.deviates and result.benchmark_id == bench.pk
    steps.report(world, case, fine=D(8000), kinds=("fine",))
    result = discretion.assessment_for(case)
    assert result is not None and not result.deviates
    assert result.assessed_by == "执法员甲"  # the card names the person, not the login
    assert case.events.filter(action="assess").exists()


def test_report_outside_the_range_needs_a_reason(world, bench):
    case = steps.investigated_case(world)
    assess(world, case, factor_codes=["remedied"])  # 5000–7500
    with pytest.raises(InvalidInput, match="第三十四条"):
        steps.report(world, case, fine=D(9000), kinds=("fine",))
    case.refresh_from_db()
    take(
        "submit_report",
        actor=world.officer,
        case=case,
        facts="事实",
        evidence="询问笔录",
        analysis="分析",
        outcome=Outcome.PENALTY,
        kinds=["fine"],
        fine=D(9000),
        penalty="罚款9000元。",
        deviation_reason="当事人事后才消除部分危害后果，从轻幅度不足以体现过罚相当。",
    )
    result = discretion.assessment_for(case)
    assert result is not None and result.deviates and "高于" in result.deviation_points[0]
    assert result.deviation_reason.startswith("当事人事后")


def test_kinds_outside_the_benchmark_deviate(world, bench):
    case = steps.investigated_case(world)
    assess(world, case, deviation_reason="理由")
    steps.report(world, case, fine=D(6000), kinds=("warning", "fine"))  # 警告 is not in this benchmark
    result = discretion.assessment_for(case)
    assert result is not None and result.deviates and "种类" in result.deviation_points[0]


def test_assessing_after_the_report_checks_the_intended_penalty(world, bench):
    case = steps.reported_case(world, fine=D(30000), kinds=("fine",))
    with pytest.raises(InvalidInput):
        assess(world, case)
    result = assess(world, case, deviation_reason="情节特别恶劣。")
    assert result.deviates


def test_exempt_factor_and_no_penalty(world, bench):
    case = steps.investigated_case(world)
    result = assess(world, case, circumstance="minor", factor_codes=["first-minor"])
    assert result.range.exempt and result.range_text == "不予行政处罚"
    steps.report(world, case, outcome=Outcome.NO_PENALTY)
    flagged = discretion.assessment_for(case)
    assert flagged is not None and not flagged.deviates


def test_no_penalty_without_exempt_factor_deviates(world, bench):
    case = steps.investigated_case(world)
    assess(world, case)
    with pytest.raises(InvalidInput):
        steps.report(world, case, outcome=Outcome.NO_PENALTY)


def test_only_a_handler_assesses(world, bench):
    case = steps.investigated_case(world)
    for user in (world.head, world.reviewer, world.bystander, world.outsider):
        with pytest.raises(NotPermitted):
            discretion.case_assess(
                actor=user, case=case, violation_on=dt.date.today(), circumstance="general"
            )


def test_refused_inputs(world, bench):
    case = steps.investigated_case(world)
    with pytest.raises(InvalidInput):
        assess(world, case, circumstance="huge")
    with pytest.raises(InvalidInput):
        assess(world, case, factor_codes=["nonsense"])
    with pytest.raises(InvalidInput):
        assess(world, case, violation_on=dt.date.today() + dt.timedelta(days=1))


def test_no_benchmark_in_force(world):
    case = steps.investigated_case(world)
    with pytest.raises(DomainError, match="没有施行的裁量基准"):
        assess(world, case)


def test_not_after_the_decision_stage(world, bench):
    case = steps.filed_case(world)
    case.status = "closed"
    with pytest.raises(DomainError):
        assess(world, case)


# ── views ─────────────────────────────────────────────────────────────────────────────


def client_for(user) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_panel_and_form(world, bench):
    case = steps.investigated_case(world)
    url = reverse("cases:assess", args=[case.pk])
    officer = client_for(world.officer)
    assert "适用裁量基准" in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert officer.get(url).status_code == 200
    response = officer.post(
        url,
        {
            "violation_on": "2026-01-05",
            "circumstance": "serious",
            "illegal_gains": "0",
            "goods_value": "0",
            "affected_persons": "0",
        },
    )
    assert response.status_code == 302
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "10000.00–15000.00" in page or "10000.00" in page
    bad = officer.post(
        url,
        {
            "violation_on": "2026-01-05",
            "circumstance": "serious",
            "factor_codes": ["zzz"],
            "illegal_gains": "0",
            "goods_value": "0",
            "affected_persons": "0",
        },
    )
    assert bad.status_code == 400


def test_views_refuse(world, bench):
    case = steps.investigated_case(world)
    url = reverse("cases:assess", args=[case.pk])
    assert Client().get(url).status_code == 302  # anonymous → login
    assert client_for(world.outsider).get(url).status_code == 404  # another agency
    for user in (world.head, world.reviewer, world.bystander):  # wrong role / not on the case
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"circumstance": "minor"}).status_code == 403
    supervisor = make_user(Role.SUPERVISOR)
    assert client_for(supervisor).get(url).status_code in (403, 404)


def test_csrf_is_enforced(world, bench):
    case = steps.investigated_case(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post(reverse("cases:assess", args=[case.pk]), {"circumstance": "minor"})
    assert response.status_code == 403


def test_public_benchmarks_show_no_case_data(world, bench):
    case = steps.investigated_case(world)
    assess(world, case, deviation_reason="内部理由XYZ")
    text = Client().get(reverse("catalog:benchmarks_public")).content.decode()
    assert "2000元以上2万元以下" in text
    for private in (case.party_name, case.number, "内部理由XYZ", world.officer.full_name):
        assert private and private not in text


def test_demo_attaches_assessments_and_one_deviation(world, bench):
    reported = steps.reported_case(world, fine=D(8000), kinds=("fine",))
    exempted = steps.reported_case(world, outcome=Outcome.NO_PENALTY)
    assert demo.attach_assessments({"test": world.agency}) == 2
    flagged = discretion.assessment_for(reported)
    assert flagged is not None and flagged.deviates and flagged.deviation_reason == demo.DEVIATION_REASON
    assert flagged.circumstance == "minor"  # one tier lighter than the one that holds 8000
    calm = discretion.assessment_for(exempted)
    assert calm is not None and calm.range.exempt and not calm.deviates
    assert demo.attach_assessments({"test": world.agency}) == 0  # idempotent
