"""Form pieces the case steps share: the case-bound base form, parsers of typed lists, party and
penalty fields, and pickers that offer the eligible while accepting any id, so that a refusal
names its article (a picker hides people; the step's check gives the sentence)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from zhifa.cases.models import Case, PartyKind
from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import Matter
from zhifa.catalog.selectors import version_in_force
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.workflow import StepForm
from zhifa.org.models import Officer
from zhifa.org.selectors import officer_standing
from zhifa.org.services import officer_ensure_can_enforce

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


def money(label: str, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal(0), **kwargs)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def items(text: str) -> list[dict[str, str]]:
    """物品清单, one item per line: 名称，规格，数量，备注."""
    rows = []
    for line in lines(text):
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


def qa(text: str) -> list[dict[str, str]]:
    """问答, written as lines starting with 问： and 答：."""
    pairs: list[dict[str, str]] = []
    for line in lines(text):
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


class CaseForm(StepForm):
    """A case step's form; `self.case` is the case as the page loaded it."""

    @property
    def case(self) -> Case:
        subject: Case = self.subject
        return subject

    def agency_officers(self) -> Any:
        return Officer.objects.filter(agency=self.case.agency, is_active=True).order_by("name")

    def handlers(self) -> Any:
        return Officer.objects.filter(case_roles__case=self.case, case_roles__active=True).order_by("name")


def offer(field: forms.ModelChoiceField, offered: Iterable[Officer], label: Any = str) -> None:
    """Show only `offered` in the picker while the field still accepts any officer's id.

    The step's own check then refuses an ineligible person with the rule and its article
    instead of Django's "选择一个有效的选项" (the API takes any id).
    """
    field.queryset = Officer.objects.all()
    field.widget.choices = [(o.pk, label(o)) for o in offered]


def offer_enforcers(
    field: forms.ModelChoiceField, officers: Any, *, matter: Matter | None = None, on: dt.date | None = None
) -> list[Officer]:
    """Offer only the officers who may enforce (第四十二条), each with the state of their 执法证.

    With a matter, its domain must be on the certificate (the handler's rule,
    `officer_ensure_can_enforce`); without one, any usable certificate will do. Roster members
    without one (the archivist, the disclosure admin) and expired certificates are left out.
    """
    on = on or today()
    version = matter_version(matter, on) if matter is not None else None
    eligible = []
    for officer in officers.select_related("agency__region").prefetch_related(
        "certificates__annual_reviews", "certificates__domains", "certificates__area"
    ):
        standing = officer_standing(officer, on=on)
        if not standing.can_act:
            continue
        if version is not None:
            try:
                officer_ensure_can_enforce(officer=officer, domain=version.domain, on=on)
            except DomainError:
                continue
        assert standing.state is not None
        eligible.append((officer, f"{officer.name}（执法证{standing.state.label}）"))
    labels = dict(eligible)
    offer(field, labels, label=labels.__getitem__)
    return list(labels)


def matter_version(matter: Matter, on: dt.date) -> Any:
    return version_in_force(list(matter.versions.all()), on)


def offer_matters(field: forms.ModelChoiceField, matters: Any, on: dt.date | None = None) -> None:
    """A matter picker reads "编码 名称" (the name in force today), not the bare code."""
    on = on or today()
    field.queryset = matters.prefetch_related("versions")

    def label(matter: Matter) -> str:
        version = matter_version(matter, on)
        return f"{matter.code} {version.name}" if version is not None else matter.code

    field.label_from_instance = label  # type: ignore[method-assign,assignment]


def opinion_field(consent: str) -> forms.CharField:
    """The head's 审批意见 on an approval form; it goes into the document as written."""
    return forms.CharField(
        label="审批意见",
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=consent,
        required=False,
        max_length=500,
        help_text=f"写入审批表；留空即为“{consent}”",
    )


class PenaltyFields(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="处罚种类", choices=PenaltyKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    fine = money("罚款金额（元）", initial=0)
    confiscation = money("没收金额（元）", initial=0)
    penalty = forms.CharField(label="处罚内容", widget=TEXT, required=False)

    def terms(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("kinds", "fine", "confiscation", "penalty")}


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


class RecordFields(CaseForm):
    """Who made a record, when and where: two or more of the case's handlers (第四十二条)."""

    started_at = forms.DateTimeField(label="开始时间", widget=DATETIME)
    ended_at = forms.DateTimeField(label="结束时间", widget=DATETIME)
    place = forms.CharField(label="地点", max_length=200)
    officers = forms.ModelMultipleChoiceField(
        label="在场执法人员（至少两名）", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    subject_name = forms.CharField(label="被询问人/当事人/在场人", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The handlers who may still act today (a lapsed certificate is refused by the step).
        present = offer_enforcers(self.fields["officers"], self.handlers(), matter=self.case.matter)
        self.fields["officers"].initial = [o.pk for o in present]

    def record_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("started_at", "ended_at", "place", "officers", "subject_name")}
