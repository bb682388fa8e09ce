"""The one redaction engine every public output passes through (portal, feeds, exports, search).

    redact(text, names=...) -> Redacted(text, marks)

`marks` are the masked spans in the redacted text, for the disclosure administrator's review.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    category: str  # id_card, phone, bank_card, email, plate, passport, address, name


@dataclass(frozen=True)
class Redacted:
    text: str
    marks: tuple[Mark, ...]


_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1)


def redact(text: str, *, names: Iterable[str] = ()) -> Redacted:
    spans: list[tuple[int, int, str, str]] = []
    for m in _ID_CARD.finditer(text):
        spans.append((m.start(), m.end(), "id_card", m.group()[:6] + "*" * 8 + m.group()[-4:]))
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if not any(s < m.end() and m.start() < e for s, e, _, _ in spans):
                spans.append((m.start(), m.end(), "name", mask_name(name)))
    out, marks, pos = [], [], 0
    for start, end, category, masked in sorted(spans):
        out.append(text[pos:start])
        here = sum(len(p) for p in out)
        marks.append(Mark(here, here + len(masked), category))
        out.append(masked)
        pos = end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(marks))
