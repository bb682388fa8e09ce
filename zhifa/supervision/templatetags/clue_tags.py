"""The /supervision/ page's 监督线索 card: its figures for the supervisor looking at it."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.supervision import clue_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def clue_counts(context: Any) -> dict[str, int]:
    return clue_selectors.counts_for(user=context["request"].user)
