from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.accounts.models import Role
from zhifa.cases.payment_code import payment_code
from zhifa.cases.tests.steps import d, travel
from zhifa.payments import services
from zhifa.payments.models import LineState, ReceiptImport, ReceiptLine
from zhifa.payments.tests.helpers import DAY0, paying, receipt_file, unpaid_case
from zhifa.testing.factories import make_user


def wrong_check_digit(case) -> str:
    # Another last digit than the code's own (a fixed "0" is the code itself for one case in ten).
    code = payment_code(case)
    return code[:-1] + ("1" if code.endswith("0") else "0")


pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queued_line(world) -> ReceiptLine:
    with travel(DAY0):
        case = unpaid_case(world)
    source = services.receipt_import_create(
        actor=world.head,
        file_name="b.csv",
        content=receipt_file([paying(case, d("2026-03-09"), Decimal("50.00"))]),
        queue=False,
    )
    with travel("2026-03-10"):
        services.receipt_import_run(pk=source.pk)
    return ReceiptLine.objects.get()


def test_pages_are_refused_to_anyone_outside_the_agency_s_head_and_officers(world):
    line = _queued_line(world)
    supervisor = make_user(Role.SUPERVISOR, full_name="监督员")
    urls = [
        "/payments/",
        f"/payments/imports/{line.source_id}/",
        "/payments/queue/",
        f"/payments/lines/{line.pk}/",
    ]
    for user in (world.reviewer, supervisor):
        for url in urls:
            assert client_for(user).get(url).status_code == 403, (user, url)
    assert Client().get("/payments/").status_code == 302  # to the login page
    # Another agency's head: its own pages open, this agency's import and line are not found.
    other_head = make_user(Role.HEAD, full_name="外单位局长")
    for user in (other_head, world.outsider):
        client = client_for(user)
        assert client.get("/payments/queue/").status_code == 200
        assert line.transaction_id not in client.get("/payments/queue/").content.decode()
        assert client.get(f"/payments/imports/{line.source_id}/").status_code == 404
        assert client.get(f"/payments/lines/{line.pk}/").status_code == 404
    assert (
        client_for(other_head).post(f"/payments/lines/{line.pk}/dismiss/", {"reason": "x"}).status_code == 404
    )


def test_officer_reads_but_only_the_head_imports_and_resolves(world):
    line = _queued_line(world)
    officer = client_for(world.officer)
    page = officer.get("/payments/queue/")
    assert page.status_code == 200 and line.transaction_id in page.content.decode()
    upload = SimpleUploadedFile("b.csv", b"x")
    assert officer.post("/payments/", {"file": upload}).status_code == 403
    assert officer.post(f"/payments/lines/{line.pk}/resolve/", {}).status_code == 403
    assert officer.post(f"/payments/lines/{line.pk}/dismiss/", {"reason": "退付"}).status_code == 403
    line.refresh_from_db()
    assert line.state == LineState.MISMATCH


def test_head_uploads_a_file_sees_its_progress_and_resolves_the_queue(
    world, django_capture_on_commit_callbacks
):
    with travel(DAY0):
        case = unpaid_case(world)
    head = client_for(world.head)
    content = receipt_file(
        [paying(case, d("2026-03-09")), (wrong_check_digit(case), d("2026-03-09"), Decimal(5))]
    )
    with travel("2026-03-10"), django_capture_on_commit_callbacks(execute=True):
        response = head.post("/payments/", {"file": SimpleUploadedFile("bank.csv", content)})
    source = ReceiptImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/payments/imports/{source.pk}/"
    page = head.get(response["Location"]).content.decode()
    assert "已完成" in page and "已处理 2 / 2 行" in page and "w-100" in page
    assert "data-refresh-seconds" not in page  # finished: no more reloading
    case.refresh_from_db()
    assert case.fine_paid_on == d("2026-03-09")
    line = ReceiptLine.objects.get(state=LineState.UNMATCHED)
    assert head.get(f"/payments/lines/{line.pk}/").status_code == 200
    refused = head.post(f"/payments/lines/{line.pk}/dismiss/", {"reason": ""})
    assert refused.status_code == 400
    done = head.post(f"/payments/lines/{line.pk}/dismiss/", {"reason": "缴款码有误，已退付。"})
    assert done.status_code == 302
    line.refresh_from_db()
    assert line.state == LineState.DISMISSED


def test_a_running_import_page_reloads_itself(world):
    source = ReceiptImport.objects.create(
        agency=world.agency,
        file_name="x.csv",
        sha256="0" * 64,
        content=b"",
        total=10,
        processed=3,
        imported_by=world.head,
    )
    page = client_for(world.head).get(f"/payments/imports/{source.pk}/").content.decode()
    assert 'data-refresh-seconds="2"' in page and "w-30" in page and "payments/progress.js" in page


def test_a_bad_file_is_a_form_error(world):
    response = client_for(world.head).post(
        "/payments/", {"file": SimpleUploadedFile("b.csv", "缴款码\n1\n".encode())}
    )
    assert response.status_code == 400 and "缺少" in response.content.decode()
    assert not ReceiptImport.objects.exists()


def test_command_imports_with_a_summary_and_refuses_bad_input(world, tmp_path):
    from django.core.management import CommandError, call_command

    with travel(DAY0):
        case = unpaid_case(world)
    path = tmp_path / "bank.csv"
    path.write_bytes(receipt_file([paying(case, d("2026-03-09"))]))
    from io import StringIO

    out = StringIO()
    with travel("2026-03-10"):
        call_command("payments", "import", str(path), "--as", world.head.username, stdout=out)
    assert "入账 1 笔" in out.getvalue()
    with pytest.raises(CommandError) as error:
        call_command("payments", "import", str(tmp_path / "missing.csv"), "--as", world.head.username)
    assert error.value.returncode == 2
    with pytest.raises(CommandError, match="负责人") as error:
        call_command("payments", "import", str(path), "--as", world.officer.username)
    assert error.value.returncode == 2


def test_pages_carry_the_policy_and_nothing_it_refuses(world):
    from zhifa.tests.test_csp import _check

    line = _queued_line(world)
    for user in (world.head, world.officer):
        client = client_for(user)
        for url in [
            "/payments/",
            "/payments/queue/",
            f"/payments/imports/{line.source_id}/",
            f"/payments/lines/{line.pk}/",
        ]:
            _check(client, url)


def test_the_import_page_lists_only_its_open_lines(world):
    from zhifa.payments.selectors import import_open_lines

    with travel(DAY0):
        case = unpaid_case(world)
    content = receipt_file(
        [paying(case, d("2026-03-09")), (wrong_check_digit(case), d("2026-03-09"), Decimal(5))]
    )
    with travel("2026-03-10"):
        source = services.receipt_import_create(
            actor=world.head, file_name="b.csv", content=content, queue=False
        )
        services.receipt_import_run(pk=source.pk)
    [line] = import_open_lines(source=source)
    assert line.state == LineState.UNMATCHED and line.case is None
    page = client_for(world.head).get(f"/payments/imports/{source.pk}/").content.decode()
    assert f"/payments/lines/{line.pk}/" in page
