"""Published rows shared by the search and open-data tests (plain functions, not fixtures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhifa.disclosure.models import Publication
from zhifa.disclosure.services import publication_withdraw
from zhifa.disclosure.tests.factories import CITIZEN, ORGANISATION, World, make_decided_case, publish

# Every identifier of the citizen party: none may appear on any public surface.
SECRETS = (
    CITIZEN["party_name"],
    CITIZEN["party_id_number"],
    CITIZEN["party_phone"],
    "幸福小区3号楼",
    "13900001111",  # the informant's phone
)


@dataclass
class Published:
    citizen: Publication  # a citizen's wage case, fine 5000
    company: Publication  # a company's wage case, warning + fine 20000
    withdrawn: Publication  # published, then withdrawn


def make_published(world: World) -> Published:
    citizen = publish(world, make_decided_case(world, decided_on=dt.date(2025, 9, 26)))
    company = publish(
        world,
        make_decided_case(
            world,
            party=ORGANISATION,
            decided_on=dt.date(2025, 10, 20),
            kinds=["warning", "fine"],
            fine=Decimal(20000),
            report_facts="经查，当事人某某建筑劳务有限公司拖欠农民工工资共计人民币12,000.50元。",
        ),
    )
    withdrawn = publish(world, make_decided_case(world, decided_on=dt.date(2025, 10, 9)))
    withdrawn = publication_withdraw(
        actor=world.admin, publication=withdrawn, reason="复议机关撤销了原处罚决定。"
    )
    return Published(citizen, company, withdrawn)
