"""PAdES signatures with an agency's PKCS#12 credential (pyHanko), and the key files behind them.

Keys live only under settings.VAR_DIR / "keys" (directory 0700, files 0600), never in the
database or the repository. Chinese e-seals under GB/T 38540 use SM2, which pyHanko does not
support; zhifa signs PAdES (ETSI.CAdES.detached) with RSA or ECDSA keys.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

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
    """The key material of an installed credential, checked again (expiry, readable)."""
    passphrase = None
    if passphrase_env:
        passphrase = os.environ.get(passphrase_env)
        if passphrase is None:
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


def sign_pdf(pdf: bytes, material: KeyMaterial, *, signer_name: str, reason: str, location: str) -> bytes:
    """An invisible PAdES baseline signature (B-B) over the whole file."""
    signer = signers.SimpleSigner.load_pkcs12_data(
        serialize_pkcs12(material, name=signer_name, passphrase=None), other_certs=[], passphrase=None
    )
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        reason=reason,
        location=location,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    signed: bytes = out.getvalue()
    return signed
