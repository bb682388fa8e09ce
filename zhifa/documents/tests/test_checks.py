"""`zhifa check --deploy` warns when the public URL printed in every QR code is a loopback one."""

from __future__ import annotations

import pytest
from django.core import checks

from zhifa.documents.checks import public_url_reachable


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost", "https://[::1]:8443", "http://0.0.0.0:8000"]
)
def test_a_loopback_public_url_is_warned_of(settings, url):
    settings.ZHIFA_PUBLIC_URL = url
    (warning,) = public_url_reachable(None)
    assert warning.id == "zhifa.W001" and warning.level == checks.WARNING
    assert url in warning.msg and "二维码" in warning.msg


@pytest.mark.parametrize("url", ["https://zhifa.example.gov.cn", "http://10.1.2.3:8000"])
def test_a_public_address_passes(settings, url):
    settings.ZHIFA_PUBLIC_URL = url
    assert public_url_reachable(None) == []


def test_it_runs_with_deploy_only(settings):
    settings.ZHIFA_PUBLIC_URL = "http://127.0.0.1:8000"
    assert "zhifa.W001" in {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "zhifa.W001" not in {m.id for m in checks.run_checks()}
