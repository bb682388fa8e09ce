"""The evidence panel of the case page: the AV-recording list per stage, the items, the 笔录."""

from __future__ import annotations

from typing import Any

from django import template

from zhifa.cases.models import Case
from zhifa.evidence import forms, policies, recording, selectors

register = template.Library()


@register.inclusion_tag("evidence/includes/case_panel.html", takes_context=True)
def case_evidence_panel(context: dict[str, Any], case: Case) -> dict[str, Any]:
    user = context["request"].user
    rows = recording.case_stage_rows(case)
    return {
        "case": case,
        "items": selectors.case_items(case),
        "rows": rows,
        "records": case.records.all(),
        "can_add": policies.can_add(user, case) and case.is_open,
        "can_approve": policies.can_approve_exception(user, case) and case.is_open,
        "exception_form": forms.ExceptionForm(),
        "exception_stages": [r for r in rows if r.coverage.required and not r.coverage.met],
        "exceptions": case.recording_exceptions.select_related("approved_by"),
    }
