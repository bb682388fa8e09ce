"""A small evaluation world on top of the `jurisdiction` fixture: a domain, a matter of each
agency, a few closed cases, evaluators of each agency, the default standard and the bureau's
signing certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from zhifa.accounts.models import Role
from zhifa.cases.ledger import case_append
from zhifa.cases.models import Case, Outcome, Status
from zhifa.catalog.models import AVLevel, Stage
from zhifa.core.calendar import today
from zhifa.ledger.services import checkpoint_make
from zhifa.supervision.evaluation_services import campaign_create
from zhifa.supervision.evaluation_standard import standard_load_default
from zhifa.supervision.evaluation_workflow import take_campaign
from zhifa.testing.factories import EnforcementDomainFactory, make_matter, make_user
from zhifa.testing.signing import install_test_credential, use_temp_dirs


@dataclass
class EvaluationWorld:
    j: Any
    domain: Any
    matter: Any
    other_matter: Any
    evaluator: Any  # a legal reviewer of `other`: evaluates `agency`'s files
    evaluator_b: Any  # a legal reviewer of `agency`: evaluates `other`'s files
    standard: Any
    serial: int = 0

    def closed_case(
        self, agency: Any = None, *, matter: Any = None, closed_on: dt.date | None = None
    ) -> Case:
        agency = agency or self.j.agency
        matter = matter or (self.matter if agency == self.j.agency else self.other_matter)
        self.serial += 1
        closed_on = closed_on or today() - dt.timedelta(days=10)
        case = Case.objects.create(
            agency=agency,
            number=f"评测案〔2026〕{self.serial:03d}号",
            status=Status.CLOSED,
            cause="未按时足额支付劳动报酬案",
            matter=matter,
            matter_version=matter.versions.first(),
            source="complaint",
            received_on=closed_on - dt.timedelta(days=60),
            clue_summary="职工投诉拖欠工资。",
            outcome=Outcome.NO_PENALTY,
            closed_on=closed_on,
            registered_by=self.j.officer if agency == self.j.agency else self.evaluator,
        )
        case_append(case)  # made directly for speed; its leaf is the one the steps would leave
        return case

    def campaign(self, *, ratio: str | None = "1", count: int | None = None, **kw: Any) -> Any:
        fields: dict[str, Any] = {
            "actor": self.j.supervisor,
            "title": "2026年度行政执法案卷评查",
            "agencies": [self.j.agency, self.j.other],
            "period_start": today() - dt.timedelta(days=365),
            "period_end": today(),
            "witness_rule": "抽取当日上证指数开盘点位",
            "ratio": Decimal(ratio) if ratio is not None else None,
            "count": count,
        }
        fields.update(kw)
        return campaign_create(**fields)

    def drawn(self, campaign: Any, witness: str = "3210.55") -> Any:
        take_campaign("approve", actor=self.j.supervisor, campaign=campaign)
        take_campaign("lock", actor=self.j.supervisor, campaign=campaign)
        checkpoint_make(reason="测试")
        take_campaign(
            "draw",
            actor=self.j.supervisor,
            campaign=campaign,
            witness_name="公证员李四",
            witness_value=witness,
        )
        return campaign


# No stage demands AV recording: the pre-filled AV check is met (a test sets its own list).
TEXT_ONLY = {stage: AVLevel.TEXT for stage in Stage if stage not in (Stage.SEIZURE, Stage.DEMOLITION)}


@pytest.fixture(name="ev")
def ev_fixture(jurisdiction, settings, tmp_path) -> EvaluationWorld:
    use_temp_dirs(settings, tmp_path)
    install_test_credential(jurisdiction.bureau)
    domain = EnforcementDomainFactory(name="劳动保障监察")
    return EvaluationWorld(
        j=jurisdiction,
        domain=domain,
        matter=make_matter(agency=jurisdiction.agency, domain=domain, av_levels=TEXT_ONLY),
        other_matter=make_matter(
            agency=jurisdiction.other, domain=domain, name="镇综合执法事项", av_levels=TEXT_ONLY
        ),
        evaluator=make_user(Role.REVIEWER, agency=jurisdiction.other, full_name="钱审核"),
        evaluator_b=make_user(Role.REVIEWER, agency=jurisdiction.agency, full_name="孙审核"),
        standard=standard_load_default(),
    )
