"""投诉、表扬 from the public about an officer (linked from the credential page), and who reads them.

Contact details are kept for the agency's reply only; no public page ever shows a feedback row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.disclosure.models import Feedback, FeedbackKind
from zhifa.disclosure.policies import can_manage
from zhifa.org.models import Agency, Certificate

if TYPE_CHECKING:
    from zhifa.accounts.models import User

CONTENT_MAX = 2000


@transaction.atomic
def feedback_submit(
    *,
    certificate: Certificate,
    kind: str,
    content: str,
    contact_name: str = "",
    contact_phone: str = "",
) -> Feedback:
    """A member of the public's complaint or praise about the holder of a certificate (no login)."""
    if kind not in FeedbackKind.values:
        raise InvalidInput("请选择投诉或表扬。")
    content = content.strip()
    if len(content) < 5:
        raise InvalidInput("请写明投诉或表扬的具体内容（不少于 5 个字）。")
    if len(content) > CONTENT_MAX:
        raise InvalidInput(f"内容不能超过 {CONTENT_MAX} 个字。")
    phone = contact_phone.strip()
    if kind == FeedbackKind.COMPLAINT and not phone:
        # A complaint is checked and answered, so the agency needs a way to reach the person.
        raise InvalidInput("投诉请留下联系电话，以便执法主体依法核查并答复。")
    if phone and (len(phone) > 40 or not any(c.isdigit() for c in phone)):
        raise InvalidInput("联系电话格式不正确。")
    return Feedback.objects.create(
        agency=certificate.officer.agency,
        certificate=certificate,
        kind=kind,
        content=content,
        contact_name=contact_name.strip()[:50],
        contact_phone=phone,
    )


def ensure_can_read_feedback(user: User, agency: Agency) -> None:
    if not can_manage(user, agency):
        raise NotPermitted(
            f"只有“{agency.name}”的公示管理员或机关负责人可以查阅群众对其执法人员的投诉和表扬。"
        )


def feedback_for(*, user: User, agency: Agency) -> QuerySet[Feedback]:
    ensure_can_read_feedback(user, agency)
    return Feedback.objects.filter(agency=agency).select_related("certificate__officer")
