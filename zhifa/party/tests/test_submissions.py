"""What the party sends, within the legal windows, through the cases' step runner."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from zhifa.cases.models import CaseEvent, Record, Service, ServiceMethod
from zhifa.cases.selectors import unserved_documents
from zhifa.cases.tests import steps
from zhifa.cases.workflow import check, take
from zhifa.core.errors import Conflict, DomainError, NotPermitted
from zhifa.ledger.models import LedgerLeaf as Leaf
from zhifa.party import access as codes
from zhifa.party import services
from zhifa.party.models import Submission, SubmissionKind
from zhifa.party.tests.conftest import code_of, factor_of
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

MONDAY = steps.START_DAY  # the notice is served on Monday 2026-03-02
STATEMENT_LAST_DAY = "2026-03-09"  # 5 working days later
TOO_LATE = "2026-03-10"


def opened(case):
    return codes.party_access_open(code=code_of(case), factor=factor_of(case), address=None)


def test_a_statement_in_the_window_is_a_record_of_the_case_and_needs_review(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        access = opened(case)
    with steps.travel(STATEMENT_LAST_DAY):
        since = steps.mark()
        submission = services.statement_submit(
            access=access,
            statement="我公司已于三月三日补发全部工资。\n请求从轻处罚。",
            files=[services.Upload("工资发放凭证.pdf", b"%PDF-1.4 proof")],
        )
        case.refresh_from_db()
        record = submission.record
        assert record.kind == "statement" and record.created_by is None
        assert record.content["paragraphs"] == ["我公司已于三月三日补发全部工资。", "请求从轻处罚。"]
        assert "工资发放凭证.pdf" in record.content["fields"][1][1]
        event = CaseEvent.objects.get(case=case, pk__gt=since, action="add_record")
        assert event.actor is None and event.data["by"] == "party" and event.data["party_access"] == access.pk
        assert Leaf.objects.filter(ref=f"cases.caseevent:{event.pk}").exists()
        assert submission.attachments.get().sha256 == hashlib.sha256(b"%PDF-1.4 proof").hexdigest()
    # The decision waits for the 复核 the statement calls for (第四十五条).
    with steps.travel("2026-03-10"), pytest.raises(Conflict, match="应当先行复核"):
        check("decide", case, world.head)


def test_a_new_statement_after_the_review_asks_for_a_new_review(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        access = opened(case)
        services.statement_submit(access=access, statement="第一次陈述。")
        take("review_defence", actor=world.officer, case=case, adoption="rejected", review="理由不成立。")
        case.refresh_from_db()
        assert case.defence_adoption == "rejected"
        services.statement_submit(access=access, statement="补充陈述：已经整改。")
        case.refresh_from_db()
        assert case.defence_adoption == "" and case.records.filter(kind="statement").count() == 2


def test_a_statement_outside_the_window_is_refused_with_the_article(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        access = opened(case)
    with (
        steps.travel(TOO_LATE),
        unchanged_db(),
        pytest.raises(DomainError, match=r"已于 2026-03-09 届满.*第四十五条"),
    ):
        services.statement_submit(access=access, statement="逾期的陈述。")


def test_a_statement_before_the_notice_is_served_is_refused(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world, served=False)
        access = codes.party_access_issue(case=case, purpose="测试").access
        with unchanged_db(), pytest.raises(DomainError, match="第四十四条、第四十五条"):
            services.statement_submit(access=access, statement="尚未送达时的陈述。")


def test_the_same_form_sent_twice_is_taken_once(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        access = opened(case)
        first = services.statement_submit(access=access, statement="陈述。", nonce="n-1")
        again = services.statement_submit(access=access, statement="陈述。", nonce="n-1")
        assert first.pk == again.pk and Record.objects.filter(case=case, kind="statement").count() == 1


def test_the_staff_cannot_take_the_party_steps(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        with pytest.raises(NotPermitted, match="当事人"):
            take("party_statement", actor=world.officer, case=case, statement="冒充当事人。")
        # Nor are they offered on the officer's case page.
        from zhifa.cases.workflow import next_steps

        assert not [s for s in next_steps(case, world.officer) if s.step.code.startswith("party_")]


def test_a_code_acts_on_its_own_case_only(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        other = steps.notified_case(world, organisation=True)
        access = opened(case)
        with pytest.raises(NotPermitted):
            take("party_statement", actor=services.actor_for(access), case=other, statement="跨案。")


def test_a_hearing_request_in_the_window_and_after_it(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world, fine=Decimal(20000))
        assert case.hearing_right
        access = opened(case)
    with steps.travel(TOO_LATE), pytest.raises(DomainError, match="第六十四条第（一）项"):
        services.hearing_request_submit(access=access)
    with steps.travel(STATEMENT_LAST_DAY):
        services.hearing_request_submit(access=access)
        case.refresh_from_db()
        assert case.hearing.requested_on.isoformat() == STATEMENT_LAST_DAY
        assert case.events.filter(action="party_request_hearing", data__by="party").exists()
        with pytest.raises(DomainError, match="已于 2026-03-09 申请听证"):
            services.hearing_request_submit(access=access)


def test_no_hearing_request_without_the_right(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        with pytest.raises(DomainError, match="不享有听证权利"):
            services.hearing_request_submit(access=opened(case))


# ── 电子送达 (第六十一条第二款) ──────────────────────────────────────────────────────────────


def test_with_consent_a_document_is_served_when_the_party_first_opens_it(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world, served=False)
        access = codes.party_access_issue(case=case, purpose="短信告知").access
        services.consent_submit(access=access, address="zhangsan@example.com")
        case.refresh_from_db()
        assert case.electronic_service_consent == "zhangsan@example.com"
        notice = next(d for d in unserved_documents(case) if d.kind == "prior_notice")
    with steps.travel("2026-03-03", hour=15):
        since = steps.mark()
        services.document_open(access=access, document=notice)
        services.document_open(access=access, document=notice)  # a second opening serves nothing
        case.refresh_from_db()
        service = Service.objects.get(case=case, documents=notice)
        assert service.method == ServiceMethod.ELECTRONIC and service.served_on.isoformat() == "2026-03-03"
        assert "2026-03-03 15:00" in service.note and f"#{access.pk}" in service.note
        assert case.notice_served_on.isoformat() == "2026-03-03"
        served = case.events.get(pk__gt=since, action="party_receive")
        assert served.data["party_access"] == access.pk and served.data["served_on"] == "2026-03-03"
        assert Leaf.objects.filter(ref=f"cases.caseevent:{served.pk}").exists()
        # The 送达回证 follows, as for any service.
        assert (
            case.events.filter(pk__gt=since, action="document_issued", data__kind="service_receipt").count()
            == 1
        )


def test_without_consent_opening_serves_nothing(world):
    with steps.travel(MONDAY):
        case = steps.notified_case(world, served=False)
        access = codes.party_access_issue(case=case, purpose="短信告知").access
        notice = next(d for d in unserved_documents(case) if d.kind == "prior_notice")
        with unchanged_db(), pytest.raises(NotPermitted, match="第六十一条第二款"):
            services.document_open(access=access, document=notice)
        assert not Service.objects.filter(case=case).exists()
        # And the party page does not list a document that was not served to them.
        from django.http import Http404

        from zhifa.party import selectors

        with pytest.raises(Http404):
            selectors.document_get(access, notice.pk)


def test_a_complaint_goes_to_the_agency_s_complaints(world):
    from zhifa.disclosure.models import Feedback

    with steps.travel(MONDAY):
        case = steps.notified_case(world)
        services.complaint_submit(
            access=opened(case), content="执法人员态度恶劣。", contact_phone="13912345678"
        )
        row = Feedback.objects.get(agency=world.agency, kind="complaint")
        assert case.number in row.content and row.certificate is None
        assert Submission.objects.get(case=case).kind == SubmissionKind.COMPLAINT
