"""The procedure rules of DESIGN.md §4 as the case services enforce them.

Every rule has an allowed and a refused step. A refused step raises a message naming the
article and leaves every table as it was (`refused`, built on zhifa.testing.unchanged_db); an
allowed one writes its case events, and the events of the documents it issues, in the same
transaction. Stages are built with zhifa.cases.tests.steps; "allowed" is checked with
services.preview where the issued document itself is not the point, since each real one is a
signed PDF.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhifa.accounts.models import Role
from zhifa.cases import review_gate, selectors, services
from zhifa.cases.models import (
    DefenceAdoption,
    MeasureKind,
    Outcome,
    PaymentArrangement,
    Procedure,
    ServiceMethod,
    Status,
    TransferKind,
)
from zhifa.cases.tests.conftest import TEXT_EXCEPT_MANDATORY, certified
from zhifa.cases.tests.steps import (
    START_DAY,
    actions,
    add_inquiry,
    at,
    clue,
    d,
    declare,
    document_kinds,
    filed_case,
    investigated_case,
    mark,
    notified_case,
    on_the_spot_case,
    party,
    pass_review,
    refused,
    report,
    reported_case,
    requested_case,
    serve,
    titles,
    travel,
)
from zhifa.cases.timeline import preview
from zhifa.cases.workflow import take
from zhifa.catalog.models import Stage
from zhifa.catalog.services import matter_amend
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.core.models import JurisdictionSetting
from zhifa.documents.kinds import kind_get
from zhifa.documents.models import Document, SigningCredential
from zhifa.documents.rendering import render_html
from zhifa.evidence.tests.helpers import attach_av
from zhifa.org.models import Certificate, CertificateStatus
from zhifa.review.items import BY_CODE
from zhifa.testing import unchanged_db
from zhifa.testing.factories import (
    AgencyFactory,
    CertificateFactory,
    EnforcementDomainFactory,
    make_matter,
    make_user,
)

pytestmark = pytest.mark.django_db

ITEMS = [{"name": "工资台账", "spec": "2025年度", "quantity": "3 册"}]


@pytest.fixture(autouse=True)
def _clock():
    """Every test starts on Monday START_DAY at 09:00; the world's certificates date from then."""
    with travel(START_DAY, 9):
        yield


def suspend_certificates(user) -> None:
    """The issuing authority suspends the officer's certificates (org's business, set directly)."""
    Certificate.objects.filter(officer=user.officer).update(status=CertificateStatus.SUSPENDED)


# ── 案源与立案: 第四十二、四十三、五十四条 ──────────────────────────────────────────────────


def test_register_clue_writes_its_event_and_starts_the_filing_period(world):
    w = world
    for stranger in (w.outsider, w.reviewer):
        with refused(NotPermitted, "执法人员或负责人可以登记"):
            services.case_register_clue(
                actor=stranger,
                agency=w.agency,
                source="complaint",
                received_on=d(START_DAY),
                cause="涉嫌拖欠劳动者工资案",
                clue_summary="职工投诉。",
            )
    with refused(InvalidInput, "不能晚于今天"):
        clue(w, received_on=d("2026-03-03"))

    since = mark()
    case = clue(w)
    assert case.status == Status.CLUE and case.number.startswith("测人社监案〔2026〕")
    assert actions(case, since) == ["register_clue"]
    assert "2026-03-23 前决定是否立案" in case.events.get().summary
    (deadline,) = selectors.case_deadlines(case)
    assert (deadline.key, deadline.due) == ("filing_decision", d("2026-03-23"))


def test_filing_period_runs_over_the_national_day_holiday_and_is_extended_once(world):
    w = world
    with travel("2025-09-26"):
        case = clue(w, received_on=d("2025-09-26"))
        # 15 working days: 10-01 to 10-08 are the National Day and Mid-autumn holiday, 09-28 and
        # 10-11 (weekends) are working days.
        assert [x.due for x in selectors.case_deadlines(case)] == [d("2025-10-23")]
        with refused(NotPermitted, "本机关负责人", case=case):
            take("extend_filing", actor=w.officer, case=case, reason="案情复杂。")
        with refused(InvalidInput, "延长理由", case=case):
            take("extend_filing", actor=w.head, case=case, reason=" ")

        since = mark()
        take("extend_filing", actor=w.head, case=case, reason="涉及人数众多，需进一步核查。")
        assert actions(case, since) == ["extend_filing"]
        case.refresh_from_db()
        (deadline,) = selectors.case_deadlines(case)
        assert deadline.due == d("2025-11-13") and "延长十五个工作日" in deadline.basis

        with refused(DomainError, "只能延长一次.*《行政处罚法》第五十四条第二款", case=case):
            take("extend_filing", actor=w.head, case=case, reason="仍需核查。")


def test_head_declines_to_file_with_reasons(world):
    w = world
    case = clue(w)
    with refused(NotPermitted, "本机关负责人", case=case):
        take("decline_filing", actor=w.officer, case=case, reason="违法事实不存在。")
    with refused(InvalidInput, "不予立案的理由", case=case):
        take("decline_filing", actor=w.head, case=case, reason="")

    since = mark()
    take("decline_filing", actor=w.head, case=case, reason="经核查，工资已于投诉前足额支付，违法事实不存在。")
    case.refresh_from_db()
    assert case.status == Status.NOT_FILED and case.filing_decided_by == w.head
    assert actions(case, since) == ["decline_filing"]
    assert case.events.get(action="decline_filing").reason.startswith("经核查")
    assert selectors.case_deadlines(case) == []

    with refused(DomainError, "不予立案", case=case):
        take(
            "request_filing",
            actor=w.officer,
            case=case,
            matter=w.matter,
            handlers=[w.officer.officer, w.colleague.officer],
            opinion="符合立案条件。",
        )
    since = mark()
    take("archive", actor=w.head, case=case)
    assert actions(case, since) == ["archive"]
    with refused(DomainError, "已经移交归档", case=case):
        take("archive", actor=w.head, case=case)


def test_filing_needs_at_least_two_handlers(world):
    w = world
    case = clue(w)

    def request(*users):
        take(
            "request_filing",
            actor=w.officer,
            case=case,
            matter=w.matter,
            handlers=[u.officer for u in users],
            opinion="符合立案条件。",
        )

    with refused(DomainError, "不得少于两人（《行政处罚法》第四十二条）", case=case):
        request(w.officer)
    with refused(InvalidInput, "重复", case=case):
        request(w.officer, w.officer)

    since = mark()
    request(w.officer, w.colleague)
    case.refresh_from_db()
    assert case.status == Status.FILING and case.matter == w.matter
    assert actions(case, since) == ["request_filing"]
    lead = case.handlers.get(is_lead=True)
    assert lead.officer == w.officer.officer and case.handlers.count() == 2


def _ineligible(w, why: str):
    """A user whom the matter's agency may not name as a handler, for the reason `why`."""
    if why == "another agency":
        certified(w.outsider, w.domain, w.outsider.officer.agency)
        return w.outsider
    user = make_user(Role.OFFICER, agency=w.agency, full_name="执法员丁")
    if why == "expired":
        CertificateFactory(
            officer=user.officer, domains=[w.domain], issued_on=d("2021-03-01"), valid_until=d("2026-02-28")
        )
    elif why == "review overdue":  # issued 2024-06-01, never reviewed: the review was due 2025-06-01
        CertificateFactory(
            officer=user.officer, domains=[w.domain], issued_on=d("2024-06-01"), valid_until=d("2029-06-01")
        )
    elif why == "suspended":
        certified(user, w.domain, w.agency)
        suspend_certificates(user)
    elif why == "wrong domain":
        certified(user, EnforcementDomainFactory(name="安全生产"), w.agency)
    return user


