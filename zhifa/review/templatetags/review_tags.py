"""The legal-review card of the case page: {% load review_tags %}{% review_panel case %}."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.cases.models import Case
from zhifa.core.calendar import today
from zhifa.review.selectors import case_review

register = template.Library()


@register.inclusion_tag("review/case_panel.html")
def review_panel(case: Case) -> dict[str, Any]:
    review = case_review(case)
    on = today()
    deadline = review.deadline
    return {
        "case": case,
        "review": review,
        "level": deadline.level(on) if deadline else "",
        "phrase": deadline.phrase(on) if deadline else "",
    }
