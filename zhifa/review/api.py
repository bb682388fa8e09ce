"""法制审核 over JSON (/api/review/): the same action forms and services as the review pages.

`POST /api/review/cases/{id}/{action}` takes the action form's fields as a JSON object; an
ineligible person named by id is refused by the service with the rule and its article.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from zhifa.cases import selectors as case_selectors
from zhifa.core.api_forms import form_data, object_pk, payload, valid
from zhifa.review.forms import action_form_for

router = Router(tags=["review"], auth=django_auth)


class ActionOut(Schema):
    case_id: int
    action: str
    label: str


@router.post("/cases/{int:pk}/{action}", response=ActionOut, summary="办理法制审核的一个环节")
def take_action(request: HttpRequest, pk: int, action: str) -> ActionOut:
    user: Any = request.user
    case = case_selectors.case_get_for(user=user, pk=object_pk(pk))
    form_class = action_form_for(action, user, case)
    form = valid(form_class(form_data(payload(request)), case=case, user=user))
    form.perform()
    return ActionOut(case_id=case.pk, action=action, label=form_class.label)
