"""复议、诉讼 and 自行纠正 of a decision, and how each ended.

A result that changes, revokes, or confirms the decision illegal or void obliges the agency to
withdraw the published decision within 3 working days (《行政处罚法》第四十八条第二款); the
disclosure queue derives that deadline from the stored result date (zhifa.disclosure.selectors).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from zhifa.cases import policies
from zhifa.cases.models import DECIDED, WITHDRAWING_RESULTS, Case, Remedy, RemedyKind, RemedyResult
from zhifa.cases.timeline import event
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def _ensure(actor: User, case: Case) -> None:
    if not policies.can_record_remedy(actor, case):
        raise NotPermitted("只有本机关负责人或法制审核人员可以登记行政复议、行政诉讼和自行纠正情况。")


def _check_date(day: dt.date, label: str) -> None:
    if day > today():
        raise InvalidInput(f"{label}不能晚于今天。")


@transaction.atomic
def remedy_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    filed_on: dt.date,
    body: str = "",
    note: str = "",
) -> Remedy:
    """登记: a reconsideration applied for, a lawsuit filed, or a correction started."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _ensure(actor, case)
    if case.status not in DECIDED or case.decided_on is None:
        raise DomainError(f"案件 {case.number} 尚未作出决定，没有可申请复议、起诉或纠正的决定。")
    if kind not in RemedyKind.values:
        raise InvalidInput(f"类别“{kind}”不存在，应为行政复议、行政诉讼或行政机关自行纠正。")
    _check_date(filed_on, "申请、起诉或启动日期")
    if filed_on < case.decided_on:
        raise InvalidInput(f"申请、起诉或启动日期不能早于决定日期 {case.decided_on:%Y-%m-%d}。")
    if kind != RemedyKind.SELF_CORRECTION and not body.strip():
        raise InvalidInput("请填写复议机关或受理的人民法院。")
    remedy = Remedy.objects.create(
        case=case,
        kind=kind,
        body=body.strip()[:100],
        filed_on=filed_on,
        note=note.strip(),
        recorded_by=actor,
    )
    event(
        case,
        actor,
        "remedy_record",
        f"登记{remedy.get_kind_display()}（{filed_on:%Y-%m-%d}）{remedy.body}",
        remedy=remedy.pk,
        kind=kind,
        filed_on=filed_on,
    )
    return remedy


@transaction.atomic
def remedy_conclude(
    *,
    actor: User,
    remedy: Remedy,
    result: str,
    concluded_on: dt.date,
    document_ref: str = "",
    note: str = "",
) -> Remedy:
    """登记结果: the decision upheld, changed, revoked, confirmed illegal or void, or the case ended."""
    remedy = Remedy.objects.select_for_update().select_related("case").get(pk=remedy.pk)
    _ensure(actor, remedy.case)
    if remedy.result:
        raise DomainError(
            f"该{remedy.get_kind_display()}已登记结果（{remedy.get_result_display()}），不能再次登记。"
        )
    if result not in RemedyResult.values:
        raise InvalidInput(f"结果“{result}”不存在。")
    _check_date(concluded_on, "决定、裁判生效日期")
    if concluded_on < remedy.filed_on:
        raise InvalidInput("决定、裁判生效日期不能早于申请或起诉日期。")
    if result in WITHDRAWING_RESULTS and not document_ref.strip():
        raise InvalidInput("变更、撤销或确认违法、无效的，须填写复议决定书、裁判文书或纠正文书的文号。")
    remedy.result, remedy.concluded_on = result, concluded_on
    remedy.document_ref = document_ref.strip()[:100]
    if note.strip():
        remedy.note = "\n".join(filter(None, [remedy.note, note.strip()]))
    remedy.save()
    summary = f"{remedy.get_kind_display()}结果：{remedy.get_result_display()}（{concluded_on:%Y-%m-%d}生效）"
    if result in WITHDRAWING_RESULTS:
        summary += "，已公开的决定应于三个工作日内撤回"
    event(
        remedy.case,
        actor,
        "remedy_conclude",
        summary,
        remedy=remedy.pk,
        result=result,
        concluded_on=concluded_on,
        document_ref=remedy.document_ref,
    )
    return remedy
