"""Forms of the public portal: the certificate-number lookup and the complaint/praise form."""

from django import forms

from zhifa.disclosure.models import FeedbackKind


class CredentialLookupForm(forms.Form):
    number = forms.CharField(label="执法证件编号", max_length=40, help_text="执法证正面印有证件编号。")


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=FeedbackKind.choices, widget=forms.RadioSelect)
    content = forms.CharField(label="内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    contact_name = forms.CharField(label="您的称呼", max_length=50, required=False)
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=40,
        required=False,
        help_text="仅供执法主体核查、答复使用，不会公开。投诉须填写。",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
