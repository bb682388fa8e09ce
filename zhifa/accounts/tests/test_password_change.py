"""Changing one's own password (/accounts/password/): the old password, the validators, the record."""

from __future__ import annotations

import logging

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.test import Client
from django.urls import reverse

from zhifa.accounts import services
from zhifa.accounts.models import Role
from zhifa.core.errors import InvalidInput
from zhifa.testing import unchanged_db
from zhifa.testing.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"
NEW = "cheng-ming-lang-2026"


@pytest.fixture
def user():
    return make_user(Role.OFFICER, username="wangwu", full_name="王五")


@pytest.fixture
def client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, old: str, new: str, again: str | None = None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_the_page_is_chinese_and_linked_from_the_user_menu(client):
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "修改密码" in text and "原密码" in text and "再次输入新密码" in text and "至少 10 个字符" in text
    home = client.get(reverse("workbench:home")).content.decode()
    assert f'href="{URL}"' in home


def test_anonymous_is_sent_to_login():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert Client().post(URL, {"old_password": TEST_PASSWORD}).status_code == 302


def test_a_wrong_old_password_is_refused(client, user):
    with unchanged_db():
        response = _post(client, "not-my-password", NEW)
    assert response.status_code == 400
    assert "原密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1", "至少应包含 10 个字符"),
        ("1234567890123", "只包含数字"),
        ("password1234", "太常见"),
        ("wangwu1234", "相似"),
    ],
)
def test_a_weak_password_is_refused_by_the_validators(client, user, password, fragment):
    with unchanged_db():
        response = _post(client, TEST_PASSWORD, password)
    assert response.status_code == 400
    assert fragment in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_two_different_new_passwords_are_refused(client, user):
    with unchanged_db():
        response = _post(client, TEST_PASSWORD, NEW, NEW + "x")
    assert response.status_code == 400 and "两次输入的新密码不一致" in response.content.decode()


def test_success_records_the_change_and_keeps_the_session(client, user, caplog):
    other_device = Client()
    other_device.force_login(user)
    with caplog.at_level(logging.INFO, logger="zhifa.accounts.services"):
        response = _post(client, TEST_PASSWORD, NEW)
    assert response.status_code == 302 and response["Location"] == reverse("workbench:home")
    home = client.get(response["Location"])
    assert home.status_code == 200 and "密码已修改" in home.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(TEST_PASSWORD)
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert (entry.user_id, entry.action_flag, entry.change_message) == (
        user.pk,
        CHANGE,
        "本人修改了登录密码。",
    )
    assert f"user {user.pk} changed their own password" in caplog.text
    assert NEW not in caplog.text and "wangwu" not in caplog.text
    # Every other session of the user ends with the old password.
    assert other_device.get(reverse("workbench:home")).status_code == 302


def test_the_service_refuses_without_the_form(user):
    with unchanged_db(), pytest.raises(InvalidInput, match="原密码不正确"):
        services.user_password_change(actor=user, old_password="nope", new_password=NEW)
    with unchanged_db(), pytest.raises(InvalidInput, match="新密码不符合要求"):
        services.user_password_change(actor=user, old_password=TEST_PASSWORD, new_password="123")
