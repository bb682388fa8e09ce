"""People are shown by name: the account's 姓名, else its officer record's, never the login."""

from __future__ import annotations

import pytest

from zhifa.accounts.models import Role
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_accounts_own_name_comes_first():
    user = make_user(Role.OFFICER, full_name="李明", username="officer")
    assert user.display_name == str(user) == "李明"


def test_an_account_without_a_name_shows_its_officers_name():
    user = make_user(Role.OFFICER, full_name="", username="officer")
    user.officer.name = "王芳"
    user.officer.save()
    assert user.display_name == str(user) == "王芳"


def test_only_a_bare_system_account_shows_its_login():
    user = make_user(Role.SYSADMIN, agency=None, full_name="", username="admin")
    assert user.display_name == "admin"
