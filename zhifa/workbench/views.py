import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhifa.accounts.http import AuthenticatedRequest
from zhifa.accounts.models import Role, User
from zhifa.cases import attention
from zhifa.cases import policies as case_policies
from zhifa.catalog.selectors import matter_list_visible_to
from zhifa.core import calendar
from zhifa.core.errors import DomainError
from zhifa.org import policies as org_policies
from zhifa.org.certificates import Level
from zhifa.org.selectors import (
    agency_list_visible_to,
    agency_overviews,
    officer_standing,
    training_hours,
    training_requirement,
)
from zhifa.review import selectors as review_selectors
from zhifa.workbench import search


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    on = calendar.today()
    officer = getattr(user, "officer", None)
    context: dict[str, object] = {"title": "工作台", "today": on}
    if officer is not None:
        context["standing"] = officer_standing(officer, on=on)
        context["my_hours"] = training_hours(officer, year=on.year)
        context["required_hours"] = required = training_requirement()
        context["hours_short"] = max(required - context["my_hours"], 0)  # type: ignore[operator]
    # Heads, supervisors and administrators see every agency they may read; the others, their own.
    agencies = agency_list_visible_to(user=user)
    context["overviews"] = agency_overviews(agencies, on=on)
    context["wide"] = user.role in (Role.SUPERVISOR, Role.SYSADMIN)
    context["show_roster"] = user.role in (Role.HEAD, Role.SUPERVISOR, Role.SYSADMIN, Role.REVIEWER)
    context["own_agency"] = org_policies.agency_of(user)
    context["matter_count"] = matter_list_visible_to(user=user).count()
    context.update(_case_queues(user, on))
    return render(request, "workbench/home.html", context)


@login_required
@require_GET
def search_view(request: AuthenticatedRequest) -> HttpResponse:
    if not search.can_search(request.user):
        raise PermissionDenied("全局搜索仅供登记在执法主体的工作人员使用。")
    text = request.GET.get("q", "").strip()[: search.MAX_QUERY]
    groups = search.search(request.user, text)
    return render(
        request,
        "workbench/search.html",
        {
            "title": "搜索",
            "search_query": text,
            "groups": groups,
            "found": sum(g.total for g in groups),
            "empty_labels": [g.label for g in groups if not g.total],
        },
    )


def _case_queues(user: User, on: dt.date) -> dict[str, object]:
    """What each role has waiting in the case procedure: deadlines for handlers, approvals, reviews."""
    queues: dict[str, object] = {}
    if user.role in (Role.OFFICER, Role.HEAD) and case_policies.officer_of(user) is not None:
        rows = attention.case_rows(attention.open_cases(user=user, mine=True), on)
        queues["my_cases"] = {
            "tally": attention.tally(rows),
            "urgent": [
                {"case": r.case, "level": r.level, "deadline": r.deadline, "phrase": r.deadline.phrase(on)}
                for r in attention.by_urgency(rows, on)
                if r.level != Level.OK and r.deadline is not None
            ][:10],
        }
    if user.role == Role.HEAD:
        queues["approvals"] = attention.awaiting_approval(user=user)
        queues["agency_cases"] = attention.tally(attention.case_rows(attention.open_cases(user=user), on))
    if user.role == Role.REVIEWER:
        queues["reviews"] = review_selectors.assigned_to(user=user, on=on)
    # The head, or the review body's lead: submissions waiting for a reviewer (None: not theirs).
    unassigned = review_selectors.awaiting_assignment(user=user, on=on)
    if unassigned is not None:
        queues["review_unassigned"] = unassigned
    return queues


class WorkdayForm(forms.Form):
    start = forms.DateField(label="起算日", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="工作日数", min_value=0, max_value=calendar.MAX_WORKDAYS, initial=7)


@login_required
def calendar_view(request: AuthenticatedRequest) -> HttpResponse:
    on = calendar.today()
    try:
        year = int(request.GET.get("year", on.year))
        month = int(request.GET.get("month", on.month))
        if not 1900 <= year <= 2100:
            raise ValueError(year)
        first = dt.date(year, month, 1)
    except ValueError:
        first = on.replace(day=1)
    days = calendar.month_days(first.year, first.month)
    leading = [None] * first.weekday()
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    form = WorkdayForm(request.GET if "start" in request.GET else None)
    result = None
    if form.is_valid():
        try:
            result = calendar.add_workdays(form.cleaned_data["start"], form.cleaned_data["days"])
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "workbench/calendar.html",
        {
            "title": "工作日历",
            "first": first,
            "cells": leading + days,
            "prev_month": prev_month,
            "next_month": next_month,
            "form": form,
            "result": result,
            "provisional_month": any(d.provisional for d in days),
        },
    )
