"""Numbers and identifiers: 身份证号 (GB 11643), phones, bank cards (Luhn), e-mail, plates, passports,
and the numbers the law makes public (统一社会信用代码, 文号, citations, the agency's 收款账户)."""

from __future__ import annotations

import re
from datetime import date

from stdnum import luhn
from stdnum.cn import uscc

from .board import PUBLIC, Board
from .style import Style, mask_bank, mask_email, mask_id, mask_passport, mask_phone, mask_plate

CN_NUM = "零〇一二三四五六七八九十百千两"
# 文号 X市监罚〔2025〕12号: found by its year bracket, then extended over the issuer's abbreviation.
DOCUMENT_NUMBER = re.compile(r"[〔\[【(]\d{4}[〕\]】)]\s?第?\d{1,6}号")
CITATION = re.compile(
    rf"《[^》\n]{{1,60}}》(?:(?:第[{CN_NUM}\d]+(?:条|款|项|章|节)(?:之[{CN_NUM}]+)?)|[、和及与,])*"
)
USCC_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])"
)
USCC_MARKER = re.compile(r"(?:统一社会信用代码|信用代码|社会信用代码|组织机构代码|营业执照号码?|注册号)")
REGISTRATION_15 = re.compile(r"(?:注册号|营业执照号码?|营业执照编号)[:\s]*(\d{15})(?!\d)")

EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE = re.compile(
    rf"(?<![A-Za-z0-9])(?:[{_PROVINCES}][A-HJ-NP-Z][·•.\- ]?"
    r"(?:[A-HJ-NP-Z0-9]{4}[挂学警港澳领试超]|[A-HJ-NP-Z0-9]{5,6})|使[0-9]{6}|使[A-HJ-NP-Z0-9]{5}领?)(?![A-Za-z0-9])"
)
PASSPORT = re.compile(
    r"(?<![A-Za-z0-9])(?:E[A-HJ-NP-Z]\d{7}|E\d{8}|[GDSP]E?\d{7,8}|K\d{8}|C[A-Z0-9]\d{7}|[HM]\d{8}(?:\d{2})?)(?![A-Za-z0-9])"
)
PASSPORT_MARKER = re.compile(
    r"(?:护照|通行证|回乡证|旅行证)(?:号码|号|编号)?[:\s]*([A-Za-z0-9]{6,12})(?![A-Za-z0-9])"
)
LANDLINE_PAREN = re.compile(r"\(0\d{2,3}\)[ \-]?\d{3,4}[ \-]?\d{4}(?!\d)")
EXTENSION = re.compile(r"(?:转|分机|ext\.?|-)\s?\d{1,5}(?!\d)", re.IGNORECASE)
# Groups joined by single separators: 138 1234 5678, 0571-8888 6666, 110105 19491231 002X.
DIGIT_RUN = re.compile(
    r"(?<![\d.])\+?\d+(?:[Xx](?![A-Za-z0-9]))?(?:[ \-\u00a0]\d+(?:[Xx](?![A-Za-z0-9]))?)*"
    r"(?:[ \-\u00a0][Xx](?![A-Za-z0-9]))?(?!\d)"
)
# The groups inside a run (a lone X is the check character written apart: 110105 19491231 002 X).
GROUP = re.compile(r"\+?\d+[Xx]?|[Xx]")

_LABEL_GAP = re.compile(r"[^0-9A-Za-z]{0,8}")
_CONTEXT_STOP = re.compile(r"[。;\n!?]")
_ID_MARKER = re.compile(r"(?:身份证|身份号码|证件号|居民身份)")
_PHONE_MARKER = re.compile(r"(?:电话|手机|联系方式|传真|tel|TEL|Tel|电联|座机)")
_BANK_MARKER = re.compile(r"(?:卡号|银行卡|账号|帐号|账户|帐户|银行)")
# The agency's own account is printed on decisions so parties can pay: it is public.
_AGENCY_ACCOUNT = re.compile(r"(?:收款|非税|国库|财政|代收|罚没|缴款账|缴入)")


