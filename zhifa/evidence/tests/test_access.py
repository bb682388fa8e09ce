"""调阅监督 over every body zhifa serves: the item page, the file (inline, playback, download),
thumbnails and poster frames, the 笔录, the case's documents and the API. Each look is one
AccessLog row with its action and purpose; a supervisor says why before anything is served;
other agencies and anonymous users get nothing. Also: a playback is one row however many
ranges it asks for, the players do not preload, the CSV export neutralises formulas, and no
adapter can reach a body except through the logging selectors."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

import zhifa
from zhifa.accounts.models import Role
from zhifa.cases.models import Case, Record
from zhifa.cases.tests.steps import SH, add_inquiry, filed_case
from zhifa.catalog.models import Stage
from zhifa.core.models import AccessAction, AccessLog, AccessPurpose
from zhifa.core.spreadsheets import FORMULA_STARTS
from zhifa.evidence import derivatives, storage
from zhifa.evidence.models import Derivative, DerivativeKind, EvidenceItem
from zhifa.evidence.tests.helpers import add_item, attach_av
from zhifa.testing.factories import AgencyFactory, make_user

VIDEO = bytes(range(256)) * 40  # 10240 bytes


def _jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Bodies:
    case: Case
    photo: EvidenceItem
    video: EvidenceItem
    record: Record
    document_pk: int


@pytest.fixture
def bodies(world) -> Bodies:
    # At midday: the inquiry an hour ago and the recording are on the same day whatever the clock.
    with time_machine.travel(dt.datetime.combine(timezone.localdate(), dt.time(12), SH), tick=False):
        case = filed_case(world)
        photo = add_item(case, actor=world.officer, content=_jpeg(), name="photo.jpg")
        derivatives.make_for(photo.blob, "image/jpeg")  # after the commit in production
        video = attach_av(case, actor=world.officer, stage=Stage.INVESTIGATION, content=VIDEO)
        EvidenceItem.objects.filter(pk=video.pk).update(content_type="video/mp4")
        video.refresh_from_db()
        poster = _jpeg("blue")
        name = storage.save_derivative(f"derived/{video.blob.sha256}-thumbnail.jpg", poster)
        Derivative.objects.create(
            blob=video.blob,
            kind=DerivativeKind.THUMBNAIL,
            name=name,
            content_type="image/jpeg",
            size=len(poster),
        )
        record = add_inquiry(world, case)
    issued = case.events.filter(action="document_issued").first()
    assert issued is not None
    return Bodies(case, photo, video, record, issued.data["document"])


def supervisor_of(world):
    bureau = AgencyFactory(region=world.agency.region, is_justice_bureau=True, name="测试县司法局")
    return make_user(Role.SUPERVISOR, agency=bureau, full_name="监督员甲")


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# name: (url, action, ref) — every body a logged-in reader can open.
Url = Callable[[Bodies], str]
BODIES: dict[str, tuple[Url, str, Url]] = {
    "item page": (lambda b: reverse("evidence:item", args=[b.photo.pk]), AccessAction.VIEW, lambda b: b.photo.ref),
    "photo inline": (lambda b: reverse("evidence:file", args=[b.photo.pk]), AccessAction.VIEW, lambda b: b.photo.ref),
    "video playback": (lambda b: reverse("evidence:file", args=[b.video.pk]), AccessAction.PLAY, lambda b: b.video.ref),
    "download": (
        lambda b: reverse("evidence:file", args=[b.video.pk]) + "?download=1",
        AccessAction.DOWNLOAD,
        lambda b: b.video.ref,
    ),
    "thumbnail": (lambda b: reverse("evidence:thumbnail", args=[b.photo.pk]), AccessAction.VIEW, lambda b: b.photo.ref),
    "poster frame": (lambda b: reverse("evidence:thumbnail", args=[b.video.pk]), AccessAction.VIEW, lambda b: b.video.ref),
    "笔录": (
        lambda b: reverse("evidence:record", args=[b.record.pk]),
        AccessAction.VIEW,
        lambda b: f"cases.record:{b.record.pk}",
    ),
    "document pdf": (
        lambda b: reverse("documents:pdf", args=[b.document_pk]),
        AccessAction.DOWNLOAD,
        lambda b: f"documents.document:{b.document_pk}",
    ),
    "api item": (lambda b: f"/api/evidence/items/{b.video.pk}", AccessAction.VIEW, lambda b: b.video.ref),
}  # fmt: skip


@pytest.mark.parametrize("name", BODIES)
def test_each_body_is_logged_once_with_its_action_and_purpose(client, world, bodies, name):
    url, action, ref = BODIES[name]
    client.force_login(world.officer)
    response = client.get(url(bodies), HTTP_USER_AGENT="pytest-browser")
    assert response.status_code == 200
    assert _content(response)
    (log,) = AccessLog.objects.all()
    assert (log.action, log.ref, log.purpose, log.case_number, log.agency_id) == (
        action,
        ref(bodies),
        AccessPurpose.HANDLING,
        bodies.case.number,
        world.agency.pk,
    )
    assert log.user == world.officer and log.user_agent == "pytest-browser"


@pytest.mark.parametrize("name", [n for n in BODIES if n != "api item"])
def test_a_supervisor_states_the_purpose_before_any_body(client, world, bodies, name):
    url = BODIES[name][0](bodies)
    client.force_login(supervisor_of(world))
    asked = client.get(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    assert "调阅目的" in page and 'name="purpose"' in page and "Content-Disposition" not in asked
    assert VIDEO not in asked.content and not AccessLog.objects.exists()  # nothing served, nothing logged
    action = re.search(r'<form method="post" action="([^"]+/purpose/)"', page)
    assert action is not None
    stated = client.post(
        action.group(1), {"purpose": "complaint", "note": "投诉举报 2026-01 号", "next": url}
    )
    assert stated.status_code == 302 and stated["Location"] == url
    served = client.get(url)
    assert served.status_code == 200 and _content(served)
    (log,) = AccessLog.objects.all()
    assert (log.action, log.purpose, log.purpose_note) == (
        BODIES[name][1],
        AccessPurpose.COMPLAINT,
        "投诉举报 2026-01 号",
    )


def test_one_purpose_covers_the_case_for_the_session(client, world, bodies):
    client.force_login(supervisor_of(world))
    client.post(
        reverse("evidence:purpose", args=[bodies.case.pk]),
        {"purpose": "evaluation", "next": reverse("evidence:item", args=[bodies.video.pk])},
    )
    for name in ("item page", "poster frame", "video playback", "笔录", "document pdf"):
        assert client.get(BODIES[name][0](bodies)).status_code == 200
    assert set(AccessLog.objects.values_list("purpose", flat=True)) == {AccessPurpose.EVALUATION}
    assert AccessLog.objects.count() == 5


def test_an_invalid_purpose_is_asked_again(client, world, bodies):
    client.force_login(supervisor_of(world))
    url = reverse("evidence:item", args=[bodies.video.pk])
    response = client.post(
        reverse("evidence:purpose", args=[bodies.case.pk]), {"purpose": "handling", "next": url}
    )
    assert response.status_code == 400 and "调阅目的" in response.content.decode()
    assert 'name="purpose"' in client.get(url).content.decode() and not AccessLog.objects.exists()


@pytest.mark.parametrize("name", BODIES)
def test_bodies_are_refused_to_anonymous_and_other_agencies(client, world, bodies, name):
    url = BODIES[name][0](bodies)
    anonymous = client.get(url)
    if name == "api item":
        assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    else:
        assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    other_supervisor = make_user(Role.SUPERVISOR, agency=AgencyFactory(is_justice_bureau=True))
    client.force_login(other_supervisor)
    assert client.get(url).status_code == 404  # not their region: no prompt either
    assert not AccessLog.objects.exists()


def test_the_purpose_endpoints_are_refused_to_other_agencies(client, world, bodies):
    client.force_login(world.outsider)
    data = {"purpose": "supervision"}
    assert client.post(reverse("evidence:purpose", args=[bodies.case.pk]), data).status_code == 404
    assert client.post(reverse("documents:purpose", args=[bodies.document_pk]), data).status_code == 404


# ── 接口 ──────────────────────────────────────────────────────────────────────────────


def test_the_api_asks_a_supervisor_for_the_purpose_parameter(client, world, bodies):
    client.force_login(supervisor_of(world))
    url = f"/api/evidence/items/{bodies.video.pk}"
    refused = client.get(url)
    assert refused.status_code == 403
    error = refused.json()
    assert error["code"] == "purpose_required"
    for named in ("purpose", "X-Access-Purpose", "purpose_note", "evaluation"):
        assert named in error["message"]
    assert "sha256" not in error and not AccessLog.objects.exists()

    unknown = client.get(url, {"purpose": "curiosity"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_input"
    assert not AccessLog.objects.exists()

    data = client.get(url, {"purpose": "evaluation", "purpose_note": "年度评查"}).json()
    assert data["sha256"] == bodies.video.blob.sha256
    log = AccessLog.objects.get()
    assert (log.purpose, log.purpose_note, log.action) == (
        AccessPurpose.EVALUATION,
        "年度评查",
        AccessAction.VIEW,
    )
    assert log.label.endswith("（接口）")


def test_the_api_takes_the_purpose_from_headers(client, world, bodies):
    client.force_login(supervisor_of(world))
    response = client.get(
        f"/api/evidence/items/{bodies.video.pk}",
        headers={"X-Access-Purpose": "complaint", "X-Access-Purpose-Note": quote("举报核查")},
    )
    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert (log.purpose, log.purpose_note) == (AccessPurpose.COMPLAINT, "举报核查")


def test_the_api_does_not_use_the_web_sessions_purpose(client, world, bodies):
    client.force_login(supervisor_of(world))
    client.post(reverse("evidence:purpose", args=[bodies.case.pk]), {"purpose": "supervision"})
    assert client.get(f"/api/evidence/items/{bodies.video.pk}").status_code == 403


def test_the_api_ignores_a_purpose_sent_by_other_roles(client, world, bodies):
    client.force_login(world.reviewer)
    assert client.get(f"/api/evidence/items/{bodies.video.pk}", {"purpose": "other"}).status_code == 200
    assert AccessLog.objects.get().purpose == AccessPurpose.REVIEW


# ── 播放：一次播放一条记录 ────────────────────────────────────────────────────────────


def test_a_playback_is_one_row_however_many_ranges(client, world, bodies):
    client.force_login(world.head)
    url = reverse("evidence:file", args=[bodies.video.pk])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        probe = client.get(url, HTTP_RANGE="bytes=0-1")  # Safari's probe, then the real request
        assert probe.status_code == 206 and _content(probe) == VIDEO[:2]
        assert _content(client.get(url, HTTP_RANGE="bytes=0-")) == VIDEO
        assert _content(client.get(url, HTTP_RANGE="bytes=5000-")) == VIDEO[5000:]  # a seek
        assert _content(client.get(url, HTTP_RANGE="bytes=-100")) == VIDEO[-100:]
        assert list(AccessLog.objects.values_list("action", "purpose")) == [
            (AccessAction.PLAY, AccessPurpose.APPROVAL)
        ]
        clock.shift(dt.timedelta(minutes=5))
        client.get(url, HTTP_RANGE="bytes=0-")  # played again from the start: a new playback
    assert AccessLog.objects.filter(action=AccessAction.PLAY).count() == 2


def test_a_range_from_a_later_byte_is_logged_when_no_playback_was(client, world, bodies):
    client.force_login(world.head)
    url = reverse("evidence:file", args=[bodies.video.pk])
    assert _content(client.get(url, HTTP_RANGE="bytes=1-")) == VIDEO[1:]
    assert AccessLog.objects.get().action == AccessAction.PLAY
    client.get(url, HTTP_RANGE="bytes=2000-")
    assert AccessLog.objects.count() == 1


def test_every_download_is_logged_but_not_a_resumed_one(client, world, bodies):
    client.force_login(world.colleague)
    url = reverse("evidence:file", args=[bodies.video.pk]) + "?download=1"
    client.get(url)
    client.get(url)
    client.get(url, HTTP_RANGE="bytes=4096-")  # the download manager resumes the second one
    assert list(AccessLog.objects.values_list("action", flat=True)) == [AccessAction.DOWNLOAD] * 2


def test_an_unsatisfiable_range_serves_and_logs_nothing(client, world, bodies):
    client.force_login(world.head)
    response = client.get(reverse("evidence:file", args=[bodies.video.pk]), HTTP_RANGE=f"bytes={len(VIDEO)}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{len(VIDEO)}"
    assert not AccessLog.objects.exists()


def test_the_players_do_not_preload(client, world, bodies):
    client.force_login(world.officer)
    item_page = client.get(reverse("evidence:item", args=[bodies.video.pk])).content.decode()
    record_page = client.get(reverse("evidence:record", args=[bodies.record.pk])).content.decode()
    for page in (item_page, record_page):
        assert re.search(r'<video[^>]*preload="none"', page)
        assert 'preload="metadata"' not in page and 'preload="auto"' not in page
    assert reverse("evidence:thumbnail", args=[bodies.video.pk]) in item_page  # the poster
    audio = add_item(bodies.case, actor=world.officer, content=b"ID3 audio", name="a.mp3", title="录音")
    audio_page = client.get(reverse("evidence:item", args=[audio.pk])).content.decode()
    assert re.search(r'<audio[^>]*preload="none"', audio_page)
    # Three page views: three views, no playback.
    assert set(AccessLog.objects.values_list("action", flat=True)) == {AccessAction.VIEW}


def test_the_inline_thumbnail_of_a_photo_is_a_logged_view(client, world, bodies):
    client.force_login(world.officer)
    page = client.get(reverse("evidence:item", args=[bodies.photo.pk])).content.decode()
    thumbnail = reverse("evidence:thumbnail", args=[bodies.photo.pk])
    assert f'src="{thumbnail}"' in page
    response = client.get(thumbnail)
    assert response["Content-Type"] == "image/jpeg" and _content(response)[:2] == b"\xff\xd8"
    page_view, thumbnail_view = AccessLog.objects.order_by("pk")
    assert (thumbnail_view.action, thumbnail_view.ref) == (AccessAction.VIEW, bodies.photo.ref)
    assert "缩略图" in thumbnail_view.label and "缩略图" not in page_view.label


# ── 调阅记录导出 ──────────────────────────────────────────────────────────────────────

TYPED = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
CELLS = st.tuples(st.sampled_from([*FORMULA_STARTS, "", "'", "张"]), TYPED).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user_label=CELLS, label=CELLS, note=CELLS, agent=CELLS)
def test_the_csv_export_neutralises_formula_cells(client, world, user_label, label, note, agent):
    AccessLog.objects.all().delete()
    AccessLog.objects.create(
        user=world.officer,
        user_label=user_label,
        action=AccessAction.VIEW,
        ref="evidence.evidenceitem:1",
        label=label,
        case_number="-1",
        agency_id=world.agency.pk,
        purpose=AccessPurpose.OTHER,
        purpose_note=note,
        user_agent=agent,
    )
    client.force_login(world.head)
    response = client.get(reverse("evidence:access_log"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header[1] == "调阅人" and len(row) == len(header)
    for cell in row:
        assert not cell.startswith(FORMULA_STARTS)
    typed = {"调阅人": user_label, "对象": label, "案件编号": "-1", "说明": note, "客户端": agent}
    for column, value in typed.items():
        exported = row[header.index(column)]
        assert exported == ("'" + value if value.startswith(FORMULA_STARTS) else value)


# ── 结构：只有调阅选择器交出正文 ──────────────────────────────────────────────────────


def _adapters() -> list[Path]:
    root = Path(zhifa.__file__).parent
    found = {
        *root.glob("*/views.py"),
        *root.glob("*/*_views.py"),
        *root.glob("*/api.py"),
        *root.glob("*/views/*.py"),
    }
    return sorted(found)


def test_adapters_reach_bodies_only_through_the_logging_selectors():
    """Views and API endpoints never log by hand nor open stored files: the selectors do both."""
    problems = []
    for path in _adapters():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names}
                if node.module == "zhifa.core.access" and "access_record" in names:
                    problems.append(f"{path}: imports access_record")
                if node.module == "zhifa.evidence.storage" or (
                    node.module == "zhifa.evidence" and "storage" in names
                ):
                    problems.append(f"{path}: imports the evidence storage")
            elif isinstance(node, ast.Import) and any(a.name == "zhifa.evidence.storage" for a in node.names):
                problems.append(f"{path}: imports the evidence storage")
            elif isinstance(node, ast.Attribute) and node.attr == "access_record":
                problems.append(f"{path}: calls access_record")
            elif (
                isinstance(node, ast.Attribute)
                and node.attr == "open"
                and isinstance(node.value, ast.Attribute)
                and node.value.attr in ("pdf", "docx")
            ):
                problems.append(f"{path}: opens a document's file")
    assert len(_adapters()) > 10 and not problems, problems
