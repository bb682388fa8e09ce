"""A local demonstration CA and agency certificates signed by it — for the demo only.

The CA key and certificate are created once in VAR_DIR/keys (demo-ca.key.pem 0600,
demo-ca.crt.pem). Documents signed with these certificates verify as intact ("Signature is
Valid") but their issuer is trusted by nobody; a real deployment installs certificates from a
recognised CA with `zhifa documents install-cert`.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from zhifa.documents.signing import KeyMaterial, keys_dir, write_private

CA_NAME = "zhifa 示例根证书（仅供演示）"
CA_YEARS = 10
AGENCY_YEARS = 3
RSA_BITS = 2048
# Adobe's "document signing" purpose; readers that check extended key usage accept it.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.4.1.311.10.3.12")


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def new_ca(name: str = CA_NAME) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A self-signed CA key and certificate (not stored anywhere)."""
    key = _key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "zhifa"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def demo_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The demo CA of this installation, created in VAR_DIR/keys on first use."""
    directory = keys_dir()
    key_path, cert_path = directory / "demo-ca.key.pem", directory / "demo-ca.crt.pem"
    if key_path.exists() and cert_path.exists():
        stored_key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        stored_certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        if isinstance(
            stored_key, rsa.RSAPrivateKey
        ) and stored_certificate.not_valid_after_utc > dt.datetime.now(dt.UTC):
            return stored_key, stored_certificate
    key, certificate = new_ca()
    write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key, certificate


def demo_agency_certificate(agency_name: str) -> KeyMaterial:
    """A new key and certificate (CN = O = the agency's name, C = CN) from the demo CA."""
    return agency_certificate(agency_name, *demo_ca())


def agency_certificate(
    agency_name: str,
    ca_key: rsa.RSAPrivateKey,
    ca_certificate: x509.Certificate,
    *,
    years: int = AGENCY_YEARS,
) -> KeyMaterial:
    """A new signing key and certificate for the agency, issued by the given CA."""
    key = _key()
    now = dt.datetime.now(dt.UTC)
    not_after = min(now + dt.timedelta(days=365 * years), ca_certificate.not_valid_after_utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency_name),
                    x509.NameAttribute(NameOID.COMMON_NAME, agency_name),
                ]
            )
        )
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return KeyMaterial(key=key, certificate=certificate, chain=(ca_certificate,))
