from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from zhifa.accounts.models import Role
from zhifa.devices.models import Device, DeviceEvent, EventReview
from zhifa.devices.tests.helpers import directory, imported, published, registered, rows, zip_of
from zhifa.review import subjects
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_pages_refuse_outsiders_and_hide_other_agencies_records(world):
    device = published(world)
    [record] = imported(world, device)
    urls = ["/devices/", f"/devices/{device.pk}/", "/devices/records/", f"/devices/records/{record.pk}/"]
    supervisor = make_user(Role.SUPERVISOR, full_name="监督员")
    for url in urls:
        assert client_for(supervisor).get(url).status_code == 403, url
        assert Client().get(url).status_code == 302, url
    outsider = client_for(world.outsider)
    assert outsider.get("/devices/").status_code == 200
    assert outsider.get(f"/devices/{device.pk}/").status_code == 404
    assert outsider.get(f"/devices/records/{record.pk}/").status_code == 404
    assert (
        outsider.post(f"/devices/records/{record.pk}/review/", {"usable": "1", "reason": "x"}).status_code
        == 404
    )
    # Reviewers read; they neither register, import nor review records.
    reviewer = client_for(world.reviewer)
    assert reviewer.get(f"/devices/records/{record.pk}/").status_code == 200
    assert reviewer.get("/devices/new/").status_code == 403
    assert reviewer.get("/devices/records/import/").status_code == 403
    assert (
        reviewer.post(f"/devices/records/{record.pk}/review/", {"usable": "1", "reason": "x"}).status_code
        == 403
    )
    assert client_for(world.officer).post(f"/devices/{device.pk}/publish/").status_code == 403
    assert (
        client_for(world.officer).post(f"/devices/{device.pk}/opinion/", {"opinion": "agree"}).status_code
        == 403
    )


def test_register_review_and_publish_through_the_pages(world):
    head = client_for(world.head)
    data = {
        "code": "YD-7",
        "name": "移动监控车",
        "kind": "mobile",
        "location": "示例县城关镇",
        "latitude": "23.1",
        "longitude": "113.2",
        "detects": "违法停车",
        "legal_basis": "《道路交通安全法》第一百一十四条",
        "check_body": "计量所",
        "check_report": "R-1",
        "checked_on": "2026-01-05",
    }
    response = head.post("/devices/new/", data)
    device = Device.objects.get(code="YD-7")
    assert response.status_code == 302
    refused = head.post(f"/devices/{device.pk}/publish/")
    assert refused.status_code == 409 and "第四十一条" in refused.content.decode()
    assert head.post(f"/devices/{device.pk}/submit/", {"materials": ""}).status_code == 302
    reviewer = client_for(world.reviewer)
    assert "出具审核意见" in reviewer.get(f"/devices/{device.pk}/").content.decode()
    assert (
        reviewer.post(f"/devices/{device.pk}/opinion/", {"opinion": "problems", "reasons": ""}).status_code
        == 400
    )
    assert (
        reviewer.post(f"/devices/{device.pk}/opinion/", {"opinion": "agree", "reasons": ""}).status_code
        == 302
    )
    assert head.post(f"/devices/{device.pk}/publish/").status_code == 302
    page = Client().get("/public/devices/").content.decode()
    assert "移动监控车" in page and "23.100000" in page and "违法停车" in page


def test_public_list_shows_no_unpublished_device(world):
    registered(world)
    page = Client().get("/public/devices/")
    assert page.status_code == 200 and "人民路口电子监控" not in page.content.decode()


def test_import_review_case_and_notice_through_the_pages(world):
    device = published(world)
    officer = client_for(world.officer)
    upload = SimpleUploadedFile("records.zip", zip_of(rows(device.code, "A1", "A2")))
    page = officer.post("/devices/records/import/", {"file": upload})
    assert page.status_code == 200 and "导入 2 条" in page.content.decode()
    record = DeviceEvent.objects.get(external_id="A1")
    refused = officer.post(f"/devices/records/{record.pk}/case/", {"cause": ""})
    assert refused.status_code == 409 and "第四十一条" in refused.content.decode()
    assert (
        officer.post(f"/devices/records/{record.pk}/review/", {"usable": "1", "reason": ""}).status_code
        == 400
    )
    assert (
        officer.post(f"/devices/records/{record.pk}/review/", {"usable": "1", "reason": "清晰。"}).status_code
        == 302
    )
    assert officer.post(f"/devices/records/{record.pk}/case/", {"cause": ""}).status_code == 302
    record.refresh_from_db()
    assert record.review == EventReview.USABLE and record.case is not None
    assert officer.post(f"/devices/records/{record.pk}/notify/").status_code == 302
    record.refresh_from_db()
    assert record.noticed_at is not None
    bad = officer.post("/devices/records/import/", {"file": SimpleUploadedFile("x.zip", b"not a zip")})
    assert bad.status_code == 400 and "ZIP" in bad.content.decode()


def test_command_imports_and_refuses_with_exit_codes(world, tmp_path):
    device = published(world)
    path = directory(tmp_path, rows(device.code, "C1"))
    out = StringIO()
    call_command("devices", "import", str(path), "--as", world.officer.username, stdout=out)
    assert "导入 1 条" in out.getvalue()
    unreviewed = registered(world, "SZ-009")
    path = directory(tmp_path, rows(unreviewed.code, "C2"))
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "devices", "import", str(path), "--as", world.officer.username, stdout=StringIO(), stderr=err
        )
    assert error.value.returncode == 1 and "第四十一条" in err.getvalue()
    with pytest.raises(CommandError) as error:
        call_command("devices", "import", str(tmp_path / "none.json"), "--as", world.officer.username)
    assert error.value.returncode == 2
    assert subjects.latest(unreviewed.ref) is None


def test_pages_carry_the_policy_and_nothing_it_refuses(world):
    from zhifa.tests.test_csp import _check

    device = published(world)
    [record] = imported(world, device)
    _check(Client(), "/public/devices/")
    for user in (world.head, world.officer, world.reviewer):
        client = client_for(user)
        for url in [
            "/devices/",
            f"/devices/{device.pk}/",
            "/devices/records/",
            f"/devices/records/{record.pk}/",
        ]:
            _check(client, url)
    _check(client_for(world.head), "/devices/new/")


def test_the_device_page_lists_its_records_through_the_selector(world):
    from zhifa.devices.selectors import events_of_device

    device, other = published(world), published(world, code="SZ-002")
    [record] = imported(world, device)
    assert events_of_device(device=device) == [record] and events_of_device(device=other) == []
    page = client_for(world.officer).get(f"/devices/{device.pk}/").content.decode()
    assert f"/devices/records/{record.pk}/" in page
