"""The pages of accounts beyond Django's login and logout: the own-password change and the
lockout page django-axes shows after too many failed logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from zhifa.accounts import services
from zhifa.accounts.forms import OwnPasswordChangeForm
from zhifa.core.errors import DomainError


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = OwnPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("workbench:home")
    title = "修改密码"

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        try:
            user = services.user_password_change(
                actor=self.request.user,  # type: ignore[arg-type]
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        # The new password's hash is in the session: this session stays signed in, every other
        # session of the user is signed out.
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。其他设备上的登录已失效，请用新密码重新登录。")
        return redirect(self.get_success_url())

    def form_invalid(self, form: OwnPasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        return self.render_to_response(self.get_context_data(form=form), status=400)


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: too many failed logins for this account or from this address."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "title": "登录已暂时锁定",
            # The limits in force (AXES_*, set from ZHIFA_LOGIN_FAILURE_LIMIT and _LOCKOUT_MINUTES).
            "limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
