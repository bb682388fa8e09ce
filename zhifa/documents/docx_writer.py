"""DOCX from the rendered document HTML, for offices that edit or archive in Word/WPS.

Not a general converter: it understands the restricted HTML the document templates use —
p, h1, h2, hr, div, table/tr/th/td (colspan), br, strong/b, u, em/span — and the classes
center, right, noindent, field, small, doc-agency, doc-number. Elements with class "no-docx"
(the QR footer, the preview mark), <head>, <style> and <svg> are skipped. The signed PDF
remains the authoritative version; the DOCX footer says so.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from typing import Any, TypeAlias

import lxml.html
from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

# Fonts present on the offices' Windows and WPS machines (GB/T 9704: 仿宋 body, 小标宋/宋体 title).
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
RED = RGBColor(0xC0, 0x00, 0x00)
SKIP_TAGS = {"head", "style", "script", "svg", "title", "meta"}
INLINE_TAGS = {"strong", "b", "u", "em", "i", "span", "br", "a"}
BLOCK_TAGS = {"p", "h1", "h2", "h3", "hr", "div", "table"}
# HTML source whitespace (not the full-width space U+3000 the templates use for layout).
SOURCE_SPACE = re.compile(r"[ \t\r\n]+")

# A python-docx Document or table cell: anything with add_paragraph() and add_table().
Container: TypeAlias = Any


def _classes(element: lxml.html.HtmlElement) -> set[str]:
    return set((element.get("class") or "").split())


def _set_east_asian_font(run_or_style: Any, name: str) -> None:
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _bottom_border(paragraph: Paragraph, color: str = "C00000", size: int = 16) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


class _Writer:
    def __init__(self) -> None:
        self.doc = new_docx()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(15)
        normal.font.name = BODY_FONT
        _set_east_asian_font(normal, BODY_FONT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)

    # ── blocks ──

    def blocks(self, container: Container, element: lxml.html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in SKIP_TAGS or "no-docx" in _classes(child):
                continue
            if child.tag in {"p", "h1", "h2", "h3"}:
                self.paragraph(container, child)
            elif child.tag == "hr":
                _bottom_border(
                    container.add_paragraph(), "C00000" if "red-rule" in _classes(child) else "000000"
                )
            elif child.tag == "table":
                self.table(container, child)
            elif child.tag in INLINE_TAGS:
                # Loose inline content at block level: give it a paragraph of its own.
                paragraph = container.add_paragraph()
                self.inline(paragraph, child, bold=False, underline=False)
            else:  # div, body, html and anything else: a transparent wrapper
                self.blocks(container, child)

    def paragraph(self, container: Container, element: lxml.html.HtmlElement) -> None:
        paragraph: Paragraph = container.add_paragraph()
        classes = _classes(element)
        fmt = paragraph.paragraph_format
        in_cell = isinstance(container, _Cell)
        size: float | None = None
        bold = element.tag in {"h1", "h2", "h3"}
        color = None
        font = None
        if element.tag == "h1":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            size, font = 21, TITLE_FONT
        elif "doc-agency" in classes:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            size, bold, color, font = 24, True, RED, TITLE_FONT
        elif "doc-number" in classes or "right" in classes or "sign" in classes:
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif "center" in classes:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif not in_cell and not classes & {"noindent", "field"}:
            fmt.first_line_indent = Pt(30)  # two characters of 15 pt
        if in_cell or "small" in classes:
            size = 12 if in_cell else 11
            fmt.line_spacing = Pt(20)
        self.inline(paragraph, element, bold=bold, underline=False)
        _trim(paragraph)
        for run in paragraph.runs:
            if size:
                run.font.size = Pt(size)
            if color is not None:
                run.font.color.rgb = color
            if font:
                run.font.name = font
                _set_east_asian_font(run, font)

    def inline(
        self, paragraph: Paragraph, element: lxml.html.HtmlElement, *, bold: bool, underline: bool
    ) -> None:
        if element.text:
            self.run(paragraph, element.text, bold=bold, underline=underline)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS and "no-docx" not in _classes(child):
                if child.tag == "br":
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                elif child.tag == "img":
                    _picture(paragraph, child)
                else:
                    self.inline(
                        paragraph,
                        child,
                        bold=bold or child.tag in {"strong", "b"},
                        underline=underline or child.tag == "u",
                    )
            if child.tail:
                self.run(paragraph, child.tail, bold=bold, underline=underline)

    @staticmethod
    def run(paragraph: Paragraph, text: str, *, bold: bool, underline: bool) -> None:
        text = SOURCE_SPACE.sub(" ", text)
        if text.strip(" "):
            run = paragraph.add_run(text)
            run.bold = bold or None
            run.underline = underline or None

    def table(self, container: Container, element: lxml.html.HtmlElement) -> None:
        rows = list(_rows(element))
        if not rows:
            return
        width = max(sum(_span(cell) for cell in row) for row in rows)
        table = container.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for r, row in enumerate(rows):
            c = 0
            for cell_element in row:
                span = min(_span(cell_element), width - c)
                cell = table.cell(r, c)
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                self.cell(cell, cell_element)
                c += span

    def cell(self, cell: _Cell, element: lxml.html.HtmlElement) -> None:
        first = cell.paragraphs[0]
        has_blocks = any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in element)
        if has_blocks:
            self.blocks(cell, element)
            if len(cell.paragraphs) > 1 and not first.text:
                first._element.getparent().remove(first._element)
        else:
            self.inline(first, element, bold=element.tag == "th", underline=False)
            _trim(first)
            for run in first.runs:
                run.font.size = Pt(12)
            if "center" in _classes(element):
                first.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _picture(paragraph: Paragraph, element: lxml.html.HtmlElement) -> None:
    """An inline PNG image (a data: URI, e.g. the party page's QR code) as a picture of 22 mm."""
    src = element.get("src") or ""
    prefix = "data:image/png;base64,"
    if src.startswith(prefix):
        try:
            png = base64.b64decode(src[len(prefix) :], validate=True)
        except ValueError:
            return
        paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(22))


