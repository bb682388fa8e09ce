"""事中公示: the credential check. Each certificate's QR code carries a signed token; the public
page it opens shows who the officer is and whether the certificate is in force today.

The token is signed with the project's secret key (django.core.signing, salt below) and names
the certificate's key and number, so an altered or forged token, or one whose number no longer
matches the certificate, is refused. It has no expiry: the status shown is read when opened.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse

from zhifa.core import jurisdiction
from zhifa.core.calendar import today
from zhifa.org.certificates import CertificateState, certificate_state
from zhifa.org.models import Agency, Certificate

SALT = "zhifa.credential"


class CredentialRefused(Exception):
    """A token that is not one this platform signed, or names no current certificate."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def credential_token(certificate: Certificate) -> str:
    return signing.dumps({"c": certificate.pk, "n": certificate.number}, salt=SALT, compress=False)


def credential_path(certificate: Certificate) -> str:
    return reverse("portal:credential", args=[credential_token(certificate)])


def credential_url(certificate: Certificate) -> str:
    """The absolute address printed on the card (ZHIFA_PUBLIC_URL: the portal as the public reaches it)."""
    return settings.ZHIFA_PUBLIC_URL + credential_path(certificate)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of an address as inline SVG (segno; error correction M for printed cards)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=scale, xmldecl=False, svgns=True, svgclass="qr", title="执法证核验二维码"
    )
    return out.getvalue().decode()


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("officer__agency", "area").prefetch_related(
        "domains", "annual_reviews"
    )


def certificate_from_token(token: str) -> Certificate:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise CredentialRefused(
            "该二维码不是本平台签发的执法证核验码，或者已被篡改，无法核验。请警惕冒充执法人员的行为，"
            "可拨打执法主体公布的投诉举报电话核实。",
            400,
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("n"), str):
        raise CredentialRefused("该二维码的内容不完整，无法核验。", 400)
    certificate = _certificates().filter(pk=data["c"], number=data["n"]).first()
    if certificate is None:
        raise CredentialRefused(
            f"未找到编号为 {data['n']} 的执法证，该证件可能已被注销或重新编号，请向执法主体核实。", 404
        )
    return certificate


def certificate_by_number(number: str) -> Certificate | None:
    number = number.strip().upper()
    if not number:
        return None
    return _certificates().filter(number__iexact=number).first()


@dataclass(frozen=True)
class Credential:
    """What the public page shows: the photo where one is on file (to match the face), no identity
    number, no contact details."""

    certificate: Certificate
    state: CertificateState
    on: dt.date

    @property
    def officer_name(self) -> str:
        return self.certificate.officer.name

    @property
    def agency(self) -> Agency:
        return self.certificate.officer.agency

    @property
    def can_act(self) -> bool:
        return self.state.can_act and self.certificate.officer.is_active

    @property
    def domains(self) -> str:
        return "、".join(d.name for d in self.certificate.domains.all())

    @property
    def status_text(self) -> str:
        """The five states the public is told about; the warnings staff see are still 有效."""
        code = self.state.code
        if self.state.can_act and not self.certificate.officer.is_active:
            return "持证人已离岗"
        if code in ("valid", "review_due", "expiring"):
            return "有效"
        return {"review_overdue": "年审逾期"}.get(code, self.state.label)

    @property
    def explanation(self) -> str:
        if self.state.can_act and not self.certificate.officer.is_active:
            return "持证人已不在执法岗位，不得以该执法证从事行政执法活动。"
        if self.state.can_act:
            return "该执法证现行有效，持证人可以在证件载明的执法类别和区域内从事行政执法活动。"
        return self.state.message


def credential_view(certificate: Certificate, on: dt.date | None = None) -> Credential:
    day = on or today()
    days = int(jurisdiction.value("certificate_warning_days"))
    return Credential(certificate, certificate_state(certificate, on=day, warning_days=days), day)
