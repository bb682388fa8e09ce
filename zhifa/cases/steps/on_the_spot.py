"""简易程序: the on-the-spot decision form (it creates the case) and its filing with the agency."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.cases import deadlines, recording_gate, services
from zhifa.cases.models import WITH_DECISION, Case, Status
from zhifa.cases.penalties import PenaltyKind
from zhifa.cases.steps.fields import DATETIME, TEXT, PartyFields, money, offer_enforcers, offer_matters
from zhifa.cases.workflow import HEAD, ON_THE_SPOT, Step
from zhifa.catalog.models import Matter
from zhifa.core.errors import DomainError
from zhifa.core.workflow import Run, StepForm
from zhifa.org.models import Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User


class OnTheSpotForm(PartyFields):
    """当场行政处罚决定书, short enough for a phone."""

    form = forms.ChoiceField(label="预编号决定书", required=False)
    co_officer = forms.ModelChoiceField(label="同行执法人员", queryset=Officer.objects.none())
    matter = forms.ModelChoiceField(label="执法事项", queryset=Matter.objects.none())
    cause = forms.CharField(label="案由", max_length=200)
    facts = forms.CharField(label="违法事实", widget=TEXT)
    kinds = forms.MultipleChoiceField(
        label="处罚种类",
        choices=[(PenaltyKind.WARNING, "警告"), (PenaltyKind.FINE, "罚款")],
        widget=forms.CheckboxSelectMultiple,
    )
    fine = money("罚款金额（元）", initial=0)
    place = forms.CharField(label="地点", max_length=200)
    decided_at = forms.DateTimeField(label="决定时间", widget=DATETIME, initial=timezone.now)
    recusal_confirmed = forms.BooleanField(label="两名执法人员与当事人均无直接利害关系", required=False)
    rights_told = forms.BooleanField(
        label="已告知当事人拟作出处罚的事实、理由、依据和陈述申辩权利（第四十四条）", required=False
    )
    party_statement = forms.CharField(
        label="当事人的陈述、申辩", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    no_statement = forms.BooleanField(label="当事人未提出陈述、申辩", required=False)
    paid_on_spot = forms.BooleanField(label="当场收缴罚款", required=False)
    receipt_number = forms.CharField(label="专用票据号码", max_length=60, required=False)
    collection_reason = forms.CharField(label="当场收缴理由（一百元以上）", max_length=200, required=False)

    field_order = ["form", "co_officer", "matter", "party_kind", "party_name", "party_id_number"]

    def __init__(self, *args: Any, officer: Officer, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.user = user
        self.held = {str(d.pk): d for d in services.forms_held_by(officer)}
        self.fields["form"].choices = [("", "自动领用下一个编号")] + [
            (pk, d.number) for pk, d in self.held.items()
        ]
        offer_enforcers(
            self.fields["co_officer"],
            Officer.objects.filter(agency=officer.agency, is_active=True).exclude(pk=officer.pk),
        )
        offer_matters(
            self.fields["matter"], Matter.objects.filter(agency=officer.agency, repealed_on__isnull=True)
        )
        self.fields["party_kind"].required = True
        self.fields["party_name"].required = True

    def perform(self) -> Case:
        data = dict(self.cleaned_data)
        form = self.held.get(data.pop("form") or "")
        data.pop("party_representative", None)
        return services.case_decide_on_the_spot(actor=self.user, form=form, **data)


def _guard_file_on_the_spot(case: Case, on: dt.date) -> None:
    if case.on_the_spot_filed_on is not None:
        raise DomainError("该当场处罚决定已经备案。")


def _file_on_the_spot(run: Run[Case]) -> Case:
    """备案: the head receives the on-the-spot decision (第五十二条第二款)."""
    case, on = run.subject, run.on
    # The on-the-spot penalty is 现场执法; its recording is filed with the decision.
    recording_gate.ensure_recorded(case, recording_gate.Stage.ON_SITE)
    case.on_the_spot_filed_on = on
    case.save()
    assert case.decided_on is not None
    due = deadlines.on_the_spot_filing_due(case.decided_on).due
    late = due is not None and on > due
    run.record("当场处罚决定已备案" + (f"（应于 {due:%Y-%m-%d} 前备案，已逾期）" if late else ""))
    return case


STEPS = [
    Step(
        "file_on_the_spot",
        "当场处罚备案",
        HEAD,
        WITH_DECISION | {Status.CLOSING, Status.CLOSED},
        _file_on_the_spot,
        StepForm,
        guard=_guard_file_on_the_spot,
        variants=ON_THE_SPOT,
    ),
]
