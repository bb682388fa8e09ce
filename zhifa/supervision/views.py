"""Thin adapters of 行政执法监督: load through selectors, call services, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.supervision import evaluation_selectors, policies


@login_required
@require_safe
def home(request: AuthenticatedRequest) -> HttpResponse:
    """执法监督: the bureau's sections and the agencies it supervises."""
    bureau = policies.ensure_supervisor(request.user)
    agencies = policies.supervised_agencies(request.user).exclude(pk=bureau.pk).select_related("region")
    return render(
        request,
        "supervision/home.html",
        {
            "title": "行政执法监督",
            "bureau": bureau,
            "agencies": agencies,
            "evaluation": evaluation_selectors.home_counts(user=request.user),
        },
    )
