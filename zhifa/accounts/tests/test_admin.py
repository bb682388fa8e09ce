"""Logins in the admin go through accounts.services: the admin flags follow the role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.accounts.services import user_update
from zhifa.testing import unchanged_db
from zhifa.testing.admin import errors, form_data, sysadmin_client
from zhifa.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_flags_follow_the_role_and_cannot_be_set_by_hand():
    client, _ = sysadmin_client()
    user = UserFactory(role=Role.OFFICER)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    page = client.get(url)
    assert {"is_staff", "is_superuser", "groups", "user_permissions"}.isdisjoint(
        page.context["adminform"].form.fields
    )
    response = client.post(url, form_data(page, is_superuser="on", is_staff="on", full_name="新名"))
    assert response.status_code == 302, errors(response)
    user.refresh_from_db()
    assert user.full_name == "新名" and not user.is_staff and not user.is_superuser
    client.post(url, form_data(client.get(url), role=Role.SYSADMIN))
    user.refresh_from_db()
    assert user.is_staff and user.is_superuser


def test_admin_add_goes_through_user_create():
    client, _ = sysadmin_client()
    url = reverse("admin:accounts_user_add")
    data = form_data(
        client.get(url), username="new-user", role=Role.HEAD, password1="short", password2="short"
    )
    with unchanged_db():
        response = client.post(url, data)
    assert response.status_code == 200 and "password" in errors(response)
    data.update(password1="a-long-pass-phrase", password2="a-long-pass-phrase")
    assert client.post(url, data).status_code == 302
    user = User.objects.get(username="new-user")
    assert user.role == Role.HEAD and not user.is_staff and user.check_password("a-long-pass-phrase")
    assert (
        client.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"}).status_code == 403
    )


def test_user_update_refuses_a_taken_username_and_an_unknown_role():
    user, other = UserFactory(), UserFactory()
    with unchanged_db(), pytest.raises(Exception, match="已被使用"):
        user_update(actor=None, user=user, username=other.username)
    with unchanged_db(), pytest.raises(Exception, match="不存在"):
        user_update(actor=None, user=user, role="root")
