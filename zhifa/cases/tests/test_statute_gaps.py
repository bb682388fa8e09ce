"""The statute's rules that scenarios through the web forms and the API found missing, each with an
allowed and a refused request through the JSON API (the API accepts any id, so the refusal is the
service's sentence with its article, never Django's "选择一个有效的选项")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import selectors
from zhifa.cases.models import Case, CaseEvent, Outcome, PartyKind, Status
from zhifa.cases.tests.conftest import certified
from zhifa.cases.tests.steps import (
    START_DAY,
    d,
    declare,
    filed_case,
    on_the_spot_case,
    party,
    reported_case,
    serve,
    travel,
)
from zhifa.cases.workflow import take
from zhifa.core.calendar import today
from zhifa.documents.kinds import KINDS
from zhifa.documents.models import Document
from zhifa.documents.rendering import render_html
from zhifa.review.tests.helpers import listed_case, submitted
from zhifa.testing.factories import make_uscc, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _recorded():
    # The AV-recording list is the evidence app's rule (tested there); here every stage is recorded.
    from zhifa.cases import recording_gate

    previous = recording_gate.install(
        lambda case, stage, level: recording_gate.Coverage(stage, level, met=True, recorded=True)
    )
    yield
    recording_gate.install(previous)


@pytest.fixture(autouse=True)
def _clock():
    with travel(START_DAY, 9):
        yield


def post(user, url: str, body: dict) -> tuple[int, dict]:
    client = Client()
    client.force_login(user)
    response = client.post(url, body, content_type="application/json")
    return response.status_code, response.json()


def step(user, case: Case, code: str, body: dict) -> tuple[int, dict]:
    return post(user, f"/api/cases/{case.pk}/steps/{code}", body)


# ── 《行政处罚法》第七十二条第二款 ────────────────────────────────────────────────────────


def test_after_a_deferral_the_court_window_runs_from_its_end(world):
    w = world
    case = on_the_spot_case(w)  # 200 yuan, served 2026-03-02; litigation period ends 2026-09-02
    status, body = step(
        w.head,
        case,
        "plan_payment",
        {"arrangement": "deferred", "schedule": "2026-10-30，200", "reason": "当事人书面申请延期缴纳。"},
    )
    assert status == 200, body
    case.refresh_from_db()
    # Without the deferral the window would end 2026-12-02; it runs 3 months from 2026-10-30.
    assert selectors.enforcement_window(case) == (d("2026-10-31"), d("2027-01-30"))
    with travel("2026-11-02"):
        assert step(w.officer, case, "remind", {"perform_within_days": 10})[0] == 200
        serve(w, case)
    apply = {"court": "测试县人民法院", "non_performance": "延期届满经催告仍未缴纳。"}
    with travel("2027-02-01"):
        status, body = step(w.head, case, "apply_enforcement", apply)
        assert status == 409
        assert "2027-01-30" in body["message"] and "第七十二条第二款" in body["message"]
    # A month after the undeferred window would have closed: still in time.
    with travel("2026-12-28"):
        status, body = step(w.head, case, "apply_enforcement", apply)
        assert status == 200, body
    case.refresh_from_db()
    assert case.enforcement_applied_on == d("2026-12-28")


# ── 第四十四、六十二条 in the on-the-spot procedure ───────────────────────────────────────


def _spot_body(w, **fields) -> dict:
    return {
        "co_officer": w.colleague.officer.pk,
        "matter": w.matter.pk,
        "party_kind": PartyKind.ORGANISATION,
        "party_name": "示例便利店有限公司",
        "party_id_number": make_uscc(31),
        "cause": "未按规定公示劳动保障信息",
        "facts": "现场检查发现未公示最低工资标准。",
        "kinds": ["fine"],
        "fine": "50",
        "place": "示例县城关镇人民路1号",
        "decided_at": (dt.datetime.now().astimezone() - dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
        "recusal_confirmed": True,
        **fields,
    }


def test_on_the_spot_needs_the_party_told_and_heard(world):
    w = world
    url = "/api/cases/on-the-spot"
    status, body = post(w.officer, url, _spot_body(w))
    assert status == 400 and "第四十四条" in body["message"] and "第六十二条" in body["message"]
    status, body = post(w.officer, url, _spot_body(w, rights_told=True))
    assert status == 400 and "第四十五条" in body["message"]
    assert not Case.objects.exists()

    said = "当事人称不知道需要公示，表示立即改正。"
    status, body = post(w.officer, url, _spot_body(w, rights_told=True, party_statement=said))
    assert status == 200, body
    case = Case.objects.get(pk=body["id"])
    assert case.on_the_spot_statement == said
    decision = Document.objects.get(subject_ref=case.subject_ref, kind="on_the_spot_decision")
    html = render_html(kind=KINDS["on_the_spot_decision"], content=decision.content, stamp=None)
    assert "第四十四条" in html and said in html
    event = CaseEvent.objects.get(case=case, action="decide_on_the_spot")
    assert event.data["rights_told"] is True and said in event.reason

    # A party who says nothing is recorded as such.
    status, body = post(w.officer, url, _spot_body(w, rights_told=True, no_statement=True))
    assert status == 200
    assert Case.objects.get(pk=body["id"]).on_the_spot_statement == "当事人未提出陈述、申辩。"


# ── 第六十条: a decision after the limit is recorded as late ────────────────────────────────


def test_a_decision_after_the_90_days_is_recorded_late_and_counted(world):
    from zhifa.disclosure.annual.figures import figures_by_agency
    from zhifa.disclosure.annual.period import Period

    w = world
    in_time = reported_case(w, outcome=Outcome.NO_PENALTY)
    late = reported_case(w, outcome=Outcome.NO_PENALTY)
    reason = {"no_penalty_reason": "违法行为轻微并及时改正，没有造成危害后果。"}
    status, body = step(w.head, in_time, "decide", reason)
    assert status == 200, body
    in_time.refresh_from_db()
    assert not in_time.decided_late

    with travel("2026-06-05"):  # filed 2026-03-02: the 90 days ended 2026-05-31
        status, body = step(w.head, late, "decide", reason)
    assert status == 200, body
    late.refresh_from_db()
    assert late.status == Status.DECIDED and late.decided_late
    event = CaseEvent.objects.get(case=late, action="decide")
    assert event.data["late"] is True and "第六十条" in event.summary and "5 日" in event.summary

    page = Client()
    page.force_login(w.head)
    assert "超期决定" in page.get(f"/cases/{late.pk}/").content.decode()
    assert "超期决定" not in page.get(f"/cases/{in_time.pk}/").content.decode()
    api = page.get(f"/api/cases/{late.pk}").json()
    assert api["decided_late"] is True
    figures = figures_by_agency([w.agency.pk], Period(2026, timezone.now()))[w.agency.pk]
    assert figures["cases.decided_late"] == 1


# ── The article in every refusal, whatever the picker offered ─────────────────────────────


def test_a_replaced_handler_named_in_a_record_is_refused_with_article_43(world):
    w = world
    case = filed_case(w)
    status, body = step(
        w.head,
        case,
        "replace_handler",
        {
            "old": w.colleague.officer.pk,
            "new": w.bystander.officer.pk,
            "reason": "与当事人系亲属，决定回避。",
        },
    )
    assert status == 200, body
    declare(case, w.bystander)
    record = {
        "kind": "inquiry",
        "started_at": f"{START_DAY}T09:00",
        "ended_at": f"{START_DAY}T09:30",
        "place": "本机关询问室",
        "subject_name": "张三",
        "qa": "问：你是否拖欠工资？\n答：是。",
        "officers": [w.officer.officer.pk, w.colleague.officer.pk],
    }
    with travel(START_DAY, 10):
        status, body = step(w.officer, case, "add_record", record)
        assert (
            status == 400 and "第四十三条" in body["message"] and w.colleague.officer.name in body["message"]
        )
        status, body = step(
            w.officer,
            case,
            "add_record",
            {**record, "officers": [w.officer.officer.pk, w.bystander.officer.pk]},
        )
        assert status == 200, body


def test_an_investigator_cannot_preside_the_hearing_article_64(world):
    w = world
    case = reported_case(w, fine=Decimal(10000))  # a hearing right for a citizen
    take("notify", actor=w.officer, case=case)
    serve(w, case)
    assert step(w.officer, case, "request_hearing", {"requested_on": START_DAY})[0] == 200
    hearing = {
        "scheduled_at": "2026-03-20T09:00",
        "place": "本机关听证室",
        "recorder": "书记员甲",
        "is_public": True,
    }
    status, body = step(w.head, case, "schedule_hearing", {**hearing, "presiding": w.officer.officer.pk})
    assert status == 400 and "第六十四条第（四）项" in body["message"]
    status, body = step(w.head, case, "schedule_hearing", {**hearing, "presiding": w.bystander.officer.pk})
    assert status == 200, body


def test_a_first_review_needs_the_legal_qualification_article_58(world):
    w = world
    case = listed_case(w)
    submitted(w, case)
    novice = make_user(Role.REVIEWER, agency=w.agency, full_name="新审核员")
    url = f"/api/review/cases/{case.pk}/assign"
    status, body = post(w.head, url, {"reviewer": novice.pk})
    assert status == 400 and "第五十八条第二款" in body["message"]
    status, body = post(w.head, url, {"reviewer": w.reviewer.pk})
    assert status == 200, body


def test_a_handler_cannot_review_their_own_case(world):
    w = world
    lawyer = make_user(Role.REVIEWER, agency=w.agency, full_name="审核员乙")
    lawyer.officer.legal_qualification_no = "A2020"
    lawyer.officer.save()
    certified(lawyer, w.domain, w.agency)
    case = listed_case(w, handlers=[w.officer, lawyer])
    submitted(w, case)
    url = f"/api/review/cases/{case.pk}/assign"
    for named in (lawyer, w.officer):  # a reviewer who handled it; a handler who is no reviewer
        status, body = post(w.head, url, {"reviewer": named.pk})
        assert status == 400 and "第五十八条" in body["message"], body
    assert post(w.head, url, {"reviewer": w.reviewer.pk})[0] == 200


def test_on_the_spot_api_is_for_field_officers_only(world):
    status, body = post(world.reviewer, "/api/cases/on-the-spot", {})
    assert status == 403 and body["code"] == "forbidden"
    assert Client().post("/api/cases/on-the-spot", {}, content_type="application/json").status_code == 401


def test_register_clue_through_the_api(world):
    w = world
    body = {
        "source": "complaint",
        "received_on": str(today()),
        "cause": "涉嫌拖欠劳动者工资案",
        "clue_summary": "职工投诉拖欠工资。",
        **party(),
    }
    status, created = post(w.officer, "/api/cases/", body)
    assert status == 200 and created["status"] == Status.CLUE
    status, _ = post(w.reviewer, "/api/cases/", body)
    assert status == 403
    status, invalid = post(w.officer, "/api/cases/", {**body, "party_id_number": "123"})
    assert status == 400 and "GB 11643" in invalid["message"]
