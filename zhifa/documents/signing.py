"""PAdES signatures with an agency's PKCS#12 credential (pyHanko), and the key files behind them.

Keys live only under settings.VAR_DIR / "keys" (directory 0700, files 0600), never in the
database or the repository. Chinese e-seals under GB/T 38540 use SM2, which pyHanko does not
support; zhifa signs PAdES (ETSI.CAdES.detached) with RSA or ECDSA keys.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings

from zhifa.core.errors import DomainError, InvalidInput

SIGNATURE_FIELD = "zhifa-signature"
MIN_RSA_BITS = 2048
EC_CURVES = (ec.SECP256R1, ec.SECP384R1, ec.SECP521R1)


@dataclass(frozen=True)
class KeyMaterial:
    """A private key with its certificate and the chain above it, as read from PKCS#12."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    @property
    def issuer(self) -> str:
        return self.certificate.issuer.rfc4514_string()


def keys_dir() -> Path:
    path = Path(settings.VAR_DIR) / "keys"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a key file readable by the service user only (0600), atomically."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _spki(public_key: CertificatePublicKeyTypes) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def read_pkcs12(data: bytes, passphrase: str | None) -> KeyMaterial:
    """Parse and check a PKCS#12 file: a usable signing key, its certificate, valid today."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except ValueError:
        raise InvalidInput("无法读取该 PKCS#12 文件：文件已损坏，或者口令不正确。") from None
    if key is None or certificate is None:
        raise InvalidInput("该 PKCS#12 文件须同时包含私钥和对应的证书。")
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise InvalidInput("签章私钥须为 RSA 或 ECDSA 密钥（国密 SM2 签章暂不支持，见 docs/documents.md）。")
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size < MIN_RSA_BITS:
        raise InvalidInput(f"RSA 签章密钥长度不得少于 {MIN_RSA_BITS} 位。")
    if isinstance(key, ec.EllipticCurvePrivateKey) and not isinstance(key.curve, EC_CURVES):
        raise InvalidInput("ECDSA 签章密钥须使用 P-256、P-384 或 P-521 曲线。")
    if _spki(key.public_key()) != _spki(certificate.public_key()):
        raise InvalidInput("PKCS#12 文件中的私钥与证书不匹配。")
    now = dt.datetime.now(dt.UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise InvalidInput(
            f"证书不在有效期内（{certificate.not_valid_before_utc:%Y-%m-%d} 至 "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}），不能用于签章。"
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise InvalidInput("证书的密钥用途不含数字签名（digitalSignature 或 nonRepudiation），不能用于签章。")
    return KeyMaterial(key=key, certificate=certificate, chain=tuple(chain))


def serialize_pkcs12(material: KeyMaterial, *, name: str, passphrase: str | None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        name.encode(), material.key, material.certificate, list(material.chain) or None, encryption
    )


def load_credential(path: Path, passphrase_env: str) -> KeyMaterial:
    """The key material of an installed credential, checked again (expiry, readable).

    Decrypted once per process and file: a credential file is never rewritten (a new install
    writes a new file), so its name and modification time identify it; expiry is checked anew.
    """
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    passphrase = os.environ.get(passphrase_env) if passphrase_env else None
    material = _load_credential(path, stamp, passphrase_env, passphrase)
    now = dt.datetime.now(dt.UTC)
    if not material.certificate.not_valid_before_utc <= now <= material.certificate.not_valid_after_utc:
        raise DomainError(
            f"签章证书不在有效期内（{material.certificate.not_valid_after_utc:%Y-%m-%d} 届满），"
            "不能签章；请由系统管理员更换证书。"
        )
    return material


@functools.lru_cache(maxsize=64)
def _load_credential(path: Path, stamp: int, passphrase_env: str, passphrase: str | None) -> KeyMaterial:
    if passphrase_env and passphrase is None:
        raise DomainError(
            f"签章证书的口令环境变量 {passphrase_env} 未设置，无法签章；请由系统管理员配置后重试。"
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise DomainError(
            f"找不到签章证书文件（{path.name}），无法签章；请由系统管理员重新安装证书"
            "（zhifa documents install-cert）。"
        ) from None
    try:
        return read_pkcs12(data, passphrase)
    except InvalidInput as exc:
        raise DomainError(f"签章证书不可用：{exc.message}请由系统管理员更换证书。") from None


# Room for the CMS signature in the PDF (an RSA-4096 signature with a three-certificate chain
# takes about 6 KB): reserving it spares pyHanko a trial signature to measure the size.
SIGNATURE_BYTES = 16384


# Key material (cached per credential file above) → its pyHanko signer; the material is kept so
# that its id is not reused.
_SIGNERS: dict[int, tuple[KeyMaterial, Any]] = {}


def _signer(material: KeyMaterial) -> Any:
    """pyHanko's signer for the key material, built once (no PKCS#12 round trip per document)."""
    cached = _SIGNERS.get(id(material))
    if cached is None or cached[0] is not material:
        if len(_SIGNERS) >= 64:
            _SIGNERS.clear()
        cached = _SIGNERS[id(material)] = (material, _new_signer(material))
    return cached[1]


def _new_signer(material: KeyMaterial) -> Any:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    key = material.key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(material.certificate.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_x509.Certificate.load(c.public_bytes(der)) for c in material.chain]
        ),
    )


def sign_pdf(pdf: bytes, material: KeyMaterial, *, signer_name: str, reason: str, location: str) -> bytes:
    """An invisible PAdES baseline signature (B-B) over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        reason=reason,
        location=location,
    )
    out = signers.PdfSigner(meta, signer=_signer(material)).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=SIGNATURE_BYTES
    )
    signed: bytes = out.getvalue()
    return signed
