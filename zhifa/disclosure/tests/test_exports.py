"""CSV and XLSX exports: fixed columns, filters, only redacted public data, bad input refused."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from zhifa.core.spreadsheets import formula_safe
from zhifa.disclosure import exports
from zhifa.disclosure.tests.opendata_data import SECRETS, make_published
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db
HEADERS = [header for header, _ in exports.COLUMNS]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # utf-8-sig for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[object]]:
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def rows(world):
    return make_published(world)


def test_csv_columns_rows_and_filters(client, rows):
    response = client.get("/public/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "attachment" in response["Content-Disposition"]
        and "filename*=UTF-8''" in response["Content-Disposition"]
    )
    table = read_csv(response)
    assert table[0] == HEADERS
    assert {int(r[0]) for r in table[1:]} == {rows.citizen.pk, rows.company.pk}  # not the withdrawn one
    company = next(r for r in table[1:] if int(r[0]) == rows.company.pk)
    assert company[HEADERS.index("罚款金额（元）")] == "20000.00"
    assert company[HEADERS.index("处罚种类")] == "警告、罚款"
    assert company[HEADERS.index("链接")].endswith(f"/public/decisions/{rows.company.pk}/")
    filtered = read_csv(client.get("/public/export.csv", {"q": "农民工"}))
    assert [int(r[0]) for r in filtered[1:]] == [rows.company.pk]
    assert len(read_csv(client.get("/public/export.csv", {"penalty_kind": "warning"}))) == 2


def test_xlsx_columns_and_rows(client, rows):
    response = client.get("/public/export.xlsx", {"fine_max": "10000"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    table = read_xlsx(response)
    assert table[0] == HEADERS
    assert [r[0] for r in table[1:]] == [rows.citizen.pk]
    # Fit to read: the header stays while scrolling, filters over the whole table, wide columns.
    again = client.get("/public/export.xlsx", {"fine_max": "10000"})
    sheet = load_workbook(io.BytesIO(b"".join(again.streaming_content))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADERS))}2"
    widths = {
        sheet.cell(1, i).value: sheet.column_dimensions[get_column_letter(i)].width
        for i in range(1, len(HEADERS) + 1)
    }
    assert widths["公示内容"] >= 60 and widths["标题"] >= 40 and widths["编号"] < widths["执法机关"]


def test_cap_adds_a_last_row(client, rows, monkeypatch):
    monkeypatch.setattr(exports, "MAX_ROWS", 1)
    table = read_csv(client.get("/public/export.csv"))
    assert len(table) == 3 and table[2][0].startswith("结果超过")
    sheet = read_xlsx(client.get("/public/export.xlsx"))
    assert len(sheet) == 3 and str(sheet[2][0]).startswith("结果超过")


def test_bad_filters_are_refused(client, rows):
    for path in ("/public/export.csv", "/public/export.xlsx"):
        response = client.get(path, {"decided_from": "不是日期"})
        assert response.status_code == 400
        assert "导出条件有误" in response.content.decode()
        assert client.get(path, {"fine_min": "5", "fine_max": "1"}).status_code == 400


def test_formula_cells_are_neutralised():
    assert formula_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert formula_safe("罚款") == "罚款"
    assert formula_safe(5) == 5


def test_exports_hold_only_redacted_data(client, rows):
    csv_text = "\n".join(",".join(r) for r in read_csv(client.get("/public/export.csv")))
    xlsx_text = "\n".join(",".join(str(c) for c in r) for r in read_xlsx(client.get("/public/export.xlsx")))
    for text in (csv_text, xlsx_text):
        for secret in SECRETS:
            assert secret not in text
        assert "张**" in text or "张*" in text  # the masked name is what the public sees


def test_exports_are_read_only(rows):
    client = Client(enforce_csrf_checks=True)
    with unchanged_db():
        for path in ("/public/export.csv", "/public/export.xlsx"):
            assert client.post(path).status_code in (403, 405)
