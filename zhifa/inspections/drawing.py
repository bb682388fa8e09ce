"""The draw of 双随机一公开, as pure functions of public values (standard library only).

The service that draws, `zhifa inspections verify-draw` and anyone with the public JSON compute
the same thing with these rules (docs/inspections.md):

- snapshot_sha256 = SHA-256 of the population's sorted credit codes joined by "\\n" (UTF-8);
- seed = SHA-256 of "zhifa-draw-v1|{plan number}|{snapshot_sha256}|{checkpoint root hex}|{witness}";
- in each risk class, key(code) = HMAC-SHA256(seed, code); ascending by key bytes, the first
  ceil(n × ratio) are drawn;
- for each drawn subject and each participating agency, the agency's eligible inspectors are
  ranked by HMAC-SHA256(seed, "{code}|{certificate number}") and the first two not recused
  (at the draw or after it) inspect.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_CEILING, Decimal

SEED_PREFIX = "zhifa-draw-v1"
INSPECTORS_PER_AGENCY = 2  # 《行政处罚法》第四十二条：执法人员不得少于两人


def snapshot_sha256(sorted_codes: Iterable[str]) -> str:
    digest = hashlib.sha256()
    first = True
    for code in sorted_codes:
        digest.update(code.encode("utf-8") if first else b"\n" + code.encode("utf-8"))
        first = False
    return digest.hexdigest()


def seed_text(*, plan: str, snapshot: str, root: str, witness: str) -> str:
    return f"{SEED_PREFIX}|{plan}|{snapshot}|{root}|{witness}"


def seed_of(*, plan: str, snapshot: str, root: str, witness: str) -> bytes:
    return hashlib.sha256(
        seed_text(plan=plan, snapshot=snapshot, root=root, witness=witness).encode()
    ).digest()


def keyer(seed: bytes) -> Callable[[bytes], bytes]:
    """HMAC-SHA256 under the seed for many messages (a million at a large draw).

    RFC 2104 over hashlib with the key's inner and outer pads hashed once: the same value as
    hmac.digest (a test holds them equal), in about half the time of an hmac object's copy per
    message. A key longer than SHA-256's 64-byte block is hashed first, as RFC 2104 says (a seed
    is 32 bytes).
    """
    block = (hashlib.sha256(seed).digest() if len(seed) > 64 else seed).ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def key(message: bytes) -> bytes:
        h = inner.copy()
        h.update(message)
        o = outer.copy()
        o.update(h.digest())
        return o.digest()

    return key


def subject_key(seed: bytes, code: str) -> bytes:
    return hmac.digest(seed, code.encode("utf-8"), "sha256")


def inspector_key(seed: bytes, code: str, certificate: str) -> bytes:
    return hmac.digest(seed, f"{code}|{certificate}".encode(), "sha256")


def ratio_text(ratio: Decimal) -> str:
    """The ratio as published: a plain decimal string without trailing zeros ("0.05", "1")."""
    text = format(ratio.normalize(), "f")
    return text


def quota(population: int, ratio: Decimal) -> int:
    """ceil(n × ratio), exactly (Decimal, no float)."""
    return int((Decimal(population) * ratio).to_integral_value(rounding=ROUND_CEILING))


def select(seed: bytes, codes: Sequence[str], ratio: Decimal) -> list[tuple[str, bytes]]:
    """The drawn codes of one stratum in draw order, each with its key.

    heapq.nsmallest keeps only the k smallest: memory beyond the list itself grows with the
    number drawn, not with the population.
    """
    k = quota(len(codes), ratio)
    if k == 0:
        return []
    key = keyer(seed)
    chosen = heapq.nsmallest(k, ((key(c.encode("utf-8")), c) for c in codes))
    return [(code, key) for key, code in chosen]


def rank(
    seed: bytes, code: str, certificates: Iterable[str], key: Callable[[bytes], bytes] | None = None
) -> list[tuple[str, bytes]]:
    """The certificates ranked for this subject: ascending by HMAC key (pass `keyer(seed)` when
    ranking for many subjects)."""
    key = key or keyer(seed)
    prefix = code + "|"
    keyed = sorted([(key((prefix + c).encode("utf-8")), c) for c in certificates])
    return [(c, key) for key, c in keyed]


def pick(ranked: Sequence[str], skipped: Iterable[str], count: int = INSPECTORS_PER_AGENCY) -> list[str]:
    """The first `count` of the ranked certificates that are not skipped (recused)."""
    excluded = set(skipped)
    return [c for c in ranked if c not in excluded][:count]
