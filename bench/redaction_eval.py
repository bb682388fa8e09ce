"""Redaction engine (issue 6 item 2): per-category figures on the annotated corpus and throughput.

    .venv/bin/python bench/redaction_eval.py [--generated 200] [--seconds 3] [--laws ../shared/laws]

Prints, for the hand-written corpus (zhifa/disclosure/tests/corpus/decisions.jsonl) and for a
seeded generated corpus, the share of gold spans masked per category (text only, as `zhifa redact`
runs without --names, and with the names the case knows, as publication does) and the share of
public facts kept; the issue 13 corpora (ordinary legal prose that must come out unchanged, from the
committed sample and the statutes in --laws; identity numbers that also pass the credit-code check;
third persons named by role or hiring verb, not by a listed marker); then the time to redact one typical decision and a 10 kB text. No database.
Asserts nothing (the thresholds are asserted by zhifa/disclosure/tests/test_redaction_corpus.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")


def _timed(fn, seconds: float) -> list[float]:
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(times) < 5:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=200, help="generated decisions (seeded)")
    parser.add_argument("--seconds", type=float, default=3.0, help="time per throughput measurement")
    default_laws = Path(__file__).resolve().parent.parent.parent / "shared" / "laws"
    parser.add_argument(
        "--laws",
        type=Path,
        default=Path(os.environ.get("ZHIFA_LAWS_DIR") or default_laws),
        help="statute texts",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from zhifa.disclosure.redaction import evaluate, redact, samples

    corpora = {
        "hand-written corpus": evaluate.load(),
        f"generated corpus ({args.generated}, seed 6)": samples.generated_records(
            seed=6, count=args.generated
        ),
    }
    for title, records in corpora.items():
        for with_names in (False, True):
            report = evaluate.evaluate(records, with_names=with_names)
            mode = "with the case's names" if with_names else "text only"
            print(f"\n{title}: {report.documents} decisions, {report.characters} characters — {mode}")
            print(evaluate.summary(report))
            for category, score in report.scores.items():
                for miss in score.misses[:5]:
                    print(f"  missed {category}: {miss}")

    laws = args.laws if args.laws.is_dir() else None
    prose = evaluate.unchanged(samples.prose_sentences(laws))
    source = f"sample + {laws}" if laws else "sample only (no statute texts found)"
    print(f"\nprose unchanged ({source}): {prose.hit}/{prose.total} = {prose.rate:.2%}  ≥ 99%")
    for miss in prose.misses[:5]:
        print(f"  changed: {miss}")
    for title, records in (
        ("identity numbers passing the credit-code check (100, seed 31)", samples.collision_records()),
        ("third persons without a listed marker (200, seed 13)", samples.third_person_records()),
    ):
        report = evaluate.evaluate(records, with_names=False)
        for category, score in report.scores.items():
            if score.total:
                print(f"{title}: {category} {score.hit}/{score.total} = {score.rate:.1%}")
                for miss in score.misses[:5]:
                    print(f"  missed {category}: {miss}")

    hand = corpora["hand-written corpus"]
    typical = sorted(hand, key=lambda r: len(r["text"]))[len(hand) // 2]["text"]
    ten_kb = "\n".join(r["text"] for r in hand)[:10_000]
    print()
    for label, text in (("median decision", typical), ("10 kB text", ten_kb)):
        times = _timed(lambda text=text: redact(text), args.seconds)
        median = statistics.median(times)
        print(
            f"{label:<16} {len(text):>6} chars: median {median * 1000:6.2f} ms, best {min(times) * 1000:6.2f} ms, "
            f"{len(text) / median / 1000:6.0f} k chars/s"
        )
    # Linear: ten times the text takes about ten times as long.
    hundred_kb = ten_kb * 10
    times = _timed(lambda: redact(hundred_kb), args.seconds)
    print(f"{'100 kB text':<16} {len(hundred_kb):>6} chars: median {statistics.median(times) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