@pytest.mark.parametrize(
    "why", ["no certificate", "expired", "review overdue", "suspended", "wrong domain", "another agency"]
)
def test_filing_refuses_a_handler_who_may_not_enforce_the_matter(world, why):
    w = world
    user = _ineligible(w, why)
    case = clue(w)
    with refused(DomainError, f"{user.officer.name}.*第四十二条", case=case):
        take(
            "request_filing",
            actor=w.officer,
            case=case,
            matter=w.matter,
            handlers=[w.officer.officer, user.officer],
            opinion="符合立案条件。",
        )
    assert case.status == Status.CLUE and not case.handlers.exists()


def test_filing_approval_rechecks_the_handlers_certificates_that_day(world):
    w = world
    case = requested_case(w)
    declare(case, w.officer, w.colleague)
    suspend_certificates(w.colleague)
    with refused(DomainError, f"{w.colleague.officer.name}.*暂扣.*第四十二条", case=case):
        take("approve_filing", actor=w.head, case=case)
    assert case.status == Status.FILING


def test_filing_approval_waits_for_every_recusal_and_freezes_the_matter_version(world):
    w = world
    case = requested_case(w)
    with refused(DomainError, "第四十三条", case=case):
        take("approve_filing", actor=w.head, case=case)
    with refused(NotPermitted, "本案承办人", case=case):
        declare(case, w.bystander)

    since = mark()
    declare(case, w.officer)
    assert actions(case, since) == ["declare_recusal"]
    with refused(DomainError, "已经作出过回避声明", case=case):
        declare(case, w.officer)
    with refused(
        DomainError, f"{w.colleague.officer.name}尚未作出回避声明（《行政处罚法》第四十三条）", case=case
    ):
        take("approve_filing", actor=w.head, case=case)
    declare(case, w.colleague)
    with refused(NotPermitted, "本机关负责人", case=case):
        take("approve_filing", actor=w.officer, case=case)

    since = mark()
    take("approve_filing", actor=w.head, case=case)
    assert actions(case, since) == ["approve_filing", "document_issued"]
    assert document_kinds(case, since) == ["filing_approval"]
    case.refresh_from_db()
    assert (case.status, case.filed_on, case.filing_decided_by) == (
        Status.INVESTIGATION,
        d(START_DAY),
        w.head,
    )
    assert case.matter_version is not None and case.matter_version.version == 1

    # The matter is amended the next day: the filed case keeps the version it was filed under.
    with travel("2026-03-03"):
        matter_amend(
            actor=None,
            matter=w.matter,
            effective_from=d("2026-03-03"),
            change_note="依据的条例修订",
            name="用人单位拖欠劳动报酬（修订）",
            review_always_required=True,
        )
    with travel("2026-03-04"):
        case.refresh_from_db()
        assert case.matter_version.version == 1 and w.matter.versions.count() == 2
        assert review_gate.clearance(case).required is False
        # A case filed now takes the amended version.
        later = requested_case(w)
        declare(later, w.officer, w.colleague)
        (page,) = preview(lambda: take("approve_filing", actor=w.head, case=later))
        assert "用人单位拖欠劳动报酬（修订）" in page[1]


def test_head_replaces_a_handler_who_then_declares_recusal(world):
    w = world
    case = requested_case(w)
    declare(case, w.officer, w.colleague)
    uncertified = make_user(Role.OFFICER, agency=w.agency)

    def replace(actor, new):
        take(
            "replace_handler",
            actor=actor,
            case=case,
            old=w.colleague.officer,
            new=new.officer,
            reason="执法员乙与当事人系亲属，决定其回避。",
        )

    with refused(NotPermitted, "本机关负责人", case=case):
        replace(w.officer, w.bystander)
    with refused(DomainError, "第四十二条", case=case):
        replace(w.head, uncertified)
    with refused(InvalidInput, "已经是本案承办人", case=case):
        replace(w.head, w.officer)

    since = mark()
    replace(w.head, w.bystander)
    assert actions(case, since) == ["replace_handler"]
    active = set(case.handlers.filter(active=True).values_list("officer", flat=True))
    assert active == {w.officer.officer.pk, w.bystander.officer.pk}
    assert case.handlers.get(officer=w.colleague.officer).removed_reason.startswith("执法员乙")

    with refused(NotPermitted, case=case):
        declare(case, w.colleague)
    with refused(DomainError, f"{w.bystander.officer.name}.*第四十三条", case=case):
        take("approve_filing", actor=w.head, case=case)
    declare(case, w.bystander)
    assert titles(preview(lambda: take("approve_filing", actor=w.head, case=case))) == ["立案审批表"]


def test_records_are_made_by_two_handlers_who_may_enforce_that_day(world):
    w = world
    case = filed_case(w)
    with refused(DomainError, "第四十二条", case=case):
        add_inquiry(w, case, officers=[w.officer])
    with refused(DomainError, f"{w.bystander.officer.name}不是本案承办人.*第四十二条", case=case):
        add_inquiry(w, case, officers=[w.officer, w.bystander])
    with refused(NotPermitted, "本案承办人", case=case):
        add_inquiry(w, case, actor=w.bystander)

    since = mark()
    record = add_inquiry(w, case)
    assert actions(case, since) == ["add_record", "document_issued"]
    assert document_kinds(case, since) == ["inquiry_record"]
    assert set(record.officers.all()) == {w.officer.officer, w.colleague.officer}

    suspend_certificates(w.colleague)
    with refused(DomainError, f"{w.colleague.officer.name}.*第四十二条", case=case):
        add_inquiry(w, case)


# ── 调查: 第五十六条, 行政强制法第二十五条, 第六十条 ────────────────────────────────────────────


def test_preservation_is_approved_by_the_head_and_decided_within_seven_working_days(world):
    w = world
    case = investigated_case(w)

    def request(actor):
        return take(
            "request_measure",
            actor=actor,
            case=case,
            kind=MeasureKind.PRESERVATION,
            place="当事人财务室",
            items=ITEMS,
            reason="证据可能灭失。",
        )

    with refused(NotPermitted, "本案承办人", case=case):
        request(w.head)
    since = mark()
    measure = request(w.officer)
    assert actions(case, since) == ["request_measure"] and measure.approved_by is None

    def submit():
        return report(w, case)

    with refused(DomainError, "尚未经机关负责人批准.*第五十六条", case=case):
        submit()
    with refused(NotPermitted, "本机关负责人", case=case):
        take("approve_measure", case=measure.case, actor=w.officer, measure=measure)

    since = mark()
    take("approve_measure", case=measure.case, actor=w.head, measure=measure)
    assert actions(case, since) == ["approve_measure", "document_issued"]
    assert document_kinds(case, since) == ["preservation_notice"]
    measure.refresh_from_db()
    assert measure.approved_by == w.head
    (deadline,) = [x for x in selectors.case_deadlines(case) if x.key == "preservation_decision"]
    assert deadline.due == d("2026-03-11")  # 7 working days

    with refused(DomainError, "已经批准"):
        take("approve_measure", case=measure.case, actor=w.head, measure=measure)
    with refused(DomainError, "尚未作出处理决定.*第五十六条", case=case):
        submit()
    with refused(DomainError, "只有查封、扣押可以延长.*第五十六条"):
        take("extend_measure", case=measure.case, actor=w.head, measure=measure, reason="情况复杂。")

    with travel("2026-03-12"):
        attach_av(case, actor=w.officer, stage=Stage.SEIZURE)  # 查封扣押 is recorded in full, always
        since = mark()
        take(
            "conclude_measure",
            case=measure.case,
            actor=w.officer,
            measure=measure,
            outcome="经核查，退还当事人。",
        )
        (event,) = case.events.filter(pk__gt=since)
        assert event.action == "conclude_measure" and event.data["late"] is True
        assert "已超过法定期限" in event.summary
        assert titles(preview(submit)) == ["调查终结报告"]


