"""The public filter form of the decision list and the exports (GET parameters → search.Filters)."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.cases.models import Outcome
from zhifa.cases.penalties import PenaltyKind
from zhifa.catalog.models import MatterKind
from zhifa.disclosure.models import Kind
from zhifa.disclosure.search import Filters
from zhifa.org.models import Agency, EnforcementDomain

PUBLISHED_OUTCOMES = [
    (o.value, o.label) for o in (Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED)
]


def _blank(choices: list[tuple[str, Any]], label: str = "全部") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class DecisionFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    agency = forms.ModelChoiceField(
        label="执法机关", queryset=Agency.objects.none(), required=False, empty_label="全部"
    )
    category = forms.ChoiceField(label="执法类别", required=False)
    matter_kind = forms.ChoiceField(label="行为类别", required=False, choices=_blank(MatterKind.choices))
    outcome = forms.ChoiceField(label="执法结论", required=False, choices=_blank(PUBLISHED_OUTCOMES))
    penalty_kind = forms.ChoiceField(label="处罚种类", required=False, choices=_blank(PenaltyKind.choices))
    decided_from = forms.DateField(
        label="决定日期自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    fine_min = forms.DecimalField(
        label="罚款不少于（元）", required=False, min_value=0, decimal_places=2, max_digits=14
    )
    fine_max = forms.DecimalField(
        label="罚款不超过（元）", required=False, min_value=0, decimal_places=2, max_digits=14
    )
    kind = forms.ChoiceField(label="公示类别", required=False, choices=_blank(Kind.choices))

    def __init__(self, *args: Any, categories: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.order_by("name")
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = _blank([(c, c) for c in categories or []])
        if categories is None:
            # Exports and the API take any category text; only the page offers a list.
            self.fields["category"] = forms.CharField(label="执法类别", required=False, max_length=50)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("decided_from"), data.get("decided_to")
        if start and end and start > end:
            self.add_error("decided_to", "结束日期不能早于开始日期。")
        low, high = data.get("fine_min"), data.get("fine_max")
        if low is not None and high is not None and low > high:
            self.add_error("fine_max", "罚款上限不能小于下限。")
        return data

    def filters(self, *, default_kind: str | None = Kind.DECISION) -> Filters:
        """The valid filters (call after is_valid(); invalid fields are left out)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        agency = data.get("agency")
        return Filters(
            agency=agency.pk if agency else None,
            kind=data.get("kind") or default_kind,
            category=data.get("category") or None,
            matter_kind=data.get("matter_kind") or None,
            outcome=data.get("outcome") or None,
            decided_from=data.get("decided_from"),
            decided_to=data.get("decided_to"),
            fine_min=data.get("fine_min"),
            fine_max=data.get("fine_max"),
            penalty_kind=data.get("penalty_kind") or None,
        )

    @property
    def query(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("q") or "").strip()


def categories() -> list[str]:
    """The 执法类别 to offer: a decision's category is its matter's domain name (projection.py)."""
    return list(EnforcementDomain.objects.order_by("code").values_list("name", flat=True))
