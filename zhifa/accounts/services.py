"""Writes owned by accounts."""

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from zhifa.accounts.models import Role, User
from zhifa.core.errors import InvalidInput

logger = logging.getLogger(__name__)


def password_messages(exc: ValidationError) -> list[str]:
    """The password validators' refusals, in Chinese."""
    # Django 5.2 reworded the too-short message and its zh_Hans catalog has no translation yet.
    return [
        f"密码长度太短，至少应包含 {error.params['min_length']} 个字符。"
        if error.code == "password_too_short" and error.params
        else message
        for error in exc.error_list
        for message in error.messages
    ]


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
            raise InvalidInput("密码不符合要求：" + "；".join(password_messages(exc))) from exc
    user.set_password(password)
    _set_admin_flags(user)
    user.save()
    return user


def _set_admin_flags(user: User) -> None:
    # The Django admin is the configuration tool: only system administrators enter it.
    user.is_staff = user.is_superuser = user.role == Role.SYSADMIN


_USER_FIELDS = {"username", "full_name", "role", "phone", "email", "first_name", "last_name", "is_active"}


@transaction.atomic
def user_update(*, actor: User | None, user: User, **fields: object) -> User:
    """Change a login's details or role; the admin flags follow the role, never set by hand."""
    unknown = set(fields) - _USER_FIELDS
    if unknown:
        raise InvalidInput(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    role = fields.get("role", user.role)
    if role not in Role.values:
        raise InvalidInput(f"角色“{role}”不存在。")
    username = fields.get("username", user.username)
    if User.objects.filter(username=username).exclude(pk=user.pk).exists():
        raise InvalidInput(f"用户名“{username}”已被使用。")
    for key, value in fields.items():
        setattr(user, key, value)
    _set_admin_flags(user)
    user.save()
    return user


@transaction.atomic
def user_password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """A signed-in user replaces their own password; the change is kept in the user's history."""
    if not actor.check_password(old_password):
        raise InvalidInput("原密码不正确，请重新输入。")
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise InvalidInput("新密码不符合要求：" + "；".join(password_messages(exc))) from exc
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    # The history page of the user in 系统配置 shows it; the log line carries no personal data.
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[actor],
        action_flag=CHANGE,
        change_message="本人修改了登录密码。",
        single_object=True,
    )
    logger.info("user %s changed their own password", actor.pk)
    return actor