def test_seizure_is_extended_once_and_only_before_it_ends(world):
    w = world
    case = filed_case(w)

    def request(mode):
        return take(
            "request_measure",
            actor=w.officer,
            case=case,
            kind=MeasureKind.SEIZURE,
            seizure_mode=mode,
            place="当事人仓库",
            items=ITEMS,
            reason="防止证据转移。",
        )

    with refused(InvalidInput, "查封或者扣押", case=case):
        request("")
    first, second = request("扣押"), request("查封")
    for measure in (first, second):
        take("approve_measure", case=measure.case, actor=w.head, measure=measure)
    assert {x.due for x in selectors.case_deadlines(case) if x.key == "seizure"} == {d("2026-04-01")}

    with travel("2026-03-20"):
        with refused(NotPermitted, "本机关负责人"):
            take("extend_measure", case=first.case, actor=w.officer, measure=first, reason="情况复杂。")
        since = mark()
        take(
            "extend_measure",
            case=first.case,
            actor=w.head,
            measure=first,
            reason="涉案物品需鉴定，情况复杂。",
        )
        assert actions(case, since) == ["extend_measure"]
        first.refresh_from_db()
        assert first.extended
        assert sorted(x.due for x in selectors.case_deadlines(case) if x.key == "seizure") == [
            d("2026-04-01"),
            d("2026-05-01"),
        ]
        with refused(DomainError, "只能延长一次.*第二十五条"):
            take("extend_measure", case=first.case, actor=w.head, measure=first, reason="仍需鉴定。")

    with travel("2026-04-02"), refused(DomainError, "2026-04-01 期满.*第二十五条"):
        take("extend_measure", case=second.case, actor=w.head, measure=second, reason="仍需鉴定。")


def test_decision_limit_extends_and_pauses_while_suspended(world):
    w = world
    case = filed_case(w)
    assert selectors.decision_deadline(case).due == d("2026-05-31")  # 90 days

    with refused(NotPermitted, "本机关负责人", case=case):
        take("extend_limit", actor=w.officer, case=case, days=30, reason="案情复杂。")
    with refused(InvalidInput, "1 至 90", case=case):
        take("extend_limit", actor=w.head, case=case, days=0, reason="案情复杂。")
    since = mark()
    take("extend_limit", actor=w.head, case=case, days=30, reason="案情复杂，经负责人批准延长。")
    assert actions(case, since) == ["extend_limit"]
    deadline = selectors.decision_deadline(case)
    assert deadline.due == d("2026-06-30") and "延长 30 日" in deadline.basis

    with refused(DomainError, "未处于中止状态", case=case):
        take("resume", actor=w.head, case=case, ends_on=d(START_DAY))

    with travel("2026-03-12"):
        since = mark()
        take("suspend", actor=w.head, case=case, starts_on=d("2026-03-10"), reason="当事人下落不明。")
        assert actions(case, since) == ["suspend"]
        deadline = selectors.decision_deadline(case)
        assert deadline.paused and deadline.due == d("2026-07-02")
        with refused(DomainError, "已经中止", case=case):
            take("suspend", actor=w.head, case=case, starts_on=d("2026-03-11"), reason="重复中止。")

    with travel("2026-03-20"):
        since = mark()
        take("resume", actor=w.head, case=case, ends_on=d("2026-03-20"))
        assert actions(case, since) == ["resume"]
        deadline = selectors.decision_deadline(case)
        assert (
            not deadline.paused
            and deadline.due == d("2026-07-10")
            and "中止期间 10 日不计入" in deadline.basis
        )
        with refused(InvalidInput, "重叠", case=case):
            take("suspend", actor=w.head, case=case, starts_on=d("2026-03-15"), reason="再次中止。")
        assert [x.key for x in selectors.case_deadlines(case)] == ["decision"]


# ── 调查终结后的四种处理: 第五十七条 ──────────────────────────────────────────────────────


def test_not_established_ends_in_a_no_penalty_decision(world):
    w = world
    case = reported_case(w, outcome=Outcome.NOT_ESTABLISHED)
    with refused(DomainError, "第四十四条", case=case):
        take("notify", actor=w.officer, case=case)
    with refused(DomainError, "第五十七条", case=case):
        take(
            "transfer_judicial",
            actor=w.head,
            case=case,
            recipient="示例县公安局",
            reason="涉嫌犯罪。",
            materials=[],
        )
    with refused(NotPermitted, "本机关负责人", case=case):
        take("decide", actor=w.officer, case=case, no_penalty_reason="违法事实不能成立。")
    with refused(InvalidInput, "不予处罚的理由", case=case):
        take("decide", actor=w.head, case=case, no_penalty_reason=" ")

    since = mark()
    (decision,) = take(
        "decide", actor=w.head, case=case, no_penalty_reason="现有证据不能证明当事人拖欠工资。"
    )
    assert decision.kind == "no_penalty_decision" and decision.title == "不予行政处罚决定书"
    assert actions(case, since) == ["decide", "document_issued"]
    case.refresh_from_db()
    assert (case.status, case.decided_on, case.decided_by) == (Status.DECIDED, d(START_DAY), w.head)
    assert selectors.decision_deadline(case).met_on == d(START_DAY)


def test_suspected_crime_is_transferred_with_a_transfer_letter(world):
    w = world
    case = reported_case(w, outcome=Outcome.TRANSFER)
    with refused(DomainError, "不是作出处罚或不予处罚的决定", case=case):
        take("decide", actor=w.head, case=case, no_penalty_reason="x")

    def transfer(actor, recipient="示例县公安局"):
        take(
            "transfer_judicial",
            actor=actor,
            case=case,
            recipient=recipient,
            reason="拖欠金额巨大，涉嫌拒不支付劳动报酬罪。",
            materials=["案卷材料一宗", " "],
        )

    with refused(NotPermitted, "本机关负责人", case=case):
        transfer(w.officer)
    with refused(InvalidInput, "接收的司法机关", case=case):
        transfer(w.head, recipient="")

    since = mark()
    transfer(w.head)
    assert actions(case, since) == ["transfer_judicial", "document_issued"]
    assert document_kinds(case, since) == ["transfer_letter"]
    case.refresh_from_db()
    assert (case.status, case.transfer_kind, case.transferred_on) == (
        Status.TRANSFERRED,
        TransferKind.JUDICIAL,
        d(START_DAY),
    )
    letter = Document.objects.get(subject_ref=case.subject_ref, kind="transfer_letter")
    assert letter.title == "案件移送函" and letter.content["materials"] == ["案卷材料一宗"]
    assert selectors.decision_deadline(case).met_on == d(START_DAY)


ATTENDEES = [
    {"name": "局长甲", "title": "局长", "opinion": "同意不予处罚。"},
    {"name": "副局长乙", "title": "副局长", "opinion": "同意。"},
    {"name": "科长丙", "title": "法规科科长", "opinion": "同意，并责令改正。"},
]


