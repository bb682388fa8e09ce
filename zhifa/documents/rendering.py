"""From content to HTML to PDF. The rendered HTML is the single source of the preview, the PDF and the DOCX.

The PDF is A4 PDF/A-2b, rendered by WeasyPrint with the Noto CJK fonts embedded (subsets), so
it shows the same on any reader and is fit for the archive.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from zhifa.core.errors import InvalidInput
from zhifa.documents.kinds import DocumentKind
from zhifa.org.models import Agency

PREVIEW_NUMBER = "（预览，未编号）"
PDF_VARIANT = "pdf/a-2b"


@dataclass(frozen=True)
class Stamp:
    """What the issued document carries and the preview does not."""

    number: str
    verification_code: str
    seal_png: bytes = b""  # the agency's seal image, shown over the 落款 of the PDF


def normalized_content(content: object) -> dict[str, Any]:
    """The content as JSON would give it back: what is stored is exactly what was rendered."""
    if not isinstance(content, dict):
        raise InvalidInput("文书内容须为键值对（dict）。")
    try:
        text = json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"文书内容含有无法保存的值：{exc}。") from None
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def agency_block(agency: Agency) -> dict[str, str]:
    return {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "remedies": agency.remedies,
        "reconsideration_body": agency.reconsideration_body,
        "litigation_court": agency.litigation_court,
    }


def full_content(agency: Agency, content: dict[str, Any], issued_on: dt.date) -> dict[str, Any]:
    """The caller's content plus what documents fills in itself: the agency and the issue date."""
    return normalized_content({**content, "agency": agency_block(agency), "issued_on": issued_on.isoformat()})


def verification_url(code: str) -> str:
    return settings.ZHIFA_PUBLIC_URL.rstrip("/") + reverse("verify:detail", args=[code])


def qr_svg(url: str) -> SafeString:
    # segno writes the SVG itself from the URL; no user input reaches it unescaped.
    svg: str = segno.make(url, error="m").svg_inline(scale=3, border=2, omitsize=True)
    return mark_safe(svg)


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_png(url: str) -> bytes:
    """The QR code as PNG, for the DOCX (Word shows no inline SVG)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def render_html(*, kind: DocumentKind, content: dict[str, Any], stamp: Stamp | None) -> str:
    """The document as HTML. `stamp` None is the preview: no number, no verification code, no QR."""
    meta: dict[str, Any] = {
        "title": kind.title,
        "code": kind.code,
        "number": stamp.number if stamp else PREVIEW_NUMBER,
        "preview": stamp is None,
    }
    if stamp is not None:
        url = verification_url(stamp.verification_code)
        meta.update(
            verification_code=stamp.verification_code,
            verification_url=url,
            qr_svg=qr_svg(url),
            seal_src=png_data_uri(stamp.seal_png) if stamp.seal_png else "",
        )
    return render_to_string(kind.template, {**content, "document": meta})


def _inline_only_fetcher() -> Any:
    """Everything a document shows is inline (the seal is a data: URI); nothing may be read from
    disk or the network."""
    import weasyprint

    # Any other URL is refused and left out (a warning), as before; fail_on_errors would raise a
    # BaseException that passes the signing's error handling.
    return weasyprint.URLFetcher(allowed_protocols={"data"})


def render_pdf(html: str) -> bytes:
    """A4 PDF/A-2b from the document HTML (fonts come from fontconfig: fonts-noto-cjk)."""
    # Imported here: WeasyPrint takes a second and a half to import, and only the worker that
    # renders (and the annual report's export) needs it, not every web process and command.
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=_inline_only_fetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )
    return pdf
