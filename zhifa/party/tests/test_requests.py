"""Requests that wait for the agency: 延期、分期缴纳 (第六十六条第二款) and 信用修复 (提前停止公示)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import TestCase

from zhifa.cases.models import Case, PaymentPlan, Status
from zhifa.cases.tests import steps
from zhifa.core import jurisdiction
from zhifa.core.errors import Conflict, DomainError, InvalidInput, NotPermitted
from zhifa.disclosure.models import Publication
from zhifa.disclosure.periods import on_display
from zhifa.disclosure.services import decision_prepare, publication_approve
from zhifa.disclosure.tests.factories import CITIZEN, make_decided_case
from zhifa.ledger.models import LedgerLeaf
from zhifa.party import access as codes
from zhifa.party import services
from zhifa.party.models import SubmissionStatus
from zhifa.party.tests.conftest import factor_of
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

DECIDED_ON = "2026-03-10"
PROOF = [services.Upload("缴款凭证.png", b"\x89PNG proof of payment")]


def decided_and_served(world, *, fine: int = 20000, paid_on: dt.date | None = None) -> Case:
    """A case decided and served on 2026-03-10 (payment due 2026-03-25), in execution; made as rows
    (zhifa.disclosure.tests.factories) so that no document is signed. The 20 000-yuan fine keeps
    its publication in the 36-month display class, where an early end matters."""
    case = make_decided_case(
        world,
        party=dict(CITIZEN),
        decided_on=dt.date(2026, 3, 10),
        fine=fine,
        kinds=["warning", "fine"],
        status=Status.EXECUTION,
        decision_served_on=dt.date(2026, 3, 10),
        fine_paid_on=paid_on,
    )
    return case


def opened(case):
    """The party opens the case with a code printed on a notice (party_access_issue)."""
    issued = codes.party_access_issue(case=case, purpose="行政处罚决定书")
    return codes.party_access_open(code=issued.code, factor=factor_of(case), address=None)


INSTALMENTS = [("2026-04-30", "10000.00"), ("2026-05-31", "10000")]


def test_instalments_requested_in_time_and_approved_by_the_head(world):
    case = decided_and_served(world)
    with steps.travel("2026-03-20"):
        access = opened(case)
        request = services.payment_plan_request(
            access=access, arrangement="instalment", schedule=INSTALMENTS, reason="经营困难，资金周转紧张。"
        )
        assert request.status == SubmissionStatus.PENDING
        assert case.events.filter(action="party_payment_plan_requested", data__by="party").exists()
        with pytest.raises(DomainError, match="正在办理中"):
            services.payment_plan_request(
                access=access, arrangement="instalment", schedule=INSTALMENTS, reason="再次申请。"
            )
        with pytest.raises(NotPermitted, match="第六十六条第二款"):
            services.payment_plan_decide(actor=world.officer, submission=request, approve=True, reason="")
        services.payment_plan_decide(actor=world.head, submission=request, approve=True, reason="情况属实。")
        plan = PaymentPlan.objects.get(case=case)
        assert plan.arrangement == "instalment" and [r["due_on"] for r in plan.schedule] == [
            "2026-04-30",
            "2026-05-31",
        ]
        assert plan.approved_by == world.head
        request.refresh_from_db()
        assert request.status == SubmissionStatus.APPROVED
        with pytest.raises(Conflict, match="已经办理"):
            services.payment_plan_decide(
                actor=world.head, submission=request, approve=False, reason="重复办理。"
            )


def test_a_refusal_needs_reasons_and_the_party_sees_them(world):
    case = decided_and_served(world)
    with steps.travel("2026-03-20"):
        request = services.payment_plan_request(
            access=opened(case),
            arrangement="deferred",
            schedule=[("2026-06-30", "20000")],
            reason="资金困难。",
        )
        with unchanged_db(), pytest.raises(InvalidInput, match="说明理由"):
            services.payment_plan_decide(actor=world.head, submission=request, approve=False, reason=" ")
        services.payment_plan_decide(
            actor=world.head, submission=request, approve=False, reason="未提供困难证明。"
        )
        request.refresh_from_db()
        assert request.status == SubmissionStatus.REFUSED and request.decision_reason == "未提供困难证明。"
        assert not PaymentPlan.objects.filter(case=case).exists()


def test_a_plan_request_after_the_payment_period_is_refused_with_the_article(world):
    case = decided_and_served(world)
    with (
        steps.travel("2026-03-26"),
        pytest.raises(DomainError, match=r"已于 2026-03-25 届满.*第六十六条第二款"),
    ):
        services.payment_plan_request(
            access=opened(case),
            arrangement="deferred",
            schedule=[("2026-06-30", "20000")],
            reason="资金困难。",
        )


def test_a_plan_must_add_up_to_the_fine(world):
    case = decided_and_served(world)
    with steps.travel("2026-03-20"), pytest.raises(InvalidInput, match=r"等于罚款金额 20000.00 元"):
        services.payment_plan_request(
            access=opened(case),
            arrangement="instalment",
            schedule=[("2026-04-30", "100"), ("2026-05-31", "100")],
            reason="资金困难。",
        )


# ── 信用修复 ────────────────────────────────────────────────────────────────────────────


def published_and_paid(world) -> tuple[Case, Publication]:
    case = decided_and_served(world, paid_on=dt.date(2026, 3, 20))
    with steps.travel("2026-03-11"), TestCase.captureOnCommitCallbacks(execute=True):
        publication = publication_approve(
            actor=world.head, version=decision_prepare(actor=world.head, case=case)
        )
    publication.refresh_from_db()
    assert publication.display_class == "standard"
    return case, publication


def test_credit_repair_before_the_shortest_period_is_refused(world):
    case, _ = published_and_paid(world)
    with steps.travel("2026-06-10"):
        access = opened(case)
        with unchanged_db(), pytest.raises(DomainError, match=r"2026-06-11.*第十四条"):
            services.credit_repair_apply(access=access, statement="已缴清罚款并整改。", files=PROOF)


def test_credit_repair_of_an_unpaid_fine_is_refused(world):
    case = decided_and_served(world)
    with steps.travel("2026-03-11"), TestCase.captureOnCommitCallbacks(execute=True):
        publication_approve(actor=world.head, version=decision_prepare(actor=world.head, case=case))
    with steps.travel("2026-07-01"), pytest.raises(DomainError, match="自觉履行"):
        services.credit_repair_apply(access=opened(case), statement="尚未缴款。", files=PROOF)


def test_approved_credit_repair_ends_the_display_early_through_the_lifecycle(world):
    case, publication = published_and_paid(world)
    with steps.travel("2026-06-11"):
        access = opened(case)
        with pytest.raises(InvalidInput, match="证明材料"):
            services.credit_repair_apply(access=access, statement="已缴清。", files=[])
        application = services.credit_repair_apply(access=access, statement="已缴清罚款并整改。", files=PROOF)
        assert application.publication == publication and application.attachments.count() == 1
        assert services.repair_due_on(application) == dt.date(2026, 6, 18)  # 5 working days
        assert Publication.objects.filter(on_display(dt.date(2026, 6, 11)), pk=publication.pk).exists()
        with pytest.raises(NotPermitted, match="公示管理员或机关负责人"):
            services.credit_repair_decide(
                actor=world.officer, submission=application, approve=True, reason="同意"
            )
        revision = publication.revision
        services.credit_repair_decide(
            actor=world.head, submission=application, approve=True, reason="已履行处罚决定，符合修复条件。"
        )
    publication.refresh_from_db()
    assert publication.display_ended_on == dt.date(2026, 6, 11)
    assert "已履行处罚决定" in publication.display_end_reason and publication.revision > revision
    assert not Publication.objects.filter(on_display(dt.date(2026, 6, 12)), pk=publication.pk).exists()
    leaf = LedgerLeaf.objects.filter(ref=f"disclosure.publication:{publication.pk}").order_by("-pk").first()
    assert leaf.kind == "publication_state"
    assert case.events.filter(action="credit_repair_decided", data__approved=True).exists()
    # `zhifa ledger verify` recomputes every record from the database and finds them all as leafed.
    from zhifa.ledger.integrity import verify_log

    assert verify_log().records > 0
    # The display has ended: a second application has nothing to stop.
    with steps.travel("2026-06-12"), pytest.raises(DomainError, match="停止公示"):
        services.credit_repair_apply(access=opened(case), statement="再次申请。", files=PROOF)


def test_a_refused_credit_repair_keeps_the_display_and_gives_reasons(world):
    case, publication = published_and_paid(world)
    with steps.travel("2026-06-11"):
        application = services.credit_repair_apply(access=opened(case), statement="已缴清。", files=PROOF)
        with pytest.raises(InvalidInput, match="办理意见"):
            services.credit_repair_decide(actor=world.head, submission=application, approve=False, reason="")
        services.credit_repair_decide(
            actor=world.head, submission=application, approve=False, reason="仍在经营异常名录中。"
        )
    publication.refresh_from_db()
    application.refresh_from_db()
    assert publication.display_ended_on is None and application.decision_reason == "仍在经营异常名录中。"


def test_the_shortest_period_is_a_setting(world):
    from zhifa.core.models import JurisdictionSetting

    case, _ = published_and_paid(world)
    JurisdictionSetting.objects.create(key="credit_repair_min_months", value="1")
    assert jurisdiction.value("credit_repair_min_months") == 1
    with steps.travel("2026-04-11"):
        assert services.credit_repair_apply(access=opened(case), statement="已缴清。", files=PROOF)


def test_consent_to_electronic_service_is_refused_once_the_case_has_ended(world):
    case = decided_and_served(world, paid_on=dt.date(2026, 3, 20))
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    with steps.travel("2026-04-01"):
        access = opened(case)
        with unchanged_db(), pytest.raises(DomainError, match="第六十一条第二款"):
            services.consent_submit(access=access, address="a@example.com")


def test_the_head_s_todo_counts_what_waits_for_the_head(world):
    from zhifa.workbench import todo

    case = decided_and_served(world)
    with steps.travel("2026-03-20"):
        services.payment_plan_request(
            access=opened(case),
            arrangement="deferred",
            schedule=[("2026-06-30", "20000")],
            reason="资金困难。",
        )
        items = {t.label: t for t in todo.todos(world.head, dt.date(2026, 3, 20))}
        assert items["当事人申请待办理"].count == 1
        assert "当事人申请待办理" not in {t.label for t in todo.todos(world.officer, dt.date(2026, 3, 20))}