def test_major_case_is_decided_after_a_collective_discussion_and_closed_when_measures_end(world):
    """第五十七条第二款 and 第五十八条 (a major case is also reviewed); closing waits for the seizure."""
    w = world
    case = investigated_case(w, is_major=True, major_reason="涉及劳动者人数众多")
    seizure = take(
        "request_measure",
        actor=w.officer,
        case=case,
        kind=MeasureKind.SEIZURE,
        seizure_mode="扣押",
        place="当事人仓库",
        items=ITEMS,
        reason="防止转移。",
    )
    take("approve_measure", case=seizure.case, actor=w.head, measure=seizure)
    report(w, case, outcome=Outcome.NO_PENALTY)

    def decide():
        return take(
            "decide", actor=w.head, case=case, no_penalty_reason="违法行为轻微并及时改正，没有造成危害后果。"
        )

    def discuss(actor, attendees):
        return take(
            "hold_discussion",
            actor=actor,
            case=case,
            held_at=at(START_DAY, 8),
            place="局党组会议室",
            attendees=attendees,
            conclusion="不予行政处罚，责令改正。",
            outcome=Outcome.NO_PENALTY,
        )

    with refused(DomainError, "集体讨论决定（《行政处罚法》第五十七条第二款）", case=case):
        decide()
    with refused(NotPermitted, "本机关负责人", case=case):
        discuss(w.officer, ATTENDEES)
    with refused(InvalidInput, "三名以上", case=case):
        discuss(w.head, ATTENDEES[:2])
    with refused(InvalidInput, "每名参加人员的意见", case=case):
        discuss(w.head, [*ATTENDEES[:2], {"name": "科长丙", "title": "科长", "opinion": ""}])

    since = mark()
    discuss(w.head, ATTENDEES)
    assert actions(case, since) == ["hold_discussion", "document_issued"]
    assert document_kinds(case, since) == ["collective_discussion_record"]

    with refused(DomainError, "疑难复杂.*第五十八条", case=case):
        decide()
    pass_review(w, case)
    (decision,) = decide()
    assert (decision.kind, decision.title) == ("no_penalty_decision", "不予行政处罚决定书")
    since = mark()
    serve(w, case, [decision])
    assert "逾期" not in case.events.get(pk__gt=since, action="serve").summary
    assert case.status == Status.EXECUTION  # the seizure is still in place

    with refused(DomainError, "查封扣押、先行登记保存措施，不能结案", case=case):
        take("request_closing", actor=w.officer, case=case, summary="已结。")
    with refused(DomainError, "音像记录事项清单.*查封扣押.*全程音像记录", case=case):
        take(
            "conclude_measure",
            case=seizure.case,
            actor=w.officer,
            measure=seizure,
            outcome="解除扣押，退还当事人。",
        )
    attach_av(case, actor=w.officer, stage=Stage.SEIZURE)
    take(
        "conclude_measure",
        case=seizure.case,
        actor=w.officer,
        measure=seizure,
        outcome="解除扣押，退还当事人。",
    )
    since = mark()
    take("request_closing", actor=w.officer, case=case, summary="不予处罚决定已送达，扣押已解除。")
    assert actions(case, since) == ["request_closing"]
    with refused(NotPermitted, "本机关负责人", case=case):
        take("approve_closing", actor=w.officer, case=case)
    since = mark()
    take("approve_closing", actor=w.head, case=case)
    assert actions(case, since) == ["approve_closing", "document_issued"]
    assert document_kinds(case, since) == ["closing_approval"]
    take("archive", actor=w.officer, case=case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.archived_at is not None


# ── 法制审核: 第五十八条 (the seam of zhifa.cases.review_gate) ──────────────────────────────


def test_listed_matter_needs_a_passing_review_by_a_reviewer_who_did_not_handle_the_case(world):
    """The full review lives in zhifa.review (its tests); here: the decision asks the gate."""
    w = world
    lawyer = make_user(Role.REVIEWER, agency=w.agency, full_name="审核员乙")
    certified(lawyer, w.domain, w.agency)
    matter = make_matter(
        agency=w.agency,
        domain=w.domain,
        code="M0900",
        review_always_required=True,
        av_levels=TEXT_EXCEPT_MANDATORY,
    )
    case = reported_case(w, matter=matter, handlers=[w.officer, lawyer], outcome=Outcome.NO_PENALTY)

    def decide():
        return take(
            "decide", actor=w.head, case=case, no_penalty_reason="违法行为轻微并及时改正，没有造成危害后果。"
        )

    with refused(DomainError, "执法事项列入法制审核目录清单.*第五十八条", case=case):
        decide()
    from zhifa.review import services as review

    round_ = review.review_submit(actor=w.officer, case=case)
    with refused(DomainError, "是本案承办人，不能审核本案", case=case):
        review.review_assign(actor=w.head, round_=round_, reviewer=lawyer)
    review.review_assign(actor=w.head, round_=round_, reviewer=w.reviewer)
    round_.refresh_from_db()
    review.review_record(
        actor=w.reviewer,
        round_=round_,
        findings={code: {"finding": "ok", "note": ""} for code in BY_CODE},
        opinion="agree",
    )
    assert titles(preview(decide)) == ["不予行政处罚决定书"]
    case.refresh_from_db()

    # Another provider (a test's, say) is asked the same way.
    previous = review_gate.install(
        lambda c: review_gate.Clearance(True, False, ("审核意见尚未经机关负责人签署",))
    )
    try:
        with refused(DomainError, "审核意见尚未经机关负责人签署.*第五十八条", case=case):
            decide()
    finally:
        review_gate.install(previous)
    assert titles(preview(decide)) == ["不予行政处罚决定书"]


# ── 事先告知、陈述申辩: 第四十四、四十五、六十一、六十二条 ────────────────────────────────────


def decide_penalty(w, case, fine="5000", kinds=("warning", "fine")):
    return take(
        "decide",
        actor=w.head,
        case=case,
        kinds=list(kinds),
        fine=Decimal(fine),
        penalty=f"警告，并处罚款人民币 {fine} 元。",
    )


def test_decision_waits_for_the_served_notice_and_the_statement_period(world):
    w = world
    case = reported_case(w)
    with refused(DomainError, "第四十四条", case=case):
        decide_penalty(w, case)
    with refused(NotPermitted, "本案承办人", case=case):
        take("notify", actor=w.head, case=case)

    since = mark()
    take("notify", actor=w.officer, case=case)
    assert actions(case, since) == ["notify", "document_issued"]
    assert document_kinds(case, since) == ["prior_notice"]
    case.refresh_from_db()
    assert case.status == Status.NOTICE and not case.hearing_right and case.notified_fine == Decimal(5000)
    with refused(DomainError, "不能进行“事先告知”", case=case):
        take("notify", actor=w.officer, case=case)
    with refused(DomainError, "尚未送达当事人.*第四十四条、第六十二条", case=case):
        decide_penalty(w, case)

    # 第六十一条第二款: electronic service only with the party's consent.
    with refused(DomainError, "未书面同意电子送达.*第六十一条", case=case):
        serve(w, case, method=ServiceMethod.ELECTRONIC)
    since = mark()
    take(
        "update_party",
        actor=w.officer,
        case=case,
        **party(),
        electronic_service_consent="zhangsan@example.com",
        reason="当事人书面同意电子送达。",
    )
    assert actions(case, since) == ["update_party"]
    since = mark()
    serve(w, case, method=ServiceMethod.ELECTRONIC)
    assert actions(case, since) == ["serve", "document_issued"]
    assert document_kinds(case, since) == ["service_receipt"]
    assert case.notice_served_on == d(START_DAY)
    assert [x.due for x in selectors.case_deadlines(case) if x.key == "statement"] == [d("2026-03-09")]

    with travel("2026-03-09"), refused(DomainError, "至 2026-03-09 届满.*第六十二条", case=case):
        decide_penalty(w, case)
    with travel("2026-03-10"):
        assert titles(preview(lambda: decide_penalty(w, case))) == [
            "行政处罚决定书",
            "信用修复告知书",
        ]
        case.refresh_from_db()
        # The jurisdiction's statement period is 7 working days: still running.
        JurisdictionSetting.objects.create(key="statement_period_workdays", value="7", note="本省规定")
        with refused(DomainError, "至 2026-03-11 届满.*第六十二条", case=case):
            decide_penalty(w, case)


def test_waived_rights_allow_an_early_decision_served_with_its_credit_repair_notice(world):
    w = world
    case = notified_case(w)

    def waive(actor, on):
        take("waive_rights", actor=actor, case=case, waived_on=on, note="当事人书面表示放弃陈述、申辩权利。")

    with travel("2026-03-03"):
        with refused(DomainError, "第六十二条", case=case):
            decide_penalty(w, case)
        with refused(NotPermitted, "本案承办人", case=case):
            waive(w.head, d("2026-03-03"))
        with refused(InvalidInput, "不能早于告知书送达日期", case=case):
            waive(w.officer, d("2026-03-01"))
        since = mark()
        waive(w.officer, d("2026-03-03"))
        assert actions(case, since) == ["waive_rights"]

        since = mark()
        decision, credit = decide_penalty(w, case)
        assert actions(case, since) == ["decide", "document_issued", "document_issued"]
        assert document_kinds(case, since) == ["penalty_decision", "credit_repair_notice"]
        case.refresh_from_db()
        assert (case.status, case.final_fine, case.final_kinds) == (
            Status.DECIDED,
            Decimal(5000),
            ["warning", "fine"],
        )
        assert [x.due for x in selectors.case_deadlines(case)] == [d("2026-03-12")]  # service, 7 working days

        # 双书同达: the decision and the credit-repair notice go together.
        for alone in (decision, credit):
            with refused(DomainError, "双书同达", case=case):
                serve(w, case, [alone])

    with travel("2026-03-13"):
        since = mark()
        serve(w, case, [decision, credit])
        event = case.events.get(pk__gt=since, action="serve")
        assert "逾期送达" in event.summary and "2026-03-12 前送达（《行政处罚法》第六十一条）" in event.reason
        assert (case.status, case.decision_served_on) == (Status.EXECUTION, d("2026-03-13"))


def test_no_heavier_penalty_for_a_defence_unless_the_party_is_notified_again(world):
    w = world
    case = notified_case(w)

    def statement(actor):
        return take(
            "add_statement",
            actor=actor,
            case=case,
            started_at=at("2026-03-04", 9),
            ended_at=at("2026-03-04", 10),
            place="人社局询问室",
            officers=[w.officer.officer, w.colleague.officer],
            subject_name="张三",
            statement="工资已部分支付。\n请求从轻处罚。",
        )

    def review_defence(adoption):
        take("review_defence", actor=w.officer, case=case, adoption=adoption, review="当事人所述部分属实。")

    with travel("2026-03-04", 11):
        with refused(NotPermitted, "本案承办人", case=case):
            statement(w.head)
        since = mark()
        statement(w.officer)
        assert actions(case, since) == ["add_record", "document_issued"]
        assert document_kinds(case, since) == ["statement_record"]

    with travel("2026-03-10"):
        with refused(DomainError, "应当先行复核（《行政处罚法》第四十五条）", case=case):
            decide_penalty(w, case)
        with refused(InvalidInput, "采纳、部分采纳或者不予采纳", case=case):
            review_defence(DefenceAdoption.NONE)
        since = mark()
        review_defence(DefenceAdoption.PARTLY)
        assert actions(case, since) == ["review_defence"]

        with refused(DomainError, "增加了告知书中没有的暂扣许可证件.*第四十五条", case=case):
            decide_penalty(w, case, kinds=("warning", "fine", "suspend_licence"))
        with refused(DomainError, "罚款由 5000.00 元提高到 8000.00 元.*第四十五条", case=case):
            decide_penalty(w, case, fine="8000")
        assert titles(preview(lambda: decide_penalty(w, case, fine="3000"))) == [
            "行政处罚决定书",
            "信用修复告知书",
        ]
        case.refresh_from_db()

        # New facts: a heavier penalty needs a new prior notice, served, and its own period or waiver.
        with refused(NotPermitted, "本案承办人", case=case):
            take(
                "renotify",
                actor=w.head,
                case=case,
                kinds=["warning", "fine"],
                fine=Decimal(8000),
                confiscation=Decimal(0),
                penalty="x",
                reason="x",
            )
        since = mark()
        take(
            "renotify",
            actor=w.officer,
            case=case,
            kinds=["warning", "fine"],
            fine=Decimal(8000),
            confiscation=Decimal(0),
            penalty="警告，并处罚款人民币 8000 元。",
            reason="查明当事人另拖欠2名劳动者工资。",
        )
        assert actions(case, since) == ["renotify", "notify", "document_issued"]
        assert document_kinds(case, since) == ["prior_notice"]
        case.refresh_from_db()
        assert (case.notified_fine, case.notice_served_on, case.defence_adoption) == (Decimal(8000), None, "")
        with refused(DomainError, "尚未送达当事人.*第四十四条", case=case):
            decide_penalty(w, case, fine="8000")
        serve(w, case)
        take("waive_rights", actor=w.officer, case=case, waived_on=d("2026-03-10"), note="当事人书面放弃。")
        # The earlier defence is reviewed again against the new notice.
        with refused(DomainError, "第四十五条", case=case):
            decide_penalty(w, case, fine="8000")
        review_defence(DefenceAdoption.REJECTED)
        assert titles(preview(lambda: decide_penalty(w, case, fine="8000"))) == [
            "行政处罚决定书",
            "信用修复告知书",
        ]


# ── 听证: 第六十三、六十四条 ───────────────────────────────────────────────────────────────


def test_hearing_right_requested_in_time_presided_by_a_non_investigator_after_notice(world):
    w = world
    case = reported_case(w, fine=Decimal(10000))

    def notify():
        return take("notify", actor=w.officer, case=case)

    # 10000 yuan for a citizen reaches the default threshold; a province may set it higher.
    assert titles(preview(notify)) == ["行政处罚事先告知书", "听证告知书"]
    case.refresh_from_db()
    JurisdictionSetting.objects.create(key="hearing_fine_citizen", value="10001", note="本省规定")
    assert titles(preview(notify)) == ["行政处罚事先告知书"]
    case.refresh_from_db()
    JurisdictionSetting.objects.filter(key="hearing_fine_citizen").delete()

    since = mark()
    notify()
    assert document_kinds(case, since) == ["prior_notice", "hearing_rights_notice"]
    case.refresh_from_db()
    assert case.hearing_right and "第六十三条第一款第（一）项" in case.hearing_right_reason

    def request(on):
        return take("request_hearing", actor=w.officer, case=case, requested_on=on)

    with refused(DomainError, "尚未送达.*第六十四条", case=case):
        request(d(START_DAY))
    serve(w, case)

    def decide():
        return decide_penalty(w, case, fine="10000")

    def schedule(actor, presiding, day):
        return take(
            "schedule_hearing",
            actor=actor,
            case=case,
            scheduled_at=at(day, 9),
            place="本局听证室",
            presiding=presiding.officer,
            recorder="书记员甲",
        )

    def hold(day):
        return take(
            "hold_hearing",
            actor=w.officer,
            case=case,
            started_at=at(day, 9),
            ended_at=at(day, 11),
            attendees="当事人张三；承办人",
            proceedings="承办人提出违法事实、证据和处罚建议。\n当事人进行申辩和质证。",
        )

    with travel("2026-03-10"):
        with refused(DomainError, "2026-03-09 届满（《行政处罚法》第六十四条第（一）项）", case=case):
            request(d("2026-03-10"))
        since = mark()
        request(d("2026-03-09"))  # asked on the last day, registered the next
        assert actions(case, since) == ["request_hearing"]
        with refused(DomainError, "听证尚未举行.*第六十二条", case=case):
            decide()
        for investigator in (w.officer, w.colleague):
            with refused(DomainError, "参与了本案调查.*第六十四条第（四）项", case=case):
                schedule(w.head, investigator, "2026-03-19")
        with refused(DomainError, "最早于 2026-03-19 举行.*第六十四条第（二）项", case=case):
            schedule(w.head, w.bystander, "2026-03-18")
        with refused(NotPermitted, "本机关负责人", case=case):
            schedule(w.officer, w.bystander, "2026-03-19")
        since = mark()
        schedule(w.head, w.bystander, "2026-03-19")
        assert actions(case, since) == ["schedule_hearing", "document_issued"]
        assert document_kinds(case, since) == ["hearing_notice"]
        with refused(DomainError, "听证通知书尚未送达.*第六十四条", case=case):
            hold("2026-03-10")
        serve(w, case)
        assert case.hearing.notice_served_on == d("2026-03-10")

    too_early = "最早应于 2026-03-19 举行.*第六十四条第（二）项"
    with travel("2026-03-18", 12), refused(DomainError, too_early, case=case):
        hold("2026-03-18")

    with travel("2026-03-19", 12):
        since = mark()
        hold("2026-03-19")
        assert actions(case, since) == ["hold_hearing", "document_issued"]
        assert document_kinds(case, since) == ["hearing_record"]
        case.refresh_from_db()
        assert case.hearing.held_on == d("2026-03-19")
        with refused(DomainError, "第四十五条", case=case):
            decide()
        take(
            "review_defence",
            actor=w.head,
            case=case,
            adoption=DefenceAdoption.REJECTED,
            review="申辩理由不成立。",
        )
        with refused(DomainError, "经过听证程序.*第五十八条", case=case):
            decide()
        pass_review(w, case)
        assert titles(preview(decide)) == ["行政处罚决定书", "信用修复告知书"]


def test_withdrawn_hearing_request_leaves_the_statement_period_running(world):
    w = world
    case = notified_case(w, fine=Decimal(10000))
    assert case.hearing_right

    def decide():
        return decide_penalty(w, case, fine="10000")

    with travel("2026-03-03"):
        take("request_hearing", actor=w.officer, case=case, requested_on=d("2026-03-03"))
        with refused(NotPermitted, "本案承办人", case=case):
            take("withdraw_hearing", actor=w.head, case=case, withdrawn_on=d("2026-03-03"), note="撤回。")
        since = mark()
        take(
            "withdraw_hearing",
            actor=w.officer,
            case=case,
            withdrawn_on=d("2026-03-03"),
            note="当事人书面撤回听证申请。",
        )
        assert actions(case, since) == ["withdraw_hearing"]
        case.refresh_from_db()
        with refused(DomainError, "已经结束或当事人已撤回", case=case):
            take(
                "withdraw_hearing",
                actor=w.officer,
                case=case,
                withdrawn_on=d("2026-03-03"),
                note="再次撤回。",
            )
        with refused(DomainError, "已经结束或当事人已撤回", case=case):
            take(
                "schedule_hearing",
                actor=w.head,
                case=case,
                scheduled_at=at("2026-03-19", 9),
                place="听证室",
                presiding=w.bystander.officer,
                recorder="书记员",
            )

    with travel("2026-03-04"):
        take(
            "review_defence",
            actor=w.officer,
            case=case,
            adoption=DefenceAdoption.NONE,
            review="当事人未陈述申辩。",
        )
        with refused(DomainError, "至 2026-03-09 届满.*第六十二条", case=case):
            decide()
    with travel("2026-03-10"):
        # 10000 yuan for a citizen is the 较大数额 of the review catalog too (第五十八条).
        with refused(DomainError, "重大权益.*第五十八条", case=case):
            decide()
        pass_review(w, case)
        assert titles(preview(decide)) == ["行政处罚决定书", "信用修复告知书"]


# ── 执行: 第六十六、六十七、七十二条, 行政强制法第五十三、五十四条 ────────────────────────────


def test_payment_plan_and_late_payment_surcharge(world):
    w = world
    case = on_the_spot_case(w)  # a 200-yuan fine, due 15 days after today: 2026-03-17
    assert case.status == Status.EXECUTION
    assert selectors.payment_status(case).next_due == d("2026-03-17")

    def plan(actor, arrangement, *rows):
        return take(
            "plan_payment",
            actor=actor,
            case=case,
            arrangement=arrangement,
            schedule=[(d(day), Decimal(amount)) for day, amount in rows],
            reason="当事人经济困难，书面申请分期缴纳。",
        )

    halves = (("2026-03-31", "100"), ("2026-04-30", "100"))
    with refused(NotPermitted, "本机关负责人", case=case):
        plan(w.officer, PaymentArrangement.INSTALMENT, *halves)
    with refused(InvalidInput, "延期缴纳只有一个缴纳期限", case=case):
        plan(w.head, PaymentArrangement.DEFERRED, *halves)
    with refused(InvalidInput, "至少分为两期", case=case):
        plan(w.head, PaymentArrangement.INSTALMENT, ("2026-04-30", "200"))
    with refused(InvalidInput, "等于罚款金额 200.00 元", case=case):
        plan(w.head, PaymentArrangement.INSTALMENT, ("2026-03-31", "100"), ("2026-04-30", "50"))
    with refused(InvalidInput, "不能早于今天", case=case):
        plan(w.head, PaymentArrangement.INSTALMENT, ("2026-03-01", "100"), ("2026-04-30", "100"))
    deferred = preview(lambda: plan(w.head, PaymentArrangement.DEFERRED, ("2026-04-30", "200")))
    assert titles(deferred) == ["延期(分期)缴纳批准书"]
    case.refresh_from_db()

    since = mark()
    plan(w.head, PaymentArrangement.INSTALMENT, *halves)
    assert actions(case, since) == ["plan_payment", "document_issued"]
    assert document_kinds(case, since) == ["payment_approval"]
    with refused(DomainError, "已批准过延期（分期）缴纳", case=case):
        plan(w.head, PaymentArrangement.DEFERRED, ("2026-04-30", "200"))
    status = selectors.payment_status(case)
    assert (status.next_due, status.overdue, status.outstanding) == (d("2026-03-31"), False, Decimal(200))
    with refused(DomainError, "罚款尚未缴清", case=case):
        take("request_closing", actor=w.officer, case=case, summary="x")

    def pay(amount, on, surcharge=False):
        return take(
            "record_payment",
            actor=w.officer,
            case=case,
            paid_on=d(on),
            amount=Decimal(amount),
            receipt_number=f"P{amount}",
            is_surcharge=surcharge,
        )

    with travel("2026-04-03"):
        # First instalment 3 days late: 3 % of 100 yuan a day (第七十二条).
        status = selectors.payment_status(case)
        assert status.overdue and status.surcharge.amount == Decimal("9.00")
        with refused(InvalidInput, "超过应缴的罚款（200.00 元）", case=case):
            pay("250", "2026-04-03")
        since = mark()
        pay("100", "2026-04-03")  # the day of payment accrues nothing: 2 days remain
        assert actions(case, since) == ["record_payment"]
        status = selectors.payment_status(case)
        assert (status.outstanding, status.surcharge.amount, status.next_due, status.overdue) == (
            Decimal(100),
            Decimal("6.00"),
            d("2026-04-30"),
            False,
        )
        with refused(InvalidInput, "超过应缴的加处罚款（6.00 元）", case=case):
            pay("7", "2026-04-03", surcharge=True)
        pay("6", "2026-04-03", surcharge=True)

    with travel("2026-04-30"):
        pay("100", "2026-04-30")
        case.refresh_from_db()
        assert case.fine_paid_on == d("2026-04-30")
        with refused(DomainError, "罚款已经缴清", case=case):
            pay("1", "2026-04-30")
        take("request_closing", actor=w.officer, case=case, summary="罚款及加处罚款已缴清。")
        case.refresh_from_db()
        assert case.status == Status.CLOSING


def test_reminder_and_court_enforcement_within_the_statutory_window(world):
    w = world
    case = on_the_spot_case(w)  # served today 2026-03-02; the fine is due 2026-03-17

    def apply(actor):
        take(
            "apply_enforcement",
            actor=actor,
            case=case,
            court="",
            non_performance="当事人经催告仍未缴纳罚款。",
        )

    with travel("2026-03-17"), refused(DomainError, "尚未到缴纳期限.*第三十五条", case=case):
        take("remind", actor=w.officer, case=case)
    with travel("2026-03-18"):
        with refused(NotPermitted, "本案承办人", case=case):
            take("remind", actor=w.head, case=case)
        since = mark()
        take("remind", actor=w.officer, case=case)
        assert actions(case, since) == ["remind", "document_issued"]
        assert document_kinds(case, since) == ["reminder"]
        with refused(DomainError, "应当催告当事人履行义务（《行政强制法》第五十四条）", case=case):
            apply(w.head)
        serve(w, case)
        assert case.reminder_served_on == d("2026-03-18")
        keys = {x.key: x.due for x in selectors.case_deadlines(case)}
        # The day the reminder period ends is when the agency may apply, not a deadline it can miss.
        assert "reminder" not in keys and keys["enforcement"] == d("2026-12-02")

    unripe = "最早可于 2026-04-02 申请（《行政强制法》第五十四条）"
    with travel("2026-04-01"), refused(DomainError, unripe, case=case):
        apply(w.head)
    litigation = "应自 2026-09-03 起申请强制执行（《行政强制法》第五十三条）"
    with travel("2026-04-02"), refused(DomainError, litigation, case=case):
        apply(w.head)
    with travel("2026-12-03"), refused(DomainError, "已于 2026-12-02 届满.*第五十三条", case=case):
        apply(w.head)
    with travel("2026-09-03"):
        with refused(NotPermitted, "本机关负责人", case=case):
            apply(w.officer)
        since = mark()
        apply(w.head)
        assert actions(case, since) == ["apply_enforcement", "document_issued"]
        assert document_kinds(case, since) == ["enforcement_application"]
        case.refresh_from_db()
        assert (case.enforcement_applied_on, case.enforcement_court) == (d("2026-09-03"), "测试县人民法院")
        with refused(DomainError, "已经申请人民法院强制执行", case=case):
            apply(w.head)
        take("request_closing", actor=w.officer, case=case, summary="已申请人民法院强制执行。")
        case.refresh_from_db()
        assert case.status == Status.CLOSING


# ── 简易程序: 第五十一、五十二、六十八条 ─────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("organisation", "kinds", "fine", "message"),
    [
        (False, ["fine"], "201", "对自然人当场罚款不得超过 200 元.*第五十一条"),
        (True, ["fine"], "3001", "对法人或者其他组织当场罚款不得超过 3000 元.*第五十一条"),
        (False, ["warning", "suspend_licence"], "0", "仅限警告或者罚款.*第五十一条"),
    ],
    ids=["citizen-201", "organisation-3001", "other-kind"],
)
def test_on_the_spot_refuses_what_needs_the_general_procedure(world, organisation, kinds, fine, message):
    with refused(DomainError, message):
        on_the_spot_case(world, organisation=organisation, kinds=kinds, fine=Decimal(fine))


