"""The pages of 案卷评查: each works for whom it is for, and is refused to everyone else
(agency staff, another county's supervisor, anonymous)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.supervision.evaluation_workflow import take_campaign, take_file
from zhifa.supervision.models_evaluation import Campaign, CampaignStatus, FileStatus, RectificationStatus
from zhifa.supervision.tests.evaluation_world import ev_fixture  # noqa: F401
from zhifa.supervision.tests.test_evaluation_flow import full_marks

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def finished(ev):
    """A campaign 通报ed with one 不合格 file (a veto) and its rectification."""
    case = ev.closed_case(matter=ev.other_matter)
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    take_file("score", actor=ev.evaluator, file=file, scores=full_marks(file))
    take_campaign("finish", actor=ev.j.supervisor, campaign=campaign)
    return campaign, file, file.rectification


def test_the_supervisor_creates_a_campaign_from_the_page(ev, client):
    login(client, ev.j.supervisor)
    url = reverse("supervision:evaluation_list")
    page = client.get(url)
    assert page.status_code == 200 and ev.j.agency.name in page.content.decode()
    assert ev.j.outside.name not in page.content.decode()
    response = client.post(
        url,
        {
            "title": "2026年度案卷评查",
            "agencies": [ev.j.agency.pk, ev.j.other.pk],
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "include_cases": "on",
            "ratio_percent": "20",
            "witness_rule": "上证指数收盘点位",
            "rectification_workdays": "20",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:evaluation_campaign", args=[campaign.pk]
    )
    assert str(campaign.ratio) == "0.2000"
    # Both a ratio and a count: the service's sentence, as a form error.
    bad = client.post(
        url,
        {
            "title": "x",
            "agencies": [ev.j.agency.pk],
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "include_cases": "on",
            "ratio_percent": "20",
            "count": "3",
            "witness_rule": "x",
            "rectification_workdays": "20",
        },
    )
    assert bad.status_code == 400 and "二者之一" in bad.content.decode()


def test_the_supervisor_steps_the_campaign_through_the_pages(ev, client):
    ev.closed_case()
    campaign = ev.campaign()
    login(client, ev.j.supervisor)
    detail = client.get(reverse("supervision:evaluation_campaign", args=[campaign.pk]))
    assert detail.status_code == 200 and "批准" in detail.content.decode()
    step = reverse("supervision:evaluation_step", args=[campaign.pk, "approve"])
    assert client.get(step).status_code == 200
    assert client.post(step, {"opinion": "同意", "idempotency_key": "k1"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.APPROVED
    # Finishing is not open now: its sentence with 409.
    refused = client.get(reverse("supervision:evaluation_step", args=[campaign.pk, "finish"]))
    assert refused.status_code == 409 and "不能进行" in refused.content.decode()


def test_assigning_from_the_page_refuses_the_agencys_own_staff(ev, client):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    login(client, ev.j.supervisor)
    page = client.get(reverse("supervision:evaluation_campaign", args=[campaign.pk]))
    assert "一致" in page.content.decode()  # the sample recomputed from its public inputs
    url = reverse("supervision:evaluation_assign", args=[file.pk])
    client.post(url, {"evaluator": ev.evaluator_b.pk})
    file.refresh_from_db()
    assert file.evaluator is None
    client.post(url, {"evaluator": ev.evaluator.pk})
    file.refresh_from_db()
    assert file.evaluator == ev.evaluator and file.status == FileStatus.ASSIGNED


def test_the_evaluator_scores_beside_the_case_file(ev, client):
    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    login(client, ev.evaluator)
    mine = client.get(reverse("supervision:evaluation_my_files"))
    assert case.number in mine.content.decode()
    url = reverse("supervision:evaluation_file", args=[file.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "执法事项“" in body and "案由" in body
    data = {}
    for c in file.checks.select_related("item"):
        if c.item.is_veto:
            data[f"item-{c.item_id}-met"] = "1"
        else:
            data[f"item-{c.item_id}-points"] = str(c.points)
    p4 = file.checks.get(item__code="P4")
    data[f"item-{p4.item_id}-points"] = "0"  # against zhifa's finding, without a reason
    refused = client.post(url, data)
    assert refused.status_code == 400 and "请写明理由" in refused.content.decode()
    data[f"item-{p4.item_id}-reason"] = "公示内容未按规定隐去个人信息。"
    assert client.post(url, data).status_code == 302
    file.refresh_from_db()
    assert file.status == FileStatus.SCORED and file.score == 95


def test_the_agency_sees_its_results_and_its_head_reports(ev, client, finished):
    _campaign, file, rect = finished
    login(client, ev.j.officer)
    page = client.get(reverse("supervision:evaluation_results"))
    assert page.status_code == 200 and file.number in page.content.decode()
    url = reverse("supervision:evaluation_rectification", args=[rect.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"step": "report", "report": "已整改。"}).status_code == 403
    login(client, ev.j.head)
    assert client.post(url, {"step": "report", "report": "已撤销该决定。"}).status_code == 302
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.REPORTED
    login(client, ev.j.supervisor)
    assert client.post(url, {"step": "accept", "opinion": "同意"}).status_code == 302
    rect.refresh_from_db()
    assert rect.status == RectificationStatus.ACCEPTED


def test_the_home_card_counts(ev, client, finished):
    login(client, ev.j.supervisor)
    page = client.get(reverse("supervision:home"))
    assert page.status_code == 200 and "案卷评查" in page.content.decode()
    assert reverse("supervision:evaluation_list") in page.content.decode()


def _urls(campaign, file, rect):
    return [
        reverse("supervision:evaluation_list"),
        reverse("supervision:evaluation_campaign", args=[campaign.pk]),
        reverse("supervision:evaluation_step", args=[campaign.pk, "approve"]),
        reverse("supervision:evaluation_file", args=[file.pk]),
        reverse("supervision:evaluation_rectification", args=[rect.pk]),
    ]


def test_anonymous_is_sent_to_login_everywhere(ev, client, finished):
    campaign, file, rect = finished
    urls = [
        *_urls(campaign, file, rect),
        reverse("supervision:evaluation_my_files"),
        reverse("supervision:evaluation_results"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    response = client.post(
        reverse("supervision:evaluation_assign", args=[file.pk]), {"evaluator": ev.evaluator.pk}
    )
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_countys_supervisor_is_refused(ev, client, finished):
    campaign, file, rect = finished
    login(client, ev.j.outside_supervisor)
    list_page = client.get(reverse("supervision:evaluation_list"))
    assert list_page.status_code == 200 and campaign.number not in list_page.content.decode()
    for url in _urls(campaign, file, rect)[1:]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("supervision:evaluation_assign", args=[file.pk]), {"evaluator": 1}).status_code
        == 404
    )
    assert client.get(reverse("supervision:evaluation_results")).status_code == 403


def test_agency_staff_are_refused_the_bureaus_pages(ev, client, finished):
    campaign, file, rect = finished
    for user in (ev.j.head, ev.j.officer):
        login(client, user)
        assert client.get(reverse("supervision:evaluation_list")).status_code == 403
        assert client.get(reverse("supervision:evaluation_campaign", args=[campaign.pk])).status_code == 404
        assert (
            client.get(reverse("supervision:evaluation_step", args=[campaign.pk, "finish"])).status_code
            == 404
        )
        assert client.get(reverse("supervision:evaluation_file", args=[file.pk])).status_code == 404
        assert (
            client.post(
                reverse("supervision:evaluation_assign", args=[file.pk]), {"evaluator": 1}
            ).status_code
            == 404
        )
    # Another agency's head sees neither the results nor the rectification of this one.
    login(client, ev.j.other_head)
    assert file.number not in client.get(reverse("supervision:evaluation_results")).content.decode()
    assert client.get(reverse("supervision:evaluation_rectification", args=[rect.pk])).status_code == 404


def test_an_evaluator_sees_only_the_files_assigned_to_them(ev, client):
    cases = [ev.closed_case(), ev.closed_case()]
    campaign = ev.drawn(ev.campaign())
    mine, theirs = (campaign.files.get(number=c.number) for c in cases)
    take_file("assign", actor=ev.j.supervisor, file=mine, evaluator=ev.evaluator)
    login(client, ev.evaluator)
    assert client.get(reverse("supervision:evaluation_file", args=[mine.pk])).status_code == 200
    assert client.get(reverse("supervision:evaluation_file", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("supervision:evaluation_campaign", args=[campaign.pk])).status_code == 404
    assert theirs.number not in client.get(reverse("supervision:evaluation_my_files")).content.decode()


def test_opening_the_case_file_to_score_is_logged_as_an_access_for_evaluation(ev, client):
    """Each opening of the scoring page is one 调阅 row of the case, purpose 案卷评查: the evaluator's
    by the appointment (a reviewer or officer would otherwise log their role's purpose), the
    supervisor's stated for the case as 个案监督 states it. A refused reader logs nothing."""
    from zhifa.core.models import AccessLog, AccessPurpose

    case = ev.closed_case()
    campaign = ev.drawn(ev.campaign())
    file = campaign.files.get(number=case.number)
    theirs = campaign.files.exclude(pk=file.pk).first()
    take_file("assign", actor=ev.j.supervisor, file=file, evaluator=ev.evaluator)
    url = reverse("supervision:evaluation_file", args=[file.pk])
    login(client, ev.evaluator)
    assert client.get(url).status_code == 200 and client.get(url).status_code == 200
    rows = list(AccessLog.objects.filter(case_ref=case.subject_ref))
    assert len(rows) == 2 and {r.user_id for r in rows} == {ev.evaluator.pk}
    assert {(r.purpose, r.purpose_note) for r in rows} == {
        (AccessPurpose.EVALUATION, f"案卷评查 {campaign.number}")
    }
    assert rows[0].agency_id == case.agency_id and case.number in rows[0].label
    login(client, ev.j.supervisor)
    assert client.get(url).status_code == 200
    row = AccessLog.objects.filter(user=ev.j.supervisor).get()
    assert (row.purpose, row.case_number) == (AccessPurpose.EVALUATION, case.number)
    login(client, ev.j.other_head)
    assert client.get(url).status_code == 404
    if theirs is not None:
        login(client, ev.evaluator)
        assert client.get(reverse("supervision:evaluation_file", args=[theirs.pk])).status_code == 404
    assert AccessLog.objects.count() == 3
