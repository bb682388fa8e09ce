"""Cases over JSON (/api/cases/): the list, one case with the steps the user may take now, and
the steps themselves, through the same selectors, step forms and runner as the web pages.

`POST /api/cases/{id}/steps/{code}` takes the step form's fields as a JSON object. An optional
`Idempotency-Key` header makes a retry safe: the same key gets the first answer back and does
nothing more. A step the case has moved past is refused with 409. Session login with CSRF.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from zhifa.cases import attention, policies, selectors, services, workflow
from zhifa.cases.models import TERMINAL, Case, Status
from zhifa.cases.steps.filing import ClueForm
from zhifa.cases.steps.on_the_spot import OnTheSpotForm
from zhifa.cases.views import STEP_PAGE
from zhifa.core.api_forms import form_data, object_pk, payload, valid
from zhifa.core.calendar import today
from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.core.step_views import api_step
from zhifa.core.validation import DB_INT_MAX
from zhifa.org.certificates import Level
from zhifa.org.policies import agency_of

router = Router(tags=["cases"], auth=django_auth)


class AgencyOut(Schema):
    id: int
    name: str


class CaseLine(Schema):
    id: int
    number: str
    cause: str
    procedure: str
    status: str
    status_label: str
    agency: AgencyOut
    party_name: str
    level: str = Field(description="最紧迫期限的状态：ok（正常）、warning（即将到期）、danger（已超期）")
    next_due: dt.date | None


class PartyOut(Schema):
    kind: str
    kind_label: str
    name: str
    id_number: str = Field(description="身份证件号码或统一社会信用代码（非本机关人员只见部分）")
    address: str
    phone: str
    representative: str


class DeadlineOut(Schema):
    key: str
    label: str
    due: dt.date | None
    basis: str
    met_on: dt.date | None
    paused: bool
    days_left: int | None
    level: str
    phrase: str


class StepStateOut(Schema):
    code: str
    label: str
    allowed: bool
    reason: str = Field(description="不能办理时的理由（含法律依据）；可以办理时为空")


class CaseOut(Schema):
    id: int
    number: str
    cause: str
    procedure: str
    procedure_label: str
    status: str
    status_label: str
    agency: AgencyOut
    matter: str
    party: PartyOut
    outcome: str
    decided_on: dt.date | None
    decided_late: bool = Field(description="超过办案期限作出决定（《行政处罚法》第六十条）")
    final_fine: Decimal
    deadlines: list[DeadlineOut]
    may_act: bool
    refusal: str = Field(description="不能办理本案任何环节的理由；可以办理时为空")
    available_steps: list[StepStateOut]


class StepOut(Schema):
    case_id: int
    step: str
    status: str
    status_label: str
    replayed: bool = Field(description="该 Idempotency-Key 已办理过本环节：返回首次结果，未再办理")


class CaseCreated(Schema):
    id: int
    number: str
    status: str
    status_label: str


class CaseFilters(Schema):
    status: str = Field("", description="状态代码，或 open（未结）")
    agency: int | None = Field(None, ge=1, le=DB_INT_MAX)
    handler: int | None = Field(None, ge=1, le=DB_INT_MAX, description="承办人（执法人员 id）")
    overdue: bool = Field(False, description="只列有期限已超期的未结案件")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=DB_INT_MAX)


def _agency(case: Case) -> AgencyOut:
    return AgencyOut(id=case.agency_id, name=case.agency.name)


@router.get("/", response=list[CaseLine], summary="我可以查看的案件")
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> list[CaseLine]:
    user: Any = request.user
    if filters.status and filters.status != "open" and filters.status not in Status.values:
        raise InvalidInput(f"状态“{filters.status}”不存在。")
    cases = selectors.case_list_visible_to(user=user, status=filters.status).order_by("-received_on", "-pk")
    if filters.agency:
        cases = cases.filter(agency_id=filters.agency)
    if filters.handler:
        cases = cases.filter(handlers__officer_id=filters.handler, handlers__active=True)
    on = today()
    if filters.overdue:
        open_cases = cases.exclude(status__in=TERMINAL)
        rows = [r for r in attention.case_rows(open_cases, on) if r.level == Level.DANGER]
        rows = rows[filters.offset : filters.offset + filters.limit]
    else:
        rows = attention.case_rows(cases[filters.offset : filters.offset + filters.limit], on)
    return [
        CaseLine(
            id=r.case.pk,
            number=r.case.number,
            cause=r.case.cause,
            procedure=r.case.procedure,
            status=r.case.status,
            status_label=r.case.get_status_display(),
            agency=_agency(r.case),
            party_name=r.case.party_name,
            level=r.level,
            next_due=r.deadline.due if r.deadline else None,
        )
        for r in rows
    ]


@router.get("/{int:pk}", response=CaseOut, summary="案件详情与我现在可以办理的环节")
def case_detail(request: HttpRequest, pk: int) -> CaseOut:
    user: Any = request.user
    case = selectors.case_get_for(user=user, pk=object_pk(pk))
    on = today()
    party = selectors.party_for(user=user, case=case)
    refusal = policies.participation_refusal(user, case)
    return CaseOut(
        id=case.pk,
        number=case.number,
        cause=case.cause,
        procedure=case.procedure,
        procedure_label=case.get_procedure_display(),
        status=case.status,
        status_label=case.get_status_display(),
        agency=_agency(case),
        matter=case.matter_version.name if case.matter_version else (str(case.matter) if case.matter else ""),
        party=PartyOut(**party.__dict__),
        outcome=case.outcome,
        decided_on=case.decided_on,
        decided_late=case.decided_late,
        final_fine=case.final_fine,
        deadlines=[
            DeadlineOut(
                key=d.key,
                label=d.label,
                due=d.due,
                basis=d.basis,
                met_on=d.met_on,
                paused=d.paused,
                days_left=d.days_left(on),
                level=d.level(on),
                phrase=d.phrase(on),
            )
            for d in selectors.case_deadlines(case, on)
        ],
        may_act=not refusal,
        refusal=refusal,
        available_steps=[
            StepStateOut(code=s.step.code, label=s.step.label, allowed=s.allowed, reason=s.reason)
            for s in workflow.next_steps(case, user, on)
        ],
    )


def _created(case: Case) -> CaseCreated:
    return CaseCreated(
        id=case.pk, number=case.number, status=case.status, status_label=case.get_status_display()
    )


@router.post(
    "/",
    response=CaseCreated,
    summary="登记案源",
    description="请求体为登记案源表单字段组成的 JSON 对象（与网页表单相同）。",
)
def register_clue(request: HttpRequest) -> CaseCreated:
    user: Any = request.user
    agency = agency_of(user)
    if agency is None or not policies.can_register_clue(user, agency):
        raise NotPermitted("只有本机关的执法人员或负责人可以登记案源。")
    form = valid(ClueForm(form_data(payload(request)), agency=agency, user=user))
    return _created(form.perform())


@router.post(
    "/on-the-spot",
    response=CaseCreated,
    summary="当场作出行政处罚决定（简易程序）",
    description="请求体为当场处罚表单字段组成的 JSON 对象：须含 rights_told（已告知，第四十四条），"
    "以及 party_statement（当事人的陈述、申辩）或 no_statement（未提出陈述、申辩）。",
)
def decide_on_the_spot(request: HttpRequest) -> CaseCreated:
    user: Any = request.user
    officer = services.field_officer(user)
    form = valid(OnTheSpotForm(form_data(payload(request)), officer=officer, user=user))
    return _created(form.perform())


@router.post(
    "/{int:pk}/steps/{code}",
    response=StepOut,
    summary="办理案件的一个环节",
    description="请求体为该环节表单字段组成的 JSON 对象。可选请求头 Idempotency-Key：同一键重试只返回首次结果。",
)
def take_step(request: HttpRequest, pk: int, code: str) -> StepOut:
    user: Any = request.user
    body = payload(request)
    case = selectors.case_get_for(user=user, pk=object_pk(pk))
    done = api_step(request, STEP_PAGE, case, code, body=body)
    return StepOut(
        case_id=case.pk,
        step=code,
        status=done.status,
        status_label=Status(done.status).label,
        replayed=done.replayed,
    )
