"""Inspection tasks over JSON for the officer's phone (/api/inspections/tasks/): my tasks, one task
with the steps open now, and the steps themselves, through the same selectors, step forms and
runner as the web pages (like /api/cases/).

`POST /api/inspections/tasks/{id}/steps/{code}` takes the step form's fields as a JSON object
(the checklist: `answer_<item id>` and `note_<item id>`). An optional `Idempotency-Key` header
makes a retry safe. A step the task has moved past is refused with 409. Session login with CSRF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from zhifa.core.api_forms import object_pk, payload
from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.core.step_views import api_step
from zhifa.inspections import task_policies, task_selectors
from zhifa.inspections.models import InspectionTask, TaskStatus
from zhifa.inspections.task_views import STEP_PAGE, code_url
from zhifa.inspections.task_workflow import next_steps

router = Router(tags=["inspections"], auth=django_auth)


class InspectorOut(Schema):
    id: int
    name: str


class ItemOut(Schema):
    id: int
    code: str
    name: str
    content: str
    answer: str = Field(description="pass（符合）、fail（不符合）、na（不适用），尚未填写为空")
    note: str


class StepStateOut(Schema):
    code: str
    label: str
    allowed: bool
    reason: str = Field(description="不能办理时的理由（含法律依据）；可以办理时为空")


class TaskLine(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    subject: str
    subject_uscc: str
    agency: str
    valid_from: dt.date
    valid_until: dt.date


class TaskDetail(TaskLine):
    address: str
    inspectors: list[InspectorOut]
    code_url: str = Field(description="检查码二维码所载的公开核验地址")
    items: list[ItemOut]
    result: str
    result_label: str
    follow_up_on: dt.date | None
    case_id: int | None
    available_steps: list[StepStateOut]


class StepOut(Schema):
    task_id: int
    step: str
    status: str
    status_label: str
    replayed: bool


class ListFilters(Schema):
    mine: bool = Field(True, description="只列本人参加检查的任务")
    status: str = Field("open", description="open（待办）、all 或一个状态值")


def _line(task: InspectionTask) -> dict[str, Any]:
    return {
        "id": task.pk,
        "number": task.number,
        "kind": task.kind,
        "kind_label": task.get_kind_display(),
        "status": task.status,
        "status_label": task.get_status_display(),
        "subject": task.subject.name,
        "subject_uscc": task.subject.uscc,
        "agency": task.agency.name,
        "valid_from": task.valid_from,
        "valid_until": task.valid_until,
    }


def _reader(request: HttpRequest) -> Any:
    user: Any = request.user
    if not task_policies.reads_tasks(user):
        raise NotPermitted("行政检查任务供执法人员、机关负责人和司法局监督人员查阅。")
    return user


@router.get("/", response=list[TaskLine], summary="检查任务（默认：我的待办）")
def task_list(request: HttpRequest, filters: Query[ListFilters]) -> list[dict[str, Any]]:
    user = _reader(request)
    status = "" if filters.status == "all" else filters.status
    if status and status != "open" and status not in TaskStatus.values:
        raise InvalidInput("状态应为 open、all 或检查任务的一个状态。")
    rows = task_selectors.task_list_visible_to(user=user, mine=filters.mine, status=status)
    return [_line(t) for t in rows[:200]]


@router.get("/{int:pk}", response=TaskDetail, summary="一个检查任务及现在可办理的环节")
def task_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = _reader(request)
    task = task_selectors.task_get_for(user=user, pk=object_pk(pk))
    checks = {c.item_id: c for c in task.checks.all()}
    return {
        **_line(task),
        "address": task.subject.address,
        "inspectors": [
            {"id": o.pk, "name": o.name} for o in [*task.inspectors, *task.joint_inspectors.order_by("pk")]
        ],
        "code_url": code_url(task.code),
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "content": i.content,
                "answer": checks[i.pk].answer if i.pk in checks else "",
                "note": checks[i.pk].note if i.pk in checks else "",
            }
            for i in task.items.order_by("code")
        ],
        "result": task.result,
        "result_label": task.get_result_display() if task.result else "",
        "follow_up_on": task.follow_up_on,
        "case_id": task.case_id,
        "available_steps": [
            {"code": s.step.code, "label": s.step.label, "allowed": s.allowed, "reason": s.reason}
            for s in next_steps(task, user)
        ],
    }


@router.post(
    "/{int:pk}/steps/{code}",
    response=StepOut,
    summary="办理检查任务的一个环节",
    description="请求体为该环节表单字段组成的 JSON 对象。可选请求头 Idempotency-Key：同一键重试只返回首次结果。",
)
def take_step(request: HttpRequest, pk: int, code: str) -> StepOut:
    user = _reader(request)
    body = payload(request)
    task = task_selectors.task_get_for(user=user, pk=object_pk(pk))
    done = api_step(request, STEP_PAGE, task, code, body=body)
    return StepOut(
        task_id=task.pk,
        step=code,
        status=done.status,
        status_label=TaskStatus(done.status).label,
        replayed=done.replayed,
    )