def test_pre_numbered_forms_stay_gap_free_when_used_and_voided(world):
    w = world
    with refused(NotPermitted, "执法人员"):
        services.on_the_spot_forms_reserve(actor=w.reviewer, count=3)
    with refused(InvalidInput, "1 至 50"):
        services.on_the_spot_forms_reserve(actor=w.officer, count=0)
    first, second, third = services.on_the_spot_forms_reserve(actor=w.officer, count=3)

    since = mark()
    case = on_the_spot_case(w, form=second)  # 200 yuan for a citizen: the limit itself
    assert (case.procedure, case.status, case.final_fine) == (
        Procedure.ON_THE_SPOT,
        Status.EXECUTION,
        Decimal(200),
    )
    assert actions(case, since) == ["decide_on_the_spot", "serve"]
    second.refresh_from_db()
    assert second.status == "issued" and second.subject_ref == case.subject_ref
    assert second.number in case.events.get(action="decide_on_the_spot").summary

    with refused(NotPermitted, "本人领用"):
        services.on_the_spot_form_void(actor=w.bystander, form=first, reason="填写错误。")
    with refused(InvalidInput, "作废理由"):
        services.on_the_spot_form_void(actor=w.officer, form=first, reason=" ")
    with refused(NotPermitted, "尚未使用"):
        services.on_the_spot_form_void(actor=w.officer, form=second, reason="填写错误。")
    services.on_the_spot_form_void(actor=w.officer, form=first, reason="当事人姓名填写错误。")
    first.refresh_from_db()
    with refused(NotPermitted, "尚未使用"):
        on_the_spot_case(w, form=first)

    assert services.forms_held_by(w.officer.officer) == [third]
    forms = Document.objects.filter(agency=w.agency, kind="on_the_spot_decision").order_by("sequence")
    rows = list(forms.values_list("sequence", "status", "void_reason"))
    start = rows[0][0]
    assert rows == [
        (start, "void", "当事人姓名填写错误。"),
        (start + 1, "issued", ""),
        (start + 2, "reserved", ""),
    ]


