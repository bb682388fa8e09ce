"""Case steps over JSON (/api/cases/): the same step forms and services as the web pages.

`POST /api/cases/{id}/steps/{code}` takes the step form's fields as a JSON object, validates
them with that form and takes the step; the guards (the review gate of 第五十八条 among them) are
the services' own. Session login with CSRF, like the pages.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from zhifa.cases import forms, policies, selectors, workflow
from zhifa.core.errors import InvalidInput, NotPermitted

router = Router(tags=["cases"], auth=django_auth)


class StepOut(Schema):
    case_id: int
    step: str
    status: str
    status_label: str


@router.post("/{pk}/steps/{code}", response=StepOut, summary="办理案件的一个环节")
def take_step(request: HttpRequest, pk: int, code: str) -> StepOut:
    user = request.user
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise InvalidInput("请求体应为 JSON 对象，键为该环节表单的字段。")
    case = selectors.case_get_for(user=user, pk=pk)  # type: ignore[arg-type]
    step, form_class = workflow.STEPS.get(code), forms.STEP_FORMS.get(code)
    if step is None or form_class is None:
        raise Http404("没有这一办理环节。")
    if not policies.may_work_on(user, case):  # type: ignore[arg-type]
        raise NotPermitted(f"您不是{case.agency.name}的执法人员、负责人或法制审核人员，不能办理本案。")
    form = form_class(_querydict(payload), case=case, user=user)  # type: ignore[arg-type]
    if not form.is_valid():
        raise InvalidInput("；".join(f"{k}：{'、'.join(str(e) for e in v)}" for k, v in form.errors.items()))
    form.perform()
    case.refresh_from_db()
    return StepOut(case_id=case.pk, step=code, status=case.status, status_label=case.get_status_display())


def _querydict(payload: dict[str, Any]) -> Any:
    """The JSON object as the form data a browser would post."""
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in payload.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                query[key] = "on"
        elif value is not None:
            query[key] = str(value)
    return query
