"""12345 / 司法部平台 transfers from CSV or XLSX: preview with per-row errors, then confirm."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.supervision import clue_import
from zhifa.supervision.models_clues import Clue, ClueSource

pytestmark = pytest.mark.django_db

HEADER = "来源,工单编号,被反映执法主体,标题,内容,反映人,联系电话,联系地址\n"


def csv_of(j, *lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def rows(j):
    return csv_of(
        j,
        f"12345,GD-001,{j.agency.name},拖欠工资举报未处理,举报两周未处理,陈先生,13700990011,",
        f"司法部平台,SFB-009,{j.other.name},乱罚款,对个体户乱罚款,,,",
        f"12345,GD-002,{j.outside.name},外县的事,外县,,,",
        "微信,X-1,,来源不对,内容,,,",
        "12345,GD-001,,重复工单,内容,,,",
        "12345,GD-003,,,没有标题,,,",
    )


def test_the_preview_names_each_bad_row_and_the_confirmation_registers_the_good_ones(jurisdiction):
    j = jurisdiction
    parsed = clue_import.parse(actor=j.supervisor, filename="转办.csv", content=rows(j))
    assert [r["origin_ref"] for r in parsed.rows] == ["GD-001", "SFB-009"]
    assert [e["row"] for e in parsed.errors] == [4, 5, 6, 7]
    assert "不在本机关的监督范围内" in parsed.errors[0]["message"]
    assert "应为 12345 或 司法部平台" in parsed.errors[1]["message"]
    assert "在文件中重复" in parsed.errors[2]["message"]
    assert not Clue.objects.exists()
    created, _ = clue_import.clue_import_transfers(actor=j.supervisor, filename="转办.csv", content=rows(j))
    assert {(c.source, c.origin_ref) for c in created} == {
        (ClueSource.HOTLINE, "GD-001"),
        (ClueSource.MOJ, "SFB-009"),
    }
    again = clue_import.parse(actor=j.supervisor, filename="转办.csv", content=rows(j))
    assert not again.rows and "已登记" in again.errors[0]["message"]


def test_xlsx_is_read_and_a_bad_header_or_format_is_refused(jurisdiction):
    j = jurisdiction
    book = Workbook()
    sheet = book.active
    sheet.append(["来源", "工单编号", "被反映执法主体", "标题", "内容"])
    sheet.append(["12345", 20261201, j.agency.name, "投诉", "内容"])
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = clue_import.parse(actor=j.supervisor, filename="a.xlsx", content=buffer.getvalue())
    assert parsed.rows[0]["origin_ref"] == "20261201"
    with pytest.raises(InvalidInput, match="缺少"):
        clue_import.parse(actor=j.supervisor, filename="a.csv", content="标题\n投诉\n".encode())
    with pytest.raises(InvalidInput, match="XLSX 或 CSV"):
        clue_import.parse(actor=j.supervisor, filename="a.txt", content=b"x")
    with pytest.raises(NotPermitted):
        clue_import.parse(actor=j.head, filename="a.csv", content=rows(j))


def test_the_import_page_previews_then_confirms_and_is_refused_to_others(jurisdiction):
    j = jurisdiction
    url = reverse("supervision:clue_import")
    client = Client()
    client.force_login(j.supervisor)
    preview = client.post(url, {"file": SimpleUploadedFile("转办.csv", rows(j), content_type="text/csv")})
    text = preview.content.decode()
    assert (
        preview.status_code == 200
        and "可导入 2 行，错误 4 行" in text
        and "第" not in text.split("预览")[0][-5:]
    )
    assert not Clue.objects.exists()
    done = client.post(url, {"confirm": "1"})
    assert done.status_code == 302 and Clue.objects.count() == 2
    assert client.post(url, {"confirm": "1"}).status_code == 400  # the held file is used once
    for user in (j.head, j.officer):
        other = Client()
        other.force_login(user)
        assert other.get(url).status_code == 403
        assert other.post(url, {"confirm": "1"}).status_code == 403
    assert Client().get(url).status_code == 302
