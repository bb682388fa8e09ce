"""Is a surname-initial string at pos an ordinary word rather than a name? The legal stop-list and
jieba's dictionary (posseg, on the clause around pos) answer, so that 劳动者、张贴、宿舍、权益 after
a role or marker are not taken for names."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import jieba.posseg

from .lexicon import NOT_NAMES

jieba.setLogLevel(logging.WARNING)
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")
_REACH = 40  # characters of the clause looked at on each side
# What jieba glues onto a name's end although it is the next word (吕|勇于2025年, 蔡|艳称).
_PARTICLES = frozenset("于称在的等系因对向将与和及是为被把")


@lru_cache(maxsize=8192)
def _words(clause: str) -> dict[int, tuple[str, str]]:
    """{offset: (word, flag)}. Without HMM only dictionary words come out whole; a name jieba does
    not know falls apart into characters, which reads as "not a word"."""
    words, offset = {}, 0
    for pair in jieba.posseg.cut(clause, HMM=False):
        words[offset] = (pair.word, pair.flag)
        offset += len(pair.word)
    return words


def _clause(text: str, pos: int) -> tuple[int, str]:
    start = pos
    while start > 0 and pos - start < _REACH and not _NOT_CJK.match(text[start - 1]):
        start -= 1
    end = _NOT_CJK.search(text, pos, pos + _REACH)
    return start, text[start : end.start() if end else pos + _REACH]


def _boundary(text: str, pos: int) -> bool:
    start, clause = _clause(text, pos)
    return pos - start in _words(clause)


def common_word_at(text: str, pos: int, surname: int, end: int, marker: int | None = None) -> bool:
    """True when text[pos:end] is not a name: a stop-listed word (陈述、申请), the tail of
    the word before (投保|安全: not 全…), a dictionary word that is not a name (劳动者、宿舍), or a given
    name that runs into the word after it (任|主持人, 于|周一) marker is where the role or marker before pos
    begins: when it begins a word itself (学徒孙平 cut as 学|徒孙|平), pos is read as a word start."""
    if text[pos : pos + 2] in NOT_NAMES:
        return True
    start, clause = _clause(text, pos)
    if pos - start not in _words(clause):
        if marker is None or pos - marker < 2 or not _boundary(text, marker):
            return True
        start, clause = pos, clause[pos - start :]
    words = _words(clause)
    word, flag = words[pos - start]
    # Names are often place names too (苏平、金华), and a compound surname (欧阳) is a word of its own.
    if len(word) >= 2 and flag[:2] not in ("nr", "ns") and len(word) != surname:
        # A word that ends inside the candidate makes it prose only when the next word runs on past
        # it (任免|机关, 明示|补救); one that ends with it is a given name (许子|涵).
        after = words.get(pos - start + len(word))
        if pos + len(word) >= end or after is None or pos + len(word) + len(after[0]) > end:
            return True
    given = words.get(pos - start + surname)
    # …unless what follows the name is one of _PARTICLES.
    return given is not None and pos + surname + len(given[0]) > end and text[end : end + 1] not in _PARTICLES
