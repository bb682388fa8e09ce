"""预警: each rule finds its case and leaves the proper one alone; hits are deduplicated, resolved,
dismissed with a reason by the region's supervisor only; the evaluation is incremental."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.accounts.models import Role
from zhifa.cases.models import Remedy, RemedyKind, RemedyResult, Status
from zhifa.core.calendar import today
from zhifa.core.errors import Conflict, InvalidInput, NotPermitted
from zhifa.ledger.models import LedgerLeaf
from zhifa.org.models import Post
from zhifa.supervision import warning_services as ws
from zhifa.supervision.models_warnings import (
    HitStatus,
    WarningHit,
    WarningRule,
    WarningRuleEvent,
    WarningWatch,
)
from zhifa.supervision.tests.filing_world import a_case, event
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    TrainingRecordFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def hits(code: str, **filters) -> list[WarningHit]:
    return list(WarningHit.objects.filter(rule__code=code, **filters))


def filed(agency, days_ago: int, **fields):
    return a_case(
        agency,
        status=fields.pop("status", Status.INVESTIGATION),
        filed_on=today() - dt.timedelta(days=days_ago),
        **fields,
    )


def certify(user) -> None:
    issued = today() - dt.timedelta(days=400)
    certificate = CertificateFactory(
        officer=user.officer, issued_on=issued, valid_until=issued + dt.timedelta(days=1800)
    )
    AnnualReviewFactory(
        certificate=certificate, year=today().year, reviewed_on=today() - dt.timedelta(days=30)
    )


def handle(case, *users) -> None:
    for i, user in enumerate(users):
        case.handlers.create(officer=user.officer, is_lead=i == 0)


def test_the_rule_table_is_data_with_every_rule(db):
    table = ws.rules_ensure()
    assert set(table) == {
        "case_overdue",
        "publication_overdue",
        "invalid_certificate",
        "discretion_deviation",
        "surcharge_court_window",
        "reviewer_shortfall",
        "training_behind",
        "remedy_rate",
        "inspection_frequency",
        "filing_late",
    }
    assert WarningRule.objects.get(code="remedy_rate").params["correction_percent"] == 10


def test_an_overdue_case_is_warned_and_a_running_one_is_watched(jurisdiction):
    late = filed(jurisdiction.agency, 120)
    running = filed(jurisdiction.agency, 10)
    ws.warnings_run()
    [hit] = hits("case_overdue")
    assert hit.object_id == late.pk and hit.agency == jurisdiction.agency and hit.level == "red"
    assert hit.link == f"/cases/{late.pk}/" and "决定期限" in hit.facts["deadline"]
    watch = WarningWatch.objects.get(object_kind="case", object_id=running.pk)
    # Nothing happens to the running case; on the day after its limit the watch brings it back.
    ws.warnings_run(on=watch.due_on)
    assert {h.object_id for h in hits("case_overdue", status="open")} == {late.pk, running.pk}


def test_a_hit_is_resolved_when_the_case_moves_on_and_never_doubled(jurisdiction):
    case = filed(jurisdiction.agency, 120)
    ws.warnings_run()
    event(case)
    ws.warnings_run()
    assert len(hits("case_overdue")) == 1
    case.status, case.decided_on = Status.DECIDED, today()
    case.save()
    event(case, "decide")
    ws.warnings_run()
    assert hits("case_overdue")[0].status == HitStatus.RESOLVED


def test_an_unpublished_decision_past_its_deadline_is_warned(jurisdiction):
    old = a_case(jurisdiction.agency, decided_on=today() - dt.timedelta(days=30))
    fresh = a_case(jurisdiction.agency, decided_on=today())
    ws.warnings_run()
    assert [h.object_id for h in hits("publication_overdue")] == [old.pk]
    assert WarningWatch.objects.filter(object_kind="case", object_id=fresh.pk).exists()


def test_an_uncertified_handler_raises_the_alarm_and_a_certified_one_does_not(jurisdiction):
    j = jurisdiction
    partner = make_user(Role.OFFICER, agency=j.agency, full_name="李执法")
    certify(j.officer)
    good = filed(j.agency, 5)
    handle(good, j.officer)
    bad = filed(j.agency, 5)
    handle(bad, j.officer, partner)
    ws.warnings_run()
    [hit] = hits("invalid_certificate")
    assert hit.object_id == bad.pk and partner.officer.name in hit.summary and hit.level == "red"


def test_a_discretion_deviation_is_warned(jurisdiction, monkeypatch):
    deviating = filed(jurisdiction.agency, 5)
    filed(jurisdiction.agency, 5)
    found = SimpleNamespace(
        deviates=True,
        deviation_points=("罚款低于基准下限",),
        range_text="5000—10000 元",
        intended="罚款 2000 元",
        deviation_reason="初次违法",
    )
    monkeypatch.setattr(
        "zhifa.cases.discretion.assessment_for", lambda case: found if case.pk == deviating.pk else None
    )
    ws.warnings_run()
    [hit] = hits("discretion_deviation")
    assert hit.object_id == deviating.pk and "偏离裁量基准" in hit.summary


def test_an_unpaid_fine_past_the_court_window_is_warned(jurisdiction):
    served = today() - dt.timedelta(days=320)
    past = a_case(
        jurisdiction.agency,
        status=Status.EXECUTION,
        decided_on=served,
        decision_served_on=served,
        final_fine=Decimal(5000),
    )
    recent = today() - dt.timedelta(days=30)
    a_case(
        jurisdiction.agency,
        status=Status.EXECUTION,
        decided_on=recent,
        decision_served_on=recent,
        final_fine=Decimal(5000),
    )
    ws.warnings_run()
    [hit] = hits("surcharge_court_window")
    assert hit.object_id == past.pk and hit.level == "red" and "第五十三条" in hit.rule.basis


def test_agency_rules_run_daily_from_their_watch(jurisdiction):
    j = jurisdiction
    ws.warnings_run()  # the agencies join the daily watch
    shortfall = hits("reviewer_shortfall")
    assert j.agency.pk in {h.object_id for h in shortfall}  # one enforcement officer, no reviewer
    assert j.agency.pk in {h.object_id for h in hits("training_behind")}
    make_user(Role.REVIEWER, agency=j.agency, post=Post.LEGAL_REVIEW)
    for officer in (j.officer.officer, j.head.officer):
        for _ in range(3):
            TrainingRecordFactory(officer=officer, hours=Decimal(20), date=today())
    ws.warnings_run(on=today() + dt.timedelta(days=1))
    assert not hits("reviewer_shortfall", object_id=j.agency.pk, status="open")
    assert not hits("training_behind", object_id=j.agency.pk, status="open")


def test_a_correction_rate_above_the_threshold_is_warned(jurisdiction):
    j = jurisdiction
    cases = [a_case(j.agency, decided_on=today()) for _ in range(5)]
    Remedy.objects.create(
        case=cases[0],
        kind=RemedyKind.RECONSIDERATION,
        filed_on=today(),
        result=RemedyResult.REVOKED,
        concluded_on=today(),
        recorded_by=j.head,
    )
    for c in cases[1:3]:
        a_case(j.other, decided_on=today())  # another agency, no remedies
        del c
    ws.warnings_run()
    [hit] = hits("remedy_rate")
    assert hit.object_id == j.agency.pk and "纠错率 20.0%" in hit.summary
    assert not hits("remedy_rate", object_id=j.other.pk)


def test_dismissal_is_the_region_supervisors_with_a_reason(jurisdiction):
    j = jurisdiction
    case = filed(j.agency, 120)
    ws.warnings_run()
    [hit] = hits("case_overdue")
    with pytest.raises(NotPermitted):
        ws.warning_dismiss(actor=j.outside_supervisor, hit=hit, reason="不属实")
    with pytest.raises(NotPermitted):
        ws.warning_dismiss(actor=j.head, hit=hit, reason="不属实")
    with pytest.raises(InvalidInput, match="理由"):
        ws.warning_dismiss(actor=j.supervisor, hit=hit, reason=" ")
    ws.warning_dismiss(actor=j.supervisor, hit=hit, reason="已批准延长办案期限，系统未登记")
    hit.refresh_from_db()
    assert hit.status == HitStatus.DISMISSED and hit.closed_by == j.supervisor
    assert LedgerLeaf.objects.filter(ref=f"supervision.warninghit:{hit.pk}").exists()
    with pytest.raises(Conflict, match="已排除"):
        ws.warning_dismiss(actor=j.supervisor, hit=hit, reason="再次")
    event(case)
    ws.warnings_run()
    assert len(hits("case_overdue")) == 1  # the dismissed fact is not raised again


def test_a_disabled_rule_raises_nothing(jurisdiction):
    ws.rules_ensure()
    WarningRule.objects.filter(code="case_overdue").update(enabled=False)
    filed(jurisdiction.agency, 120)
    ws.warnings_run()
    assert not hits("case_overdue")


def _one_change_queries(agency, others: int) -> int:
    for _ in range(others):
        filed(agency, 120)
    ws.warnings_run()  # everything so far is behind the cursor
    case = filed(agency, 120)
    event(case)
    with CaptureQueriesContext(connection) as captured:
        ws.warnings_run()
    assert hits("case_overdue", object_id=case.pk)
    return len(captured)


def test_one_changed_case_costs_the_same_however_many_cases_exist(jurisdiction):
    small = _one_change_queries(jurisdiction.agency, 2)
    large = _one_change_queries(jurisdiction.agency, 12)
    assert small == large
    assert small <= 40


def _issue(user, *, actor):
    """A certificate through the service (so its change is recorded), reviewed this year."""
    from zhifa.org.services import annual_review_record, certificate_issue
    from zhifa.testing.factories import EnforcementDomainFactory

    certificate = certificate_issue(
        actor=actor,
        officer=user.officer,
        number=f"ZF-{user.pk:06d}",
        issuer="测试市人民政府",
        issued_on=today() - dt.timedelta(days=400),
        valid_until=today() + dt.timedelta(days=1400),
        domains=[EnforcementDomainFactory()],
        area=user.officer.agency.region,
    )
    annual_review_record(
        actor=actor, certificate=certificate, year=today().year, reviewed_on=today(), passed=True
    )
    return certificate


def test_a_suspended_certificate_warns_the_holders_open_cases_at_the_next_run(jurisdiction):
    from zhifa.org.models import CertificateStatus
    from zhifa.org.services import certificate_set_status

    j = jurisdiction
    partner = make_user(Role.OFFICER, agency=j.agency, full_name="李执法")
    certificate = _issue(j.officer, actor=j.head)
    _issue(partner, actor=j.head)
    open_case, closed_case = filed(j.agency, 5), filed(j.agency, 5, status=Status.CLOSED)
    handle(open_case, j.officer, partner)
    handle(closed_case, j.officer, partner)
    ws.warnings_run()
    assert not hits("invalid_certificate")
    # No case event: the certificate change alone brings the open case back.
    certificate_set_status(
        actor=j.head,
        certificate=certificate,
        status=CertificateStatus.SUSPENDED,
        reason="涉嫌违反执法纪律，接受调查",
    )
    ws.warnings_run()
    [hit] = hits("invalid_certificate", status="open")
    assert (
        hit.object_id == open_case.pk
        and j.officer.officer.name in hit.summary
        and hit.link == f"/cases/{open_case.pk}/"
    )
    # Restored: the next run finds the certificate valid again and the hit goes.
    certificate_set_status(
        actor=j.head, certificate=certificate, status=CertificateStatus.ACTIVE, reason="调查结束"
    )
    ws.warnings_run()
    assert hits("invalid_certificate")[0].status == HitStatus.RESOLVED


def _one_certificate_change_queries(agency, head, others: int) -> int:
    from zhifa.org.models import CertificateStatus
    from zhifa.org.services import certificate_set_status

    holders = [make_user(Role.OFFICER, agency=agency) for _ in range(2)]
    for user in holders:
        _issue(user, actor=head)
    for _ in range(others):  # other officers' cases, and other certificates changed before
        officer = make_user(Role.OFFICER, agency=agency)
        _issue(officer, actor=head)
        handle(filed(agency, 5), officer, holders[1])
    case = filed(agency, 5)
    handle(case, *holders)
    ws.warnings_run()
    certificate_set_status(
        actor=head,
        certificate=holders[0].officer.certificates.get(),
        status=CertificateStatus.REVOKED,
        reason="吊销",
    )
    with CaptureQueriesContext(connection) as captured:
        ws.warnings_run()
    assert [h.object_id for h in hits("invalid_certificate")] == [case.pk]
    return len(captured)


def test_one_certificate_change_costs_the_same_however_many_cases_and_certificates_exist(jurisdiction):
    small = _one_certificate_change_queries(jurisdiction.agency, jurisdiction.head, 1)
    WarningHit.objects.all().delete()
    large = _one_certificate_change_queries(jurisdiction.agency, jurisdiction.head, 8)
    assert small == large
    assert small <= 40


def test_inspection_frequency_warnings_become_hits(tw):
    from zhifa.core.models import JurisdictionSetting
    from zhifa.inspections.models import TaskKind
    from zhifa.inspections.task_workflow import take

    JurisdictionSetting.objects.create(key="inspection_yearly_limit", value="1")
    first = tw.task()
    take("start", actor=tw.inspector, task=first, code_shown=True, place="现场")
    ws.warnings_run()
    assert not hits("inspection_frequency")
    second = tw.task(kind=TaskKind.COMPLAINT, reason="投诉举报核查")
    take("start", actor=tw.inspector, task=second, code_shown=True, place="现场")
    ws.warnings_run()
    [hit] = hits("inspection_frequency")
    assert hit.agency == tw.agency and hit.link == f"/inspections/tasks/{second.pk}/"
    ws.warnings_run()
    assert len(hits("inspection_frequency")) == 1


from zhifa.inspections.tests.task_world import tw_fixture  # noqa: E402, F401


def test_a_bureau_supervisor_sets_a_rules_thresholds_with_a_reason_and_no_one_else(jurisdiction):
    j = jurisdiction
    rule = ws.rules_ensure()["remedy_rate"]
    township_bureau = AgencyFactory(region=j.other.region, is_justice_bureau=True, name="测试镇司法所")
    township = make_user(Role.SUPERVISOR, agency=township_bureau)
    for refused in (j.head, township):
        with pytest.raises(NotPermitted):
            ws.rule_update(
                actor=refused, rule=rule, enabled=True, params={"minimum_decisions": 2}, reason="试"
            )
    with pytest.raises(InvalidInput, match="没有参数"):
        ws.rule_update(actor=j.supervisor, rule=rule, enabled=True, params={"nonsense": 1}, reason="试")
    with pytest.raises(InvalidInput, match="非负数"):
        ws.rule_update(actor=j.supervisor, rule=rule, enabled=True, params={"loss_percent": -1}, reason="试")
    with pytest.raises(InvalidInput, match="理由"):
        ws.rule_update(actor=j.supervisor, rule=rule, enabled=True, params={"loss_percent": 3}, reason=" ")
    with pytest.raises(InvalidInput, match="没有变化"):
        ws.rule_update(actor=j.supervisor, rule=rule, enabled=True, params={"loss_percent": 5}, reason="试")
    ws.rule_update(
        actor=j.supervisor, rule=rule, enabled=True, params={"minimum_decisions": 2}, reason="本县执法规模小"
    )
    ws.rule_update(actor=j.supervisor, rule=rule, enabled=False, params={}, reason="年底集中分析，暂停")
    rule.refresh_from_db()
    # Each change keeps the earlier thresholds it did not touch.
    assert not rule.enabled and rule.params["minimum_decisions"] == 2 and rule.params["loss_percent"] == 5
    first, last = WarningRuleEvent.objects.order_by("pk")
    assert first.before == {"enabled": True, "params": ws.rules.BY_CODE["remedy_rate"].params}
    assert last.before["params"]["minimum_decisions"] == 2 and not last.enabled and last.actor == j.supervisor
    leaf = LedgerLeaf.objects.get(ref=f"supervision.warningruleevent:{last.pk}")
    assert leaf.kind == "supervision_warning_rule"


def test_the_scheduled_task_opens_filings_and_runs_the_rules(jurisdiction):
    from zhifa.supervision.models_filings import Filing
    from zhifa.supervision.tests.filing_world import major
    from zhifa.supervision.warning_tasks import supervision_warnings_run

    major(jurisdiction.agency, decided_on=today() - dt.timedelta(days=40))
    result = supervision_warnings_run.call_local()
    assert result.startswith("备案 1；") and Filing.objects.count() == 1
    assert hits("filing_late")
