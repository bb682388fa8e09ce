"""The review: submission with its materials, assignment (第五十八条第二款), the opinion and its
document, resubmission, disagreement settled by collective discussion, and the gate."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import review_gate
from zhifa.cases.models import Outcome
from zhifa.cases.tests.conftest import certified
from zhifa.cases.tests.steps import actions, mark, refused, reported_case, titles
from zhifa.cases.timeline import preview
from zhifa.cases.workflow import take
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.documents.models import Document
from zhifa.documents.services import document_signed
from zhifa.review import services
from zhifa.review.models import Opinion, ReviewRound
from zhifa.review.tests.helpers import ALL_OK, assigned, listed_case, returned, submitted, with_problem
from zhifa.testing.factories import make_user

ATTENDEES = [
    {"name": "局长甲", "title": "局长", "opinion": "证据已足以认定，同意承办机构意见。"},
    {"name": "副局长乙", "title": "副局长", "opinion": "同意。"},
    {"name": "科长丙", "title": "法规科科长", "opinion": "保留审核意见，服从集体决定。"},
]


def decide_no_penalty(w, case):
    return take("decide", actor=w.head, case=case, no_penalty_reason="违法行为轻微并及时改正。")


# ── 送审 ──────────────────────────────────────────────────────────────────────────────────


def test_submission_names_every_missing_material(world):
    w = world
    # A penalty report without a discretion rationale: 裁量说明 is missing.
    case = reported_case(w, matter=listed_case(w).matter)
    with refused(DomainError, "送审材料不齐全，缺少：裁量说明", case=case):
        submitted(w, case)
    case.report_discretion = "首次违法，主动补发工资，按一般情节从轻。"
    case.save()
    round_ = submitted(w, case)
    assert [m["label"] for m in round_.materials] == ["调查终结报告", "证据清单", "拟作出的决定", "裁量说明"]


def test_only_a_handler_submits_and_only_a_case_in_the_catalog(world):
    w = world
    case = listed_case(w)
    for outsider in (w.head, w.reviewer, w.bystander):
        with refused(NotPermitted, "本案承办人", case=case):
            services.review_submit(actor=outsider, case=case)
    plain = reported_case(w, outcome=Outcome.NO_PENALTY)
    with refused(DomainError, "不属于本机关法制审核目录清单"):
        submitted(w, plain)
    since = mark()
    submitted(w, case)
    assert actions(case, since) == ["review_submit"]
    with refused(DomainError, "尚未审核完毕"):
        submitted(w, case)


# ── 分配: 第五十八条第二款 ─────────────────────────────────────────────────────────────────


def test_assignment_by_the_head_to_a_reviewer_who_did_not_handle_the_case(world):
    w = world
    lawyer = make_user(Role.REVIEWER, agency=w.agency, full_name="审核员乙")
    lawyer.officer.legal_qualification_no = "A2020"
    lawyer.officer.save()
    certified(lawyer, w.domain, w.agency)
    case = listed_case(w, handlers=[w.officer, lawyer])
    round_ = submitted(w, case)
    with refused(NotPermitted, "本机关负责人或法制审核机构负责人"):
        services.review_assign(actor=w.officer, round_=round_, reviewer=w.reviewer)
    with refused(DomainError, "是本案承办人，不能审核本案"):
        services.review_assign(actor=w.head, round_=round_, reviewer=lawyer)
    # The person named is refused by the rule, not the actor by a permission.
    with refused(DomainError, "不是.*的法制审核人员.*第五十八条第一款"):
        services.review_assign(actor=w.head, round_=round_, reviewer=w.bystander)
    services.review_assign(actor=w.head, round_=round_, reviewer=w.reviewer)
    assert services.reviewers_for(case) == [w.reviewer]


def test_a_first_review_needs_the_legal_profession_qualification(world):
    w = world
    novice = make_user(Role.REVIEWER, agency=w.agency, full_name="新审核员")
    first = listed_case(w)
    round_ = submitted(w, first)
    with refused(DomainError, "初次从事行政处罚决定法制审核的人员.*第五十八条第二款"):
        services.review_assign(actor=w.head, round_=round_, reviewer=novice)
    # Someone who has reviewed before (under the old rules) may go on without it.
    ReviewRound.objects.create(
        case=reported_case(w, outcome=Outcome.NO_PENALTY),
        number=1,
        submitted_by=w.officer,
        submitted_at=timezone.now(),
        reviewer=novice,
        opinion=Opinion.AGREE,
        reviewed_at=timezone.now(),
    )
    services.review_assign(actor=w.head, round_=round_, reviewer=novice)


def test_the_lead_of_the_review_body_assigns_too(world):
    from zhifa.org.services import unit_create

    w = world
    unit = unit_create(actor=None, agency=w.agency, name="法规科", is_legal_review_body=True)
    lead = make_user(Role.REVIEWER, agency=w.agency, full_name="法规科长")
    lead.officer.unit, lead.officer.title = unit, "法规科科长"
    lead.officer.save()
    round_ = submitted(w, listed_case(w))
    services.review_assign(actor=lead, round_=round_, reviewer=w.reviewer)
    with refused(NotPermitted, "法制审核机构负责人"):
        services.review_assign(actor=w.reviewer, round_=round_, reviewer=w.reviewer)


# ── 审核意见 ──────────────────────────────────────────────────────────────────────────────


def test_every_item_gets_a_finding_and_a_problem_its_note(world):
    w = world
    case = listed_case(w)
    round_ = assigned(w, case)
    with refused(NotPermitted, "分配审核本案的法制审核人员"):
        services.review_record(actor=w.head, round_=round_, findings=ALL_OK, opinion="agree")
    partial = {k: v for k, v in ALL_OK.items() if k != "crime"}
    with refused(InvalidInput, "是否涉嫌犯罪"):
        services.review_record(actor=w.reviewer, round_=round_, findings=partial, opinion="agree")
    with refused(InvalidInput, "请写明具体问题"):
        services.review_record(
            actor=w.reviewer, round_=round_, findings=with_problem(note=""), opinion="problems", problems="x"
        )
    with refused(InvalidInput, "审核意见应为“存在问题”"):
        services.review_record(actor=w.reviewer, round_=round_, findings=with_problem(), opinion="agree")
    with refused(InvalidInput, "存在的问题及修改建议"):
        services.review_record(actor=w.reviewer, round_=round_, findings=with_problem(), opinion="problems")


def test_returned_corrected_resubmitted_and_passed_every_round_kept(world):
    w = world
    case = listed_case(w)
    with refused(DomainError, "执法事项列入法制审核目录清单.*第五十八条", case=case):
        decide_no_penalty(w, case)
    first = returned(w, case)
    assert first.document_number
    with refused(DomainError, "审核未通过的，不得作出决定（《行政处罚法》第五十八条）", case=case):
        decide_no_penalty(w, case)
    with refused(InvalidInput, "对审核意见所提问题的处理情况"):
        submitted(w, case)
    second = assigned(w, case, note="已由当事人在工资表上签字确认。")
    assert second.number == 2
    since = mark()
    services.review_record(actor=w.reviewer, round_=second, findings=ALL_OK, opinion="agree")
    assert actions(case, since) == ["document_issued", "review_opinion"]
    assert list(case.review_rounds.values_list("number", "opinion")) == [(1, "problems"), (2, "agree")]
    with refused(DomainError, "已经法制审核同意"):
        submitted(w, case)
    case.refresh_from_db()
    assert titles(preview(lambda: decide_no_penalty(w, case))) == ["不予行政处罚决定书"]


def test_the_opinion_is_a_signed_document_of_the_case_that_verifies(world, client):
    w = world
    case = listed_case(w)
    round_ = assigned(w, case)
    services.review_record(
        actor=w.reviewer,
        round_=round_,
        findings=with_problem("crime", "涉嫌拒不支付劳动报酬罪。"),
        opinion="problems",
        problems="应移送公安机关。",
    )
    document = document_signed(
        Document.objects.get(subject_ref=case.subject_ref, kind="legal_review_opinion")
    )
    assert document.status == "issued" and document.title == "法制审核意见书"
    with document.pdf.open("rb") as f:
        pdf = f.read()
    assert hashlib.sha256(pdf).hexdigest() == document.sha256 and b"/ByteRange" in pdf
    assert document.content["opinion_label"] == "存在问题"
    assert {
        "label": "是否涉嫌犯罪、需要移送司法机关",
        "finding_label": "涉嫌犯罪，应当移送司法机关",
        "note": "涉嫌拒不支付劳动报酬罪。",
    } in document.content["items"]
    page = client.get(f"/verify/{document.verification_code}/")
    assert page.status_code == 200 and document.number in page.content.decode()


# ── 异议 → 协调 → 集体讨论 ────────────────────────────────────────────────────────────────


def test_disagreement_goes_through_coordination_to_a_collective_discussion(world):
    w = world
    case = listed_case(w)
    returned(w, case)
    held = timezone.now() - dt.timedelta(hours=1)

    def coordinate(actor, agreed=False):
        return services.review_coordinate(
            actor=actor,
            case=case,
            held_at=held,
            participants="执法员甲、审核员甲",
            summary="各执己见。",
            agreed=agreed,
        )

    def settle(actor, attendees=ATTENDEES):
        return services.review_settle(
            actor=actor,
            case=case,
            held_at=held,
            place="局会议室",
            attendees=attendees,
            conclusion="证据足以认定，不予处罚。",
            outcome=Outcome.NO_PENALTY,
        )

    with refused(DomainError, "尚未对审核意见提出异议"):
        coordinate(w.officer)
    with refused(NotPermitted, "本案承办人"):
        services.review_disagree(actor=w.reviewer, case=case, reason="x")
    services.review_disagree(actor=w.officer, case=case, reason="工资表已由财务人员确认，证据充分。")
    with refused(DomainError, "应当先行协调"):
        settle(w.head)
    with refused(NotPermitted, "协调记录"):
        coordinate(w.outsider)
    coordinate(w.reviewer)
    with refused(NotPermitted, "负责人"):
        settle(w.officer)
    with refused(InvalidInput, "三名以上"):
        settle(w.head, ATTENDEES[:2])
    with refused(DomainError, "审核未通过", case=case):
        decide_no_penalty(w, case)
    since = mark()
    settle(w.head)
    assert actions(case, since) == ["hold_discussion", "document_issued", "review_settle"]
    case.refresh_from_db()
    assert review_gate.clearance(case).cleared
    assert titles(preview(lambda: decide_no_penalty(w, case))) == ["不予行政处罚决定书"]
    with refused(DomainError, "集体讨论决定"):
        submitted(w, case)


@pytest.mark.parametrize("agreed", [True])
def test_agreed_coordination_sends_the_handler_back_to_resubmit(world, agreed):
    w = world
    case = listed_case(w)
    returned(w, case)
    services.review_disagree(actor=w.officer, case=case, reason="有异议。")
    services.review_coordinate(
        actor=w.head,
        case=case,
        held_at=timezone.now(),
        participants="双方",
        summary="同意补正。",
        agreed=agreed,
    )
    with refused(DomainError, "协调不能达成一致的，方由集体讨论决定"):
        services.review_settle(
            actor=w.head,
            case=case,
            held_at=timezone.now(),
            place="会议室",
            attendees=ATTENDEES,
            conclusion="x",
            outcome="no_penalty",
        )
    assert submitted(w, case, note="已按协调意见补正。").number == 2
