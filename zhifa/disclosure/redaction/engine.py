"""The engine: normalise, find spans (public facts first), rebuild the original with only those spans
replaced."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .address import claim_addresses
from .board import Board
from .names import claim_names, found_names
from .normalize import Normalized
from .numbers import claim_identifiers, claim_public
from .style import Style, current_style, mask_name


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    category: str  # id_card, phone, bank_card, email, plate, passport, address, name, manual


@dataclass(frozen=True)
class Redacted:
    text: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Found:
    """A masked span in the ORIGINAL text (for evaluation and review tools)."""

    start: int
    end: int
    category: str
    replacement: str


def find(
    text: str,
    *,
    names: Iterable[str] = (),
    keep: Iterable[str] = (),
    mask: Iterable[str] = (),
    style: Style | None = None,
) -> list[Found]:
    """The masked spans. keep and mask are the disclosure administrator's corrections of a draft:
    words the engine masked that are not personal data (kept wherever they occur), and words it
    missed (masked wherever they occur, after the public facts and before any other rule)."""
    style = style or current_style()
    normalized = Normalized(text)
    board = Board()
    claim_public(normalized.text, board)
    for word in {_fold(w) for w in mask if _fold(w)}:
        for m in re.finditer(re.escape(word), normalized.text):
            board.claim(m.start(), m.end(), "manual", mask_name(word, style))
    claim_identifiers(normalized.text, board, style)
    claim_addresses(normalized.text, board, style)
    # Names are looked up in the normalised text too, so 张三 given by the case finds a full-width 张三.
    id_starts = [hit.start for hit in board.masked() if hit.category == "id_card"]
    claim_names(normalized.text, board, style, [_fold(n) for n in names], id_starts)
    kept = {_fold(w) for w in keep}
    found = []
    for hit in board.masked():
        if normalized.text[hit.start : hit.end] in kept:
            continue
        start, end = normalized.span(hit.start, hit.end)
        found.append(Found(start, end, hit.category, hit.replacement))
    return found


def _fold(name: str) -> str:
    return Normalized(name).text.strip()


def _rebuild(text: str, found: list[Found]) -> Redacted:
    out: list[str] = []
    marks: list[Mark] = []
    pos = length = 0
    for hit in found:
        kept = text[pos : hit.start]
        out.append(kept)
        length += len(kept)
        marks.append(Mark(length, length + len(hit.replacement), hit.category))
        out.append(hit.replacement)
        length += len(hit.replacement)
        pos = hit.end
    out.append(text[pos:])
    return Redacted("".join(out), tuple(marks))


def redact(text: str, *, names: Iterable[str] = (), style: Style | None = None) -> Redacted:
    return _rebuild(text, find(text, names=names, style=style))


def find_fields(
    fields: dict[str, str],
    *,
    names: Iterable[str] = (),
    keep: Iterable[str] = (),
    mask: Iterable[str] = (),
    style: Style | None = None,
) -> dict[str, list[Found]]:
    """Every field through the same engine; a name found in one field is masked in all of them."""
    style = style or current_style()
    keep = {n.strip() for n in keep}
    known = set(names)
    for value in fields.values():
        if value:
            known |= {n.replace(" ", "") for n in found_names(Normalized(value).text)}
    known -= keep
    return {
        key: find(value or "", names=known, keep=keep, mask=mask, style=style)
        for key, value in fields.items()
    }


def redact_fields(
    fields: dict[str, str],
    *,
    names: Iterable[str] = (),
    keep: Iterable[str] = (),
    mask: Iterable[str] = (),
    style: Style | None = None,
) -> tuple[dict[str, str], dict[str, list[list[int | str]]]]:
    """Every field through the same engine; a name found in one field is masked in all of them."""
    found = find_fields(fields, names=names, keep=keep, mask=mask, style=style)
    redacted: dict[str, str] = {}
    marks: dict[str, list[list[int | str]]] = {}
    for key, value in fields.items():
        result = _rebuild(value or "", found[key])
        redacted[key] = result.text
        marks[key] = [[m.start, m.end, m.category] for m in result.marks]
    return redacted, marks
