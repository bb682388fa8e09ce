"""Properties of the engine over generated texts (hypothesis): inserted identities never come out raw,
in any spelling; neutral text and public facts come out unchanged; redaction is idempotent; marks
point at the masked text."""

from __future__ import annotations

import random
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhifa.disclosure.redaction import redact, samples

# Text an agency writes around personal data: procedure words, public facts, punctuation, line ends.
NEUTRAL = [
    "经查",
    "上述事实",
    "予以确认",
    "责令改正",
    "本机关认为",
    "依法",
    "决定罚款",
    "5000元",
    "人民币12000元",
    "2025年3月1日",
    "第三条",
    "杭西市监罚〔2025〕12号",
    "《中华人民共和国行政处罚法》第二十八条",
    "杭州华美贸易有限公司",
    "统一社会信用代码91350100M000100Y43",
    "杭州市西湖区市场监督管理局",
    "现场检查笔录",
    "询问笔录",
    "没收违法所得",
    "收款账号：6222021234567890123",
    "当事人陈述申辩",
    "，",
    "。",
    "；",
    "：",
    "、",
    "（",
    "）",
    "\n",
    "\r\n",
    " ",
    "　",
]
SEPARATORS = ["，", "：", "。", "\n", "（", "）", "、", " ", "　"]
neutral_text = st.lists(st.sampled_from(NEUTRAL), max_size=25).map("".join)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def fullwidth(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in value)


def spaced(value: str, rng: random.Random) -> str:
    """138 1234 5678 / 1381-2345-678: split into groups with one space or dash."""
    out, i = [], 0
    while i < len(value):
        step = rng.randint(3, 6)
        out.append(value[i : i + step])
        i += step
    return rng.choice([" ", "-"]).join(out)


def spelling(value: str, rng: random.Random) -> str:
    form = rng.choice(["plain", "fullwidth", "spaced", "spaced_fullwidth"])
    if form == "fullwidth":
        return fullwidth(value)
    if form == "spaced":
        return spaced(value, rng)
    if form == "spaced_fullwidth":
        return fullwidth(spaced(value, rng))
    return value


IDENTITIES = {
    "id_card": samples.id_number,
    "phone": samples.mobile,
    "bank_card": samples.bank_card,
}


def compact(text: str) -> str:
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", text)).upper()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(neutral_text, st.sampled_from(sorted(IDENTITIES)), seeds), min_size=1, max_size=6),
    neutral_text,
)
def test_inserted_numbers_never_come_out_raw(pieces, tail):
    parts, raw = [], []
    for filler, category, seed in pieces:
        rng = random.Random(seed)
        value = IDENTITIES[category](rng)
        raw.append(value)
        parts += [filler, rng.choice(SEPARATORS), spelling(value, rng), rng.choice(SEPARATORS)]
    text = "".join(parts) + tail
    out = redact(text).text
    flat = compact(out)
    for value in raw:
        assert value.upper() not in flat, (text, out)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(neutral_text, seeds), min_size=1, max_size=5), neutral_text)
def test_emails_plates_and_marked_names_never_come_out_raw(pieces, tail):
    parts, raw = [], []
    for filler, seed in pieces:
        rng = random.Random(seed)
        kind = rng.choice(["email", "plate", "name"])
        if kind == "email":
            value = samples.email(rng)
            parts += [filler, "，邮箱：", fullwidth(value) if rng.random() < 0.3 else value, "。"]
        elif kind == "plate":
            value = samples.plate(rng)
            parts += [filler, "。驾驶", value, "车辆"]
        else:
            value = samples.person_name(rng)
            parts += [filler, rng.choice(["。当事人：", "，证人", "。委托代理人："]), value, "，"]
        raw.append(value)
    out = unicodedata.normalize("NFKC", redact("".join(parts) + tail).text)
    for value in raw:
        assert value not in out


@settings(max_examples=200, deadline=None)
@given(neutral_text)
def test_neutral_text_and_public_facts_come_out_unchanged(text):
    assert redact(text).text == text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(neutral_text, seeds), max_size=5), neutral_text)
def test_text_outside_the_spans_is_unchanged_and_marks_point_at_masks(pieces, tail):
    parts, known = [], []
    for filler, seed in pieces:
        rng = random.Random(seed)
        name = samples.person_name(rng)
        known.append(name)
        parts += [
            filler,
            "，",
            name,
            "（电话",
            spelling(samples.mobile(rng), rng),
            "）",
            "住址：浙江省杭州市西湖区",
            f"文三路{rng.randint(1, 999)}号",
        ]
    text = "".join(parts) + tail
    result = redact(text, names=known)
    # Rebuild the output from the original and the marks: only the marked ranges differ.
    out, pos = result.text, 0
    rebuilt = []
    from zhifa.disclosure.redaction import find

    spans = find(text, names=known)
    assert len(spans) == len(result.marks)
    for span, mark in zip(spans, result.marks, strict=True):
        rebuilt.append(text[pos : span.start])
        rebuilt.append(out[mark.start : mark.end])
        assert out[mark.start : mark.end] == span.replacement
        assert "*" in span.replacement
        pos = span.end
    rebuilt.append(text[pos:])
    assert "".join(rebuilt) == out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seeds)
def test_idempotent(seed):
    record = samples.decision(random.Random(seed), seed % 1000 + 1)
    once = redact(record["text"], names=record["names"]).text
    assert redact(once).text == once
    assert redact(once, names=record["names"]).text == once
