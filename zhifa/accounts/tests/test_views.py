"""Login and logout, in Chinese."""

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.testing.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese():
    body = Client().get(reverse("accounts:login")).content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body
    assert 'lang="zh-Hans"' in body


def test_login_and_logout():
    user = make_user(Role.OFFICER, username="li")
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "li", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:home")
    assert client.get(reverse("workbench:home")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("workbench:home")).status_code == 302
    assert user.pk


def test_wrong_password_is_refused_in_chinese():
    make_user(Role.OFFICER, username="li")
    response = Client().post(reverse("accounts:login"), {"username": "li", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_inactive_user_cannot_log_in():
    make_user(Role.OFFICER, username="gone", is_active=False)
    response = Client().post(reverse("accounts:login"), {"username": "gone", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSADMIN])
def test_only_sysadmin_enters_the_admin(role):
    client = Client()
    client.force_login(make_user(role))
    assert client.get(reverse("admin:index")).status_code == 302


def test_sysadmin_enters_the_admin():
    from zhifa.accounts.services import user_create

    admin = user_create(username="root", password="a-long-pass-phrase", role=Role.SYSADMIN)
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
