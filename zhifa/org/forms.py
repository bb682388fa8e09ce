from django import forms

from zhifa.org.models import (
    Agency,
    AnnualReview,
    Certificate,
    CertificateStatus,
    EnforcementDomain,
    Officer,
    Region,
    TrainingRecord,
    Unit,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = [
            "short_name",
            "uscc",
            "address",
            "phone",
            "duties",
            "supervision_channel",
            "complaint_channel",
            "remedies",
        ]


class OfficerForm(forms.ModelForm):
    class Meta:
        model = Officer
        fields = [
            "name",
            "gender",
            "title",
            "post",
            "unit",
            "legal_qualification_no",
            "legal_qualification_date",
            "is_active",
        ]
        widgets = {"legal_qualification_date": DATE}

    def __init__(self, *args, agency: Agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency)  # type: ignore[attr-defined]


class OfficerPhotoForm(forms.Form):
    # A plain file field: whether it is a usable image is the service's rule (officer_set_photo).
    photo = forms.FileField(
        label="照片", required=False, help_text="JPEG、PNG 或 WebP，不超过 5 MB；仅在执法证核验页面公开显示。"
    )
    remove = forms.BooleanField(label="删除现有照片", required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("photo") and not data.get("remove"):
            raise forms.ValidationError("请选择要上传的照片，或勾选“删除现有照片”。")
        return data


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["number", "issuer", "issued_on", "valid_until", "domains", "area"]
        widgets = {"issued_on": DATE, "valid_until": DATE, "domains": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = EnforcementDomain.objects.all()  # type: ignore[attr-defined]
        self.fields["area"].queryset = Region.objects.all()  # type: ignore[attr-defined]


class CertificateStatusForm(forms.Form):
    status = forms.ChoiceField(label="证件状态", choices=CertificateStatus.choices)
    reason = forms.CharField(
        label="理由", max_length=200, required=False, help_text="暂扣、吊销、注销须写明理由。"
    )


class AnnualReviewForm(forms.ModelForm):
    class Meta:
        model = AnnualReview
        fields = ["year", "reviewed_on", "passed", "note"]
        widgets = {"reviewed_on": DATE}
        help_texts = {"passed": "审验不合格的，执法证将被注销。"}


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["date", "title", "category", "hours", "organizer"]
        widgets = {"date": DATE}
