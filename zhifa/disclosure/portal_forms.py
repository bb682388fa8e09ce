"""Forms of the public portal: the certificate-number lookup and the complaint/praise form."""

from django import forms

from zhifa.core.errors import InvalidInput
from zhifa.disclosure.feedback import phone_normalized
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
        help_text="手机号码，或带区号的固定电话（如 010-12345678）。仅供执法主体核查、答复使用，不会公开。投诉须填写。",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_contact_phone(self) -> str:
        # The rule is the service's (feedback.phone_normalized); here it only puts the refusal
        # under the field it is about.
        phone = self.cleaned_data["contact_phone"].strip()
        if not phone:
            return ""
        try:
            return phone_normalized(phone)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None
