"""Forms of the legal review: parse what was typed, then call one service in `perform`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404

from zhifa.accounts.models import User
from zhifa.cases.models import Case, Outcome
from zhifa.cases.penalties import PenaltyKind
from zhifa.cases.policies import ensure_may_work_on, is_handler, is_head_of, is_reviewer_of
from zhifa.core.errors import NotPermitted
from zhifa.review import policies, services
from zhifa.review.catalog import MARK_SWITCH, catalog_for, major_kinds
from zhifa.review.gate import latest_round
from zhifa.review.items import ITEMS, OK, PROBLEM
from zhifa.review.models import Criterion, Opinion, ReviewCatalog

TEXT = forms.Textarea(attrs={"rows": 3})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActionForm(forms.Form):
    label = ""
    # Who may open the form at all (the service still decides the rest): refused with 403.
    who = "本案承办人"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return is_handler(user, case)

    def __init__(self, *args: Any, case: Case, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user

    def perform(self) -> object:
        raise NotImplementedError


class MarkForm(ActionForm):
    label = "标记法制审核情形"
    who = "本案承办人或本机关负责人"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return is_handler(user, case) or is_head_of(user, case.agency)

    criterion = forms.ChoiceField(label="情形")
    reason = forms.CharField(label="理由", max_length=300, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        catalog = catalog_for(self.case.agency)
        choices = [(c.value, c.label) for c in MARK_SWITCH if getattr(catalog, MARK_SWITCH[c])]
        choices.append((Criterion.HEAD_ADDED.value, "机关负责人决定进行法制审核（仅机关负责人）"))
        field = self.fields["criterion"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def perform(self) -> object:
        return services.review_mark(actor=self.user, case=self.case, **self.cleaned_data)


class SubmitForm(ActionForm):
    label = "提交法制审核"
    note = forms.CharField(
        label="送审说明",
        required=False,
        widget=TEXT,
        help_text="再次送审时，写明对上次审核意见所提问题的处理情况。",
    )

    def perform(self) -> object:
        return services.review_submit(actor=self.user, case=self.case, note=self.cleaned_data["note"])


class AssignForm(ActionForm):
    label = "分配法制审核人员"
    who = "本机关负责人或法制审核机构负责人"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return policies.may_assign(user, case.agency)

    reviewer = forms.ModelChoiceField(label="法制审核人员", queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        eligible = services.reviewers_for(self.case)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        # The picker offers the eligible; any user is accepted so that the service refuses an
        # ineligible one with the rule and its article (the API takes any id).
        field.queryset = User.objects.all()
        field.widget.choices = [(u.pk, str(u)) for u in eligible]
        field.help_text = "只列出本机关未承办本案、且符合第五十八条第二款的法制审核人员。"

    def perform(self) -> object:
        round_ = latest_round(self.case)
        if round_ is None:
            raise forms.ValidationError("本案尚未送审。")
        return services.review_assign(actor=self.user, round_=round_, reviewer=self.cleaned_data["reviewer"])


class RecordForm(ActionForm):
    label = "出具法制审核意见"
    who = "本机关法制审核人员"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return is_reviewer_of(user, case.agency)

    opinion = forms.ChoiceField(label="审核意见", choices=Opinion.choices, widget=forms.RadioSelect)
    problems = forms.CharField(label="存在的问题及修改建议", required=False, widget=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=item.label,
                choices=[(OK, item.ok_label), (PROBLEM, item.problem_label)],
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=f"{item.label}：说明", required=False, max_length=500
            )
        # Items first, the opinion after them, as on the paper form.
        self.order_fields([*[f for i in ITEMS for f in (f"item_{i.code}", f"note_{i.code}")], "opinion"])

    def perform(self) -> object:
        data = self.cleaned_data
        round_ = latest_round(self.case)
        if round_ is None:
            raise forms.ValidationError("本案尚未送审。")
        findings = {
            i.code: {"finding": data[f"item_{i.code}"], "note": data[f"note_{i.code}"]} for i in ITEMS
        }
        return services.review_record(
            actor=self.user,
            round_=round_,
            findings=findings,
            opinion=data["opinion"],
            problems=data["problems"],
        )


class DisagreeForm(ActionForm):
    label = "对审核意见提出异议"
    reason = forms.CharField(label="异议理由", widget=TEXT)

    def perform(self) -> object:
        return services.review_disagree(actor=self.user, case=self.case, reason=self.cleaned_data["reason"])


class CoordinateForm(ActionForm):
    label = "登记协调情况"
    who = "本案承办人、法制审核人员或本机关负责人"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return policies.may_coordinate(user, case)

    held_at = forms.DateTimeField(label="协调时间", widget=DATETIME)
    participants = forms.CharField(label="参加人员", max_length=300)
    summary = forms.CharField(label="协调情况", widget=TEXT)
    agreed = forms.TypedChoiceField(
        label="协调结果",
        choices=[("1", "达成一致"), ("0", "未能达成一致，提请集体讨论")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    def perform(self) -> object:
        return services.review_coordinate(actor=self.user, case=self.case, **self.cleaned_data)


class SettleForm(ActionForm):
    label = "集体讨论决定审核分歧"
    who = "本机关负责人"

    @classmethod
    def may_open(cls, user: User, case: Case) -> bool:
        return is_head_of(user, case.agency)

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
        for line in data["attendees"].splitlines():
            if not line.strip():
                continue
            name, _, rest = line.replace(",", "，").partition("，")
            title, _, opinion = rest.partition("，")
            people.append({"name": name, "title": title, "opinion": opinion})
        return services.review_settle(
            actor=self.user,
            case=self.case,
            held_at=data["held_at"],
            place=data["place"],
            attendees=people,
            conclusion=data["conclusion"],
            outcome=data["outcome"],
        )


ACTION_FORMS: dict[str, type[ActionForm]] = {
    "mark": MarkForm,
    "submit": SubmitForm,
    "assign": AssignForm,
    "record": RecordForm,
    "disagree": DisagreeForm,
    "coordinate": CoordinateForm,
    "settle": SettleForm,
}


def action_form_for(action: str, user: User, case: Case) -> type[ActionForm]:
    """The form of a review action this user may open on this case (404 / 403 otherwise)."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404("没有这一审核环节。")
    ensure_may_work_on(user, case)
    if not form_class.may_open(user, case):
        raise NotPermitted(f"“{form_class.label}”应由{form_class.who}办理。")
    return form_class


class CatalogForm(forms.ModelForm):
    major_kinds = forms.MultipleChoiceField(
        label="属于重大权益的处罚种类",
        choices=PenaltyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReviewCatalog
        fields = [
            "public_interest",
            "social_impact",
            "major_rights",
            "major_kinds",
            "fine_citizen",
            "fine_organisation",
            "after_hearing",
            "complex_case",
            "all_general",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["major_kinds"] = major_kinds(self.instance)