def test_payment_on_the_spot_above_100_yuan_needs_a_reason(world):
    w = world
    with refused(DomainError, "第六十八条"):
        on_the_spot_case(
            w, organisation=True, fine=Decimal(3000), paid_on_spot=True, receipt_number="财000001"
        )
    with refused(InvalidInput, "第七十条"):
        on_the_spot_case(
            w,
            organisation=True,
            fine=Decimal(3000),
            paid_on_spot=True,
            collection_reason="当事人系外地流动经营者，事后难以执行。",
        )

    since = mark()
    case = on_the_spot_case(
        w,
        organisation=True,
        fine=Decimal(3000),
        paid_on_spot=True,
        receipt_number="财000001",
        collection_reason="当事人系外地流动经营者，事后难以执行。",
    )
    assert actions(case, since) == ["decide_on_the_spot", "serve", "record_payment"]
    assert (case.status, case.fine_paid_on) == (Status.CLOSING, d(START_DAY))
    assert list(case.payments.values_list("amount", "receipt_number")) == [(Decimal(3000), "财000001")]

    small = on_the_spot_case(w, fine=Decimal(100), paid_on_spot=True, receipt_number="财000002")
    assert small.status == Status.CLOSING


def test_on_the_spot_decision_is_filed_by_the_head_within_the_local_period(world):
    w = world
    case = on_the_spot_case(w)
    (filing,) = [x for x in selectors.case_deadlines(case) if x.key == "on_the_spot_filing"]
    assert filing.due == d("2026-03-04")  # 2 working days by default
    JurisdictionSetting.objects.create(key="on_the_spot_filing_workdays", value="5", note="本市规定")
    (filing,) = [x for x in selectors.case_deadlines(case) if x.key == "on_the_spot_filing"]
    assert filing.due == d("2026-03-09")

    with refused(NotPermitted, "本机关负责人", case=case):
        take("file_on_the_spot", actor=w.officer, case=case)
    with travel("2026-03-10"):
        since = mark()
        take("file_on_the_spot", actor=w.head, case=case)
        (event,) = case.events.filter(pk__gt=since)
        assert event.action == "file_on_the_spot" and "应于 2026-03-09 前备案，已逾期" in event.summary
        case.refresh_from_db()
        assert case.on_the_spot_filed_on == d("2026-03-10")
        with refused(DomainError, "已经备案", case=case):
            take("file_on_the_spot", actor=w.head, case=case)

    general = clue(w)
    with refused(DomainError, "一般程序案件没有“当场处罚备案”这一环节", case=general):
        take("file_on_the_spot", actor=w.head, case=general)


