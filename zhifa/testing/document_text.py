"""What a served document must not read like: a clause said twice, punctuation left over.

Used by the tests that render every document kind (from the demo's cases and from samples).
"""

from __future__ import annotations

import re

import lxml.html

# Two marks in a row ("元。，"), or brackets with nothing in them.
STRAY = re.compile(r"[，。；、][，。；、：]|（\s*）|\(\s*\)")
# 《行政处罚法》第五十六条 and the like; the same citation twice in one sentence is a doubled basis.
CITATION = re.compile(
    r"《[^》]+》第[一二三四五六七八九十百千零〇]+条(?:第[一二三四五六七八九十]+款)?(?:第（[一二三四五六七八九十]+）项)?"
    r"(?![第（])"
)
# What a clause is compared without: its figures (200 / 200.00 / 18,000.00), spaces, brackets
# (amounts in words), titles of laws and article numbers, which legitimately repeat.
NOISE = re.compile(r"[\s0-9.,。：]|（[^）]*）|《[^》]*》|第[一二三四五六七八九十百千零〇]+[条款项]")


def document_lines(html: str) -> list[str]:
    """The text of every paragraph, heading and table cell of a rendered document."""
    root = lxml.html.document_fromstring(html)
    for hidden in root.xpath("//style|//title|//svg"):
        hidden.drop_tree()
    return [
        re.sub(r"\s+", " ", element.text_content()).strip()
        for element in root.xpath("//p|//td|//th|//h1|//h2")
    ]


def _doubled_clause(sentence: str) -> str:
    clauses = [NOISE.sub("", c) for c in re.split(r"[，；]", sentence)]
    clauses = [c for c in clauses if len(c) >= 5]
    for i, first in enumerate(clauses):
        for second in clauses[i + 1 :]:
            if first in second or second in first:
                return min(first, second, key=len)
    citations = CITATION.findall(sentence)
    repeated = {c for c in citations if citations.count(c) > 1}
    return next(iter(repeated), "")


def text_problems(html: str) -> list[str]:
    """Each sentence with stray punctuation or a doubled clause, with what is wrong in it."""
    problems = []
    for line in document_lines(html):
        if stray := STRAY.search(line):
            problems.append(f"标点“{stray.group()}”：{line}")
        for sentence in re.split(r"(?<=。)", line):
            if doubled := _doubled_clause(sentence):
                problems.append(f"重复“{doubled}”：{sentence}")
    return problems
