"""The registry import: preview with per-row errors, dedup, update, the task, the command, the pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.inspections import services
from zhifa.inspections.models import ImportStatus, Subject
from zhifa.inspections.registry import HEADER
from zhifa.testing.factories import make_uscc

pytestmark = pytest.mark.django_db


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _rows(world):
    existing = world.subjects[0]
    return [
        [
            make_uscc(7001),
            "新商户一",
            "新路1号",
            world.region.code,
            "餐饮",
            "食品经营许可证 JY1;营业执照",
            "b",
            "",
        ],
        [
            existing.uscc,
            "改名后的商户",
            existing.address,
            world.region.code,
            existing.industry,
            "",
            "D",
            "注销",
        ],
        ["91110000000000000X", "坏代码", "", world.region.code, "", "", "A", ""],
        [make_uscc(7001), "重复", "", world.region.code, "", "", "A", ""],
        [make_uscc(7002), "", "", world.region.code, "", "", "A", ""],
        [make_uscc(7003), "无区划", "", "000000", "", "", "A", ""],
        [make_uscc(7004), "坏分类", "", world.region.code, "", "", "Z", ""],
        [
            world.subjects[1].uscc,
            world.subjects[1].name,
            world.subjects[1].address,
            world.region.code,
            world.subjects[1].industry,
            "",
            world.subjects[1].risk_class,
            "",
        ],
    ]


def test_preview_reports_each_bad_row_and_the_task_writes_the_good_ones(
    world, django_capture_on_commit_callbacks
):
    imp, parsed = services.registry_import_preview(
        actor=world.head, filename="名录.csv", content=_csv(_rows(world))
    )
    assert parsed.total == 8 and len(parsed.rows) == 3
    messages = [e["message"] for e in parsed.errors]
    assert messages[0].startswith("第 4 行：统一社会信用代码")
    assert "与第 2 行重复" in messages[1]
    assert "名称不能为空" in messages[2] and "区划代码" in messages[3] and "信用风险分类“Z”" in messages[4]
    assert not Subject.objects.filter(uscc=make_uscc(7001)).exists()  # nothing before the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        services.registry_import_confirm(actor=world.head, registry_import=imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.DONE
    assert (imp.created, imp.updated, imp.unchanged, imp.error_count) == (1, 1, 1, 5)
    new = Subject.objects.get(uscc=make_uscc(7001))
    assert new.risk_class == "B" and new.licences == ["食品经营许可证 JY1", "营业执照"]
    changed = Subject.objects.get(pk=world.subjects[0].pk)
    assert changed.name == "改名后的商户" and changed.risk_class == "D" and not changed.is_active
    with pytest.raises(Exception, match="不能再次确认"):
        services.registry_import_confirm(actor=world.head, registry_import=imp)


def test_xlsx_and_refusals(world):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([make_uscc(7100), "表格商户", "路", int(world.region.code), "零售", None, "A", None])
    data = io.BytesIO()
    book.save(data)
    _, parsed = services.registry_import_preview(actor=world.head, filename="x.xlsx", content=data.getvalue())
    assert list(parsed.rows) == [make_uscc(7100)]
    with pytest.raises(InvalidInput, match="表头"):
        services.registry_import_preview(actor=world.head, filename="x.csv", content=b"a,b\n1,2\n")
    with pytest.raises(InvalidInput, match="XLSX 或 CSV"):
        services.registry_import_preview(actor=world.head, filename="x.txt", content=b"")
    with pytest.raises(NotPermitted):
        services.registry_import_preview(actor=world.officer_user, filename="x.csv", content=_csv([]))


def test_command_imports_with_progress(world, tmp_path, capsys):
    path = tmp_path / "名录.csv"
    path.write_bytes(_csv(_rows(world)))
    call_command("inspections", "import", str(path), "--dry-run")
    assert not Subject.objects.filter(uscc=make_uscc(7001)).exists()
    call_command("inspections", "import", str(path))
    out = capsys.readouterr().out
    assert "新增 1 户，更新 1 户" in out and "第 4 行" in out
    with pytest.raises(CommandError) as refused:
        call_command("inspections", "import", str(tmp_path / "none.csv"))
    assert refused.value.returncode == 2


def test_import_pages(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.head)
    upload = SimpleUploadedFile("名录.csv", _csv(_rows(world)), content_type="text/csv")
    response = client.post(reverse("inspections:import_new"), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "确认导入 3 行" in page and "第 4 行" in page
    imp_pk = int(response["Location"].rstrip("/").split("/")[-1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspections:import_confirm", args=[imp_pk]))
    done = client.get(reverse("inspections:import_detail", args=[imp_pk])).content.decode()
    assert "已完成" in done and "新增 1 户" in done
    client.force_login(world.partner_head)  # another head does not see this import
    assert client.get(reverse("inspections:import_detail", args=[imp_pk])).status_code == 404
    assert client.post(reverse("inspections:import_confirm", args=[imp_pk])).status_code == 404


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZ", min_size=16, max_size=19))
def test_the_import_check_is_stdnums(text):
    from stdnum.cn import uscc

    from zhifa.inspections.registry import valid_uscc

    candidates = [text]
    if len(text) >= 17 and all(c in "0123456789ABCDEFGHJKLMNPQRTUWXY" for c in text[:17]):
        candidates.append(text[:17] + uscc.calc_check_digit(text[:17]))  # a valid one, when possible
    for code in candidates:
        assert valid_uscc(code) == uscc.is_valid(code), code
