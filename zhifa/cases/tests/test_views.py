"""The case pages: list, case page, step forms with preview, new clue, on-the-spot decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import services, workflow
from zhifa.cases.models import Case, Measure, PartyKind, Procedure, Status
from zhifa.cases.workflow import take
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted
from zhifa.documents.models import Document
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory, make_uscc, make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def clue(
    w,
    *,
    days_ago: int = 1,
    cause: str = "涉嫌拖欠劳动者工资案",
    party: str = "示例建材有限公司",
    serial: int = 7,
):
    return services.case_register_clue(
        actor=w.officer,
        agency=w.agency,
        source="complaint",
        received_on=today() - dt.timedelta(days=days_ago),
        cause=cause,
        clue_summary="职工投诉公司拖欠工资。",
        party_kind=PartyKind.ORGANISATION,
        party_name=party,
        party_id_number=make_uscc(serial),
    )


def filing_requested(w, *, recusals: bool = True, **kwargs) -> Case:
    case = clue(w, **kwargs)
    take(
        "request_filing",
        actor=w.officer,
        case=case,
        matter=w.matter,
        handlers=[w.officer.officer, w.colleague.officer],
        opinion="经初步核查，符合立案条件。",
    )
    if recusals:
        for user in (w.officer, w.colleague):
            take("declare_recusal", actor=user, case=case, statement="本人与本案无利害关系。")
    case.refresh_from_db()
    return case


def supervisor_of(w):
    bureau = AgencyFactory(region=w.agency.region, is_justice_bureau=True, name="测试县司法局")
    return make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲")


def body(response) -> str:
    return response.content.decode()


# ── access ────────────────────────────────────────────────────────────────────────────


def test_anonymous_is_sent_to_login_everywhere(world):
    case = clue(world)
    urls = [
        reverse("cases:list"),
        reverse("cases:new"),
        reverse("cases:on_the_spot"),
        reverse("cases:forms_reserve"),
        reverse("cases:form_void", args=[1]),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:step", args=[case.pk, "request_filing"]),
    ]
    client = Client()
    login = reverse("accounts:login")
    for url in urls:
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, url
            assert response["Location"].startswith(login), url


def test_officer_of_another_agency_gets_404(world):
    case = clue(world)
    client = client_for(world.outsider)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:step", args=[case.pk, "update_clue"])).status_code == 404
    with unchanged_db():
        assert (
            client.post(reverse("cases:step", args=[case.pk, "decline_filing"]), {"reason": "x"}).status_code
            == 404
        )
    assert case.number not in body(client.get(reverse("cases:list")))


def test_supervisor_reads_but_every_step_is_refused(world):
    case = filing_requested(world)
    client = client_for(supervisor_of(world))
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert case.number in body(page) and "司法局监督人员可以查阅本案，不能办理" in body(page)
    assert case.number in body(client.get(reverse("cases:list")))
    with unchanged_db():
        for code in workflow.CASES.steps:
            url = reverse("cases:step", args=[case.pk, code])
            assert client.get(url).status_code == 403, code
            response = client.post(url, {"reason": "监督", "statement": "x", "perform": "1"})
            assert response.status_code == 403, code
            assert "司法局监督人员可以查阅案件，但不能办理案件" in body(response)
    assert client.get(reverse("cases:new")).status_code == 403
    assert client.get(reverse("cases:on_the_spot")).status_code == 403


def test_officer_cannot_approve_filing(world):
    case = filing_requested(world)
    url = reverse("cases:step", args=[case.pk, "approve_filing"])
    officer = client_for(world.officer)
    assert officer.get(url).status_code == 403
    with unchanged_db():
        response = officer.post(url, {"perform": "1"})
    assert response.status_code == 403
    assert "应由本机关负责人办理" in body(response)
    assert client_for(world.head).get(url).status_code == 200


def test_unknown_step_is_404(world):
    case = clue(world)
    assert client_for(world.officer).get(reverse("cases:step", args=[case.pk, "teleport"])).status_code == 404


def test_step_not_open_now_shows_the_reason_with_409(world):
    case = clue(world)
    client = client_for(world.head)
    url = reverse("cases:step", args=[case.pk, "decide"])
    response = client.get(url)
    assert response.status_code == 409
    assert "案件当前处于“案源待处理”阶段，不能进行“作出决定”" in body(response)
    with unchanged_db():
        assert client.post(url, {"perform": "1"}).status_code == 409
    # Open in the status, but its guard refuses: the same page with the rule.
    case = filing_requested(world, recusals=False, serial=8)
    response = client.get(reverse("cases:step", args=[case.pk, "approve_filing"]))
    assert response.status_code == 409
    assert "尚未作出回避声明（《行政处罚法》第四十三条）" in body(response)


# ── list ──────────────────────────────────────────────────────────────────────────────


def test_list_filters_and_tally(world):
    w = world
    late = clue(w, days_ago=60, cause="涉嫌未签订劳动合同案", party="迟到贸易有限公司", serial=11)
    mine = filing_requested(w, cause="涉嫌拖欠工资案", party="示例建材有限公司", serial=12)
    other = services.case_register_clue(
        actor=w.colleague,
        agency=w.agency,
        source="inspection",
        received_on=today(),
        cause="涉嫌违法延长工时案",
        clue_summary="检查发现。",
    )
    Case.objects.filter(pk=other.pk).update(status=Status.NOT_FILED)
    client = client_for(w.officer)
    url = reverse("cases:list")

    page = body(client.get(url))
    assert all(c.number in page for c in (late, mine, other))
    assert "迟到贸易有限公司" in page  # the party's full name, for the agency's own staff
    assert "登记案源" in page and "当场处罚" in page
    assert "已超期" in page  # 15 working days for the filing decision passed long ago

    def numbers(**query) -> set[str]:
        text = body(client.get(url, query))
        return {c.number for c in (late, mine, other) if c.number in text}

    assert numbers(status="open") == {late.number, mine.number}
    assert numbers(status="not_filed") == {other.number}
    assert numbers(status="filing") == {mine.number}
    assert numbers(mine="1") == {mine.number}
    assert numbers(q="迟到贸易") == {late.number}
    assert numbers(q="延长工时") == {other.number}
    assert numbers(q=mine.number) == {mine.number}
    assert numbers(procedure=Procedure.ON_THE_SPOT) == set()
    assert numbers(level="danger") == {late.number}
    assert numbers(level="ok") == {mine.number}
    assert client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200

    response = client.get(url, {"mine": "1"})
    tally = response.context["tally"]
    assert (tally.ok, tally.warning, tally.danger) == (1, 0, 0)
    assert client.get(url).context["tally"].danger == 1


def test_list_paginates_by_25(world):
    for n in range(27):
        clue(world, cause=f"案由{n:02d}", serial=100 + n)
    client = client_for(world.head)
    first = client.get(reverse("cases:list"))
    assert len(first.context["rows"]) == 25 and "第 1 / 2 页" in body(first)
    second = client.get(reverse("cases:list"), {"page": 2})
    assert len(second.context["rows"]) == 2


def test_reviewer_sees_list_without_start_buttons(world):
    clue(world)
    page = body(client_for(world.reviewer).get(reverse("cases:list")))
    assert "登记案源" not in page


# ── case page ─────────────────────────────────────────────────────────────────────────


def test_case_page_shows_next_steps_with_reasons(world):
    case = filing_requested(world, recusals=False)
    url = reverse("cases:detail", args=[case.pk])

    officer = body(client_for(world.officer).get(url))
    assert reverse("cases:step", args=[case.pk, "declare_recusal"]) in officer
    assert reverse("cases:step", args=[case.pk, "approve_filing"]) not in officer
    # Steps for another role are folded into one line per role, after the user's own refusals.
    assert '<details class="refused-steps">' in officer
    assert "<b>应由本机关负责人办理</b>" in officer and "批准立案" in officer
    assert "“批准立案”应由本机关负责人办理。" not in officer
    assert officer.index("declare_recusal") < officer.index("refused-steps") < officer.index("期限</h2>")
    assert "未作回避声明" in officer
    assert "立案决定期限" in officer  # the countdown of the filing decision
    assert f"{world.officer.officer.name}（主办）" in officer

    head = body(client_for(world.head).get(url))
    assert f"承办人{world.officer.officer.name}尚未作出回避声明（《行政处罚法》第四十三条）" in head
    assert reverse("cases:step", args=[case.pk, "decline_filing"]) in head
    assert "登记案源" in head  # the timeline of events
    assert f"提请立案，承办人：{world.officer.officer.name}、{world.colleague.officer.name}" in head


# ── steps ─────────────────────────────────────────────────────────────────────────────


def test_preview_issues_nothing_and_the_real_post_performs_the_step(world):
    case = filing_requested(world)
    url = reverse("cases:step", args=[case.pk, "approve_filing"])
    client = client_for(world.head)

    with unchanged_db():
        response = client.post(url, {"preview": "1"})
    assert response.status_code == 200
    page = body(response)
    assert "文书预览" in page and "<iframe" in page and " sandbox " in page
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in page  # the document's HTML stays inside the attribute
    assert "立案审批表" in page
    assert "（预览，未编号）" in page
    # The srcdoc iframe lives under the page's CSP: its style sheets carry the page's nonce.
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f"&lt;style nonce=&quot;{nonce}&quot;&gt;" in page
    assert "&lt;style&gt;" not in page
    assert "确认办理" in page
    # The page was rendered from the stored case, not the rolled-back one.
    assert "立案待审批" in page

    response = client.post(url, {"perform": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATION
    (document,) = Document.objects.filter(subject_ref=case.subject_ref)
    assert document.kind == "filing_approval" and document.status == "issued"

    page = body(client.get(response["Location"]))
    assert "已办理“批准立案”。" in page
    assert reverse("documents:pdf", args=[document.pk]) in page
    assert document.number in page and document.verification_code in page


def test_a_double_click_takes_the_step_once_and_a_stale_form_gets_409(world):
    case = filing_requested(world)
    url = reverse("cases:step", args=[case.pk, "approve_filing"])
    client = client_for(world.head)
    page = body(client.get(url))
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    assert len(key) == 32

    first = client.post(url, {"perform": "1", "idempotency_key": key})
    again = client.post(url, {"perform": "1", "idempotency_key": key})  # the same form, resent
    assert first.status_code == again.status_code == 302
    assert Document.objects.filter(subject_ref=case.subject_ref, kind="filing_approval").count() == 1
    # A form shown before the step was taken, sent without that key: the case moved on.
    with unchanged_db():
        stale = client.post(url, {"perform": "1", "idempotency_key": "another-form"})
    assert stale.status_code == 409 and "不能进行“批准立案”" in body(stale)


def test_every_open_step_form_renders(world):
    """Each step the case page offers opens its form, at the clue and in the investigation."""
    w = world
    first = clue(w, serial=41)
    case = filing_requested(w, serial=42)
    take("approve_filing", actor=w.head, case=case)
    case.refresh_from_db()
    seen = set()
    for subject in (first, case):
        for user in (w.officer, w.head, w.reviewer):
            client = client_for(user)
            for state in workflow.next_steps(subject, user):
                try:
                    workflow.check(state.step.code, subject, user)
                    expected = 200
                except NotPermitted:
                    expected = 403  # not this user's step
                except DomainError:
                    expected = 409  # not now
                response = client.get(reverse("cases:step", args=[subject.pk, state.step.code]))
                assert response.status_code == expected, (user, state.step.code)
                if expected != 403:
                    assert state.step.label in body(response)
                seen.add((state.step.code, state.allowed))
    assert {"request_filing", "update_clue", "add_record", "request_measure", "extend_limit", "revoke"} <= {
        code for code, allowed in seen if allowed
    }


def test_domain_error_is_a_form_error(world):
    case = clue(world)
    url = reverse("cases:step", args=[case.pk, "request_filing"])
    # The lead named again as the assistant: one handler, which the service refuses.
    lead = world.officer.officer.pk
    data = {"matter": world.matter.pk, "lead": lead, "assistants": [lead], "opinion": "符合立案条件。"}
    client = client_for(world.officer)
    with unchanged_db():
        for button in ("preview", "perform"):
            response = client.post(url, {**data, button: "1"})
            assert response.status_code == 400
            assert "执法人员不得少于两人（《行政处罚法》第四十二条）" in body(response)
            assert response.context["previews"] is None
    response = client.post(url, {**data, "assistants": [world.colleague.officer.pk], "perform": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.FILING
    assert set(case.handlers.values_list("officer__user__full_name", flat=True)) == {"执法员甲", "执法员乙"}


def test_step_without_documents_previews_as_such(world):
    case = filing_requested(world, recusals=False)
    url = reverse("cases:step", args=[case.pk, "declare_recusal"])
    client = client_for(world.colleague)
    assert client.get(url).status_code == 200
    with unchanged_db():
        response = client.post(url, {"statement": "本人与本案无利害关系。", "preview": "1"})
    assert "本环节不制发文书" in body(response)


def test_csrf_is_enforced_on_a_step(world):
    case = filing_requested(world, recusals=False)
    url = reverse("cases:step", args=[case.pk, "declare_recusal"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    with unchanged_db():
        assert client.post(url, {"statement": "本人与本案无利害关系。", "perform": "1"}).status_code == 403
    token = client.get(url).context["csrf_token"]
    response = client.post(
        url, {"statement": "本人与本案无利害关系。", "perform": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert case.handlers.get(officer=world.officer.officer).recusal_declared_at is not None


# ── new clue and on-the-spot ───────────────────────────────────────────────────────────


def test_new_clue(world):
    client = client_for(world.officer)
    url = reverse("cases:new")
    assert client.get(url).status_code == 200
    data = {
        "source": "complaint",
        "received_on": today().isoformat(),
        "cause": "涉嫌拖欠劳动者工资案",
        "clue_summary": "职工投诉。",
        "party_kind": "organisation",
        "party_name": "示例建材有限公司",
        "party_id_number": "91110000000000000X",
    }
    with unchanged_db():
        response = client.post(url, data)
    assert response.status_code == 400 and "统一社会信用代码" in body(response)
    response = client.post(url, {**data, "party_id_number": make_uscc(3)})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.agency == world.agency and case.status == Status.CLUE
    assert client_for(world.reviewer).get(url).status_code == 403


def test_on_the_spot_forms_and_decision(world):
    client = client_for(world.officer)
    url = reverse("cases:on_the_spot")
    page = client.get(url)
    assert page.status_code == 200 and "作出当场处罚决定" in body(page)

    assert client.post(reverse("cases:forms_reserve"), {"count": "2"}).status_code == 302
    held = services.forms_held_by(world.officer.officer)
    assert len(held) == 2
    page = body(client.get(url))
    assert held[0].number in page and held[1].number in page

    void_url = reverse("cases:form_void", args=[held[0].pk])
    colleague = client_for(world.colleague)
    with unchanged_db():
        assert client.post(void_url, {"reason": ""}).status_code == 400
        assert colleague.post(void_url, {"reason": "污损"}).status_code == 404
    assert client.post(void_url, {"reason": "填写错误"}).status_code == 302
    held[0].refresh_from_db()
    assert held[0].status == "void"

    data = {
        "form": str(held[1].pk),
        "co_officer": world.colleague.officer.pk,
        "matter": world.matter.pk,
        "party_kind": "organisation",
        "party_name": "示例便利店有限公司",
        "party_id_number": make_uscc(21),
        "cause": "未按规定公示劳动保障信息",
        "facts": "现场检查发现未公示。",
        "kinds": ["fine"],
        "fine": "50",
        "place": "示例县城关镇人民路1号",
        "decided_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    with unchanged_db():
        response = client.post(url, data)  # the recusal confirmation is missing
    assert response.status_code == 400 and "第四十三条" in body(response)

    data["recusal_confirmed"] = "on"
    with unchanged_db():
        response = client.post(url, data)  # the party was not told the facts and their rights
    assert response.status_code == 400 and "第四十四条" in body(response) and "第六十二条" in body(response)
    data["rights_told"] = "on"
    with unchanged_db():
        response = client.post(url, data)  # neither what the party said nor that they said nothing
    assert response.status_code == 400 and "第四十五条" in body(response)

    response = client.post(url, {**data, "party_statement": "当事人表示已知晓，愿意接受处罚。"})
    case = Case.objects.get()
    assert case.on_the_spot_statement == "当事人表示已知晓，愿意接受处罚。"
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.procedure == Procedure.ON_THE_SPOT and case.status == Status.EXECUTION
    held[1].refresh_from_db()
    assert held[1].status == "issued" and held[1].subject_ref == case.subject_ref
    assert services.forms_held_by(world.officer.officer) == []

    page = body(client.get(response["Location"]))
    assert held[1].number in page
    assert "50.00" in page and "未缴" in page  # the fine is due within 15 days

    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.reviewer).post(reverse("cases:forms_reserve"), {"count": "1"}).status_code == 403


# ── workbench ──────────────────────────────────────────────────────────────────────────


def test_home_shows_case_queues(world):
    w = world
    late = filing_requested(w, days_ago=60, serial=31)
    home = reverse("workbench:home")

    officer = client_for(w.officer).get(home)
    assert officer.context["my_cases"]["tally"].danger == 1
    page = body(officer)
    assert "我承办的案件" in page and late.number in page and "已超期" in page

    head = client_for(w.head).get(home)
    assert [p.what for p in head.context["approvals"]] == ["立案待审批"]
    assert "待我审批" in body(head) and late.number in body(head)
    # A measure the handler asked for waits for the head too (only the unapproved one counts).
    Measure.objects.create(
        case=late, kind="preservation", started_on=today(), place="仓库", reason="防止灭失"
    )
    head = client_for(w.head).get(home)
    assert [p.what for p in head.context["approvals"]] == ["立案待审批", "保全或强制措施待批准"]

    reviewer = client_for(w.reviewer).get(home)
    assert reviewer.context["reviews"] == []
    assert "待我法制审核" in body(reviewer)
    # A major case after its investigation report, submitted and assigned to the reviewer (第五十八条).
    Case.objects.filter(pk=late.pk).update(status=Status.REPORTED, is_major=True, major_reason="罚款数额较大")
    from django.utils import timezone

    from zhifa.review.models import ReviewRound

    now = timezone.now()
    ReviewRound.objects.create(
        case=late, number=1, submitted_by=w.officer, submitted_at=now, reviewer=w.reviewer, assigned_at=now
    )
    reviewer = client_for(w.reviewer).get(home)
    assert [r.round.case.pk for r in reviewer.context["reviews"]] == [late.pk]
    assert late.number in body(reviewer)

    outsider = client_for(w.outsider).get(home)
    assert late.number not in body(outsider)
    assert outsider.context["my_cases"]["tally"].total == 0
