"""Pages of the discretion benchmarks: public (no login, 《行政处罚法》第三十四条) and per matter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.catalog import benchmarks, discretion
from zhifa.core.calendar import today
from zhifa.core.views import parse_id


@require_safe
def public_benchmarks(request: HttpRequest) -> HttpResponse:
    """Every benchmark in force today, by agency and matter, with its tiers and the four lists.

    Built only from the benchmark's own published text; it never reads a case.
    """
    entries = benchmarks.public_benchmarks(agency_id=parse_id(request.GET.get("agency", "")))
    agencies = sorted({(e.benchmark.matter.agency_id, e.agency_name) for e in entries}, key=lambda a: a[1])
    rows = [
        {
            "entry": e,
            "benchmark": e.benchmark,
            "tiers": benchmarks.tier_rows(e.benchmark),
            "groups": benchmarks.factor_groups(e.factors),
            "share": discretion.percent(e.benchmark.leniency_share),
        }
        for e in entries
    ]
    context = {"title": "行政处罚裁量基准", "rows": rows, "agencies": agencies, "on": today()}
    return render(request, "catalog/benchmarks_public.html", context)


@login_required
@require_GET
def matter_benchmarks(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every version of one matter's benchmark, for the users who may read the matter."""
    matter, versions = benchmarks.benchmarks_of_matter(user=request.user, matter_pk=pk)
    on = today()
    rows = [
        {
            "benchmark": b,
            "current": b.effective_from <= on and (b.effective_to is None or on <= b.effective_to),
            "tiers": benchmarks.tier_rows(b),
            "groups": benchmarks.factor_groups(benchmarks.factors_of(b)),
            "share": discretion.percent(b.leniency_share),
        }
        for b in versions
    ]
    return render(
        request,
        "catalog/matter_benchmarks.html",
        {"title": f"{matter.code} 裁量基准", "matter": matter, "rows": rows},
    )
