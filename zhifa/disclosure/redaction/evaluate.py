"""Measure the engine on an annotated corpus (zhifa/disclosure/tests/corpus/decisions.jsonl).

Each record holds a decision's text and gold spans [start, end, category]: the personal data to be
masked (id_card, phone, bank_card, email, plate, passport, address, name) and "public" facts that
must stay (document numbers, legal persons, USCC, amounts, dates, citations). A sensitive span counts
as masked when the engine's spans cover all of it; a public span counts as kept when none touches it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .engine import find, redact

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "decisions.jsonl"
STRUCTURED = ("id_card", "phone", "bank_card", "email", "plate", "passport")
CATEGORIES = (*STRUCTURED, "address", "name")
# The acceptance figures of issue 6: every structured number, ≥ 95 % names, ≥ 90 % addresses,
# ≥ 99 % public facts kept.
THRESHOLDS = {**dict.fromkeys(STRUCTURED, 1.0), "address": 0.90, "name": 0.95, "public": 0.99}
# Issue 13: ordinary legal prose with no personal data comes out byte for byte unchanged.
PROSE_THRESHOLD = 0.99


@dataclass
class Score:
    total: int = 0
    hit: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.hit / self.total if self.total else 1.0


@dataclass
class Report:
    scores: dict[str, Score]
    documents: int
    characters: int

    def failures(self) -> list[str]:
        return [
            f"{category}: {score.rate:.1%} < {THRESHOLDS[category]:.0%}"
            for category, score in self.scores.items()
            if score.rate < THRESHOLDS[category]
        ]


def load(path: Path = CORPUS) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def evaluate(records: Iterable[dict], *, with_names: bool) -> Report:
    scores = {category: Score() for category in (*CATEGORIES, "public")}
    documents = characters = 0
    for record in records:
        text = record["text"]
        documents += 1
        characters += len(text)
        spans = find(text, names=record["names"] if with_names else ())
        covered = bytearray(len(text))
        for span in spans:
            covered[span.start : span.end] = b"\x01" * (span.end - span.start)
        for start, end, category in record["spans"]:
            score = scores[category]
            score.total += 1
            marked = covered[start:end]
            ok = not any(marked) if category == "public" else all(marked)
            if ok:
                score.hit += 1
            else:
                score.misses.append(f"{record['id']}: {text[start:end]}")
    return Report(scores, documents, characters)


def summary(report: Report) -> str:
    lines = [f"{'category':<10} {'gold':>5} {'ok':>5} {'rate':>7}  threshold"]
    for category, score in report.scores.items():
        lines.append(
            f"{category:<10} {score.total:>5} {score.hit:>5} {score.rate:>7.1%}  ≥ {THRESHOLDS[category]:.0%}"
        )
    return "\n".join(lines)


def unchanged(texts: Iterable[str]) -> Score:
    """How many texts come out of the engine byte for byte the same (text only, as `zhifa redact`)."""
    score = Score()
    for text in texts:
        score.total += 1
        out = redact(text).text
        if out == text:
            score.hit += 1
        else:
            score.misses.append(f"{text} → {out}")
    return score
