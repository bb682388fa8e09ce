"""Writes owned by accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.accounts.models import Role, User
from zhifa.core.errors import InvalidInput


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, full_name: str = "", phone: str = "", validate: bool = True
) -> User:
    if role not in Role.values:
        raise InvalidInput(f"角色“{role}”不存在。")
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名“{username}”已被使用。")
    user = User(username=username, role=role, full_name=full_name, phone=phone)
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise InvalidInput("密码不符合要求：" + "；".join(exc.messages)) from exc
    user.set_password(password)
    # The Django admin is the configuration tool: only system administrators enter it.
    user.is_staff = user.is_superuser = role == Role.SYSADMIN
    user.save()
    return user