def _trim(paragraph: Paragraph) -> None:
    """Drop the source indentation HTML ignores at the start and end of a block."""
    runs = paragraph.runs
    if runs:
        # Only a run that changes is rewritten: setting .text empties a run, a picture's too.
        if (start := runs[0].text.lstrip(" ")) != runs[0].text:
            runs[0].text = start
        if (end := runs[-1].text.rstrip(" ")) != runs[-1].text:
            runs[-1].text = end


def _rows(table: lxml.html.HtmlElement) -> Iterator[list[lxml.html.HtmlElement]]:
    for row in table.iter("tr"):
        yield [cell for cell in row if isinstance(cell.tag, str) and cell.tag in {"td", "th"}]


def _span(cell: lxml.html.HtmlElement) -> int:
    value = cell.get("colspan") or "1"
    return int(value) if value.isdigit() and 0 < int(value) <= 20 else 1


def docx_from_html(html: str, *, footer: str, qr_png: bytes = b"") -> bytes:
    """The DOCX of a rendered document; `footer` (and the QR code, as on the PDF) on every page.

    The seal image is not copied: an editable copy must not look sealed; the signed PDF is.
    """
    writer = _Writer()
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    writer.blocks(writer.doc, body if body is not None else root)
    footer_paragraph = writer.doc.sections[0].footer.paragraphs[0]
    if qr_png:
        footer_paragraph.add_run().add_picture(io.BytesIO(qr_png), width=Mm(18))
        footer_paragraph.add_run().add_break(WD_BREAK.LINE)
    footer_paragraph.add_run(footer)
    for run in footer_paragraph.runs:
        run.font.size = Pt(9)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return buffer.getvalue()
