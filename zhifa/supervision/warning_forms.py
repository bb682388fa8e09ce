"""The form of a warning rule's change: enabled, one field per threshold the rule has, the reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from zhifa.supervision.models_warnings import WarningRule
from zhifa.supervision.warning_rules import BY_CODE, PARAM_LABELS


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label="启用该规则", required=False)
    reason = forms.CharField(
        label="修改理由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "修改预警规则应写明理由。"},
    )

    def __init__(self, *args: Any, rule: WarningRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.param_names = list(BY_CODE[rule.code].params)
        self.fields["enabled"].initial = rule.enabled
        for name in self.param_names:
            self.fields[f"param_{name}"] = forms.DecimalField(
                label=PARAM_LABELS.get(name, name),
                min_value=Decimal(0),
                max_value=Decimal(1000),
                decimal_places=1,
                initial=rule.params.get(name, BY_CODE[rule.code].params[name]),
                error_messages={
                    "required": f"请填写“{PARAM_LABELS.get(name, name)}”。",
                    "min_value": "阈值不能为负数。",
                    "max_value": "阈值不能超过 1000。",
                    "invalid": "请填写数字。",
                    "max_decimal_places": "最多保留一位小数。",
                },
            )
        self.fields["reason"] = self.fields.pop("reason")  # the reason last, after the thresholds

    def params(self) -> dict[str, int | float]:
        values: dict[str, int | float] = {}
        for name in self.param_names:
            value: Decimal = self.cleaned_data[f"param_{name}"]
            values[name] = int(value) if value == value.to_integral_value() else float(value)
        return values
