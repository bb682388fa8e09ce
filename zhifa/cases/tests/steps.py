"""Bring a case to a stage of the procedure through the services, for the case tests.

Every issued document is a real signed PDF (about 0.7 s each), so the helpers issue only what
the stage needs, and tests check an "allowed" step with services.preview where the issued
document itself is not the point. The helpers act at the test's (frozen) clock and return the
case fresh from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from stdnum.cn import ric

from zhifa.cases import selectors, services
from zhifa.cases.models import Case, CaseEvent, Outcome, PartyKind, RecordKind, Service, ServiceMethod
from zhifa.cases.workflow import take
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError
from zhifa.testing import unchanged_db
from zhifa.testing.factories import make_uscc

SH = ZoneInfo("Asia/Shanghai")
# A Monday with no holiday for weeks around it: 5 working days later is the next Monday.
START_DAY = "2026-03-02"


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SH)


def travel(day: str, hour: int = 10) -> time_machine.travel:
    """Stand still on that day and hour (Asia/Shanghai)."""
    return time_machine.travel(at(day, hour), tick=False)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def citizen_id(serial: int) -> str:
    """A valid 居民身份证号码 (GB 11643-1999 check digit) born 1980-01-01 in 北京市东城区."""
    base = f"11010119800101{serial % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def party(*, organisation: bool = False) -> dict[str, str]:
    if organisation:
        return {
            "party_kind": PartyKind.ORGANISATION,
            "party_name": "示例建材有限公司",
            "party_id_number": make_uscc(7),
            "party_address": "示例县城关镇工业路1号",
        }
    return {
        "party_kind": PartyKind.CITIZEN,
        "party_name": "张三",
        "party_id_number": citizen_id(123),
        "party_address": "示例县城关镇人民路2号",
    }


# ── Checking refusals and events ──────────────────────────────────────────────────────────


@contextmanager
def refused(
    error: type[Exception] = DomainError, match: str | None = None, *, case: Case | None = None
) -> Iterator[None]:
    """The block raises `error` (its message matching `match`) and leaves every table as it was.

    A refused service may have set attributes on the Python object before raising; pass `case`
    to reload it so the test goes on with what the database holds.
    """
    with unchanged_db(), pytest.raises(error, match=match):
        yield
    if case is not None:
        case.refresh_from_db()


def mark() -> int:
    """The newest event so far, to ask afterwards which events a step wrote."""
    return CaseEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def actions(case: Case, since: int = 0) -> list[str]:
    """The actions of the case's events written after `since`, in order."""
    return list(case.events.filter(pk__gt=since).order_by("pk").values_list("action", flat=True))


def document_kinds(case: Case, since: int = 0) -> list[str]:
    """The kinds of the documents the case's events record as issued after `since`."""
    events = case.events.filter(pk__gt=since, action="document_issued").order_by("pk")
    return [e.data["kind"] for e in events]


def titles(pages: Sequence[tuple[str, str]]) -> list[str]:
    return [title for title, _ in pages]


# ── Stages of the general procedure ───────────────────────────────────────────────────────


def clue(w: Any, *, organisation: bool = False, received_on: dt.date | None = None, **fields: Any) -> Case:
    """A clue registered by the officer, with a known party."""
    values: dict[str, Any] = {
        "source": "complaint",
        "cause": "涉嫌拖欠劳动者工资案",
        "clue_summary": "职工投诉拖欠三个月工资。",
        **party(organisation=organisation),
        **fields,
    }
    return services.case_register_clue(
        actor=w.officer, agency=w.agency, received_on=received_on or today(), **values
    )


def requested_case(
    w: Any,
    *,
    handlers: Sequence[Any] | None = None,
    matter: Any = None,
    is_major: bool = False,
    major_reason: str = "",
    **clue_fields: Any,
) -> Case:
    """Filing requested with two handlers (users; the first leads); nobody has declared recusal yet."""
    case = clue(w, **clue_fields)
    take(
        "request_filing",
        actor=w.officer,
        case=case,
        matter=matter or w.matter,
        handlers=[u.officer for u in handlers or (w.officer, w.colleague)],
        opinion="经初步核查，符合立案条件。",
        is_major=is_major,
        major_reason=major_reason,
    )
    case.refresh_from_db()
    return case


def declare(case: Case, *users: Any) -> None:
    for user in users:
        take("declare_recusal", actor=user, case=case, statement="本人与本案当事人没有利害关系。")


def filed_case(w: Any, *, handlers: Sequence[Any] | None = None, **fields: Any) -> Case:
    """Filed by the head (issues the 立案审批表)."""
    handlers = list(handlers or (w.officer, w.colleague))
    case = requested_case(w, handlers=handlers, **fields)
    declare(case, *handlers)
    take("approve_filing", actor=w.head, case=case)
    case.refresh_from_db()
    return case


def add_inquiry(w: Any, case: Case, *, officers: Sequence[Any] | None = None, actor: Any = None) -> Any:
    """An inquiry record made an hour ago (issues the 询问笔录); by default the case's handlers were there."""
    now = dt.datetime.now(SH)
    present = (
        [u.officer for u in officers]
        if officers is not None
        else [h.officer for h in case.handlers.filter(active=True).select_related("officer")]
    )
    return take(
        "add_record",
        actor=actor or w.officer,
        case=case,
        kind=RecordKind.INQUIRY,
        started_at=now - dt.timedelta(hours=1),
        ended_at=now - dt.timedelta(minutes=30),
        place="人社局询问室",
        officers=present,
        subject_name="李某（公司财务）",
        content={"qa": [{"q": "公司是否按时支付工资？", "a": "一月的工资尚未支付。"}]},
    )


