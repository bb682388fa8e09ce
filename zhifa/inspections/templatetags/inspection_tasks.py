"""`{% subject_inspections subject %}`: the 无事不扰 history on a subject's page, in its own include."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from zhifa.core import jurisdiction
from zhifa.core.calendar import today
from zhifa.inspections import task_policies, task_selectors
from zhifa.inspections.models import Subject

register = template.Library()


@register.inclusion_tag("inspections/includes/subject_history.html", takes_context=True)
def subject_inspections(context: dict[str, Any], subject: Subject) -> dict[str, Any]:
    """Every inspection of the subject by any agency (who, when, what kind, the result); a task
    links to its page only for those who may read it."""
    user = context["request"].user
    rows = list(task_selectors.subject_history(subject=subject)[:200])
    readable = set(
        task_selectors.task_list_visible_to(user=user).filter(subject=subject).values_list("pk", flat=True)
    )
    year = today().year
    this_year = sum(
        1 for t in rows if t.started_at is not None and timezone.localtime(t.started_at).year == year
    )
    warnings = (
        list(task_selectors.warnings_visible_to(user=user).filter(subject=subject)[:20])
        if task_policies.sees_warnings(user)
        else []
    )
    return {
        "rows": [(t, t.pk in readable) for t in rows],
        "year": year,
        "this_year": this_year,
        "limit": int(jurisdiction.value("inspection_yearly_limit")),
        "warnings": warnings,
    }
