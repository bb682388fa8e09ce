"""The 复议、诉讼及纠正 card of the case page: {% load remedies %}{% remedy_panel case user %}."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.cases import policies
from zhifa.cases.models import WITHDRAWING_RESULTS, Case
from zhifa.cases.remedy_views import RemedyForm, RemedyResultForm
from zhifa.cases.services.remedies import DECIDED

register = template.Library()


@register.inclusion_tag("cases/includes/remedies.html", takes_context=True)
def remedy_panel(context: Any, case: Case) -> dict[str, Any]:
    user = context["request"].user
    remedies = list(case.remedies.order_by("filed_on", "pk"))
    return {
        "case": case,
        "remedies": remedies,
        "decided": case.status in DECIDED and case.decided_on is not None,
        "can_record": policies.can_record_remedy(user, case),
        "withdrawing": WITHDRAWING_RESULTS,
        "form": RemedyForm(),
        "result_form": RemedyResultForm(),
        "csrf_token": context.get("csrf_token"),
    }
