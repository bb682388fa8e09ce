"""Upload, item page, playback with Range, download, the 笔录 beside its recording, the head's
exception and the access log: what each role may do, and that every look is logged."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.tests.steps import SH, add_inquiry, filed_case
from zhifa.catalog.models import AVLevel, Stage
from zhifa.core.models import AccessAction, AccessLog, AccessPurpose
from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceItem, RecordingException
from zhifa.evidence.tests.helpers import add_item, attach_av
from zhifa.testing.factories import AgencyFactory, make_matter, make_user

VIDEO = bytes(range(256)) * 40  # 10240 bytes


def supervisor_of(w):
    bureau = AgencyFactory(region=w.agency.region, is_justice_bureau=True, name="测试县司法局")
    return make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲")


@pytest.fixture
def video(world):
    case = filed_case(world)
    item = attach_av(case, actor=world.officer, stage=Stage.ON_SITE, content=VIDEO)
    EvidenceItem.objects.filter(pk=item.pk).update(content_type="video/mp4")
    item.refresh_from_db()
    return item


def _login(client, user):
    client.force_login(user)
    return client


def _form(world, **extra):
    return {
        "kind": "physical",
        "title": "现场照片",
        "proves": "经营场所现状",
        "collected_at": "2026-01-05T09:30",
        "place": "人民路 1 号",
        "collector": world.officer.officer.pk,
        "latitude": "30.123456",
        "longitude": "120.654321",
        **extra,
    }


# ── 上传 ──────────────────────────────────────────────────────────────────────────────


def test_upload_streams_into_the_store(client, world):
    case = filed_case(world)
    url = reverse("evidence:add", args=[case.pk])
    _login(client, world.officer)
    assert 'capture="environment"' in client.get(url).content.decode()
    content = b"\xff\xd8 jpeg-ish " * 5000
    data = _form(world, file=SimpleUploadedFile("p.jpg", content, content_type="image/jpeg"))
    response = client.post(url, data)
    item = EvidenceItem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evidence:item", args=[item.pk])
    assert item.blob.sha256 == hashlib.sha256(content).hexdigest()
    assert str(item.latitude) == "30.123456" and item.content_type == "image/jpeg"
    assert not list(storage.staging_dir().iterdir())


def test_upload_missing_metadata_is_refused_with_the_names_and_leaves_no_file(client, world):
    case = filed_case(world)
    _login(client, world.officer)
    data = _form(world, place="", proves="", file=SimpleUploadedFile("p.jpg", b"x" * 100))
    response = client.post(reverse("evidence:add", args=[case.pk]), data)
    assert response.status_code == 400
    assert "采集地点、证明对象" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    assert not list(storage.staging_dir().iterdir())


def test_upload_refused_for_others(client, world):
    case = filed_case(world)
    url = reverse("evidence:add", args=[case.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    _login(client, world.outsider)
    assert client.get(url).status_code == 404  # another agency's case does not exist for them
    for user in (world.bystander, world.reviewer, supervisor_of(world)):
        _login(client, user)
        response = client.post(url, _form(world, file=SimpleUploadedFile("p.jpg", b"x")))
        assert response.status_code == 403
    assert not EvidenceItem.objects.exists()


def test_upload_needs_the_csrf_token(world):
    from django.test import Client

    case = filed_case(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.post(
        reverse("evidence:add", args=[case.pk]), _form(world, file=SimpleUploadedFile("p.jpg", b"x"))
    )
    assert response.status_code == 403 and not EvidenceItem.objects.exists()


# ── 查看、播放、下载 ───────────────────────────────────────────────────────────────────


def test_item_page_is_logged(client, world, video):
    _login(client, world.officer)
    response = client.get(reverse("evidence:item", args=[video.pk]), HTTP_USER_AGENT="pytest-browser")
    page = response.content.decode()
    assert response.status_code == 200 and video.blob.sha256 in page and video.blob.sm3 in page
    (log,) = AccessLog.objects.all()
    assert (log.action, log.ref, log.purpose, log.case_number) == (
        AccessAction.VIEW,
        video.ref,
        AccessPurpose.HANDLING,
        video.case.number,
    )
    assert log.user_agent == "pytest-browser" and log.ip == "127.0.0.1"


def test_playback_serves_ranges_and_logs_once(client, world, video):
    _login(client, world.head)
    url = reverse("evidence:file", args=[video.pk])
    first = client.get(url, HTTP_RANGE="bytes=0-1023")
    assert first.status_code == 206 and first["Content-Range"] == f"bytes 0-1023/{len(VIDEO)}"
    assert b"".join(first.streaming_content) == VIDEO[:1024]
    seek = client.get(url, HTTP_RANGE="bytes=5000-")
    assert b"".join(seek.streaming_content) == VIDEO[5000:]
    tail = client.get(url, HTTP_RANGE="bytes=-100")
    assert b"".join(tail.streaming_content) == VIDEO[-100:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(VIDEO)}-").status_code == 416
    (log,) = AccessLog.objects.all()
    assert (log.action, log.purpose) == (AccessAction.PLAY, AccessPurpose.APPROVAL)


def test_download_is_logged(client, world, video):
    _login(client, world.colleague)
    response = client.get(reverse("evidence:file", args=[video.pk]) + "?download=1")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == VIDEO
    assert AccessLog.objects.get().action == AccessAction.DOWNLOAD


def test_evidence_refused_to_anonymous_and_other_agencies(client, world, video):
    for name in ("evidence:item", "evidence:file", "evidence:thumbnail"):
        url = reverse(name, args=[video.pk])
        assert client.get(url).status_code == 302
    _login(client, world.outsider)
    for name in ("evidence:item", "evidence:file"):
        assert client.get(reverse(name, args=[video.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_supervisor_states_a_purpose_first(client, world, video):
    supervisor = supervisor_of(world)
    _login(client, supervisor)
    url = reverse("evidence:item", args=[video.pk])
    response = client.get(url)
    assert "调阅目的" in response.content.decode() and not AccessLog.objects.exists()
    response = client.post(
        reverse("evidence:purpose", args=[video.case.pk]),
        {"purpose": "evaluation", "note": "年度案卷评查", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert client.get(url).status_code == 200
    log = AccessLog.objects.get()
    assert (log.purpose, log.purpose_note) == (AccessPurpose.EVALUATION, "年度案卷评查")


# ── 笔录与音像对照 ────────────────────────────────────────────────────────────────────


def test_record_beside_its_recording_is_logged(client, world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, code="AV02", av_levels={Stage.INVESTIGATION: AVLevel.AV}
    )
    # At midday: the inquiry starts an hour before the recording, on the same day whatever the clock.
    with time_machine.travel(dt.datetime.combine(timezone.localdate(), dt.time(12), SH), tick=False):
        case = filed_case(world, matter=matter)
        av = attach_av(case, actor=world.officer, stage=Stage.INVESTIGATION)
        record = add_inquiry(world, case)
    _login(client, world.reviewer)
    page = client.get(reverse("evidence:record", args=[record.pk])).content.decode()
    assert "公司是否按时支付工资" in page and reverse("evidence:file", args=[av.pk]) in page
    log = AccessLog.objects.get()
    assert (log.ref, log.purpose) == (f"cases.record:{record.pk}", AccessPurpose.REVIEW)
    _login(client, world.outsider)
    assert client.get(reverse("evidence:record", args=[record.pk])).status_code == 404


def test_case_page_shows_the_list_and_the_items(client, world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, code="AV03", av_levels={Stage.INVESTIGATION: AVLevel.AV}
    )
    case = filed_case(world, matter=matter)
    _login(client, world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (
        "音像记录事项清单" in page
        and "尚无视听资料" in page
        and reverse("evidence:add", args=[case.pk]) in page
    )
    item = add_item(case, actor=world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("evidence:item", args=[item.pk]) in page


# ── 例外 ──────────────────────────────────────────────────────────────────────────────


def test_exception_only_by_the_head(client, world):
    matter = make_matter(
        agency=world.agency, domain=world.domain, code="AV04", av_levels={Stage.HEARING: AVLevel.AV}
    )
    case = filed_case(world, matter=matter)
    url = reverse("evidence:exception", args=[case.pk])
    data = {"stage": Stage.HEARING, "reason": "当事人拒绝录像，已记入笔录。"}
    assert client.post(url, data).status_code == 302 and not RecordingException.objects.exists()
    for user in (world.officer, world.reviewer):
        _login(client, user)
        assert client.post(url, data).status_code == 403
    _login(client, world.outsider)
    assert client.post(url, data).status_code == 404
    _login(client, world.head)
    assert client.post(url, data).status_code == 302
    assert RecordingException.objects.get().approved_by == world.head


# ── 调阅记录 ──────────────────────────────────────────────────────────────────────────


def test_access_log_for_heads_and_supervisors_only(client, world, video):
    _login(client, world.officer)
    client.get(reverse("evidence:item", args=[video.pk]))
    url = reverse("evidence:access_log")
    assert client.get(url).status_code == 403
    _login(client, world.head)
    page = client.get(url, {"person": "执法员甲", "action": "view"}).content.decode()
    assert video.case.number in page
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "执法员甲" in csv and "查看" in csv
    _login(client, supervisor_of(world))
    assert video.case.number in client.get(url).content.decode()
    other_head = make_user(Role.HEAD, full_name="外单位局长")
    _login(client, other_head)
    assert video.case.number not in client.get(url).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_document_download_is_logged(client, world):
    case = filed_case(world)
    document = case.events.filter(action="document_issued").first()
    assert document is not None
    _login(client, world.officer)
    response = client.get(reverse("documents:pdf", args=[document.data["document"]]))
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.action, log.case_number) == (AccessAction.DOWNLOAD, case.number)


def test_api_item_metadata_for_readers_only(client, world, video):
    url = f"/api/evidence/items/{video.pk}"
    assert client.get(url).status_code == 401
    _login(client, world.outsider)
    response = client.get(url)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    _login(client, world.reviewer)
    data = client.get(url).json()
    assert (data["sha256"], data["sm3"], data["stage"]) == (video.blob.sha256, video.blob.sm3, "on_site")
    assert AccessLog.objects.get().purpose == AccessPurpose.REVIEW


def test_the_collector_picker_offers_only_officers_who_may_enforce(world):
    from zhifa.evidence.forms import EvidenceForm
    from zhifa.testing.factories import OfficerFactory

    case = filed_case(world)
    clerk = OfficerFactory(agency=case.agency, name="档案员无证")  # on the roster, no 执法证
    offered = dict(EvidenceForm(case=case).fields["collector"].widget.choices)
    assert "" in offered  # 采集人 may be left for the service to ask for
    assert world.officer.officer.pk in offered and "执法证" in offered[world.officer.officer.pk]
    assert clerk.pk not in offered