# ── 移送、撤销立案 ────────────────────────────────────────────────────────────────────────


def test_transfer_to_the_agency_with_jurisdiction(world):
    w = world
    case = clue(w)
    other = w.outsider.officer.agency

    def transfer(actor, to_agency):
        take(
            "transfer",
            actor=actor,
            case=case,
            to_agency=to_agency,
            recipient="",
            reason="不属于本机关管辖。",
            materials=["投诉材料"],
        )

    with refused(NotPermitted, "本机关负责人", case=case):
        transfer(w.officer, other)
    with refused(InvalidInput, "不能移送给本机关", case=case):
        transfer(w.head, w.agency)

    since = mark()
    transfer(w.head, other)
    assert actions(case, since) == ["transfer", "document_issued"]
    assert document_kinds(case, since) == ["transfer_letter"]
    case.refresh_from_db()
    assert (case.status, case.transfer_kind, case.transferred_to, case.transfer_recipient) == (
        Status.TRANSFERRED,
        TransferKind.AGENCY,
        other,
        other.name,
    )
    with refused(DomainError, "已移送", case=case):
        take("extend_filing", actor=w.head, case=case, reason="x")


def test_head_revokes_a_filed_case(world):
    w = world
    case = filed_case(w)
    with refused(NotPermitted, "本机关负责人", case=case):
        take("revoke", actor=w.officer, case=case, reason="立案错误。")
    with refused(InvalidInput, "撤销立案的理由", case=case):
        take("revoke", actor=w.head, case=case, reason="")

    since = mark()
    take("revoke", actor=w.head, case=case, reason="经复查，不属于本机关管辖，立案错误。")
    assert actions(case, since) == ["revoke"]
    case.refresh_from_db()
    assert case.status == Status.REVOKED
    with refused(DomainError, "已撤销立案", case=case):
        add_inquiry(w, case)
    take("archive", actor=w.officer, case=case)
    assert actions(case, since) == ["revoke", "archive"]


