"""A small, hand-counted year of enforcement for the 年报 tests (rows made directly).

Agency A (world.agency) has twelve cases around 2025 including its boundaries in Asia/Shanghai;
agency B sits under the same 司法局 with two decisions. The expected 2025 figures of A are
spelled out in test_annual_figures.py next to the rows that produce them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from zhifa.accounts.models import Role
from zhifa.cases.models import (
    Case,
    CaseEvent,
    CollectiveDiscussion,
    Hearing,
    Outcome,
    Payment,
    RemedyKind,
    RemedyResult,
    Status,
)
from zhifa.catalog.models import MatterKind
from zhifa.disclosure.models import Kind, Publication, State
from zhifa.disclosure.tests.factories import World, make_decided_case, make_remedy
from zhifa.org.models import Agency, CertificateStatus
from zhifa.review.models import Opinion, ReviewRound
from zhifa.testing.factories import (
    AgencyFactory,
    AnnualReviewFactory,
    CertificateFactory,
    RegionFactory,
    make_matter,
    make_user,
)

SH = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SH)


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@dataclass
class Dataset:
    world: World
    sibling: Agency  # agency B, under the same 司法局
    cases: dict[str, Case]


def _case(world: World, name: str, *, received: str, filed: str | None, **kwargs: object) -> Case:
    case = make_decided_case(world, document=False, received_on=d(received), **kwargs)  # type: ignore[arg-type]
    Case.objects.filter(pk=case.pk).update(filed_on=d(filed) if filed else None)
    case.refresh_from_db()
    return case


def _undecided(case: Case, **fields: object) -> None:
    Case.objects.filter(pk=case.pk).update(
        decided_on=None, final_fine=Decimal(0), final_kinds=[], final_penalty="", **fields
    )


def _publication(
    case: Case, *, due: str | None, published: dt.datetime | None, **fields: object
) -> Publication:
    values: dict[str, object] = {
        "agency": case.agency,
        "kind": Kind.DECISION,
        "subject": f"cases.case:{case.pk}",
        "case": case,
        "state": State.PUBLISHED if published else State.DRAFT,
        "due_on": d(due) if due else None,
        "published_at": published,
        "title": case.number,
    }
    return Publication.objects.create(**{**values, **fields})


def build(world: World) -> Dataset:
    licensing = make_matter(
        agency=world.agency,
        domain=world.domain,
        kind=MatterKind.LICENSING,
        code="L0001",
        disclosure_workdays=7,
    )
    c: dict[str, Case] = {}
    c["c1"] = _case(
        world, "c1", received="2025-01-05", filed="2025-01-10", decided_on=d("2025-03-10"),
        fine=5000, status=Status.CLOSED, final_confiscation=Decimal(1000), fine_paid_on=d("2025-03-20"),
    )  # fmt: skip
    c["c2"] = _case(
        world, "c2", received="2025-06-02", filed=None, no_matter=True, decided_on=d("2025-06-02"), fine=200
    )
    c["c3"] = _case(
        world,
        "c3",
        received="2025-05-01",
        filed="2025-05-03",
        decided_on=d("2025-07-01"),
        outcome=Outcome.NO_PENALTY,
    )
    c["c4"] = _case(
        world, "c4", received="2025-06-15", filed="2025-06-20", matter=licensing,
        decided_on=d("2025-08-01"), outcome=Outcome.NOT_ESTABLISHED,
    )  # fmt: skip
    c["c5"] = _case(world, "c5", received="2025-04-01", filed="2025-04-05")
    _undecided(c["c5"], status=Status.TRANSFERRED, outcome=Outcome.TRANSFER, transferred_on=d("2025-05-05"))
    c["c6"] = _case(world, "c6", received="2025-03-20", filed=None)
    _undecided(c["c6"], status=Status.NOT_FILED, outcome="", matter_version=None)
    c["c7"] = _case(world, "c7", received="2025-11-01", filed="2025-11-05")
    _undecided(c["c7"], status=Status.REVOKED, outcome="")
    c["c8"] = _case(
        world, "c8", received="2024-11-01", filed="2024-11-05", decided_on=d("2024-12-31"),
        fine=3000, status=Status.CLOSED, fine_paid_on=d("2025-01-10"),
    )  # fmt: skip
    c["c9"] = _case(world, "c9", received="2025-12-30", filed=None)
    _undecided(c["c9"], status=Status.NOT_FILED, outcome="")
    c["c10"] = _case(
        world, "c10", received="2025-12-01", filed="2025-12-02", decided_on=d("2026-01-02"), fine=600
    )
    c["c11"] = _case(
        world, "c11", received="2025-10-01", filed="2025-10-02", decided_on=d("2025-12-25"), fine=1000
    )
    c["c12"] = _case(
        world, "c12", received="2025-09-01", filed="2025-09-02", decided_on=d("2025-11-03"), fine=800
    )
    for case in c.values():
        case.refresh_from_db()

    # 不予立案 and 撤销立案 are dated by their events; two sit on the year boundary.
    for case, action, moment in (
        (c["c6"], "decline_filing", at("2025-04-01")),
        (c["c7"], "revoke", at("2025-12-31", 23, 30)),
        (c["c9"], "decline_filing", at("2026-01-01", 0, 10)),
    ):
        event = CaseEvent.objects.create(case=case, actor=world.head, action=action, summary=action)
        CaseEvent.objects.filter(pk=event.pk).update(at=moment)

    Payment.objects.create(
        case=c["c1"],
        paid_on=d("2025-03-20"),
        amount=Decimal(5000),
        receipt_number="R1",
        recorded_by=world.officer,
    )
    Payment.objects.create(
        case=c["c1"], paid_on=d("2025-03-21"), amount=Decimal(150), receipt_number="R2", is_surcharge=True,
        recorded_by=world.officer,
    )  # fmt: skip
    Payment.objects.create(
        case=c["c8"],
        paid_on=d("2025-01-10"),
        amount=Decimal(3000),
        receipt_number="R3",
        recorded_by=world.officer,
    )

    Hearing.objects.create(case=c["c1"], requested_on=d("2025-02-20"), held_on=d("2025-03-01"))
    Hearing.objects.create(case=c["c8"], requested_on=d("2024-12-01"), held_on=d("2025-01-05"))
    Hearing.objects.create(case=c["c11"], requested_on=d("2025-11-10"), withdrawn_on=d("2025-11-15"))

    reviewer = make_user(Role.REVIEWER, agency=world.agency, full_name="审核员甲")
    discussion = CollectiveDiscussion.objects.create(
        case=c["c1"], held_at=at("2025-03-04"), place="会议室", chair=world.head, conclusion="同意处罚",
        outcome=Outcome.PENALTY,
    )  # fmt: skip
    CollectiveDiscussion.objects.create(
        case=c["c12"], held_at=at("2026-01-01", 0, 30), place="会议室", chair=world.head, conclusion="同意",
        outcome=Outcome.PENALTY,
    )  # fmt: skip
    ReviewRound.objects.create(
        case=c["c1"], number=1, submitted_by=world.officer, submitted_at=at("2025-02-25"), reviewer=reviewer,
        opinion=Opinion.PROBLEMS, reviewed_at=at("2025-02-27"), disagreed_at=at("2025-02-28"),
        disagreement="有异议", discussion=discussion,
    )  # fmt: skip
    ReviewRound.objects.create(
        case=c["c1"], number=2, submitted_by=world.officer, submitted_at=at("2025-03-03"), reviewer=reviewer,
        opinion=Opinion.AGREE, reviewed_at=at("2025-03-05"),
    )  # fmt: skip
    ReviewRound.objects.create(
        case=c["c8"], number=1, submitted_by=world.officer, submitted_at=at("2024-12-20"), reviewer=reviewer,
        opinion=Opinion.AGREE, reviewed_at=at("2025-01-02"),
    )  # fmt: skip
    ReviewRound.objects.create(
        case=c["c10"], number=1, submitted_by=world.officer, submitted_at=at("2025-12-31", 23)
    )

    for case, kind, filed, result, concluded in (
        ("c1", RemedyKind.RECONSIDERATION, "2025-04-01", RemedyResult.REVOKED, "2025-06-01"),
        ("c3", RemedyKind.LITIGATION, "2025-08-01", RemedyResult.UPHELD, "2025-11-01"),
        ("c8", RemedyKind.LITIGATION, "2025-02-01", "", None),
        ("c2", RemedyKind.SELF_CORRECTION, "2025-07-01", RemedyResult.CHANGED, "2025-07-05"),
        ("c4", RemedyKind.RECONSIDERATION, "2025-09-01", RemedyResult.CONFIRMED_ILLEGAL, "2025-12-01"),
        ("c11", RemedyKind.RECONSIDERATION, "2025-12-30", RemedyResult.TERMINATED, "2026-01-03"),
    ):
        make_remedy(
            c[case],
            kind=kind,
            filed_on=d(filed),
            result=result,
            concluded_on=d(concluded) if concluded else None,
        )

    _publication(c["c3"], due="2025-07-10", published=at("2025-07-08"))
    _publication(c["c4"], due="2025-08-12", published=at("2025-08-20"))
    _publication(
        c["c1"], due="2025-03-19", published=at("2025-03-12"), state=State.WITHDRAWN, withdrawn_at=at("2025-06-03"),
        withdrawal_due_on=d("2025-06-04"), withdrawal_reason="复议决定撤销原处罚决定。",
    )  # fmt: skip
    _publication(c["c2"], due="2025-06-11", published=None)
    # Published at 00:30 in Shanghai on the day after the due day: still the due day in UTC.
    _publication(c["c8"], due="2025-01-10", published=at("2025-01-11", 0, 30))
    _publication(c["c11"], due="2026-01-06", published=at("2026-01-01", 0, 10))

    # Certificates on 2025-12-31: new (valid), reviewed in 2025 (valid), review overdue, suspended.
    officers = {o.user.role: o for o in world.agency.officers.select_related("user")}
    CertificateFactory(officer=officers[Role.OFFICER], domains=[world.domain])
    reviewed = CertificateFactory(
        officer=officers[Role.HEAD], issued_on=d("2023-06-01"), domains=[world.domain]
    )
    AnnualReviewFactory(certificate=reviewed, year=2025, reviewed_on=d("2025-03-01"))
    CertificateFactory(
        officer=officers[Role.DISCLOSURE_ADMIN], issued_on=d("2023-06-01"), domains=[world.domain]
    )
    CertificateFactory(
        officer=officers[Role.REVIEWER], status=CertificateStatus.SUSPENDED, domains=[world.domain]
    )

    sibling = AgencyFactory(name="测试市市场监督管理局", region=RegionFactory(parent=world.bureau.region))
    make_user(Role.HEAD, agency=sibling)
    b1 = make_decided_case(world, agency=sibling, document=False, decided_on=d("2025-05-05"), fine=300)
    make_decided_case(
        world, agency=sibling, document=False, decided_on=d("2025-09-09"), outcome=Outcome.NOT_ESTABLISHED
    )
    _publication(b1, due="2025-05-14", published=at("2025-05-12"))
    # Outside the bureau's region: never in its aggregate.
    make_decided_case(world, agency=world.other_agency, document=False, decided_on=d("2025-05-05"))
    return Dataset(world, sibling, c)
