"""The ledger's Ed25519 checkpoint key, kept under ZHIFA_VAR_DIR/keys (never in the database).

Generated on first use. The key name is the origin at generation time; the verifier key string
(C2SP signed-note form "<name>+<hex key ID>+<base64(0x01 || public key)>") sits next to it and
is served publicly. A rotated key's verifier string moves to keys/ledger-retired/, so
`zhifa ledger verify` still checks the checkpoints it signed.
"""

from __future__ import annotations

import base64
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from zhifa.ledger.verify import key_id, parse_checkpoint, parse_verifier_key

PRIVATE_NAME = "ledger-ed25519.pem"
VERIFIER_NAME = "ledger-ed25519.vkey"
RETIRED_DIR = "ledger-retired"


@dataclass(frozen=True)
class SigningKey:
    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public)

    @property
    def verifier_key(self) -> str:
        encoded = base64.b64encode(b"\x01" + self.public).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        """The signed-note signature blob: 4-byte key ID || Ed25519 signature."""
        return self.key_id + self.private.sign(message)


def keys_dir() -> Path:
    path = Path(settings.VAR_DIR) / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _generate(directory: Path) -> None:
    private = Ed25519PrivateKey.generate()
    key = SigningKey(name=settings.ZHIFA_LEDGER_ORIGIN, private=private)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (directory / VERIFIER_NAME).write_text(key.verifier_key + "\n")
    _write_private(directory / PRIVATE_NAME, pem)


def signing_key() -> SigningKey:
    directory = keys_dir()
    if not (directory / PRIVATE_NAME).exists():
        # Two processes starting together must not both generate one.
        with open(directory / "ledger.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (directory / PRIVATE_NAME).exists():
                _generate(directory)
    private = serialization.load_pem_private_key((directory / PRIVATE_NAME).read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise RuntimeError(f"{directory / PRIVATE_NAME} is not an Ed25519 key")
    name, _, public = parse_verifier_key((directory / VERIFIER_NAME).read_text())
    key = SigningKey(name=name, private=private)
    if key.public != public:
        raise RuntimeError(f"{directory / VERIFIER_NAME} does not belong to {directory / PRIVATE_NAME}")
    return key


def verifier_keys() -> list[str]:
    """Every verifier key checkpoints may be signed with: the current one, then the retired ones."""
    keys = [signing_key().verifier_key]
    retired = keys_dir() / RETIRED_DIR
    if retired.is_dir():
        keys += [p.read_text().strip() for p in sorted(retired.glob("*.vkey"))]
    return keys


def checkpoint_signed_by(note: str, verifier_key: str) -> bool:
    """True when the checkpoint note carries a valid signature by the key (name, ID and Ed25519).

    The server's check, with OpenSSL's Ed25519 through `cryptography`. The stand-alone verifier
    (`verify.verify_checkpoint`) gives the same answer with its own pure-Python Ed25519, so that a
    court needs nothing but the standard library; the note and key formats are parsed by the same
    functions. Raises ValueError when the note or the key is malformed.
    """
    name, kid, public_key = parse_verifier_key(verifier_key)
    _, _, _, text, signatures = parse_checkpoint(note)
    public = Ed25519PublicKey.from_public_bytes(public_key)
    for signer, blob in signatures:
        if signer != name or blob[:4] != kid:
            continue
        try:
            public.verify(blob[4:], text.encode())
        except InvalidSignature:
            continue
        return True
    return False


def rotate() -> SigningKey:
    """Retire the current key (its verifier string is kept) and generate a new one."""
    directory = keys_dir()
    old = signing_key()
    retired = directory / RETIRED_DIR
    retired.mkdir(mode=0o700, exist_ok=True)
    (retired / f"{old.key_id.hex()}.vkey").write_text(old.verifier_key + "\n")
    (directory / PRIVATE_NAME).unlink()
    _generate(directory)
    return signing_key()
