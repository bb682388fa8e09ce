"""The clue pages: who sees and does what, and a refused-access test for every view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.core.calendar import today
from zhifa.core.models import AccessLog, AccessPurpose
from zhifa.disclosure.models import Feedback, FeedbackKind
from zhifa.supervision import clue_services
from zhifa.supervision.clue_workflow import take
from zhifa.supervision.models_clues import Clue, ClueSource, ClueStatus
from zhifa.testing.signing import use_temp_dirs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dirs(settings, tmp_path):
    use_temp_dirs(settings, tmp_path)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def registered(j) -> Clue:
    return clue_services.clue_register(
        actor=j.supervisor,
        source=ClueSource.HOTLINE,
        agency=j.agency,
        title="12345 转办：执法人员态度粗暴",
        content="市民反映执法人员态度粗暴。",
        origin_ref="12345-20261201-001",
        contact_name="李四",
        contact_phone="13900000000",
    )


def assigned(j, workdays: int = 5) -> Clue:
    clue = registered(j)
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=workdays)
    return clue


def test_the_inbox_shows_the_regions_clues_to_the_supervisor_and_the_assigned_ones_to_the_agency(
    jurisdiction,
):
    j = jurisdiction
    waiting = registered(j)
    mine = assigned(j, workdays=2)  # due within the warning days: yellow on both sides
    url = reverse("supervision:clue_list")
    page = client_for(j.supervisor).get(url).content.decode()
    assert waiting.number in page and mine.number in page and "即将到期" in page
    agency_page = client_for(j.head).get(url).content.decode()
    assert mine.number in agency_page and waiting.number not in agency_page and "即将到期" in agency_page
    for user in (j.other_head, j.outside_supervisor):
        other = client_for(user).get(url)
        assert other.status_code == 200 and mine.number not in other.content.decode()
    assert Client().get(url).status_code == 302


def test_the_clue_page_and_its_steps_are_refused_to_everyone_else(jurisdiction):
    j = jurisdiction
    clue = registered(j)
    detail = reverse("supervision:clue_detail", args=[clue.pk])
    step = reverse("supervision:clue_step", args=[clue.pk, "assign"])
    assert client_for(j.supervisor).get(detail).status_code == 200
    # Before 分办 the agency does not see it; another county's supervisor never does.
    for user in (j.head, j.officer, j.other_head, j.outside_supervisor):
        assert client_for(user).get(detail).status_code == 404
        assert client_for(user).post(step, {"agency": j.agency.pk, "workdays": 5}).status_code == 404
    assert Client().get(detail).status_code == 302
    response = client_for(j.supervisor).post(
        step, {"agency": j.agency.pk, "workdays": 5, "idempotency_key": "k1"}
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ASSIGNED
    # The agency's officer sees it now, and may not take the supervisor's steps.
    assert client_for(j.officer).get(detail).status_code == 200
    review = reverse("supervision:clue_step", args=[clue.pk, "review"])
    assert client_for(j.officer).post(review, {"decision": "accept"}).status_code in (403, 409)
    assert client_for(j.other_head).get(detail).status_code == 404


def test_the_agency_replies_with_an_attachment_that_only_participants_download(jurisdiction):
    j = jurisdiction
    clue = assigned(j)
    url = reverse("supervision:clue_step", args=[clue.pk, "reply"])
    upload = SimpleUploadedFile(
        "核查报告.txt", "核查情况：属实，已整改。".encode(), content_type="text/plain"
    )
    response = client_for(j.officer).post(
        url, {"reply": "已核查并整改。", "attachment": upload, "idempotency_key": "r1"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPLIED
    attachment = clue.attachments.get()
    assert clue.events.get(action="reply").data["attachments"][0]["sha256"] == attachment.blob.sha256
    download = reverse("supervision:clue_attachment", args=[attachment.pk])
    got = client_for(j.supervisor).get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content).decode() == "核查情况：属实，已整改。"
    for user in (j.other_head, j.outside_supervisor):
        assert client_for(user).get(download).status_code == 404
    assert Client().get(download).status_code == 302
    # The supervisor's own step is refused to the agency (403), a wrong-status step answers 409.
    assert (
        client_for(j.head).post(reverse("supervision:clue_step", args=[clue.pk, "review"])).status_code == 403
    )
    assert (
        client_for(j.supervisor).get(reverse("supervision:clue_step", args=[clue.pk, "assign"])).status_code
        == 409
    )


def test_a_refused_reply_leaves_no_staged_attachment_behind(jurisdiction):
    """The late reply without a 逾期理由 is refused: the upload was not staged (no staging file, no
    stored file, no attachment row); given the reason, the same form stores it once."""
    import datetime as dt

    from zhifa.evidence import storage
    from zhifa.evidence.models import Blob

    j = jurisdiction
    clue = assigned(j)
    Clue.objects.filter(pk=clue.pk).update(due_on=today() - dt.timedelta(days=1))
    url = reverse("supervision:clue_step", args=[clue.pk, "reply"])
    staging = set(storage.staging_dir().glob(f"*{storage.STAGING_SUFFIX}"))

    def upload():
        return SimpleUploadedFile("核查报告.txt", "逾期核查情况。".encode(), content_type="text/plain")

    refused = client_for(j.officer).post(
        url, {"reply": "已核查。", "attachment": upload(), "idempotency_key": "late-1"}
    )
    assert refused.status_code == 400 and "逾期理由" in refused.content.decode()
    assert set(storage.staging_dir().glob(f"*{storage.STAGING_SUFFIX}")) == staging
    assert not Blob.objects.exists() and not clue.attachments.exists()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ASSIGNED
    taken = client_for(j.officer).post(
        url,
        {
            "reply": "已核查。",
            "delay_reason": "当事人外出。",
            "attachment": upload(),
            "idempotency_key": "late-2",
        },
    )
    assert taken.status_code == 302
    assert clue.attachments.get().blob == Blob.objects.get()
    assert set(storage.staging_dir().glob(f"*{storage.STAGING_SUFFIX}")) == staging


def test_registering_and_importing_are_for_the_supervisor_only(jurisdiction):
    j = jurisdiction
    new = reverse("supervision:clue_new")
    form = {
        "source": ClueSource.MOJ,
        "origin_ref": "SFB-2026-0009",
        "agency": j.agency.pk,
        "title": "司法部平台转办：乱罚款",
        "content": "反映该局对个体户乱罚款。",
    }
    response = client_for(j.supervisor).post(new, form)
    assert response.status_code == 302
    clue = Clue.objects.get(origin_ref="SFB-2026-0009")
    assert clue.source == ClueSource.MOJ and clue.bureau == j.bureau
    outside = client_for(j.supervisor).post(new, {**form, "agency": j.outside.pk, "origin_ref": "x"})
    assert outside.status_code == 400  # not a choice: the form refuses another county's agency
    importing = reverse("supervision:clue_import_feedback")
    Feedback.objects.create(
        agency=j.agency, kind=FeedbackKind.COMPLAINT, content="未出示证件。", contact_phone="1"
    )
    for user in (j.head, j.officer):
        assert client_for(user).get(new).status_code == 403
        assert client_for(user).post(new, form).status_code == 403
    for user in (j.head, j.officer):
        assert client_for(user).post(importing).status_code == 403
    assert Client().get(new).status_code == 302 and Client().post(importing).status_code == 302
    assert not Clue.objects.filter(source=ClueSource.CREDENTIAL).exists()
    assert client_for(j.supervisor).post(importing).status_code == 302
    assert Clue.objects.filter(source=ClueSource.CREDENTIAL, agency=j.agency).count() == 1


def test_case_supervision_logs_the_access_and_opens_a_clue_on_the_case(jurisdiction):
    j = jurisdiction
    case = Case.objects.create(
        agency=j.agency,
        number="测人社案〔2026〕1号",
        cause="拖欠工资",
        source="complaint",
        received_on=today(),
        clue_summary="职工投诉拖欠工资。",
        registered_by=j.officer,
    )
    url = reverse("supervision:clue_case", args=[case.pk])
    page = client_for(j.supervisor).get(url)
    assert page.status_code == 200 and case.number in page.content.decode()
    log = AccessLog.objects.get(case_ref=case.subject_ref)
    assert log.purpose == AccessPurpose.SUPERVISION and log.user == j.supervisor
    response = client_for(j.supervisor).post(url, {"title": "超期未作出决定", "content": "立案已逾九十日。"})
    assert response.status_code == 302
    clue = Clue.objects.get(case=case)
    assert (
        clue.source == ClueSource.FINDING and clue.status == ClueStatus.ASSIGNED and clue.agency == j.agency
    )
    for user in (j.head, j.officer):
        assert client_for(user).get(url).status_code == 403
    assert client_for(j.outside_supervisor).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert AccessLog.objects.filter(case_ref=case.subject_ref).count() == 2  # the two openings


def test_the_supervision_home_has_the_clue_card_with_its_figures(jurisdiction):
    j = jurisdiction
    assigned(j)
    registered(j)
    page = client_for(j.supervisor).get("/supervision/").content.decode()
    assert "监督线索" in page and "待分办 <strong>1</strong>" in page and "办理中 <strong>1</strong>" in page


def test_another_countys_supervisor_does_not_read_the_agencys_feedback(jurisdiction):
    j = jurisdiction
    url = reverse("disclosure:agency_feedback_list", args=[j.agency.pk])
    assert client_for(j.supervisor).get(url).status_code == 200
    assert client_for(j.outside_supervisor).get(url).status_code == 403


def test_the_agency_head_and_the_supervisor_have_their_clue_todos(jurisdiction):
    from zhifa.workbench.todo import todos

    j = jurisdiction
    assigned(j)
    registered(j)
    head = {t.label: t for t in todos(j.head, today())}
    assert head["监督线索待办理答复"].count == 1 and head["监督线索办理逾期"].count == 0
    supervisor = {t.label: t for t in todos(j.supervisor, today())}
    assert supervisor["监督线索待分办"].count == 1
    listed = client_for(j.head).get(head["监督线索待办理答复"].url).context["rows"]
    assert len(listed) == 1
    assert "监督线索待办理答复" not in {t.label for t in todos(j.officer, today())}


def test_every_step_page_renders_its_form_for_the_one_who_takes_it(jurisdiction, settings, tmp_path):
    import datetime as dt

    from zhifa.testing.signing import install_test_credential

    j = jurisdiction
    install_test_credential(j.bureau)
    clue = registered(j)

    def page(user, code):
        response = client_for(user).get(reverse("supervision:clue_step", args=[clue.pk, code]))
        assert response.status_code == 200, (code, response.content.decode()[:300])
        return response.content.decode()

    assert "办理期限（工作日）" in page(j.supervisor, "assign")
    take("assign", actor=j.supervisor, clue=clue, agency=j.agency, workdays=5)
    assert "整改报告期限" in page(j.supervisor, "notice")
    assert 'enctype="multipart/form-data"' in page(j.officer, "reply")
    notice = take(
        "notice",
        actor=j.supervisor,
        clue=clue,
        kind="supervision_suggestion",
        issues="问题",
        requirement="建议",
        report_due=today() + dt.timedelta(days=5),
    )
    assert notice.document.number in page(j.head, "report")
    take("report", actor=j.head, clue=clue, notice=notice.pk, report="已整改。")
    assert notice.document.number in page(j.supervisor, "report_review")
    take("reply", actor=j.officer, clue=clue, reply="已处理。")
    assert "审核结论" in page(j.supervisor, "review")
    take("review", actor=j.supervisor, clue=clue, decision="accept")
    assert (
        client_for(j.supervisor).get(reverse("supervision:clue_step", args=[clue.pk, "close"])).status_code
        == 409
    )
    take("report_review", actor=j.supervisor, clue=clue, notice=notice.pk, decision="accept")
    assert "答复反映人" in page(j.supervisor, "close")
    detail = client_for(j.head).get(reverse("supervision:clue_detail", args=[clue.pk])).content.decode()
    assert notice.document.number in detail and "整改报告：" in detail
