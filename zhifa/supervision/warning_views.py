"""Thin adapters of the warning rules page (预警规则): list through the selector, change through
warning_services.rule_update."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.errors import DomainError
from zhifa.supervision import warning_selectors as selectors
from zhifa.supervision import warning_services
from zhifa.supervision.policies import ensure_supervisor
from zhifa.supervision.warning_forms import RuleForm
from zhifa.supervision.warning_policies import ensure_may_manage_rules, may_manage_rules


@login_required
@require_safe
def warning_rules(request: AuthenticatedRequest) -> HttpResponse:
    ensure_supervisor(request.user)
    table = warning_services.rules_ensure()
    return render(
        request,
        "supervision/warnings/rules.html",
        {
            "title": "预警规则",
            "rows": selectors.rule_rows(user=request.user, table=table),
            "may_manage": may_manage_rules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def warning_rule_edit(request: AuthenticatedRequest, code: str) -> HttpResponse:
    ensure_may_manage_rules(request.user)
    rule = selectors.rule_get(code=code)
    form = RuleForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            warning_services.rule_update(
                actor=request.user,
                rule=rule,
                enabled=form.cleaned_data["enabled"],
                params=form.params(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已修改预警规则“{rule.name}”，自下次评估起适用。")
            return redirect("supervision:warning_rules")
    return render(
        request,
        "supervision/warnings/rule_edit.html",
        {
            "title": f"修改预警规则：{rule.name}",
            "rule": rule,
            "form": form,
            "events": selectors.rule_events(rule=rule),
        },
        status=400 if form.errors else 200,
    )
