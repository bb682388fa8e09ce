"""Forms of the disclosure administrator's pages (the review page's correction and withdrawal)."""

from __future__ import annotations

from typing import Any

from django import forms

from zhifa.disclosure.projection import field_label


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="将在门户上代替原公示内容显示（《行政处罚法》第四十八条第二款）。",
    )


_EDIT_REASON = forms.CharField(label="理由", max_length=300, help_text="记入公示稿修改记录。")


class DraftEditForm(forms.Form):
    """One of the administrator's corrections of a draft: unmask a span, mask missed words, send back."""

    action = forms.ChoiceField(choices=[("unmask", "取消遮蔽"), ("mask", "补充遮蔽"), ("send_back", "退回")])
    field = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    index = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    words = forms.CharField(
        label="要遮蔽的文字", required=False, max_length=100, help_text="照公示稿原文输入，各处出现均遮蔽。"
    )
    reason = _EDIT_REASON


class CorrectionForm(forms.Form):
    """One text field per field of the current version, plus the note saying what was corrected."""

    note = forms.CharField(
        label="更正说明",
        max_length=300,
        help_text="说明更正的内容和理由，随版本历史公开（《市场监督管理行政处罚信息公示规定》第十二条）。",
    )

    def __init__(self, *args: Any, content: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys = [k for k, v in content.items() if isinstance(v, str)]
        for key in self.keys:
            self.fields[f"f_{key}"] = forms.CharField(
                label=field_label(key),
                required=False,
                initial=content[key],
                widget=forms.Textarea(attrs={"rows": 2 if len(content[key]) < 80 else 5}),
            )

    def content(self) -> dict[str, str]:
        return {
            k: self.cleaned_data[f"f_{k}"].strip() for k in self.keys if self.cleaned_data[f"f_{k}"].strip()
        }
