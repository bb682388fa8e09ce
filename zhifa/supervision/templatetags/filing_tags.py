"""The 备案审查 and 预警 card of /supervision/: its counts, read through the selectors."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from zhifa.core.calendar import today
from zhifa.supervision import filing_selectors as selectors
from zhifa.supervision.models_filings import FilingStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def filing_card(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    filings = selectors.filing_list_visible_to(user=user)
    by_status = dict(filings.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    on = today()
    hits = selectors.hit_list_visible_to(user=user)
    return {
        "submitted": by_status.get(FilingStatus.SUBMITTED, 0),
        "review_late": filings.filter(status=FilingStatus.SUBMITTED, review_due_on__lt=on).count(),
        "due": by_status.get(FilingStatus.DUE, 0),
        "due_late": filings.filter(status=FilingStatus.DUE, due_on__lt=on).count(),
        "correcting": by_status.get(FilingStatus.CORRECTING, 0),
        "hits": hits.count(),
        "red": hits.filter(level="red").count(),
    }
