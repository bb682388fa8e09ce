"""The clue loop end to end on the runner, and a refusal for each rule."""

from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core.calendar import add_workdays, today
from zhifa.core.errors import Conflict, InvalidInput, NotPermitted
from zhifa.disclosure.models import Feedback, FeedbackKind
from zhifa.ledger.models import LedgerLeaf
from zhifa.supervision import clue_selectors, clue_services
from zhifa.supervision.clue_workflow import take
from zhifa.supervision.models_clues import ClueSource, ClueStatus, NoticeStatus
from zhifa.testing.signing import install_test_credential, use_temp_dirs

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(jurisdiction, settings, tmp_path):
    use_temp_dirs(settings, tmp_path)
    install_test_credential(jurisdiction.bureau)
    return jurisdiction


def portal_clue(j):
    return clue_services.clue_register(
        actor=None,
        source=ClueSource.PORTAL,
        agency=j.agency,
        title="执法人员未出示证件",
        content="2026年11月在某路检查时执法人员未出示执法证件。",
        contact_name="张三",
        contact_phone="13912345678",
    )


def test_the_clue_loop_runs_end_to_end_on_the_runner(signing):
    j = signing
    clue = portal_clue(j)
    code = clue_services.clue_code_issue(clue)
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=10, note="请核查。")
    assert clue.status == ClueStatus.ASSIGNED and clue.due_on == add_workdays(today(), 10).date
    take("reply", actor=j.officer, clue=clue, reply="经核查，已对当事执法人员批评教育。")
    assert clue.status == ClueStatus.REPLIED
    take("review", actor=j.supervisor, clue=clue, decision="return", note="请附执法记录仪视频核查情况。")
    assert clue.status == ClueStatus.ASSIGNED and clue.returns == 1
    take("reply", actor=j.head, clue=clue, reply="已调取执法记录仪视频核实，情况属实，已整改。")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    assert clue.status == ClueStatus.ACCEPTED
    notice = take(
        "notice",
        actor=j.supervisor,
        clue=clue,
        kind="supervision_notice",
        issues="执法时未出示执法证件。",
        requirement="组织全体执法人员学习《行政处罚法》第五十五条。",
        report_due=today() + dt.timedelta(days=20),
    )
    assert notice.document.kind == "supervision_notice" and notice.status == NoticeStatus.ISSUED
    with pytest.raises(Conflict, match="整改报告尚未认可"):
        take("close", actor=j.supervisor, clue=clue, public_reply="已处理。")
    take("report", actor=j.head, clue=clue, notice=notice.pk, report="已组织学习并考试。")
    take("report_review", actor=j.supervisor, clue=clue, notice=notice.pk, decision="accept")
    take("close", actor=j.supervisor, clue=clue, public_reply="您反映的问题属实，已责令整改。")
    assert clue.status == ClueStatus.CLOSED and clue.closed_on == today()
    actions = list(clue.events.values_list("action", flat=True))
    assert actions == [
        "register",
        "assign",
        "reply",
        "review_return",
        "reply",
        "review_accept",
        "notice_supervision_notice",
        "report",
        "report_accept",
        "close",
    ]
    refs = {f"supervision.clueevent:{pk}" for pk in clue.events.values_list("pk", flat=True)}
    assert LedgerLeaf.objects.filter(ref__in=refs).count() == len(refs)
    # The complainant sees the status and the reply through the code, and nothing else.
    found = clue_selectors.clue_for_code(code)
    assert found == clue
    assert clue_selectors.clue_for_code("AAAA-BBBB-CCCC") is None


def test_assignment_deadline_is_bounded_by_the_setting(jurisdiction):
    j = jurisdiction
    clue = portal_clue(j)
    with pytest.raises(InvalidInput, match="1 至 15 个工作日"):
        take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=16)
    with pytest.raises(InvalidInput):
        take("assign", actor=j.supervisor, clue=clue, agency=j.bureau, workdays=5)
    with pytest.raises(NotPermitted):
        take("assign", actor=j.supervisor, clue=clue, agency=j.outside, workdays=5)
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REGISTERED
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=15)
    assert clue.status == ClueStatus.ASSIGNED


def test_a_late_reply_needs_its_reason_and_is_marked_overdue(jurisdiction):
    j = jurisdiction
    clue = portal_clue(j)
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=3)
    late = clue.due_on + dt.timedelta(days=1)
    assert clue_selectors.deadline_state(clue, on=late) == "overdue"
    assert clue_selectors.deadline_state(clue, on=clue.due_on) == "due_soon"
    assert clue_selectors.deadline_state(clue, on=clue.assigned_on - dt.timedelta(days=30)) == ""
    with pytest.raises(InvalidInput, match="逾期答复的应当说明逾期理由"):
        take("reply", actor=j.officer, clue=clue, on=late, reply="已处理。")
    take(
        "reply", actor=j.officer, clue=clue, on=late, reply="已处理。", delay_reason="当事人外出，无法联系。"
    )
    event = clue.events.get(action="reply")
    assert event.data["late_workdays"] >= 1 and "逾期" in event.summary


