"""One form per case step. A form parses what the user typed and calls the step's service.

`STEP_FORMS[code]` is the form of workflow step `code`; the generic step view renders it, shows
the documents it would issue (preview) and performs it. Rules live in the services, not here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from zhifa.cases import services
from zhifa.cases.models import (
    Case,
    ClueSource,
    DefenceAdoption,
    Measure,
    MeasureKind,
    Outcome,
    PartyKind,
    PaymentArrangement,
    RecordKind,
    ServiceMethod,
)
from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import Matter
from zhifa.core.errors import InvalidInput
from zhifa.org.models import Agency, Officer

if TYPE_CHECKING:
    from zhifa.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


def money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal(0), **kwargs)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _items(text: str) -> list[dict[str, str]]:
    """物品清单, one item per line: 名称，规格，数量，备注."""
    rows = []
    for line in _lines(text):
        parts = [p.strip() for p in line.replace(",", "，").split("，")] + ["", "", ""]
        rows.append(
            {
                "name": parts[0],
                "spec": parts[1],
                "quantity": parts[2],
                "note": "，".join(p for p in parts[3:] if p),
            }
        )
    return rows


def _qa(text: str) -> list[dict[str, str]]:
    """问答, written as lines starting with 问： and 答：."""
    pairs: list[dict[str, str]] = []
    for line in _lines(text):
        if line[:2] in ("问：", "问:"):
            pairs.append({"q": line[2:].strip(), "a": ""})
        elif line[:2] in ("答：", "答:") and pairs:
            pairs[-1]["a"] = (pairs[-1]["a"] + line[2:].strip()).strip()
        elif pairs:
            key = "a" if pairs[-1]["a"] or not pairs[-1]["q"] else "q"
            pairs[-1][key] += line
        else:
            raise InvalidInput("询问笔录的问答请以“问：”“答：”开头分行填写。")
    return pairs


class StepForm(forms.Form):
    """A step's form, bound to its case and actor."""

    # Choice fields get their querysets per case; Field itself does not declare them.
    fields: dict[str, Any]

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user

    def perform(self) -> object:
        """Call the step's service with the cleaned data; every step form defines it."""
        raise NotImplementedError

    def agency_officers(self) -> Any:
        return Officer.objects.filter(agency=self.case.agency, is_active=True).order_by("name")

    def handlers(self) -> Any:
        return Officer.objects.filter(case_roles__case=self.case, case_roles__active=True).order_by("name")


class PenaltyFields(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    fine = money("罚款金额（元）", initial=0)
    confiscation = money("没收金额（元）", initial=0)
    penalty = forms.CharField(label="处罚内容", widget=TEXT, required=False)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kinds": data["kinds"],
            "fine": data["fine"],
            "confiscation": data["confiscation"],
            "penalty": data["penalty"],
        }


# ── 案源 and 立案 ─────────────────────────────────────────────────────────────────────


