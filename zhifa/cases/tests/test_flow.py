"""A general-procedure case driven from clue to archive through the services, on a travelling clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhifa.cases import selectors, services
from zhifa.cases.models import Outcome, PartyKind, RecordKind, ServiceMethod, Status
from zhifa.cases.selectors import payment_status
from zhifa.cases.workflow import take
from zhifa.core.errors import DomainError
from zhifa.documents.models import Document
from zhifa.testing.factories import make_uscc

SH = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SH)


def kinds_of(case) -> list[str]:
    return list(
        Document.objects.filter(subject_ref=case.subject_ref).order_by("pk").values_list("kind", flat=True)
    )


@pytest.mark.django_db(transaction=False)
def test_general_procedure_from_clue_to_archive(world):
    w = world
    with time_machine.travel(at("2026-08-03"), tick=False):
        case = services.case_register_clue(
            actor=w.officer,
            agency=w.agency,
            source="complaint",
            received_on=dt.date(2026, 8, 3),
            cause="涉嫌拖欠劳动者工资案",
            clue_summary="职工张某投诉某公司拖欠三个月工资。",
            informant_name="张某",
            party_kind=PartyKind.ORGANISATION,
            party_name="示例建材有限公司",
            party_id_number=make_uscc(7),
            party_address="示例县城关镇工业路1号",
        )
        assert case.status == Status.CLUE
        take(
            "request_filing",
            actor=w.officer,
            case=case,
            matter=w.matter,
            handlers=[w.officer.officer, w.colleague.officer],
            opinion="经初步核查，符合立案条件。",
        )
        with pytest.raises(DomainError, match="第四十三条"):
            take("approve_filing", actor=w.head, case=case)
        take("declare_recusal", actor=w.officer, case=case, statement="本人与本案无利害关系。")
        take("declare_recusal", actor=w.colleague, case=case, statement="本人与本案无利害关系。")
        take("approve_filing", actor=w.head, case=case)
        case.refresh_from_db()
        assert case.status == Status.INVESTIGATION
        assert case.matter_version is not None

    with time_machine.travel(at("2026-08-05", 15), tick=False):
        take(
            "add_record",
            actor=w.officer,
            case=case,
            kind=RecordKind.INQUIRY,
            started_at=at("2026-08-05", 9),
            ended_at=at("2026-08-05", 10),
            place="示例县人社局询问室",
            officers=[w.officer.officer, w.colleague.officer],
            subject_name="李某（公司财务）",
            content={"qa": [{"q": "公司是否按时支付工资？", "a": "五月至七月的工资尚未支付。"}]},
        )
        take(
            "submit_report",
            actor=w.officer,
            case=case,
            facts="当事人拖欠12名劳动者2026年5月至7月工资共计36万元。",
            evidence="询问笔录\n工资表",
            analysis="违反《劳动保障监察条例》第二十六条。",
            outcome=Outcome.PENALTY,
            kinds=["warning", "fine"],
            fine=Decimal("20000"),
            penalty="警告，并处罚款人民币贰万元。",
        )
        take("notify", actor=w.officer, case=case)
        case.refresh_from_db()
        assert case.status == Status.NOTICE and not case.hearing_right
        (notice,) = selectors.unserved_documents(case)
        take(
            "serve",
            actor=w.officer,
            case=case,
            documents=[notice],
            method=ServiceMethod.DIRECT,
            served_on=dt.date(2026, 8, 5),
            place="当事人住所",
            recipient="王某（法定代表人）",
        )
        case.refresh_from_db()
        with pytest.raises(DomainError, match="第六十二条"):
            take(
                "decide", actor=w.head, case=case, kinds=["warning", "fine"], fine=Decimal(20000), penalty="x"
            )

    with time_machine.travel(at("2026-08-14"), tick=False):
        case.refresh_from_db()
        with pytest.raises(DomainError, match="第四十五条"):
            take(
                "decide",
                actor=w.head,
                case=case,
                kinds=["warning", "fine"],
                fine=Decimal(30000),
                penalty="加重",
            )
        decision, credit = take(
            "decide",
            actor=w.head,
            case=case,
            kinds=["warning", "fine"],
            fine=Decimal(20000),
            penalty="警告，并处罚款人民币贰万元。",
        )
        assert decision.kind == "penalty_decision" and credit.kind == "credit_repair_notice"
        case.refresh_from_db()
        with pytest.raises(DomainError, match="双书同达"):
            take(
                "serve",
                actor=w.officer,
                case=case,
                documents=[decision],
                method=ServiceMethod.DIRECT,
                served_on=dt.date(2026, 8, 14),
                place="当事人住所",
                recipient="王某",
            )
        take(
            "serve",
            actor=w.officer,
            case=case,
            documents=[decision, credit],
            method=ServiceMethod.DIRECT,
            served_on=dt.date(2026, 8, 14),
            place="当事人住所",
            recipient="王某",
        )
        case.refresh_from_db()
        assert case.status == Status.EXECUTION

    # Due 2026-08-29 is a Saturday: rolled to Monday 08-31. Unpaid on 09-02, two days have accrued;
    # paid that day, only 09-01 counts (the day of payment accrues nothing).
    with time_machine.travel(at("2026-09-02"), tick=False):
        case.refresh_from_db()
        status = payment_status(case)
        assert status.overdue and status.surcharge.amount == Decimal("1200.00")
        take(
            "record_payment",
            actor=w.officer,
            case=case,
            paid_on=dt.date(2026, 9, 2),
            amount=Decimal(20000),
            receipt_number="P001",
        )
        case.refresh_from_db()
        assert case.fine_paid_on is None
        take(
            "record_payment",
            actor=w.officer,
            case=case,
            paid_on=dt.date(2026, 9, 2),
            amount=Decimal(600),
            receipt_number="P002",
            is_surcharge=True,
        )
        case.refresh_from_db()
        assert case.fine_paid_on == dt.date(2026, 9, 2)
        take("request_closing", actor=w.officer, case=case, summary="罚款及加处罚款已缴清。")
        take("approve_closing", actor=w.head, case=case)
        case.refresh_from_db()
        assert case.status == Status.CLOSED
        take("archive", actor=w.officer, case=case)

    assert kinds_of(case) == [
        "filing_approval",
        "inquiry_record",
        "investigation_report",
        "prior_notice",
        "service_receipt",
        "penalty_decision",
        "credit_repair_notice",
        "service_receipt",
        "closing_approval",
    ]
    actions = list(case.events.values_list("action", flat=True))
    assert actions[0] == "register_clue" and actions[-1] == "archive"
    assert "decide" in actions and "serve" in actions
