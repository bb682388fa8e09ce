from django import forms

from zhifa.documents.verification import CODE_LENGTH


class VerificationCodeForm(forms.Form):
    code = forms.CharField(
        label="核验码",
        max_length=CODE_LENGTH + 6,
        help_text="文书页脚二维码旁的 10 位核验码，不区分大小写。",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CompareUploadForm(forms.Form):
    file = forms.FileField(
        label="待比对的 PDF 文件", help_text="文件只用于计算 SHA-256，不会被保存；最大 50 MB。"
    )