def _issuer_char(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _context(text: str, start: int, width: int = 24) -> str:
    before = text[max(0, start - width) : start]
    stops = list(_CONTEXT_STOP.finditer(before))
    return before[stops[-1].end() :] if stops else before


def _nearest_label(context: str) -> str | None:
    """Whichever label comes last before the number: 身份证号 or a registration code."""
    ids = [m.end() for m in _ID_MARKER.finditer(context)]
    codes = [m.end() for m in USCC_MARKER.finditer(context)]
    if not ids and not codes:
        return None
    last = max(ids + codes)
    # A label names the number right after it, not one after another code (…代码9135…Y43：3101…).
    if _LABEL_GAP.fullmatch(context[last:]) is None:
        return None
    return "id_card" if max(ids, default=-1) > max(codes, default=-1) else PUBLIC


def _plausible_birth(value: str) -> bool:
    try:
        born = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _person_number(value: str) -> bool:
    """Shaped like a 身份证号: a province digit and a birth date that can be. The check character is
    not asked for (a mistyped one is still someone's number), nor stdnum's list of region codes."""
    upper = value.upper()
    return bool(re.fullmatch(r"[1-8]\d{16}[\dX]", upper)) and _plausible_birth(upper[6:14])


def _legacy_id(digits: str) -> bool:
    return digits[0] in "12345678" and _plausible_birth("19" + digits[6:12])


def classify(digits: str, context: str) -> str | None:
    """id_card / phone / bank_card / PUBLIC / None for a run of digits (separators removed)."""
    plain = digits.lstrip("+")
    if digits.startswith("+") and not plain.startswith("86"):
        return None
    for prefix in ("0086", "86"):
        if plain.startswith(prefix) and re.fullmatch(r"1[3-9]\d{9}", plain[len(prefix) :]):
            return "phone"
    if digits.startswith("+"):
        return None
    n = len(plain)
    upper = plain.upper()
    labelled = _nearest_label(context)
    if n in (15, 18) and labelled == "id_card" and re.fullmatch(r"\d+X?", upper):
        return "id_card"
    if n == 18 and re.fullmatch(r"\d{17}[\dX]", upper):
        if labelled == PUBLIC:
            return PUBLIC
        if _person_number(upper):
            return "id_card"
        if uscc.is_valid(upper):
            return PUBLIC
    if "X" in upper:
        return None
    if n == 11 and re.fullmatch(r"1[3-9]\d{9}", plain):
        return "phone"
    if 10 <= n <= 12 and plain[0] == "0" and plain[1] != "0":
        return "phone"
    if n in (7, 8) and plain[0] != "0" and _PHONE_MARKER.search(context):
        return "phone"
    if n == 15 and _legacy_id(plain) and labelled != PUBLIC:
        return "id_card"
    if 12 <= n <= 19 and ((luhn.is_valid(plain) and n >= 16) or _BANK_MARKER.search(context)):
        return PUBLIC if _AGENCY_ACCOUNT.search(context) else "bank_card"
    return None


def _mask(category: str, digits: str, style: Style) -> str:
    if category == "id_card":
        return mask_id(digits, style)
    if category == "phone":
        return mask_phone(digits, style)
    return mask_bank(digits, style)


def claim_public(text: str, board: Board) -> None:
    for m in DOCUMENT_NUMBER.finditer(text):
        start = m.start()
        while (
            start > 0
            and m.start() - start < 12
            and (_issuer_char(text[start - 1]) or text[start - 1] in "()")
        ):
            start -= 1
        if start < m.start():
            board.claim(start, m.end(), PUBLIC)
    for m in CITATION.finditer(text):
        board.claim(m.start(), m.end(), PUBLIC)
    for m in REGISTRATION_15.finditer(text):
        board.claim(m.start(1), m.end(1), PUBLIC)
    for m in USCC_CANDIDATE.finditer(text):
        code = m.group()
        if not (code[0] in "123456789ANY" and uscc.is_valid(code)):
            continue
        label = _nearest_label(_context(text, m.start()))
        # About 1 in 31 identity numbers also pass the GB 32100 check: a code is kept only when a
        # 信用代码 label says so, or when nothing says it is a person's (no 身份证 label, not a valid
        # 身份证号); otherwise the number classifier decides.
        if label != PUBLIC and (code.isdigit() or label == "id_card" or _person_number(code)):
            continue
        board.claim(m.start(), m.end(), PUBLIC)


def claim_identifiers(text: str, board: Board, style: Style) -> None:
    for m in EMAIL.finditer(text):
        board.claim(m.start(), m.end(), "email", mask_email(m.group(), style))
    for m in PASSPORT_MARKER.finditer(text):
        board.claim(m.start(1), m.end(1), "passport", mask_passport(m.group(1).upper(), style))
    for m in PASSPORT.finditer(text):
        board.claim(m.start(), m.end(), "passport", mask_passport(m.group(), style))
    for m in PLATE.finditer(text):
        board.claim(m.start(), m.end(), "plate", mask_plate(m.group(), style))
    for m in LANDLINE_PAREN.finditer(text):
        end = _extension_end(text, m.end())
        digits = re.sub(r"\D", "", m.group())
        board.claim(m.start(), end, "phone", mask_phone(digits, style))
    _claim_digit_runs(text, board, style)


def _extension_end(text: str, end: int) -> int:
    ext = EXTENSION.match(text, end)
    return ext.end() if ext else end


def _claim_digit_runs(text: str, board: Board, style: Style) -> None:
    for run in DIGIT_RUN.finditer(text):
        if len(run.group()) >= 7:  # dates, amounts, article numbers: nothing shorter is personal
            _claim_run(text, list(GROUP.finditer(text, run.start(), run.end())), board, style)


def _claim_run(text: str, run: list[re.Match[str]], board: Board, style: Style) -> None:
    """Split a run of separated digit groups ("138 1234 5678 6222 …") into the numbers it holds."""
    i = 0
    while i < len(run):
        context = _context(text, run[i].start())
        found = False
        for j in range(min(len(run), i + 20), i, -1):
            digits = "".join(g.group() for g in run[i:j])
            if len(digits) > 22 or "+" in digits[1:] or not board.free(run[i].start(), run[j - 1].end()):
                continue
            category = classify(digits, context)
            if category is None:
                continue
            start, end = run[i].start(), run[j - 1].end()
            if category == "phone":
                end = _extension_end(text, end)
            plain = digits.lstrip("+").upper()
            if category == "phone" and len(plain) in (13, 15) and re.fullmatch(r"(?:0086|86)1\d{10}", plain):
                plain = plain[-11:]  # +86 / 0086: the country code says nothing about the person
            if category != PUBLIC and board.free(start, end):
                board.claim(start, end, category, _mask(category, plain, style))
            elif category == PUBLIC:
                board.claim(start, end, PUBLIC)
            i, found = j, True
            break
        if not found:
            i += 1
