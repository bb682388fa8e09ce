"""The party page's forms: they parse input only; the windows and rules are the services'."""

from __future__ import annotations

from django import forms

from zhifa.cases.models import PaymentArrangement

TEXT = forms.Textarea(attrs={"rows": 6})


class StartForm(forms.Form):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        help_text="文书下方“当事人查询码”，如 ABCD-EFGH-JKMN。",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    factor = forms.CharField(
        label="验证信息",
        max_length=30,
        help_text="单位填写统一社会信用代码；个人填写身份证件号码后六位。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class Nonced(forms.Form):
    nonce = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class StatementForm(Nonced):
    statement = forms.CharField(label="陈述、申辩意见", widget=TEXT, max_length=10000)


class HearingForm(Nonced):
    confirm = forms.BooleanField(label="我要求举行听证", required=True)


class ConsentForm(Nonced):
    address = forms.CharField(
        label="电子送达地址（电子邮箱或手机号码）",
        max_length=200,
        help_text="此后的文书将在您首次打开时视为送达。",
    )


class PlanForm(Nonced):
    arrangement = forms.ChoiceField(label="申请方式", choices=PaymentArrangement.choices)
    schedule = forms.CharField(
        label="缴纳计划",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一期：缴纳期限，金额。例如：2027-03-31，1000.00",
    )
    reason = forms.CharField(label="确有经济困难的情况说明", widget=TEXT, max_length=300)

    def clean_schedule(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data["schedule"].splitlines():
            if line.strip():
                day, _, amount = line.replace(",", "，").partition("，")
                rows.append((day.strip(), amount.strip()))
        if not rows:
            raise forms.ValidationError("请填写缴纳计划。")
        return rows


class ComplaintForm(Nonced):
    content = forms.CharField(label="投诉内容", widget=TEXT, max_length=2000)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=40)


class RepairForm(Nonced):
    statement = forms.CharField(
        label="履行情况和信用承诺", widget=TEXT, max_length=5000, help_text="请同时上传缴款凭证等证明材料。"
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="办理结果", choices=[("approve", "批准"), ("refuse", "不予批准")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="办理意见或理由", widget=forms.Textarea(attrs={"rows": 4}), required=False)