def test_only_the_assigned_agency_replies_and_only_the_regions_supervisor_reviews(jurisdiction):
    j = jurisdiction
    clue = portal_clue(j)
    with pytest.raises(NotPermitted):
        take("assign", actor=j.outside_supervisor, clue=clue, agency=j.agency, workdays=5)
    with pytest.raises(NotPermitted):
        take("assign", actor=j.head, clue=clue, agency=j.agency, workdays=5)
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    with pytest.raises(NotPermitted):
        take("reply", actor=j.other_head, clue=clue, reply="不是我们的。")
    with pytest.raises(NotPermitted):
        take("reply", actor=j.supervisor, clue=clue, reply="代为答复。")
    take("reply", actor=j.officer, clue=clue, reply="已处理。")
    with pytest.raises(NotPermitted):
        take("review", actor=j.head, clue=clue, decision="accept")
    with pytest.raises(NotPermitted):
        take("review", actor=j.outside_supervisor, clue=clue, decision="accept")
    with pytest.raises(InvalidInput, match="退回理由"):
        take("review", actor=j.supervisor, clue=clue, decision="return")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    with pytest.raises(InvalidInput, match="应当答复反映人"):
        take("close", actor=j.supervisor, clue=clue)
    with pytest.raises(Conflict):
        take("reply", actor=j.officer, clue=clue, reply="再答复一次。")


def test_the_rectification_report_is_filed_by_the_head_and_a_past_due_date_is_refused(signing):
    j = signing
    clue = clue_services.clue_register(
        actor=j.supervisor,
        source=ClueSource.FINDING,
        agency=j.agency,
        title="超期未结案",
        content="多起案件超期。",
    )
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    with pytest.raises(InvalidInput, match="整改报告期限应当晚于今天"):
        take(
            "notice",
            actor=j.supervisor,
            clue=clue,
            kind="supervision_opinion",
            issues="问题",
            requirement="要求",
            report_due=today(),
        )
    notice = take(
        "notice",
        actor=j.supervisor,
        clue=clue,
        kind="supervision_opinion",
        issues="问题",
        requirement="要求",
        report_due=today() + dt.timedelta(days=3),
    )
    with pytest.raises(NotPermitted, match="负责人报送"):
        take("report", actor=j.officer, clue=clue, notice=notice.pk, report="已整改。")
    take("report", actor=j.head, clue=clue, notice=notice.pk, report="已整改。")
    with pytest.raises(InvalidInput, match="补充整改"):
        take("report_review", actor=j.supervisor, clue=clue, notice=notice.pk, decision="return")
    take(
        "report_review", actor=j.supervisor, clue=clue, notice=notice.pk, decision="return", note="请附材料。"
    )
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


def test_closing_a_feedback_clue_writes_the_feedback_handling(jurisdiction):
    j = jurisdiction
    row = Feedback.objects.create(
        agency=j.agency, kind=FeedbackKind.COMPLAINT, content="态度粗暴。", contact_phone="13912345678"
    )
    praise = Feedback.objects.create(agency=j.agency, kind=FeedbackKind.PRAISE, content="很好。")
    outside = Feedback.objects.create(agency=j.outside, kind=FeedbackKind.COMPLAINT, content="外县的投诉。")
    clues = clue_services.clue_import_feedback(actor=j.supervisor)
    assert [c.feedback_id for c in clues] == [row.pk]
    assert clue_services.clue_import_feedback(actor=j.supervisor) == []  # once only
    clue = clues[0]
    assert clue.source == ClueSource.CREDENTIAL and clue.contact_phone == "13912345678"
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    take("reply", actor=j.officer, clue=clue, reply="已批评教育。")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    take("close", actor=j.supervisor, clue=clue, public_reply="已批评教育当事执法人员。")
    row.refresh_from_db()
    assert (
        row.handled_at is not None
        and row.handled_by == j.supervisor
        and row.reply == "已批评教育当事执法人员。"
    )
    praise.refresh_from_db()
    outside.refresh_from_db()
    assert praise.handled_at is None and outside.handled_at is None and not hasattr(outside, "clue")
    with pytest.raises(NotPermitted):
        clue_services.clue_import_feedback(actor=j.head)


def test_handling_times_by_agency(jurisdiction):
    j = jurisdiction
    clue = portal_clue(j)
    day = today()
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    take("reply", actor=j.officer, clue=clue, reply="已处理。")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    take("close", actor=j.supervisor, clue=clue, public_reply="已处理。")
    rows = clue_selectors.handling_times([j.agency, j.other], (day - dt.timedelta(days=1), day))
    assert rows[j.agency.pk].closed == 1 and rows[j.agency.pk].average_workdays == 0
    assert rows[j.other.pk].closed == 0 and rows[j.other.pk].average_workdays is None
