"""The cockpit (驾驶舱): thin adapters over zhifa.supervision.cockpit_selectors."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.core.calendar import today
from zhifa.core.views import parse_id
from zhifa.supervision import cockpit_selectors as selectors


def _chart_data(cockpit: selectors.Cockpit) -> dict[str, Any]:
    """What cockpit.js draws (through json_script: no inline script, CSP)."""

    def share(value: Any) -> float | None:
        return None if value is None else float(value)

    rows = cockpit.by_region if cockpit.by_region else cockpit.rows
    return {
        "statuses": [{"name": label, "value": n} for _code, label, n in cockpit.statuses],
        "rows": {
            "labels": [t.label for t in rows],
            "cases": [t.cases for t in rows],
            "open": [t.is_open for t in rows],
            "overdue": [t.overdue for t in rows],
        },
        "remedies": {
            "labels": [t.label for t in cockpit.by_domain],
            "correction": [share(t.correction_rate) for t in cockpit.by_domain],
            "loss": [share(t.loss_rate) for t in cockpit.by_domain],
        },
    }


@login_required
@require_safe
def cockpit(request: AuthenticatedRequest) -> HttpResponse:
    """驾驶舱: the jurisdiction's figures, drilled down region → agency → domain → matter → cases."""
    params = request.GET
    domain = params.get("domain")
    data = selectors.cockpit_for(
        user=request.user,
        year=parse_id(params.get("year")),
        agency=parse_id(params.get("agency")),
        domain=domain[:20] if domain is not None else None,
        matter=parse_id(params.get("matter")),
    )
    return render(
        request,
        "supervision/cockpit/cockpit.html",
        {
            "title": "执法监督驾驶舱",
            "c": data,
            "staff": selectors.staff_for(user=request.user, scope=data.scope),
            "inspections": selectors.inspections_for(user=request.user, scope=data.scope),
            "clues": selectors.clues_for(user=request.user, scope=data.scope),
            "filings": selectors.filings_for(user=request.user, scope=data.scope),
            "charts": _chart_data(data),
            "today": today(),
        },
    )
