"""Signing credentials: install checks, key files, the demo CA, and signing with what was installed."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from zhifa.accounts.models import Role
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.documents import services
from zhifa.documents.demo_ca import CA_NAME
from zhifa.documents.models import SigningCredential
from zhifa.documents.tests.samples import PENALTY, run_tool, sample_content
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory, make_user
from zhifa.testing.signing import TEST_PKCS12_PASSPHRASE

pytestmark = pytest.mark.django_db


def ec_pkcs12(
    *,
    days_valid: tuple[int, int] = (-1, 365),
    signer: bool = True,
    passphrase: bytes | None = b"pw",
    include_key: bool = True,
) -> bytes:
    """A self-signed ECDSA P-256 PKCS#12 (fast to make) with the given validity and key usage."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "测试签章")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + dt.timedelta(days=days_valid[0]))
        .not_valid_after(now + dt.timedelta(days=days_valid[1]))
        .add_extension(
            x509.KeyUsage(
                digital_signature=signer,
                content_commitment=signer,
                key_encipherment=not signer,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        b"t", key if include_key else None, certificate, None, encryption
    )


def install(agency, data: bytes, passphrase: str | None = "pw", **kwargs) -> SigningCredential:
    return services.credential_install(
        actor=None, agency=agency, pkcs12_bytes=data, passphrase=passphrase, **kwargs
    )


class TestInstall:
    def test_stores_the_key_under_var_keys_readable_by_the_owner_only(self, pkcs12_file):
        agency = AgencyFactory()
        credential = install(agency, pkcs12_file, TEST_PKCS12_PASSPHRASE)
        path = Path(settings.VAR_DIR) / credential.pkcs12_path
        assert credential.pkcs12_path.startswith("keys/agency-")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert "zhifa 测试执法机关" in credential.subject
        assert "测试根证书" in credential.issuer
        assert credential.not_after > dt.datetime.now(dt.UTC)
        # Stored without a passphrase (passphrase_env is blank): loadable with None.
        assert pkcs12.load_key_and_certificates(path.read_bytes(), None)[0] is not None

    @pytest.mark.parametrize(
        ("data", "passphrase", "message"),
        [
            (b"not a pkcs12 file", "pw", "无法读取"),
            (ec_pkcs12(), "wrong", "口令不正确"),
            (ec_pkcs12(include_key=False), "pw", "须同时包含私钥"),
            (ec_pkcs12(days_valid=(-400, -1)), "pw", "不在有效期内"),
            (ec_pkcs12(days_valid=(2, 400)), "pw", "不在有效期内"),
            (ec_pkcs12(signer=False), "pw", "密钥用途不含数字签名"),
        ],
    )
    def test_refuses_unusable_files(self, data, passphrase, message):
        agency = AgencyFactory()
        with unchanged_db(), pytest.raises(InvalidInput, match=message):
            install(agency, data, passphrase)
        assert not (Path(settings.VAR_DIR) / "keys").exists() or not any(
            (Path(settings.VAR_DIR) / "keys").iterdir()
        )

    def test_only_the_system_administrator_installs(self):
        agency = AgencyFactory()
        with pytest.raises(NotPermitted, match="只有系统管理员"):
            services.credential_install(
                actor=make_user(Role.HEAD, agency=agency),
                agency=agency,
                pkcs12_bytes=ec_pkcs12(),
                passphrase="pw",
            )
        assert install(agency, ec_pkcs12()).agency == agency

    def test_reinstalling_replaces_the_old_key_file(self, django_capture_on_commit_callbacks):
        agency = AgencyFactory()
        first = install(agency, ec_pkcs12())
        old_path = Path(settings.VAR_DIR) / first.pkcs12_path
        with django_capture_on_commit_callbacks(execute=True):
            second = install(agency, ec_pkcs12())
        assert SigningCredential.objects.get() == second
        assert second.pkcs12_path != first.pkcs12_path
        assert not old_path.exists()
        assert (Path(settings.VAR_DIR) / second.pkcs12_path).exists()

    def test_an_ecdsa_p256_credential_signs_valid_pdfs(self):
        agency = AgencyFactory(document_abbr="椭监")
        install(agency, ec_pkcs12())
        document = services.document_issue(
            actor=None,
            agency=agency,
            kind="penalty_decision",
            content=sample_content(**PENALTY),
            subject_ref="case:1",
            subject_label="一号案",
        )
        output = run_tool("pdfsig", services.document_signed(document).pdf.path)
        assert "Signature is Valid." in output and "Total document signed" in output


class TestPassphraseFromEnvironment:
    def test_the_file_stays_encrypted_and_signing_reads_the_variable(self, monkeypatch):
        agency = AgencyFactory()
        credential = install(
            agency, ec_pkcs12(passphrase=b"s3cret"), "s3cret", passphrase_env="AGENCY_P12_PASS"
        )
        stored = (Path(settings.VAR_DIR) / credential.pkcs12_path).read_bytes()
        with pytest.raises(ValueError):
            pkcs12.load_key_and_certificates(stored, None)

        def issue():
            return services.document_issue(
                actor=None, agency=agency, kind="reminder", content={}, subject_ref="", subject_label=""
            )

        monkeypatch.delenv("AGENCY_P12_PASS", raising=False)
        with unchanged_db(), pytest.raises(DomainError, match="AGENCY_P12_PASS 未设置"):
            issue()
        monkeypatch.setenv("AGENCY_P12_PASS", "wrong")
        with pytest.raises(DomainError, match="签章证书不可用"):
            issue()
        monkeypatch.setenv("AGENCY_P12_PASS", "s3cret")
        assert issue().sequence == 1

    @pytest.mark.parametrize(
        ("env", "passphrase", "message"),
        [("lower-case", "pw", "不是有效的环境变量名"), ("P12_PASS", None, "须设置口令")],
    )
    def test_bad_variable_settings(self, env, passphrase, message):
        with pytest.raises(InvalidInput, match=message):
            install(AgencyFactory(), ec_pkcs12(passphrase=None), passphrase, passphrase_env=env)


class TestDemoCredential:
    def test_creates_the_demo_ca_once_and_an_agency_certificate(self):
        first, second = AgencyFactory(name="示例县统计局"), AgencyFactory(name="示例县档案局")
        credential = services.demo_credential_ensure(first)
        keys = Path(settings.VAR_DIR) / "keys"
        ca_key, ca_cert = keys / "demo-ca.key.pem", keys / "demo-ca.crt.pem"
        assert stat.S_IMODE(ca_key.stat().st_mode) == 0o600
        ca_bytes = ca_cert.read_bytes()
        assert CA_NAME in x509.load_pem_x509_certificate(ca_bytes).subject.rfc4514_string()
        assert credential.subject == "CN=示例县统计局,O=示例县统计局,C=CN"
        assert CA_NAME in credential.issuer
        # Idempotent for the agency; the CA is reused for the next agency.
        assert services.demo_credential_ensure(first) == credential
        other = services.demo_credential_ensure(second)
        assert other.issuer == credential.issuer
        assert ca_cert.read_bytes() == ca_bytes

    def test_a_missing_key_file_is_replaced(self):
        agency = AgencyFactory()
        credential = services.demo_credential_ensure(agency)
        (Path(settings.VAR_DIR) / credential.pkcs12_path).unlink()
        assert services.demo_credential_ensure(agency).pkcs12_path != credential.pkcs12_path
