"""NFKC for matching only: the engine finds spans in the normalised text and maps them back, so the
output keeps every unmasked character of the original (full-width digits, line endings) as it was."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=8192)
def _fold(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


class Normalized:
    __slots__ = ("_origin", "text")

    def __init__(self, original: str) -> None:
        # Character by character (so every normalised character has exactly one source), through
        # str.translate over the distinct characters: a 10 kB decision has a few hundred.
        table = {ord(c): f for c in set(original) if ord(c) > 0x7F and (f := _fold(c)) != c}
        self.text = original.translate(table) if table else original
        self._origin: list[int] | None = None
        if len(self.text) != len(original):  # some character folded into several (㈱ → (株))
            origin: list[int] = []
            for index, char in enumerate(original):
                origin.extend([index] * len(table.get(ord(char), char)))
            origin.append(len(original))
            self._origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original range a normalised [start, end) came from."""
        if self._origin is None:
            return start, end
        if end <= start:
            return self._origin[start], self._origin[start]
        return self._origin[start], self._origin[end - 1] + 1
