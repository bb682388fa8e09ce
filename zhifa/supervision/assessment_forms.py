from __future__ import annotations

from django import forms
from django.utils import timezone


class AssessmentForm(forms.Form):
    year = forms.IntegerField(
        label="考核年度", min_value=2000, help_text="按该年度的数据计算，并与上一年度同口径比较。"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].initial = timezone.localdate().year - 1