# ── 权限, 预览, 事件与事务 ─────────────────────────────────────────────────────────────────


@pytest.fixture
def supervisor(world):
    bureau = AgencyFactory(name="测试县司法局", is_justice_bureau=True, region=world.agency.region)
    return make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲")


@pytest.mark.parametrize("who", ["supervisor", "outsider", "reviewer", "bystander"])
def test_only_the_handlers_and_the_head_take_case_steps(world, supervisor, who):
    w = world
    user = supervisor if who == "supervisor" else getattr(w, who)
    # Who takes no part in the agency's case work is refused first, whatever the step.
    handler_refusal, head_refusal = {
        "supervisor": (
            "司法局监督人员可以查阅案件，但不能办理案件",
            "司法局监督人员可以查阅案件，但不能办理案件",
        ),
        "outsider": ("不能办理本案", "不能办理本案"),
    }.get(who, ("应由本案承办人办理", "应由本机关负责人办理"))
    case = requested_case(w)
    with refused(NotPermitted, handler_refusal, case=case):
        declare(case, user)
    declare(case, w.officer, w.colleague)
    with refused(NotPermitted, head_refusal, case=case):
        take("approve_filing", actor=user, case=case)
    with refused(NotPermitted, head_refusal, case=case):
        take("decline_filing", actor=user, case=case, reason="无管辖权。")
    take("approve_filing", actor=w.head, case=case)
    case.refresh_from_db()
    with refused(NotPermitted, handler_refusal, case=case):
        add_inquiry(w, case, actor=user)


def test_handlers_and_the_head_keep_to_their_own_steps(world):
    w = world
    case = requested_case(w)
    with refused(NotPermitted, "应由本案承办人办理", case=case):
        declare(case, w.head)
    declare(case, w.officer, w.colleague)
    for handler in (w.officer, w.colleague):
        with refused(NotPermitted, "应由本机关负责人办理", case=case):
            take("approve_filing", actor=handler, case=case)
        with refused(NotPermitted, "应由本机关负责人办理", case=case):
            take("decline_filing", actor=handler, case=case, reason="无管辖权。")


def test_preview_returns_the_documents_and_keeps_nothing(world):
    w = world
    case = requested_case(w)
    with refused(DomainError, "第四十三条", case=case):
        preview(lambda: take("approve_filing", actor=w.head, case=case))
    declare(case, w.officer, w.colleague)
    with unchanged_db():
        pages = preview(lambda: take("approve_filing", actor=w.head, case=case))
    ((title, html),) = pages
    assert title == "立案审批表" and case.number in html and "<" in html
    case.refresh_from_db()
    assert case.status == Status.FILING and case.filed_on is None


def test_the_event_is_written_in_the_steps_transaction(world):
    """A step that fails after writing its event (here: the document cannot be signed) keeps neither."""
    w = world
    case = requested_case(w)
    declare(case, w.officer, w.colleague)
    SigningCredential.objects.filter(agency=w.agency).delete()
    with refused(DomainError, "尚未安装签章证书", case=case):
        take("approve_filing", actor=w.head, case=case)
    assert case.status == Status.FILING and not case.events.filter(action="approve_filing").exists()


def test_a_step_records_who_did_it_and_when(world):
    w = world
    with travel(START_DAY, 15):
        since = mark()
        case = clue(w)
        event = case.events.get(pk__gt=since)
    assert event.actor == w.officer and event.at == at(START_DAY, 15)
    assert event.data == {"source": "complaint", "received_on": START_DAY}


def test_the_heads_approval_opinion_goes_into_the_filing_approval(world):
    w = world
    case = requested_case(w)
    declare(case, w.officer, w.colleague)
    opinion = "同意立案，由执法员甲主办，重点核查工资支付记录。"
    take("approve_filing", actor=w.head, case=case, opinion=opinion)
    document = Document.objects.get(subject_ref=case.subject_ref, kind="filing_approval")
    assert document.content["approver_opinion"] == opinion
    assert document.content["approver_name"] == "局长甲"  # the name, not the login
    html = render_html(kind=kind_get("filing_approval"), content=document.content, stamp=None)
    assert opinion in html and "同意立案。" not in html


def test_an_approval_without_an_opinion_says_consent(world):
    w = world
    case = filed_case(w)
    document = Document.objects.get(subject_ref=case.subject_ref, kind="filing_approval")
    assert document.content["approver_opinion"] == ""
    assert "<p>同意立案。</p>" in render_html(
        kind=kind_get("filing_approval"), content=document.content, stamp=None
    )


def test_a_labour_cases_filing_period_cites_the_labour_rule(world):
    w = world
    w.domain.code = "LDBZJC"
    w.domain.save()
    case = requested_case(w)
    (deadline,) = selectors.case_deadlines(case)
    assert deadline.basis.startswith("《劳动保障监察条例》第十四条第二款")
    assert "市场监督管理" not in deadline.basis


def test_on_the_spot_decision_carries_the_payment_code_unless_paid_on_the_spot(world):
    # 罚缴分离 (第六十七条): the bank takes the fine by the decision's 缴款码; cash on the spot has none.
    from zhifa.cases.payment_code import matches

    case = on_the_spot_case(world, fine=Decimal(200))
    document = Document.objects.get(subject_ref=case.subject_ref, kind="on_the_spot_decision")
    assert matches(case, document.content["payment_code"])
    paid = on_the_spot_case(world, fine=Decimal(50), paid_on_spot=True, receipt_number="财000009")
    document = Document.objects.get(subject_ref=paid.subject_ref, kind="on_the_spot_decision")
    assert document.content["payment_code"] == ""