def investigated_case(w: Any, **fields: Any) -> Case:
    case = filed_case(w, **fields)
    add_inquiry(w, case)
    case.refresh_from_db()
    return case


def report(
    w: Any,
    case: Case,
    *,
    outcome: str = Outcome.PENALTY,
    kinds: Sequence[str] = ("warning", "fine"),
    fine: Decimal = Decimal(5000),
    penalty: str = "",
) -> Case:
    """The investigation report (issues the 调查终结报告)."""
    penalty_case = outcome == Outcome.PENALTY
    take(
        "submit_report",
        actor=w.officer,
        case=case,
        facts="当事人拖欠3名劳动者2026年1月工资共计1.5万元。",
        evidence="询问笔录\n工资表",
        analysis="违反《劳动保障监察条例》第二十六条。",
        outcome=outcome,
        kinds=kinds if penalty_case else (),
        fine=fine if penalty_case else Decimal(0),
        penalty=(penalty or f"警告，并处罚款人民币 {fine} 元。") if penalty_case else "",
    )
    case.refresh_from_db()
    return case


def reported_case(
    w: Any,
    *,
    outcome: str = Outcome.PENALTY,
    kinds: Sequence[str] = ("warning", "fine"),
    fine: Decimal = Decimal(5000),
    **fields: Any,
) -> Case:
    """Investigated and reported: 3 documents. The default intends a warning and a 5000-yuan fine
    for a citizen, below the hearing threshold."""
    case = investigated_case(w, **fields)
    return report(w, case, outcome=outcome, kinds=kinds, fine=fine)


def serve(
    w: Any,
    case: Case,
    documents: Sequence[Any] | None = None,
    *,
    on: dt.date | None = None,
    method: str = ServiceMethod.DIRECT,
) -> Service:
    """Serve the given documents (default: every unserved one) today; issues the 送达回证."""
    service = take(
        "serve",
        actor=w.officer,
        case=case,
        documents=list(documents if documents is not None else selectors.unserved_documents(case)),
        method=method,
        served_on=on or today(),
        place="当事人住所",
        recipient="张三",
    )
    case.refresh_from_db()
    return service


def notified_case(w: Any, *, served: bool = True, **fields: Any) -> Case:
    """Prior notice issued (and, unless served=False, served today): 5 documents without a hearing right."""
    case = reported_case(w, **fields)
    take("notify", actor=w.officer, case=case)
    case.refresh_from_db()
    if served:
        serve(w, case)
    return case


# ── 法制审核 (zhifa.review) ────────────────────────────────────────────────────────────────


def pass_review(w: Any, case: Case, *, reviewer: Any = None) -> Case:
    """Submitted by the lead handler, assigned by the head, agreed by the reviewer (issues the
    法制审核意见书)."""
    from zhifa.review import services as review
    from zhifa.review.items import ITEMS

    # `report` writes no discretion rationale; the review asks for one (裁量说明).
    Case.objects.filter(pk=case.pk, outcome=Outcome.PENALTY, report_discretion="").update(
        report_discretion="首次违法，按一般情节裁量。"
    )
    round_ = review.review_submit(actor=w.officer, case=case)
    review.review_assign(actor=w.head, round_=round_, reviewer=reviewer or w.reviewer)
    round_.refresh_from_db()
    review.review_record(
        actor=reviewer or w.reviewer,
        round_=round_,
        findings={i.code: {"finding": "ok", "note": ""} for i in ITEMS},
        opinion="agree",
    )
    case.refresh_from_db()
    return case


# ── The on-the-spot procedure ─────────────────────────────────────────────────────────────


def on_the_spot_case(
    w: Any,
    *,
    fine: Decimal = Decimal(200),
    kinds: Sequence[str] = ("fine",),
    organisation: bool = False,
    form: Any = None,
    paid_on_spot: bool = False,
    receipt_number: str = "",
    collection_reason: str = "",
    decided_at: dt.datetime | None = None,
    rights_told: bool = True,
    party_statement: str = "",
) -> Case:
    """A decision on the spot by the officer and the colleague (issues the 当场行政处罚决定书)."""
    values = party(organisation=organisation)
    case = services.case_decide_on_the_spot(
        actor=w.officer,
        form=form,
        co_officer=w.colleague.officer,
        matter=w.matter,
        party_kind=values["party_kind"],
        party_name=values["party_name"],
        party_id_number=values["party_id_number"],
        party_address=values["party_address"],
        cause="未按规定公示劳动用工信息",
        facts="检查发现当事人未在醒目位置公示最低工资标准。",
        kinds=kinds,
        fine=fine,
        place="示例县城关镇人民路2号",
        decided_at=decided_at or dt.datetime.now(SH) - dt.timedelta(minutes=10),
        recusal_confirmed=True,
        rights_told=rights_told,
        party_statement=party_statement,
        no_statement=not party_statement,
        paid_on_spot=paid_on_spot,
        receipt_number=receipt_number,
        collection_reason=collection_reason,
    )
    case.refresh_from_db()
    return case
