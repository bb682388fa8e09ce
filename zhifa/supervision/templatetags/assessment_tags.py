"""The /supervision/ page's 年度考核 card: its figures for the supervisor looking at it."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.supervision import assessment_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_counts(context: Any) -> dict[str, Any]:
    return assessment_selectors.home_counts(user=context["request"].user)
