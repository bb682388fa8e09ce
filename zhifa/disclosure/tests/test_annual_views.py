"""年报 pages: who may see and submit, the approve step, and the public pages and exports."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts.models import Role
from zhifa.disclosure.annual.services import annual_report_submit
from zhifa.disclosure.models import Kind, Publication, PublicationVersion, State
from zhifa.disclosure.services import publication_approve, publication_withdraw
from zhifa.disclosure.tests.annual_dataset import SH, build
from zhifa.testing import password_login, unchanged_db
from zhifa.testing.factories import TEST_PASSWORD, make_user

STAFF = "/disclosure/annual/"
SUBMIT = "/disclosure/annual/submit/"


@pytest.fixture(autouse=True)
def in_january_2026():
    with time_machine.travel(dt.datetime(2026, 1, 20, 10, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def data(world):
    return build(world)


def login(user) -> Client:
    client = Client()
    assert password_login(client, username=user.username, password=TEST_PASSWORD)
    return client


def submit_and_approve(actor, agency, *, aggregate: bool = False) -> Publication:
    version = annual_report_submit(actor=actor, agency=agency, year=2025, aggregate=aggregate)
    return publication_approve(actor=actor, version=version)


# ── staff page ───────────────────────────────────────────────────────────────────────────────


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(STAFF)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert client.post(SUBMIT, {"agency": world.agency.pk, "year": 2025}).status_code == 302


def test_roles_outside_disclosure_are_refused(world):
    assert login(world.officer).get(STAFF).status_code == 403


def test_admin_sees_own_figures_and_the_submit_button(data):
    response = login(data.world.admin).get(STAFF, {"year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert "测试市人力资源和社会保障局2025年度行政执法统计年报" in page
    assert "生成并提交发布" in page and "<svg" in page
    assert "即将到期" in page  # 20 January, due 31 January


def test_other_agency_is_not_found(data):
    client = login(data.world.other_admin)
    assert client.get(STAFF, {"agency": data.world.agency.pk}).status_code == 404
    with unchanged_db():
        response = client.post(SUBMIT, {"agency": data.world.agency.pk, "year": 2025})
    assert response.status_code == 404


def test_supervisor_reads_every_agency_and_the_aggregate_but_cannot_submit(data):
    world = data.world
    client = login(world.supervisor)
    response = client.get(STAFF, {"agency": world.bureau.pk, "scope": "all", "year": 2025})
    assert response.status_code == 200
    page = response.content.decode()
    assert "测试市司法局（辖区汇总）2025年度" in page and data.sibling.name in page
    assert "生成并提交发布" not in page
    assert client.get(STAFF, {"agency": world.agency.pk}).status_code == 200
    with unchanged_db():
        response = client.post(SUBMIT, {"agency": world.agency.pk, "year": 2025})
    assert response.status_code == 403


def test_submit_then_approve_publishes_on_time(data):
    world = data.world
    client = login(world.admin)
    response = client.post(SUBMIT, {"agency": world.agency.pk, "year": 2025})
    assert response.status_code == 302
    publication = Publication.objects.get(kind=Kind.ANNUAL_REPORT, agency=world.agency)
    assert publication.subject == "annual:2025" and publication.state == State.DRAFT
    assert publication.due_on == dt.date(2026, 1, 31)
    draft = publication.versions.get()
    assert draft.content["figures"]["money.fine_total"] == "7000.00"
    response = client.post(reverse("disclosure:annual_approve", args=[draft.pk]))
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    page = client.get(STAFF, {"year": 2025}).content.decode()
    assert "已按时公开" in page


def test_submit_refuses_a_year_not_over_and_changes_nothing(data):
    client = login(data.world.admin)
    with unchanged_db():
        response = client.post(SUBMIT, {"agency": data.world.agency.pk, "year": 2026}, follow=True)
    assert "2026年度尚未结束" in response.content.decode()


def test_only_a_justice_bureau_submits_an_aggregate(data):
    client = login(data.world.admin)
    with unchanged_db():
        response = client.post(
            SUBMIT, {"agency": data.world.agency.pk, "year": 2025, "scope": "all"}, follow=True
        )
    assert "不能生成辖区汇总年报" in response.content.decode()
    bureau_admin = make_user(Role.DISCLOSURE_ADMIN, agency=data.world.bureau)
    publication = submit_and_approve(bureau_admin, data.world.bureau, aggregate=True)
    assert publication.subject == "annual:2025:all"
    version = publication.versions.get()
    assert version.content["figures"]["money.fine_total"] == "7300.00"


def test_approve_refused_for_supervisor_and_other_agency(data):
    world = data.world
    draft = annual_report_submit(actor=world.admin, agency=world.agency, year=2025)
    url = reverse("disclosure:annual_approve", args=[draft.pk])
    supervisor, other, officer = login(world.supervisor), login(world.other_admin), login(world.officer)
    with unchanged_db():
        assert supervisor.post(url).status_code == 403
        assert other.post(url).status_code == 404
        assert officer.post(url).status_code == 404


def test_posts_need_the_csrf_token(data):
    client = Client(enforce_csrf_checks=True)
    assert password_login(client, username=data.world.admin.username, password=TEST_PASSWORD)
    with unchanged_db():
        assert client.post(SUBMIT, {"agency": data.world.agency.pk, "year": 2025}).status_code == 403


# ── public pages ─────────────────────────────────────────────────────────────────────────────


def test_public_pages_show_only_published_reports(client, data):
    world = data.world
    draft = annual_report_submit(actor=world.admin, agency=world.agency, year=2025)
    pk = draft.publication_id
    assert client.get(reverse("portal:annual_detail", args=[pk])).status_code == 404
    assert client.get(reverse("portal:annual_pdf", args=[pk])).status_code == 404
    assert client.get(reverse("portal:annual_xlsx", args=[pk])).status_code == 404
    assert "暂无已公开的年报" in client.get(reverse("portal:annual_list")).content.decode()
    publication_approve(actor=world.admin, version=draft)
    listing = client.get(reverse("portal:annual_list")).content.decode()
    assert "测试市人力资源和社会保障局2025年度行政执法统计年报" in listing
    detail = client.get(reverse("portal:annual_detail", args=[pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "<svg" in page and "7,000.00" in page and "一、执法案件办理情况" in page


def test_public_detail_refuses_other_kinds(client, data):
    decision = Publication.objects.filter(kind=Kind.DECISION, state=State.PUBLISHED).first()
    assert decision is not None
    assert client.get(reverse("portal:annual_detail", args=[decision.pk])).status_code == 404


def test_withdrawn_report_shows_the_reason_and_no_exports(client, data):
    publication = submit_and_approve(data.world.admin, data.world.agency)
    publication_withdraw(actor=data.world.admin, publication=publication, reason="统计口径有误，重新编制。")
    page = client.get(reverse("portal:annual_detail", args=[publication.pk])).content.decode()
    assert "统计口径有误" in page and "<svg" not in page
    assert client.get(reverse("portal:annual_pdf", args=[publication.pk])).status_code == 404


def test_pdf_export_is_a_pdf_with_the_title(client, data, tmp_path):
    publication = submit_and_approve(data.world.admin, data.world.agency)
    response = client.get(reverse("portal:annual_pdf", args=[publication.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "annual.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "2025年度行政执法统计年报" in text.replace(" ", "").replace("\n", "")
    assert "执法案件办理情况" in text


def test_xlsx_export_has_one_sheet_per_section_with_numbers(client, data):
    publication = submit_and_approve(data.world.admin, data.world.agency)
    response = client.get(reverse("portal:annual_xlsx", args=[publication.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "概况", "执法案件办理情况", "罚没款情况", "听证情况", "重大执法决定法制审核和集体讨论",
        "行政复议、行政诉讼和自行纠正", "执法决定公开情况", "执法人员", "行政检查", "案卷评查",
    ]  # fmt: skip
    money = {row[0]: row[1] for row in book["罚没款情况"].iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(money["决定罚款金额"])) == Decimal("7000.00")
    cases = {
        row[0]: row[1] for row in book["执法案件办理情况"].iter_rows(min_row=3, max_row=12, values_only=True)
    }
    assert cases["案源登记"] == 11 and isinstance(cases["案源登记"], int)
    # Fit to read: the 项目/数值/单位 header frozen and filtered, the labels' column wide enough.
    sheet = book["执法案件办理情况"]
    assert sheet.freeze_panes == "A3" and sheet["A2"].value == "项目"
    assert sheet.auto_filter.ref.startswith("A2:")
    longest = max(len(str(row[0] or "")) for row in sheet.iter_rows(min_row=3, values_only=True))
    assert sheet.column_dimensions["A"].width >= 2 * longest


def test_a_new_submission_after_publication_is_a_new_version(data):
    world = data.world
    publication = submit_and_approve(world.admin, world.agency)
    second = annual_report_submit(actor=world.admin, agency=world.agency, year=2025)
    assert second.publication_id == publication.pk and second.number == 2
    publication_approve(actor=world.admin, version=second)
    assert PublicationVersion.objects.filter(publication=publication, approved_at__isnull=False).count() == 2
