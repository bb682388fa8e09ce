"""The acceptance figures of issue 6 on the corpus of decisions written as agencies write them
(tests/corpus/decisions.jsonl, hand-written and annotated) and on a seeded generated corpus:
every id/phone/bank/email/plate/passport masked, ≥ 95 % names, ≥ 90 % address details, ≥ 99 % of
the public facts kept. bench/redaction_eval.py prints the same figures and the throughput."""

from __future__ import annotations

from collections import Counter

import pytest

from zhifa.disclosure.redaction import evaluate, redact, samples


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return evaluate.load()


def test_the_corpus_is_varied(corpus):
    assert len(corpus) >= 40
    domains = Counter(r["domain"] for r in corpus)
    assert {"市场监管", "人社", "统计", "档案", "安全生产", "交通运输"} <= set(domains)
    kinds = {r["kind"] for r in corpus}
    assert {"行政处罚决定书", "不予行政处罚决定书", "警告", "责令改正"} <= kinds
    assert {r["party"] for r in corpus} == {"person", "company"}
    gold = Counter(category for r in corpus for _, _, category in r["spans"])
    assert all(
        gold[c] for c in ("id_card", "phone", "bank_card", "email", "plate", "passport", "address", "name")
    )
    assert gold["public"] >= 200


@pytest.mark.parametrize("with_names", [False, True], ids=["text-only", "with-case-names"])
def test_hand_written_corpus_meets_the_thresholds(corpus, with_names):
    report = evaluate.evaluate(corpus, with_names=with_names)
    assert report.failures() == [], (
        evaluate.summary(report)
        + "\n"
        + "\n".join(f"{c}: {m}" for c, s in report.scores.items() for m in s.misses)
    )


@pytest.mark.parametrize("with_names", [False, True], ids=["text-only", "with-case-names"])
def test_generated_corpus_meets_the_thresholds(with_names):
    report = evaluate.evaluate(samples.generated_records(seed=6, count=80), with_names=with_names)
    assert report.failures() == [], evaluate.summary(report)


def test_no_structured_number_survives_in_the_output(corpus):
    """Beyond span coverage: the raw string of every identity, phone, card, e-mail, plate and passport
    is absent from the redacted text."""
    for record in corpus:
        out = redact(record["text"]).text
        for start, end, category in record["spans"]:
            if category in evaluate.STRUCTURED:
                assert record["text"][start:end] not in out, (record["id"], category)


# --- issue 13: ordinary prose unchanged, colliding identity numbers, third persons ---


def test_the_committed_prose_sample_comes_out_unchanged():
    sentences = samples.prose_sentences()
    assert len(sentences) >= 40
    score = evaluate.unchanged(sentences)
    assert score.hit == score.total, score.misses


def test_statute_prose_comes_out_unchanged(laws_dir):
    score = evaluate.unchanged(samples.prose_sentences(laws_dir))
    assert score.total > 3000
    assert score.rate >= evaluate.PROSE_THRESHOLD, score.misses[:20]


def test_every_colliding_identity_number_is_masked():
    from stdnum.cn import uscc

    records = samples.collision_records()
    values = [r["text"][s:e] for r in records for s, e, _ in r["spans"]]
    assert len(set(values)) == 100 and all(uscc.is_valid(v) for v in values)
    report = evaluate.evaluate(records, with_names=False)
    assert report.scores["id_card"].rate == 1.0, report.scores["id_card"].misses


def test_third_persons_without_a_listed_marker_are_masked():
    report = evaluate.evaluate(samples.third_person_records(), with_names=False)
    assert report.scores["name"].total >= 250
    assert report.scores["name"].rate >= evaluate.THRESHOLDS["name"], report.scores["name"].misses


def test_zhifa_redact_keeps_the_prose_and_masks_the_collisions(laws_dir):
    """The command, as an operator runs it: one stream of prose and identity numbers."""
    import os
    import subprocess

    from zhifa.disclosure.tests.test_redaction import zhifa_script

    prose = "\n".join(samples.prose_sentences(laws_dir)) + "\n"
    collisions = samples.collision_records()
    done = subprocess.run(
        [zhifa_script(), "redact"],
        input=(prose + "\n".join(r["text"] for r in collisions)).encode(),
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "ZHIFA_REDACTION_STYLE"},
        timeout=120,
        check=True,
    )
    out = done.stdout.decode()
    assert out.startswith(prose)
    for record in collisions:
        for start, end, _ in record["spans"]:
            assert record["text"][start:end] not in out