class PartyFields(forms.Form):
    fields: dict[str, Any]

    party_kind = forms.ChoiceField(
        label="当事人类别", choices=[("", "—"), *PartyKind.choices], required=False
    )
    party_name = forms.CharField(label="当事人姓名或名称", max_length=200, required=False)
    party_id_number = forms.CharField(label="身份证号码或统一社会信用代码", max_length=30, required=False)
    party_address = forms.CharField(label="住所", max_length=200, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    party_representative = forms.CharField(label="法定代表人（负责人）", max_length=50, required=False)


class ClueForm(PartyFields):
    """登记案源 (not a step of an existing case: it creates one)."""

    source = forms.ChoiceField(label="案源类别", choices=ClueSource.choices)
    received_on = forms.DateField(label="登记日期", widget=DATE, initial=timezone.localdate)
    cause = forms.CharField(label="案由", max_length=200, help_text="例如：涉嫌拖欠劳动者工资案。")
    clue_summary = forms.CharField(label="案源内容", widget=TEXT)
    matter = forms.ModelChoiceField(label="涉及的执法事项", queryset=Matter.objects.none(), required=False)
    informant_name = forms.CharField(label="投诉举报人", max_length=100, required=False)
    informant_contact = forms.CharField(label="投诉举报人联系方式", max_length=100, required=False)

    def __init__(self, *args: Any, agency: Agency, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.user = user
        self.fields["matter"].queryset = Matter.objects.filter(agency=agency, repealed_on__isnull=True)

    def perform(self) -> Case:
        return services.case_register_clue(actor=self.user, agency=self.agency, **self.cleaned_data)


class UpdatePartyForm(StepForm, PartyFields):
    electronic_service_consent = forms.CharField(
        label="同意电子送达的地址",
        max_length=200,
        required=False,
        help_text="仅在当事人书面同意电子送达时填写。",
    )
    reason = forms.CharField(label="更正理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.fields:
            if hasattr(self.case, name) and name != "reason":
                self.fields[name].initial = getattr(self.case, name)

    def perform(self) -> object:
        return services.case_update_party(actor=self.user, case=self.case, **self.cleaned_data)


class RequestFilingForm(StepForm):
    matter = forms.ModelChoiceField(label="执法事项", queryset=Matter.objects.none())
    lead = forms.ModelChoiceField(label="主办人", queryset=Officer.objects.none())
    assistants = forms.ModelMultipleChoiceField(
        label="协办人", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    opinion = forms.CharField(label="承办人立案意见", widget=TEXT)
    is_major = forms.BooleanField(label="情节复杂或者重大违法行为（需集体讨论）", required=False)
    major_reason = forms.CharField(label="集体讨论理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = Matter.objects.filter(
            agency=self.case.agency, repealed_on__isnull=True
        )
        self.fields["matter"].initial = self.case.matter_id
        self.fields["lead"].queryset = self.agency_officers()
        self.fields["assistants"].queryset = self.agency_officers()

    def perform(self) -> object:
        data = self.cleaned_data
        team = [data["lead"], *[o for o in data["assistants"] if o.pk != data["lead"].pk]]
        return services.case_request_filing(
            actor=self.user,
            case=self.case,
            matter=data["matter"],
            handlers=team,
            opinion=data["opinion"],
            is_major=data["is_major"],
            major_reason=data["major_reason"],
        )


class DeclareRecusalForm(StepForm):
    statement = forms.CharField(
        label="回避声明",
        max_length=300,
        initial="本人与本案当事人没有直接利害关系，不存在应当回避的情形。",
    )

    def perform(self) -> object:
        return services.case_declare_recusal(actor=self.user, case=self.case, **self.cleaned_data)


class ReasonForm(StepForm):
    reason = forms.CharField(label="理由", widget=TEXT)


class ExtendFilingForm(ReasonForm):
    def perform(self) -> object:
        return services.case_extend_filing(actor=self.user, case=self.case, **self.cleaned_data)


class ApproveFilingForm(StepForm):
    def perform(self) -> object:
        return services.case_approve_filing(actor=self.user, case=self.case)


class DeclineFilingForm(ReasonForm):
    def perform(self) -> object:
        return services.case_decline_filing(actor=self.user, case=self.case, **self.cleaned_data)


class RevokeForm(ReasonForm):
    def perform(self) -> object:
        return services.case_revoke(actor=self.user, case=self.case, **self.cleaned_data)


class ReplaceHandlerForm(StepForm):
    old = forms.ModelChoiceField(label="被更换的承办人", queryset=Officer.objects.none())
    new = forms.ModelChoiceField(label="新承办人", queryset=Officer.objects.none())
    reason = forms.CharField(label="更换理由（如回避决定）", max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old"].queryset = self.handlers()
        self.fields["new"].queryset = self.agency_officers()

    def perform(self) -> object:
        return services.case_replace_handler(actor=self.user, case=self.case, **self.cleaned_data)


class TransferForm(StepForm):
    to_agency = forms.ModelChoiceField(
        label="接收的执法主体（本平台内）", queryset=Agency.objects.none(), required=False
    )
    recipient = forms.CharField(label="接收机关（平台外）", max_length=200, required=False)
    reason = forms.CharField(label="移送理由", widget=TEXT)
    materials = forms.CharField(label="移送材料", widget=TEXT, help_text="每行一项。")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = Agency.objects.filter(is_active=True).exclude(
            pk=self.case.agency_id
        )

    def perform(self) -> object:
        data = self.cleaned_data
        return services.case_transfer(
            actor=self.user,
            case=self.case,
            to_agency=data["to_agency"],
            recipient=data["recipient"],
            reason=data["reason"],
            materials=_lines(data["materials"]),
        )


class TransferJudicialForm(StepForm):
    recipient = forms.CharField(label="接收的司法机关", max_length=200, initial="示例县公安局")
    reason = forms.CharField(label="涉嫌犯罪的事实和理由", widget=TEXT)
    materials = forms.CharField(label="移送材料", widget=TEXT, help_text="每行一项。")

    def perform(self) -> object:
        data = self.cleaned_data
        return services.case_transfer_judicial(
            actor=self.user,
            case=self.case,
            recipient=data["recipient"],
            reason=data["reason"],
            materials=_lines(data["materials"]),
        )


# ── 调查取证 ──────────────────────────────────────────────────────────────────────────


class RecordFields(StepForm):
    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    officers = forms.ModelMultipleChoiceField(
        label="在场执法人员（至少两名）", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    subject_name = forms.CharField(label="被询问人/当事人/在场人", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = self.handlers()
        self.fields["officers"].initial = list(self.handlers())

    def record_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("started_at", "ended_at", "place", "officers", "subject_name")}


class AddRecordForm(RecordFields):
    kind = forms.ChoiceField(
        label="笔录种类",
        choices=[
            (k, label)
            for k, label in RecordKind.choices
            if k in (RecordKind.INQUIRY, RecordKind.INSPECTION, RecordKind.SAMPLING)
        ],
    )
    qa = forms.CharField(
        label="问答（询问笔录）",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="每行以“问：”或“答：”开头。",
    )
    paragraphs = forms.CharField(
        label="检查、勘验或抽样情况", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    field_order = ["kind"]

    def perform(self) -> object:
        data = self.cleaned_data
        content: dict[str, Any] = {}
        if data["qa"].strip():
            content["qa"] = _qa(data["qa"])
        if data["paragraphs"].strip():
            content["paragraphs"] = _lines(data["paragraphs"])
        return services.case_add_record(
            actor=self.user, case=self.case, kind=data["kind"], content=content, **self.record_fields()
        )


class StatementForm(RecordFields):
    statement = forms.CharField(label="陈述申辩内容", widget=forms.Textarea(attrs={"rows": 8}))

    def perform(self) -> object:
        return services.case_add_statement(
            actor=self.user, case=self.case, statement=self.cleaned_data["statement"], **self.record_fields()
        )


class RequestMeasureForm(StepForm):
    kind = forms.ChoiceField(label="措施", choices=MeasureKind.choices)
    seizure_mode = forms.ChoiceField(
        label="查封或扣押", choices=[("", "—"), ("查封", "查封"), ("扣押", "扣押")], required=False
    )
    place = forms.CharField(label="地点", max_length=200)
    items = forms.CharField(label="物品清单", widget=TEXT, help_text="每行一项：名称，规格，数量，备注。")
    reason = forms.CharField(label="理由及依据", widget=TEXT)

    def perform(self) -> object:
        data = self.cleaned_data
        return services.case_request_measure(
            actor=self.user,
            case=self.case,
            kind=data["kind"],
            seizure_mode=data["seizure_mode"],
            place=data["place"],
            items=_items(data["items"]),
            reason=data["reason"],
        )


class MeasureChoice(StepForm):
    measure = forms.ModelChoiceField(label="措施", queryset=Measure.objects.none())
    pending_only = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = self.case.measures.filter(ended_on__isnull=True)
        measures = measures.filter(approved_by__isnull=self.pending_only)
        self.fields["measure"].queryset = measures


class ApproveMeasureForm(MeasureChoice):
    pending_only = True

    def perform(self) -> object:
        return services.case_approve_measure(actor=self.user, measure=self.cleaned_data["measure"])


class DeclineMeasureForm(MeasureChoice):
    pending_only = True
    reason = forms.CharField(label="不予批准的理由", max_length=300)

    def perform(self) -> object:
        return services.case_decline_measure(actor=self.user, **self.cleaned_data)


class ExtendMeasureForm(MeasureChoice):
    reason = forms.CharField(label="延长理由（情况复杂）", max_length=300)

    def perform(self) -> object:
        return services.case_extend_measure(actor=self.user, **self.cleaned_data)


class ConcludeMeasureForm(MeasureChoice):
    outcome = forms.CharField(label="处理决定或解除情况", widget=TEXT)

    def perform(self) -> object:
        return services.case_conclude_measure(actor=self.user, **self.cleaned_data)


class RectificationForm(StepForm):
    violation = forms.CharField(label="违法行为", widget=TEXT)
    requirement = forms.CharField(label="改正要求", widget=TEXT)
    deadline = forms.DateField(label="改正期限", widget=DATE)

    def perform(self) -> object:
        return services.case_order_rectification(actor=self.user, case=self.case, **self.cleaned_data)


class ReportForm(StepForm, PenaltyFields):
    facts = forms.CharField(label="调查查明的事实", widget=TEXT)
    evidence = forms.CharField(label="证据", widget=TEXT, help_text="每行一项。")
    analysis = forms.CharField(label="分析意见（定性和依据）", widget=TEXT)
    discretion = forms.CharField(label="裁量理由", widget=TEXT, required=False)
    deviation_reason = forms.CharField(
        label="偏离裁量基准的理由",
        widget=TEXT,
        required=False,
        help_text="拟处罚超出本案裁量基准适用幅度时必填。",
    )
    outcome = forms.ChoiceField(label="处理意见", choices=Outcome.choices)

    field_order = [
        "facts",
        "evidence",
        "analysis",
        "outcome",
        "kinds",
        "fine",
        "confiscation",
        "penalty",
        "discretion",
        "deviation_reason",
    ]

    def perform(self) -> object:
        data = self.cleaned_data
        return services.case_submit_report(
            actor=self.user,
            case=self.case,
            facts=data["facts"],
            evidence=data["evidence"],
            analysis=data["analysis"],
            outcome=data["outcome"],
            discretion=data["discretion"],
            deviation_reason=data["deviation_reason"],
            **self.terms(),
        )


class DiscussionForm(StepForm):
    held_at = forms.DateTimeField(label="讨论时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    attendees = forms.CharField(
        label="参加人员及意见",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一人：姓名，职务，意见。",
    )
    conclusion = forms.CharField(label="讨论决定", widget=TEXT)
    outcome = forms.ChoiceField(label="决定的处理意见", choices=Outcome.choices)

    def perform(self) -> object:
        data = self.cleaned_data
        people = []
        for line in _lines(data["attendees"]):
            name, _, rest = line.replace(",", "，").partition("，")
            title, _, opinion = rest.partition("，")
            people.append({"name": name, "title": title, "opinion": opinion})
        return services.case_hold_discussion(
            actor=self.user,
            case=self.case,
            held_at=data["held_at"],
            place=data["place"],
            attendees=people,
            conclusion=data["conclusion"],
            outcome=data["outcome"],
        )


class LimitExtensionForm(StepForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=90)
    reason = forms.CharField(label="理由", max_length=300)

    def perform(self) -> object:
        return services.case_extend_limit(actor=self.user, case=self.case, **self.cleaned_data)


class SuspendForm(StepForm):
    starts_on = forms.DateField(label="中止日期", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="中止理由", max_length=300)

    def perform(self) -> object:
        return services.case_suspend(actor=self.user, case=self.case, **self.cleaned_data)


class ResumeForm(StepForm):
    ends_on = forms.DateField(label="恢复日期", widget=DATE, initial=timezone.localdate)

    def perform(self) -> object:
        return services.case_resume(actor=self.user, case=self.case, **self.cleaned_data)


# ── 告知、听证、决定 ──────────────────────────────────────────────────────────────────


class NotifyForm(StepForm):
    def perform(self) -> object:
        return services.case_notify(actor=self.user, case=self.case)


class RenotifyForm(StepForm, PenaltyFields):
    reason = forms.CharField(label="重新告知的理由（新的事实或证据）", widget=TEXT)
    deviation_reason = forms.CharField(
        label="偏离裁量基准的理由",
        widget=TEXT,
        required=False,
        help_text="拟处罚超出裁量基准适用幅度时必填。",
    )

    def perform(self) -> object:
        return services.case_renotify(
            actor=self.user,
            case=self.case,
            reason=self.cleaned_data["reason"],
            deviation_reason=self.cleaned_data["deviation_reason"],
            **self.terms(),
        )


class WaiveRightsForm(StepForm):
    waived_on = forms.DateField(label="书面放弃日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="当事人书面材料说明", max_length=300)

    def perform(self) -> object:
        return services.case_waive_rights(actor=self.user, case=self.case, **self.cleaned_data)


class RequestHearingForm(StepForm):
    requested_on = forms.DateField(label="申请日期", widget=DATE, initial=timezone.localdate)

    def perform(self) -> object:
        return services.case_request_hearing(actor=self.user, case=self.case, **self.cleaned_data)


class ScheduleHearingForm(StepForm):
    scheduled_at = forms.DateTimeField(label="举行时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    presiding = forms.ModelChoiceField(label="主持人（非本案调查人员）", queryset=Officer.objects.none())
    members = forms.CharField(label="听证员", max_length=200, required=False)
    recorder = forms.CharField(label="记录员", max_length=50)
    is_public = forms.BooleanField(label="公开举行", required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presiding"].queryset = self.agency_officers().exclude(case_roles__case=self.case)

    def perform(self) -> object:
        return services.case_schedule_hearing(actor=self.user, case=self.case, **self.cleaned_data)


class HoldHearingForm(StepForm):
    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    attendees = forms.CharField(label="参加人员", max_length=300)
    proceedings = forms.CharField(
        label="听证经过（调查人员意见、当事人陈述申辩和质证、最后陈述）",
        widget=forms.Textarea(attrs={"rows": 10}),
    )

    def perform(self) -> object:
        return services.case_hold_hearing(actor=self.user, case=self.case, **self.cleaned_data)


class WithdrawHearingForm(StepForm):
    withdrawn_on = forms.DateField(label="撤回日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="说明", max_length=300)

    def perform(self) -> object:
        return services.case_withdraw_hearing(actor=self.user, case=self.case, **self.cleaned_data)


class ReviewDefenceForm(StepForm):
    adoption = forms.ChoiceField(label="复核结论", choices=DefenceAdoption.choices)
    review = forms.CharField(label="复核意见", widget=TEXT)

    def perform(self) -> object:
        return services.case_review_defence(actor=self.user, case=self.case, **self.cleaned_data)


class DecideForm(StepForm, PenaltyFields):
    no_penalty_reason = forms.CharField(label="不予处罚的理由", widget=TEXT, required=False)
    payment_channel = forms.CharField(label="缴款方式", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["kinds"].initial = case.notified_kinds or case.intended_kinds
        self.fields["fine"].initial = case.notified_fine if case.notified_at else case.intended_fine
        self.fields["confiscation"].initial = (
            case.notified_confiscation if case.notified_at else case.intended_confiscation
        )
        self.fields["penalty"].initial = case.intended_penalty
        if case.outcome != Outcome.PENALTY:
            for name in ("kinds", "fine", "confiscation", "penalty", "payment_channel"):
                del self.fields[name]

    def perform(self) -> object:
        data = self.cleaned_data
        if self.case.outcome != Outcome.PENALTY:
            return services.case_decide(
                actor=self.user, case=self.case, no_penalty_reason=data["no_penalty_reason"]
            )
        return services.case_decide(
            actor=self.user, case=self.case, payment_channel=data["payment_channel"], **self.terms()
        )


class ServeForm(StepForm):
    documents = forms.MultipleChoiceField(label="送达文书", widget=forms.CheckboxSelectMultiple)
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_on = forms.DateField(label="送达日期", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="送达地点或地址", max_length=200)
    recipient = forms.CharField(label="受送达人或签收人", max_length=100)
    note = forms.CharField(label="说明（留置送达的见证人、邮件单号等）", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = {str(d.pk): d for d in services.unserved_documents(self.case)}
        self.fields["documents"].choices = [(pk, f"{d.title} {d.number}") for pk, d in self.pending.items()]
        self.fields["documents"].initial = list(self.pending)
        self.fields["place"].initial = self.case.party_address
        self.fields["recipient"].initial = self.case.party_name

    def perform(self) -> object:
        data = dict(self.cleaned_data)
        docs = [self.pending[pk] for pk in data.pop("documents")]
        return services.case_serve(actor=self.user, case=self.case, documents=docs, **data)


# ── 执行与结案 ────────────────────────────────────────────────────────────────────────


class PlanPaymentForm(StepForm):
    arrangement = forms.ChoiceField(label="方式", choices=PaymentArrangement.choices)
    schedule = forms.CharField(
        label="缴纳计划", widget=TEXT, help_text="每行一期：缴纳期限，金额。例如：2026-12-31，1000.00"
    )
    reason = forms.CharField(label="当事人申请理由", max_length=300)

    def clean_schedule(self) -> list[tuple[dt.date, Decimal]]:
        rows = []
        for line in _lines(self.cleaned_data["schedule"]):
            day, _, amount = line.replace(",", "，").partition("，")
            try:
                rows.append((dt.date.fromisoformat(day.strip()), Decimal(amount.strip())))
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(f"“{line}”格式不正确，应为“YYYY-MM-DD，金额”。") from None
        return rows

    def perform(self) -> object:
        return services.case_plan_payment(actor=self.user, case=self.case, **self.cleaned_data)


class RecordPaymentForm(StepForm):
    paid_on = forms.DateField(label="缴款日期", widget=DATE, initial=timezone.localdate)
    amount = money("金额（元）")
    receipt_number = forms.CharField(label="票据号", max_length=60)
    is_surcharge = forms.BooleanField(label="本笔为加处罚款", required=False)

    def perform(self) -> object:
        return services.case_record_payment(actor=self.user, case=self.case, **self.cleaned_data)


class RemindForm(StepForm):
    perform_within_days = forms.IntegerField(label="履行期限（日）", min_value=1, max_value=60, initial=10)

    def perform(self) -> object:
        return services.case_remind(actor=self.user, case=self.case, **self.cleaned_data)


class ApplyEnforcementForm(StepForm):
    court = forms.CharField(label="受理法院", max_length=100)
    non_performance = forms.CharField(label="当事人不履行的情况", widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].initial = self.case.agency.litigation_court

    def perform(self) -> object:
        return services.case_apply_enforcement(actor=self.user, case=self.case, **self.cleaned_data)


class RequestClosingForm(StepForm):
    summary = forms.CharField(label="执行情况及结案意见", widget=TEXT)

    def perform(self) -> object:
        return services.case_request_closing(actor=self.user, case=self.case, **self.cleaned_data)


class ApproveClosingForm(StepForm):
    summary = forms.CharField(label="执行情况及结案意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["summary"].initial = self.case.closing_summary

    def perform(self) -> object:
        return services.case_approve_closing(actor=self.user, case=self.case, **self.cleaned_data)


class ArchiveForm(StepForm):
    def perform(self) -> object:
        return services.case_archive(actor=self.user, case=self.case)


class FileOnTheSpotForm(StepForm):
    def perform(self) -> object:
        return services.case_file_on_the_spot(actor=self.user, case=self.case)


class OnTheSpotForm(PartyFields):
    """当场行政处罚决定书, short enough for a phone (not a step of an existing case)."""

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
        self.fields["co_officer"].queryset = Officer.objects.filter(
            agency=officer.agency, is_active=True
        ).exclude(pk=officer.pk)
        self.fields["matter"].queryset = Matter.objects.filter(
            agency=officer.agency, repealed_on__isnull=True
        )
        self.fields["party_kind"].required = True
        self.fields["party_name"].required = True

    def perform(self) -> Case:
        data = dict(self.cleaned_data)
        form = self.held.get(data.pop("form") or "")
        data.pop("party_representative", None)
        return services.case_decide_on_the_spot(actor=self.user, form=form, **data)


STEP_FORMS: dict[str, type[StepForm]] = {
    "update_clue": UpdatePartyForm,
    "update_party": UpdatePartyForm,
    "request_filing": RequestFilingForm,
    "declare_recusal": DeclareRecusalForm,
    "extend_filing": ExtendFilingForm,
    "approve_filing": ApproveFilingForm,
    "decline_filing": DeclineFilingForm,
    "replace_handler": ReplaceHandlerForm,
    "add_record": AddRecordForm,
    "request_measure": RequestMeasureForm,
    "approve_measure": ApproveMeasureForm,
    "decline_measure": DeclineMeasureForm,
    "conclude_measure": ConcludeMeasureForm,
    "extend_measure": ExtendMeasureForm,
    "order_rectification": RectificationForm,
    "submit_report": ReportForm,
    "hold_discussion": DiscussionForm,
    "notify": NotifyForm,
    "add_statement": StatementForm,
    "waive_rights": WaiveRightsForm,
    "request_hearing": RequestHearingForm,
    "schedule_hearing": ScheduleHearingForm,
    "hold_hearing": HoldHearingForm,
    "withdraw_hearing": WithdrawHearingForm,
    "review_defence": ReviewDefenceForm,
    "renotify": RenotifyForm,
    "decide": DecideForm,
    "serve": ServeForm,
    "plan_payment": PlanPaymentForm,
    "record_payment": RecordPaymentForm,
    "remind": RemindForm,
    "apply_enforcement": ApplyEnforcementForm,
    "request_closing": RequestClosingForm,
    "approve_closing": ApproveClosingForm,
    "file_on_the_spot": FileOnTheSpotForm,
    "extend_limit": LimitExtensionForm,
    "suspend": SuspendForm,
    "resume": ResumeForm,
    "transfer": TransferForm,
    "transfer_judicial": TransferJudicialForm,
    "revoke": RevokeForm,
    "archive": ArchiveForm,
}
