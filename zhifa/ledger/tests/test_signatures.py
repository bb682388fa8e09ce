"""Checkpoint signatures: the server checks them with `cryptography`; the stand-alone verifier
with its own pure-Python Ed25519. Both give the same answer on valid and on tampered notes."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zhifa.ledger import integrity, keys, services
from zhifa.ledger import verify as v

pytestmark = pytest.mark.django_db

# The order of the Ed25519 group (RFC 8032): s and s + L are the same scalar, but only s < L is a
# valid signature (non-malleability, RFC 8032 §5.1.7).
L = 2**252 + 27742317777372353535851937790883648493


def _signed_note() -> str:
    for i in range(5):
        with_leaf = services.ledger_append(kind="test", ref=f"test.thing:{i}", payload={"n": i})
        assert with_leaf.index == i
    return services.checkpoint_make(reason="测试").note


def _resign(note: str, signature: bytes) -> str:
    body, _, line = note.partition("\n\n")
    dash, name, blob = line.rstrip("\n").split(" ")
    raw = base64.b64decode(blob)
    return f"{body}\n\n{dash} {name} {base64.b64encode(raw[:4] + signature).decode()}\n"


def _signature(note: str) -> bytes:
    return base64.b64decode(note.rsplit(" ", 1)[1])[4:]


def _tampered(note: str) -> dict[str, str]:
    sig = _signature(note)
    s = int.from_bytes(sig[32:], "little")
    flipped = bytes([sig[0] ^ 1]) + sig[1:]
    origin, size, root = note.split("\n")[:3]
    other_root = base64.b64encode(bytes(32)).decode()
    return {
        "size": note.replace(f"\n{size}\n", f"\n{int(size) + 1}\n", 1),
        "root": note.replace(root, other_root, 1),
        "origin": note.replace(origin, "other.example/ledger", 1),
        "flipped R": _resign(note, flipped),
        "flipped s": _resign(note, sig[:32] + bytes([sig[32] ^ 1]) + sig[33:]),
        "s + L": _resign(note, sig[:32] + (s + L).to_bytes(32, "little")),
        "short": _resign(note, sig[:63]),
        "zero": _resign(note, bytes(64)),
        "signed by another key": _resign(
            note, Ed25519PrivateKey.generate().sign(note.partition("\n\n")[0].encode() + b"\n")
        ),
    }


def test_both_accept_a_valid_checkpoint():
    note = _signed_note()
    key = keys.signing_key().verifier_key
    assert keys.checkpoint_signed_by(note, key)
    assert v.verify_checkpoint(note, key)


def test_both_refuse_every_tampered_checkpoint():
    note = _signed_note()
    key = keys.signing_key().verifier_key
    for what, changed in _tampered(note).items():
        assert changed != note, what
        assert not keys.checkpoint_signed_by(changed, key), what
        assert not v.verify_checkpoint(changed, key), what


def test_both_refuse_a_valid_signature_under_another_key_or_name():
    note = _signed_note()
    old = keys.signing_key().verifier_key
    new = keys.rotate().verifier_key
    assert keys.checkpoint_signed_by(note, old) and v.verify_checkpoint(note, old)
    assert not keys.checkpoint_signed_by(note, new) and not v.verify_checkpoint(note, new)
    # The same public key under another name has another key ID: the signature line no longer matches.
    public = v.parse_verifier_key(old)[2]
    encoded = old.split("+", 2)[2]  # the base64 part may itself hold "+"
    renamed = f"other.example/ledger+{v.key_id('other.example/ledger', public).hex()}+{encoded}"
    assert not keys.checkpoint_signed_by(note, renamed) and not v.verify_checkpoint(note, renamed)


def test_both_reject_a_malformed_note_or_key():
    note = _signed_note()
    key = keys.signing_key().verifier_key
    for check in (keys.checkpoint_signed_by, v.verify_checkpoint):
        with pytest.raises(ValueError):
            check(note.replace("\n\n", "\n"), key)
        with pytest.raises(ValueError):
            check(note, key.replace("+", "-", 1))


def test_the_server_never_uses_the_pure_python_ed25519(monkeypatch):
    _signed_note()

    def refuse(*args: object) -> bool:
        raise AssertionError("the server checked a signature with the stand-alone verifier's code")

    monkeypatch.setattr(v, "ed25519_verify", refuse)
    summary = integrity.verify_log(records=False)
    assert summary.checkpoints == 1
