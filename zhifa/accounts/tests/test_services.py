"""accounts.services.user_create: roles, password rules, unique usernames, admin access."""

import re

import pytest

from zhifa.accounts.models import Role, User
from zhifa.accounts.services import user_create
from zhifa.core.errors import InvalidInput
from zhifa.testing import unchanged_db

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Qz7!执法-台账-2025"


def test_creates_a_user_with_a_usable_password():
    user = user_create(username="zhangsan", password=GOOD_PASSWORD, role=Role.OFFICER, full_name="张三")
    user = User.objects.get(pk=user.pk)
    assert user.check_password(GOOD_PASSWORD)
    assert (user.role, user.display_name, user.is_staff, user.is_superuser) == (
        Role.OFFICER,
        "张三",
        False,
        False,
    )


def test_sysadmin_enters_the_admin():
    user = user_create(username="admin1", password=GOOD_PASSWORD, role=Role.SYSADMIN)
    assert (user.is_staff, user.is_superuser, user.is_sysadmin) == (True, True, True)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.HEAD])
def test_other_roles_do_not_enter_the_admin(role):
    user = user_create(username="u1", password=GOOD_PASSWORD, role=role)
    assert not user.is_staff and not user.is_superuser


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1!", "至少应包含 10 个字符"),
        ("12345678901234", "只包含数字"),
        ("password1234", "太常见"),
        ("lisi-account", "相似"),
    ],
)
def test_weak_password_is_refused_in_chinese(password, fragment):
    with unchanged_db(), pytest.raises(InvalidInput, match=r"^密码不符合要求：") as exc:
        user_create(username="lisi-account", password=password, role=Role.OFFICER)
    assert fragment in exc.value.message
    assert not re.search("[A-Za-z]{3,}", exc.value.message), exc.value.message  # no untranslated text


def test_validation_can_be_skipped_for_fixtures():
    user = user_create(username="demo", password="demo", role=Role.OFFICER, validate=False)
    assert user.check_password("demo")


def test_duplicate_username_is_refused():
    user_create(username="zhangsan", password=GOOD_PASSWORD, role=Role.OFFICER)
    with unchanged_db(), pytest.raises(InvalidInput, match="用户名“zhangsan”已被使用"):
        user_create(username="zhangsan", password=GOOD_PASSWORD, role=Role.HEAD)


def test_unknown_role_is_refused():
    with unchanged_db(), pytest.raises(InvalidInput, match="角色“king”不存在"):
        user_create(username="zhangsan", password=GOOD_PASSWORD, role="king")
