"""Rebuild decisions.jsonl from decisions.src.txt (the hand-written, annotated source).

    .venv/bin/python zhifa/disclosure/tests/corpus/build.py

Source format: "### id=… domain=… kind=… party=person|company" starts a decision; inside the text
{{category:text}} annotates a span: name, id, phone, bank, email, plate, passport, address, or keep
(a public fact that must stay). A "?" in an id, bank or keep (USCC) span is replaced by the right
check character, so identities are valid without being anyone's. Names written 某/某某 are already
masked and are not annotated. Output: one JSON object per line with text, spans [start, end,
category] and names (the natural persons the case knows).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric, uscc

HERE = Path(__file__).resolve().parent
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
CATEGORIES = {"id": "id_card", "bank": "bank_card", "keep": "public"}


def fill(category: str, content: str) -> str:
    if "?" not in content:
        return content
    norm = unicodedata.normalize("NFKC", content)
    if category == "id":
        out = norm.replace("?", ric.calc_check_digit(re.sub(r"\D", "", norm) + "0"))
    elif category == "bank":
        out = norm.replace("?", luhn.calc_check_digit(re.sub(r"\D", "", norm)))
    elif category == "keep":
        code = re.search(r"([0-9A-Z]{17})\?", norm)
        assert code, content
        out = norm.replace("?", uscc.calc_check_digit(code.group(1)))
    else:
        raise ValueError(content)
    return out.translate(FULL_WIDTH) if norm != content else out


def build(source: str) -> list[dict]:
    records = []
    for chunk in source.split("### ")[1:]:
        header, _, body = chunk.partition("\n")
        meta = dict(item.split("=", 1) for item in header.split())
        body = body.rstrip("\n") + "\n"
        parts: list[str] = []
        spans: list[list] = []
        names: list[str] = []
        length = pos = 0
        for m in MARK.finditer(body):
            parts.append(body[pos : m.start()])
            length += m.start() - pos
            category, content = m.group(1), fill(m.group(1), m.group(2))
            if not (category == "name" and "某" in content):
                spans.append([length, length + len(content), CATEGORIES.get(category, category)])
                if category == "name" and content not in names:
                    names.append(content)
            parts.append(content)
            length += len(content)
            pos = m.end()
        parts.append(body[pos:])
        records.append({**meta, "names": names, "text": "".join(parts), "spans": spans})
    assert len({r["id"] for r in records}) == len(records)
    return records


if __name__ == "__main__":
    records = build((HERE / "decisions.src.txt").read_text(encoding="utf-8"))
    with (HERE / "decisions.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} decisions")
