from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。注意密码区分大小写。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


def _min_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0


class OwnPasswordChangeForm(PasswordChangeForm):
    """The three fields of a password change. The checks are the service's (accounts.services)."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_mismatch": "两次输入的新密码不一致，请重新输入。",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields[
            "new_password1"
        ].help_text = f"至少 {_min_length()} 个字符，不能全是数字，不能是常见密码，也不能与用户名或姓名相近。"
        self.fields["new_password2"].help_text = ""

    # The old password and the validators are checked once, by the service, which puts its
    # Chinese sentence on the form; the form only checks that both new fields agree.
    def clean_old_password(self) -> str:
        return self.cleaned_data["old_password"]

    def validate_password_for_user(self, user, password_field_name="password2") -> None:
        return None
