"""Login throttling (django-axes): an account, and separately an address, is locked for
ZHIFA_LOGIN_LOCKOUT_MINUTES after ZHIFA_LOGIN_FAILURE_LIMIT failed logins."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.testing.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def li():
    return make_user(Role.OFFICER, username="li")


def _login(username: str, password: str, *, ip: str = "10.0.0.1", **extra: str):
    return Client(REMOTE_ADDR=ip, **extra).post(LOGIN, {"username": username, "password": password})


def _fail(times: int, username: str = "li", **kwargs: str) -> None:
    for _ in range(times):
        assert _login(username, "wrong-password", **kwargs).status_code == 200


def test_settings_come_from_the_environment_defaults():
    assert django_settings.ZHIFA_LOGIN_FAILURE_LIMIT == django_settings.AXES_FAILURE_LIMIT == 10
    assert (
        dt.timedelta(minutes=django_settings.ZHIFA_LOGIN_LOCKOUT_MINUTES) == django_settings.AXES_COOLOFF_TIME
    )
    assert django_settings.ZHIFA_LOGIN_LOCKOUT_MINUTES == 15
    assert django_settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    # axes is an installed app: its migrations ran with the others.
    assert {"axes_accessattempt", "axes_accesslog"} <= set(connection.introspection.table_names())


def test_nine_failures_still_let_the_right_password_in(li):
    _fail(9)
    assert _login("li", TEST_PASSWORD).status_code == 302


def test_the_tenth_failure_locks_the_account_for_fifteen_minutes(li, _clock):
    _fail(9)
    locked = _login("li", "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "15 分钟" in page and 'lang="zh-Hans"' in page
    # Locked: the right password, and from another address too (the account is locked).
    assert _login("li", TEST_PASSWORD).status_code == 429
    assert _login("li", TEST_PASSWORD, ip="10.9.9.9").status_code == 429
    _clock.shift(dt.timedelta(minutes=14))
    assert _login("li", TEST_PASSWORD).status_code == 429
    _clock.shift(dt.timedelta(minutes=1, seconds=1))
    assert _login("li", TEST_PASSWORD).status_code == 302


def test_an_address_is_locked_after_ten_failures_on_any_accounts(li):
    for i in range(10):
        _login(f"guess{i}", "wrong-password", ip="10.0.0.7")
    # Each guessed account failed once; the address failed ten times.
    assert _login("li", TEST_PASSWORD, ip="10.0.0.7").status_code == 429
    assert _login("li", TEST_PASSWORD, ip="10.0.0.8").status_code == 302


def test_the_limits_are_settings(li, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _fail(2)
    assert _login("li", "wrong-password").status_code == 429


def test_an_operator_unlocks_an_account(li):
    _fail(9)
    assert _login("li", "wrong-password").status_code == 429
    assert _login("li", TEST_PASSWORD).status_code == 429
    call_command("axes_reset_username", "li")
    assert _login("li", TEST_PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too():
    make_user(Role.SYSADMIN, agency=None, username="root")
    client = Client(REMOTE_ADDR="10.0.0.3")
    for _ in range(10):
        client.post("/admin/login/", {"username": "root", "password": "wrong-password"})
    response = client.post("/admin/login/", {"username": "root", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_behind_the_proxy_the_forwarded_address_is_locked(li, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy appends the client's address: the last entry is the one it saw.
    for i in range(10):
        _login(f"guess{i}", "wrong-password", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
    assert _login("li", TEST_PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1").status_code == 429
    assert _login("li", TEST_PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.2").status_code == 302


def test_without_the_proxy_setting_a_forwarded_header_is_ignored(li, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    for i in range(10):
        # A client cannot dodge the address lockout by inventing X-Forwarded-For.
        _login(f"guess{i}", "wrong-password", ip="10.0.0.9", HTTP_X_FORWARDED_FOR=f"7.7.7.{i}")
    assert _login("li", TEST_PASSWORD, ip="10.0.0.9", HTTP_X_FORWARDED_FOR="8.8.8.8").status_code == 429


def test_force_login_and_the_test_login_helper_are_not_throttled(li):
    from zhifa.testing import password_login

    client = Client()
    assert password_login(client, username="li", password=TEST_PASSWORD)
    assert client.get(reverse("workbench:home")).status_code == 200
