"""Checks shared by the case steps and the services that start a case: what the user typed, and
who may enforce (《行政处罚法》第四十二、四十三条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from zhifa.cases.models import Case, CaseHandler, PartyKind
from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import MatterVersion
from zhifa.catalog.services import handler_ensure_eligible
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.org.models import Officer
from zhifa.org.services import validate_uscc

MIN_HANDLERS = 2


def require_text(value: str, what: str, article: str = "") -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{what}{f'（{article}）' if article else ''}。")
    return value


def not_in_future(day: dt.date, what: str, on: dt.date) -> dt.date:
    if day > on:
        raise InvalidInput(f"{what}不能晚于今天（{on:%Y-%m-%d}）。")
    return day


def not_in_future_dt(moment: dt.datetime) -> dt.datetime:
    if moment > timezone.now():
        raise InvalidInput("时间不能晚于现在。")
    return moment


def party_clean(*, kind: str, name: str, id_number: str) -> tuple[str, str, str]:
    """The party's kind, name and checked ID: 居民身份证 (GB 11643) or 统一社会信用代码 (GB 32100)."""
    if kind not in PartyKind.values:
        raise InvalidInput("请选择当事人类别：公民，或者法人或者其他组织。")
    name = require_text(name, "当事人姓名或名称")
    id_number = id_number.strip().upper()
    if id_number:
        if kind == PartyKind.CITIZEN:
            # Length, digits, check digit and birth date; not stdnum's table of region codes, which
            # lags behind renamed and merged counties (and knows no test or demo region).
            try:
                if (
                    len(id_number) != 18
                    or not id_number[:-1].isdigit()
                    or ric.calc_check_digit(id_number) != id_number[-1]
                ):
                    raise StdnumError()
                ric.get_birth_date(id_number)
            except StdnumError:
                raise InvalidInput(
                    f"居民身份证号码“{id_number}”无效：应为 18 位，且末位校验码须符合 GB 11643-1999。"
                ) from None
        else:
            id_number = validate_uscc(id_number)
    return kind, name, id_number


def penalty_terms_clean(
    kinds: Sequence[str], fine: Decimal, confiscation: Decimal
) -> tuple[list[str], Decimal, Decimal]:
    unknown = set(kinds) - set(PenaltyKind.values)
    if unknown or not kinds:
        raise InvalidInput("请选择《行政处罚法》第九条规定的处罚种类。")
    if (PenaltyKind.FINE in kinds) != (fine > 0):
        raise InvalidInput("选择罚款时应填写大于零的罚款金额；未选择罚款时罚款金额应为零。")
    confiscating = PenaltyKind.CONFISCATE_GAINS in kinds or PenaltyKind.CONFISCATE_PROPERTY in kinds
    if confiscation > 0 and not confiscating:
        raise InvalidInput("填写没收金额时应选择没收违法所得或没收非法财物。")
    return [k for k in PenaltyKind.values if k in kinds], fine, confiscation


def active_handlers(case: Case) -> list[CaseHandler]:
    return list(case.handlers.filter(active=True).select_related("officer"))


def ensure_team(case: Case, on: dt.date) -> MatterVersion:
    """第四十二条 and 第四十三条: two or more eligible handlers, every one having declared recusal."""
    if case.matter is None:
        raise DomainError("请先选择本案适用的执法事项。")
    handlers = active_handlers(case)
    if len(handlers) < MIN_HANDLERS:
        raise DomainError("执法人员不得少于两人（《行政处罚法》第四十二条），请至少指定两名承办人。")
    version = None
    for handler in handlers:
        version = handler_ensure_eligible(officer=handler.officer, matter=case.matter, on=on)
        if handler.recusal_declared_at is None:
            raise DomainError(f"承办人{handler.officer.name}尚未作出回避声明（《行政处罚法》第四十三条）。")
    assert version is not None
    return version


def ensure_present_officers(case: Case, officers: Iterable[Officer], on: dt.date) -> list[Officer]:
    """Records are made by two or more of the case's handlers, each able to enforce that day."""
    chosen = list(officers)
    roles = {h.officer_id: h for h in case.handlers.all()}
    if len({o.pk for o in chosen}) < MIN_HANDLERS:
        raise DomainError("调查或者检查时，执法人员不得少于两人（《行政处罚法》第四十二条、第五十五条）。")
    for officer in chosen:
        role = roles.get(officer.pk)
        if role is not None and not role.active:
            raise DomainError(
                f"{officer.name}已不再承办本案（{role.removed_reason or '已更换'}），"
                "不能参与本案调查（《行政处罚法》第四十三条：执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，应当回避）。"
            )
        if role is None:
            raise DomainError(
                f"{officer.name}不是本案承办人，不能以执法人员身份参与调查（《行政处罚法》第四十二条）。"
            )
        if role.recusal_declared_at is None:
            raise DomainError(f"承办人{officer.name}尚未作出回避声明（《行政处罚法》第四十三条）。")
        assert case.matter is not None
        handler_ensure_eligible(officer=officer, matter=case.matter, on=on)
    return chosen
