"""{% discretion_panel case %}: the case page's panel of the discretion assessment."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.cases import discretion
from zhifa.cases.models import Case, Procedure

register = template.Library()


@register.inclusion_tag("cases/discretion/panel.html", takes_context=True)
def discretion_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = context["request"].user
    return {
        "case": case,
        "shown": case.procedure == Procedure.GENERAL and case.matter_id is not None,
        "assessment": discretion.assessment_for(case),
        "can_assess": discretion.can_assess(user, case) and case.status in discretion.ASSESSABLE,
    }
