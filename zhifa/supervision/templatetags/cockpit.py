"""The cockpit's card on the supervision home page: this year's headline figures."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.supervision import cockpit_selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def cockpit_summary(context: dict[str, Any]) -> cockpit_selectors.Tally:
    """The jurisdiction's totals of the current year (the cockpit's first view, summed)."""
    return cockpit_selectors.cockpit_for(user=context["request"].user).total
