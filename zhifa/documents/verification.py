"""Verification codes (核验码) and the hash that ties a PDF to its record.

A code is 10 characters of Crockford's base32 (no I, L, O, U): 50 random bits from `secrets`,
easy to read aloud and to type. Lookups forgive case, spaces, hyphens and the look-alikes
O→0 and I/L→1.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one."""
    code = "".join(text.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def sha256_hex(chunks: Iterable[bytes]) -> str:
    """SHA-256 in one streaming pass (an upload is never held in memory as a whole)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
