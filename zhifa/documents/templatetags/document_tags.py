"""Filters the document templates use: amounts in words, Chinese dates, paragraphs of plain text.

Every filter is tolerant: an empty value gives an empty string, and a value it cannot read is
shown as it was given (a document must never lose what the case recorded).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import cn2an
from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

CENT = Decimal("0.01")
# Fines, surcharges and amounts of seized goods; beyond this cn2an's wording is not a cheque's.
MAX_AMOUNT = Decimal("1000000000000")


def amount_in_words(value: object) -> str:
    """人民币大写 of an amount in yuan: 200 → 贰佰元整, 1234.5 → 壹仟贰佰叁拾肆元伍角.

    Follows the rules for writing amounts on bills (中国人民银行《支付结算办法》附件一):
    零 for skipped digits, 整 after 元 or 角 when there are no 分. Raises ValueError for a value
    that is not a non-negative amount.
    """
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ValueError(f"amount out of range: {value!r}")
    words: str = cn2an.an2cn(str(amount.quantize(CENT)), "rmb")
    return words


@register.filter
def rmb_upper(value: object) -> str:
    if value is None or str(value).strip() == "":
        return ""
    try:
        return amount_in_words(value)
    except ValueError:
        return str(value)


@register.filter
def yuan(value: object) -> str:
    """An amount as written in a decision: 1234.5 → 1,234.50."""
    if value is None or str(value).strip() == "":
        return ""
    try:
        return f"{Decimal(str(value).strip().replace(',', '')).quantize(CENT):,}"
    except InvalidOperation:
        return str(value)


# "罚款人民币 200 元", "罚款18000元", "罚款1.8万元": where a typed 处罚内容 states a fine.
FINE_STATED = re.compile(r"罚款(?:人民币)?\s*([0-9][0-9,，]*(?:\.[0-9]+)?)\s*(万?)\s*元")
CLAUSE_END = "。，；;,. 　"


def _stated_amount(match: re.Match[str]) -> Decimal | None:
    try:
        amount = Decimal(match.group(1).replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return amount * 10000 if match.group(2) else amount


@register.simple_tag
def penalty_clause(penalty: object, fine_amount: object = "") -> str:
    """The 处罚内容 as one clause that states the fine once, in figures and in words.

    The typed text may already name the fine ("处以罚款人民币18000元。"): that mention is written
    as the decision's fine instead of adding a second one. A text that names other amounts only
    (每人罚款300元) gets the total after it (合计). Its closing punctuation is dropped, because the
    sentence around it ends the clause.
    """
    text = str(penalty or "").strip().rstrip(CLAUSE_END)
    if fine_amount is None or str(fine_amount).strip() == "":
        return text
    stated = f"罚款人民币{yuan(fine_amount)}元（{rmb_upper(fine_amount)}）"
    try:
        fine = Decimal(str(fine_amount).strip().replace(",", ""))
    except InvalidOperation:
        fine = None
    mentions = list(FINE_STATED.finditer(text))
    for found in mentions:
        if fine is not None and _stated_amount(found) == fine:
            return text[: found.start()] + stated + text[found.end() :]
    if mentions:
        return f"{text}，合计{stated}"
    return f"{text}，{stated}" if text else stated


def _parse(value: object) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.datetime | dt.date):
        return value
    text = str(value).strip()
    try:
        return (
            dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)
        )
    except ValueError:
        return None


@register.filter
def cn_date(value: object, part: str = "") -> str:
    """2026-03-05 → 2026年3月5日; a date-time also gets its time (2026年3月5日14时30分) unless
    `part` is "day" (signature dates)."""
    if value is None or str(value).strip() == "":
        return ""
    parsed = _parse(value)
    if parsed is None:
        return str(value)
    day = f"{parsed.year}年{parsed.month}月{parsed.day}日"
    if isinstance(parsed, dt.datetime):
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
            day = f"{parsed.year}年{parsed.month}月{parsed.day}日"
        if part != "day":
            return f"{day}{parsed.hour}时{parsed.minute:02d}分"
    return day


@register.filter
def paragraphs(value: object, css_class: str = "") -> SafeString | str:
    """Plain text with line breaks → one escaped <p> per non-empty line."""
    if value is None:
        return ""
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    attrs = f' class="{conditional_escape(css_class)}"' if css_class else ""
    return format_html_join("", "<p" + attrs + ">{}</p>", ((line,) for line in lines))


@register.simple_tag
def qr_png_src(url: object) -> str:
    """A QR code of `url` as a PNG data: URI (an <img> the PDF and the DOCX both show)."""
    from zhifa.documents.rendering import png_data_uri, qr_png

    return png_data_uri(qr_png(str(url))) if url else ""
