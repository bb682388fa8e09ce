"""Fixtures for the documents tests: temporary key and media folders, signing agencies, content."""

from __future__ import annotations

import pytest

from zhifa.testing.factories import AgencyFactory
from zhifa.testing.signing import install_test_credential, pkcs12_for_tests, use_temp_dirs


@pytest.fixture(scope="session")
def pkcs12_file() -> bytes:
    """One CA and agency certificate for the whole run (RSA key generation is slow)."""
    return pkcs12_for_tests()


@pytest.fixture(autouse=True)
def _temp_dirs(settings, tmp_path):
    use_temp_dirs(settings, tmp_path)
    settings.ZHIFA_PUBLIC_URL = "https://zhifa.example.gov.cn"


@pytest.fixture
def agency(db, pkcs12_file):
    """An agency with a signing credential and the 机关代字 测监."""
    agency = AgencyFactory(name="测试县人力资源和社会保障局", document_abbr="测监")
    install_test_credential(agency)
    return agency
