"""The code and the QR code on a served document: the PDF (its HTML) and the DOCX both carry them."""

from __future__ import annotations

import io

import pytest
from docx import Document as Docx

from zhifa.cases.tests import steps
from zhifa.documents.kinds import kind_get
from zhifa.documents.models import Document
from zhifa.documents.rendering import Stamp, render_html
from zhifa.documents.services import document_signed
from zhifa.testing.document_text import text_problems

pytestmark = pytest.mark.django_db


def test_a_served_document_prints_the_code_and_a_qr_to_the_party_page(world):
    with steps.travel(steps.START_DAY):
        case = steps.notified_case(world)
    notice = Document.objects.get(subject_ref=case.subject_ref, kind="prior_notice")
    code = notice.content["party_access"]["code"]
    html = render_html(
        kind=kind_get("prior_notice"),
        content=notice.content,
        stamp=Stamp(number=notice.number, verification_code=notice.verification_code),
    )
    assert f"当事人查询码：<strong>{code}</strong>" in html and 'src="data:image/png;base64,' in html
    assert "身份证件号码后六位" in html
    assert text_problems(html) == []
    signed = document_signed(notice)
    docx = Docx(io.BytesIO(signed.docx.read()))
    text = "\n".join(p.text for t in docx.tables for row in t.rows for c in row.cells for p in c.paragraphs)
    assert code in text
    # The QR code is a picture in the body (the verification QR sits in the footer).
    assert len(docx.inline_shapes) >= 1
