"""投诉、表扬 from the public about an officer (linked from the credential page), and who reads them.

Contact details are kept for the agency's reply only; no public page ever shows a feedback row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from zhifa.core.errors import InvalidInput, NotPermitted, RateLimited
from zhifa.disclosure.models import Feedback, FeedbackKind
from zhifa.disclosure.policies import can_manage
from zhifa.org.models import Agency, Certificate

if TYPE_CHECKING:
    from zhifa.accounts.models import User

CONTENT_MAX = 2000
# A mainland mobile number, with or without +86; a landline with its area code (0 and two or
# three digits), a local number of 7 or 8 digits (never starting with 0) and perhaps an extension.
MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
LANDLINE = re.compile(r"\(?0\d{2,3}\)?-?[1-9]\d{6,7}(?:(?:-|转)\d{1,6})?")
PHONE_FORMAT = "请填写 11 位手机号码（如 13912345678），或带区号的固定电话（如 010-12345678）"
THROTTLE_SECONDS = 3600


def phone_normalized(raw: str) -> str:
    """A contact number as stored: a mobile number as its 11 digits, a landline as written."""
    text = re.sub(r"\s", "", raw).replace("－", "-").replace("（", "(").replace("）", ")")
    mobile = MOBILE.fullmatch(text.replace("-", ""))
    if mobile:
        return mobile.group(1)
    if LANDLINE.fullmatch(text):
        return text
    raise InvalidInput(f"联系电话“{raw.strip()[:40]}”格式不正确：{PHONE_FORMAT}。")


def _throttle_key(address: str) -> str:
    # Hashed: a cache key of fixed length and characters, and no address in the cache's keys.
    return "zhifa:feedback:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _check_throttle(address: str | None) -> None:
    if address is None:
        return
    limit = settings.ZHIFA_FEEDBACK_PER_HOUR
    if cache.get(_throttle_key(address), 0) >= limit:
        raise RateLimited(
            f"同一网络地址一小时内最多提交 {limit} 条投诉或表扬，您的提交已达上限，请一小时后再试。"
            "情况紧急的，请直接拨打执法主体公布的投诉举报电话。"
        )


def _count_submission(address: str | None) -> None:
    if address is None:
        return
    key = _throttle_key(address)
    # The hour starts with the first accepted submission; incr keeps the key's expiry.
    if not cache.add(key, 1, timeout=THROTTLE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=THROTTLE_SECONDS)


@transaction.atomic
def feedback_submit(
    *,
    certificate: Certificate,
    kind: str,
    content: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str | None = None,
) -> Feedback:
    """A member of the public's complaint or praise about the holder of a certificate (no login).

    `address` is the client's network address when the form is submitted from the portal: at
    most ZHIFA_FEEDBACK_PER_HOUR submissions are accepted from one address in an hour, against
    flooding an agency's inbox; refused or invalid attempts do not count.
    """
    _check_throttle(address)
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
    if phone:
        phone = phone_normalized(phone)
    row = Feedback.objects.create(
        agency=certificate.officer.agency,
        certificate=certificate,
        kind=kind,
        content=content,
        contact_name=contact_name.strip()[:50],
        contact_phone=phone,
    )
    _count_submission(address)
    return row


@transaction.atomic
def complaint_submit(
    *,
    agency: Agency,
    content: str,
    contact_name: str = "",
    contact_phone: str = "",
    address: str | None = None,
) -> Feedback:
    """A complaint about an agency's handling of a case (e.g. from the party page, zhifa.party),
    kept with the officers' feedback for the inbox that takes complaints in (投诉举报)."""
    _check_throttle(address)
    content = content.strip()
    if len(content) < 5:
        raise InvalidInput("请写明投诉的具体内容（不少于 5 个字）。")
    if len(content) > CONTENT_MAX:
        raise InvalidInput(f"内容不能超过 {CONTENT_MAX} 个字。")
    if not contact_phone.strip():
        raise InvalidInput("投诉请留下联系电话，以便依法核查并答复。")
    row = Feedback.objects.create(
        agency=agency,
        certificate=None,
        kind=FeedbackKind.COMPLAINT,
        content=content,
        contact_name=contact_name.strip()[:50],
        contact_phone=phone_normalized(contact_phone),
    )
    _count_submission(address)
    return row


def supervises(user: User, agency: Agency) -> bool:
    """A 司法局（司法所）监督人员 whose bureau's region contains the agency's (《行政处罚法》第七十五条).

    The same rule as zhifa.supervision.policies, written here because disclosure sits below
    supervision: supervision reads and handles feedback through this module, not the other way.
    """
    from zhifa.accounts.models import Role
    from zhifa.org.policies import agency_of

    if not user.is_authenticated or not user.is_active or user.role != Role.SUPERVISOR:
        return False
    own = agency_of(user)
    return own is not None and own.is_justice_bureau and agency.region.path.startswith(own.region.path)


def ensure_can_read_feedback(user: User, agency: Agency) -> None:
    if not (can_manage(user, agency) or supervises(user, agency)):
        raise NotPermitted(
            f"只有“{agency.name}”的公示管理员、机关负责人或本区域司法行政部门的监督人员"
            "可以查阅群众对其执法人员的投诉和表扬。"
        )


def feedback_for(*, user: User, agency: Agency) -> QuerySet[Feedback]:
    ensure_can_read_feedback(user, agency)
    return Feedback.objects.filter(agency=agency).select_related("certificate__officer", "agency")


def feedback_for_region(*, user: User) -> QuerySet[Feedback]:
    """Every feedback row of the agencies a supervisor supervises (the bureau's region and below)."""
    from zhifa.org.policies import agency_of

    own = agency_of(user)
    if own is None or not supervises(user, own):
        raise NotPermitted("只有司法行政部门的监督人员可以查阅本区域的群众投诉和表扬。")
    return Feedback.objects.filter(agency__region__path__startswith=own.region.path).select_related(
        "certificate__officer", "agency"
    )


@transaction.atomic
def feedback_handle(*, actor: User, feedback: Feedback, reply: str, handled_at: dt.datetime) -> Feedback:
    """Record how a complaint was handled (处理情况): by the agency's manager, or by the supervisor of
    its region when the complaint became a 监督线索 (zhifa.supervision) and was closed there."""
    row = Feedback.objects.select_for_update().select_related("agency__region").get(pk=feedback.pk)
    if not (can_manage(actor, row.agency) or supervises(actor, row.agency)):
        raise NotPermitted(f"您无权处理对“{row.agency.name}”的投诉和表扬。")
    if not reply.strip():
        raise InvalidInput("请填写处理情况。")
    row.reply, row.handled_at, row.handled_by = reply.strip(), handled_at, actor
    row.save(update_fields=["reply", "handled_at", "handled_by", "updated_at"])
    feedback.reply, feedback.handled_at, feedback.handled_by = row.reply, row.handled_at, actor
    return row
