"""Found spans in normalised coordinates, kept non-overlapping: the first detector to claim a range
wins, and ranges the law makes public (document numbers, citations, USCC) are claimed first."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

PUBLIC = "public"


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    category: str
    replacement: str


class Board:
    def __init__(self) -> None:
        self._starts: list[int] = []
        self._hits: list[Hit] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, start)
        if i and self._hits[i - 1].end > start:
            return False
        return not (i < len(self._hits) and self._hits[i].start < end)

    def claim(self, start: int, end: int, category: str, replacement: str = "") -> bool:
        if end <= start or not self.free(start, end):
            return False
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._hits.insert(i, Hit(start, end, category, replacement))
        return True

    def masked(self) -> list[Hit]:
        return [hit for hit in self._hits if hit.category != PUBLIC]
