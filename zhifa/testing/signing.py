"""Signing credentials for tests: one CA and one agency certificate per test process.

Generating RSA keys is slow, so the PKCS#12 is made once and installed for as many agencies
as a test needs. Tests that issue documents also need a temporary VAR_DIR (keys) and
MEDIA_ROOT (PDF/DOCX): call `use_temp_dirs(settings, tmp_path)` with pytest-django's fixture.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from zhifa.documents.demo_ca import agency_certificate, new_ca
from zhifa.documents.models import SigningCredential
from zhifa.documents.services import credential_install
from zhifa.documents.signing import serialize_pkcs12
from zhifa.org.models import Agency

TEST_PKCS12_PASSPHRASE = "zhifa-test-pkcs12"
TEST_SIGNER = "zhifa 测试执法机关"


@functools.cache
def pkcs12_for_tests() -> bytes:
    """A PKCS#12 (passphrase TEST_PKCS12_PASSPHRASE) with a key, its certificate and the test CA."""
    ca_key, ca_certificate = new_ca("zhifa 测试根证书（仅供测试）")
    material = agency_certificate(TEST_SIGNER, ca_key, ca_certificate)
    return serialize_pkcs12(material, name=TEST_SIGNER, passphrase=TEST_PKCS12_PASSPHRASE)


@functools.cache
def pkcs12_issued_2024() -> bytes:
    """Like pkcs12_for_tests, but valid from 2024-01-01: for tests whose clock travels back."""
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2024, 1, 1, tzinfo=dt.UTC)):
        ca_key, ca_certificate = new_ca("zhifa 测试根证书（仅供测试）")
        # As long as its CA (ten years), so the suite does not expire with the calendar.
        material = agency_certificate(TEST_SIGNER, ca_key, ca_certificate, years=10)
    return serialize_pkcs12(material, name=TEST_SIGNER, passphrase=TEST_PKCS12_PASSPHRASE)


def use_temp_dirs(settings: Any, root: Path) -> None:
    """Point VAR_DIR (keys) and MEDIA_ROOT (document files) at a test's temporary directory."""
    settings.VAR_DIR = root / "var"
    settings.MEDIA_ROOT = root / "media"
    (root / "var").mkdir(exist_ok=True)


def install_test_credential(agency: Agency, *, since_2024: bool = False) -> SigningCredential:
    return credential_install(
        actor=None,
        agency=agency,
        pkcs12_bytes=pkcs12_issued_2024() if since_2024 else pkcs12_for_tests(),
        passphrase=TEST_PKCS12_PASSPHRASE,
    )
