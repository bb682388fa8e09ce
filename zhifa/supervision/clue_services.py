"""Every write of 监督线索 outside the runner's steps: registration, the complainant's query code,
the events (with their ledger leaves). The steps themselves are in clue_steps (taken by run())."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from zhifa.core.calendar import today
from zhifa.core.errors import InvalidInput, NotPermitted, RateLimited
from zhifa.core.workflow import event_data
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency
from zhifa.supervision import clue_ledger, policies
from zhifa.supervision.models_clues import Clue, ClueEvent, ClueSource

if TYPE_CHECKING:
    from zhifa.accounts.models import User

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_address")
# The query code: 12 characters without look-alikes (about 59 bits), shown once, stored hashed.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def supervising_bureau(agency: Agency) -> Agency | None:
    """The 司法局 (or 司法所) nearest above the agency in the region tree: its region or an ancestor."""
    if agency.is_justice_bureau:
        return agency
    path = agency.region.path
    candidates = [
        b
        for b in Agency.objects.filter(is_justice_bureau=True).select_related("region")
        if path.startswith(b.region.path)
    ]
    return max(candidates, key=lambda b: len(b.region.path), default=None)


def clue_event(
    clue: Clue, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> ClueEvent:
    """One event of a clue, with its ledger leaf (the runner's write_event)."""
    created = ClueEvent.objects.create(
        clue=clue, actor=actor, action=action, summary=summary[:300], reason=reason, data=event_data(data)
    )
    ledger_append(
        kind=clue_ledger.EVENT,
        ref=clue_ledger.event_ref(created.pk),
        payload=clue_ledger.event_payload(created),
    )
    return created


def normalized_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def formatted_code(code: str) -> str:
    code = normalized_code(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(f"zhifa-clue:{normalized_code(code)}".encode()).hexdigest()


def _text(value: str, label: str, limit: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"请填写{label}。")
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"{label}不能超过 {limit} 个字。")
    return value


@transaction.atomic
def clue_register(
    *,
    actor: User | None,
    source: str,
    agency: Agency | None,
    title: str,
    content: str,
    origin_ref: str = "",
    link: str = "",
    **contact: str,
) -> Clue:
    """Register a clue in the 登记 status, in the inbox of the bureau that supervises `agency`.

    A supervisor registers for their own bureau (12345 / 司法部平台转办, own findings, warnings,
    credential-page feedback); the public (actor None) only through the portal form, about an
    agency. Contact fields: contact_name, contact_phone, contact_address (personal data).
    """
    if source not in ClueSource.values:
        raise InvalidInput(f"线索来源“{source}”不存在。")
    unknown = set(contact) - set(CONTACT_FIELDS)
    if unknown:
        raise InvalidInput(f"联系方式字段“{'、'.join(sorted(unknown))}”不存在。")
    if actor is None:
        if source != ClueSource.PORTAL or agency is None:
            raise NotPermitted("公众只能通过门户网站的投诉举报表单反映具体执法主体的问题。")
        bureau = supervising_bureau(agency)
        if bureau is None:
            raise InvalidInput(f"“{agency.name}”所在区域尚无司法行政部门受理投诉举报。")
    else:
        bureau = policies.ensure_supervisor(actor)
        if agency is not None:
            policies.ensure_supervisor_of(actor, agency)
    on = today()
    clue = Clue.objects.create(
        number=f"tmp-{secrets.token_hex(8)}",
        bureau=bureau,
        source=source,
        origin_ref=origin_ref.strip()[:80],
        link=link.strip()[:300],
        title=_text(title, "标题", 200),
        content=_text(content, "内容", 5000),
        agency=agency,
        registered_on=on,
        registered_by=actor,
        **{
            k: (v or "").strip()[: 200 if k == "contact_address" else 50 if k == "contact_name" else 40]
            for k, v in contact.items()
        },
    )
    clue.number = f"JDXS{on.year}{clue.pk:06d}"
    clue.save(update_fields=["number"])
    clue_event(
        clue,
        actor,
        "register",
        f"登记监督线索（{clue.get_source_display()}）{clue.number}",
        source=source,
        origin_ref=clue.origin_ref,
        agency=agency.pk if agency else None,
        content_sha256=hashlib.sha256(clue.content.encode()).hexdigest(),
    )
    return clue


def clue_code_issue(clue: Clue) -> str:
    """A new query code for the complainant (formatted XXXX-XXXX-XXXX, shown once; only its hash kept)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        digest = code_hash(code)
        if not Clue.objects.filter(code_hash=digest).exists():
            break
    Clue.objects.filter(pk=clue.pk).update(code_hash=digest)
    clue.code_hash = digest
    return formatted_code(code)


@transaction.atomic
def clue_import_feedback(*, actor: User) -> list[Clue]:
    """Take the unhandled complaints of the region's credential pages (执法证查询页反馈) into the inbox.

    Each complaint becomes one clue (once: the clue holds the feedback); closing the clue writes the
    feedback's 处理情况 through zhifa.disclosure.feedback.feedback_handle.
    """
    from zhifa.disclosure.feedback import feedback_for_region
    from zhifa.disclosure.models import FeedbackKind

    policies.ensure_supervisor(actor)
    pending = (
        feedback_for_region(user=actor)
        .filter(kind=FeedbackKind.COMPLAINT, handled_at__isnull=True, clue__isnull=True)
        .order_by("created_at", "pk")
    )
    created = []
    for row in pending:
        officer = row.certificate.officer if row.certificate else None
        clue = clue_register(
            actor=actor,
            source=ClueSource.CREDENTIAL,
            agency=row.agency,
            title=f"对{officer.name if officer else row.agency.name}的投诉（执法证查询页）"[:200],
            content=row.content,
            origin_ref=f"feedback:{row.pk}",
            contact_name=row.contact_name,
            contact_phone=row.contact_phone,
        )
        Clue.objects.filter(pk=clue.pk).update(feedback=row)
        clue.feedback = row
        created.append(clue)
    return created


THROTTLE_SECONDS = 3600
LOOKUP_FAILURES = 20  # wrong query codes from one address per hour


def _throttle_key(kind: str, address: str) -> str:
    return f"zhifa:clue:{kind}:" + hashlib.sha256(address.encode()).hexdigest()[:32]


def _throttled(kind: str, address: str | None, limit: int) -> bool:
    return address is not None and cache.get(_throttle_key(kind, address), 0) >= limit


def _count(kind: str, address: str | None) -> None:
    if address is None:
        return
    key = _throttle_key(kind, address)
    if not cache.add(key, 1, timeout=THROTTLE_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=THROTTLE_SECONDS)


@transaction.atomic
def clue_submit_public(
    *,
    agency: Agency,
    title: str,
    content: str,
    contact_name: str,
    contact_phone: str,
    contact_address: str = "",
    address: str | None = None,
) -> tuple[Clue, str]:
    """A complaint from the portal's 投诉举报 form (no login): the clue and its query code (shown once).

    At most ZHIFA_FEEDBACK_PER_HOUR complaints from one network address an hour (the same limit as
    the credential page's feedback); the phone is checked like the feedback's.
    """
    from zhifa.disclosure.feedback import phone_normalized

    limit = settings.ZHIFA_FEEDBACK_PER_HOUR
    if _throttled("submit", address, limit):
        raise RateLimited(
            f"同一网络地址一小时内最多提交 {limit} 件投诉举报，您的提交已达上限，请一小时后再试。"
        )
    if len((content or "").strip()) < 5:
        raise InvalidInput("请写明投诉举报的具体情况（不少于 5 个字）。")
    clue = clue_register(
        actor=None,
        source=ClueSource.PORTAL,
        agency=agency,
        title=title,
        content=content,
        contact_name=_text(contact_name, "您的姓名", 50),
        contact_phone=phone_normalized(_text(contact_phone, "联系电话", 40)),
        contact_address=contact_address,
    )
    code = clue_code_issue(clue)
    _count("submit", address)
    return clue, code


def clue_lookup_allowed(address: str | None) -> None:
    if _throttled("lookup", address, LOOKUP_FAILURES):
        raise RateLimited("您所在的网络查询失败次数过多，请一小时后再试。")


def clue_lookup_failed(address: str | None) -> None:
    _count("lookup", address)


@transaction.atomic
def clue_open_on_case(*, actor: User, case: Any, title: str, content: str) -> Clue:
    """个案监督's 监督意见: a clue of source 监督人员发现 tied to the case, assigned at once to the
    case's agency with the default 办理期限; the 监督意见书 is then issued on it like any clue's."""
    from django.urls import reverse

    from zhifa.supervision.clue_workflow import take

    policies.ensure_supervisor_of(actor, case.agency)
    clue = clue_register(
        actor=actor,
        source=ClueSource.FINDING,
        agency=case.agency,
        title=title,
        content=content,
        origin_ref=f"case:{case.pk}",
        link=reverse("cases:detail", args=[case.pk]),
    )
    Clue.objects.filter(pk=clue.pk).update(case=case)
    clue.case = case
    from zhifa.supervision.clue_steps import handling_workdays

    take("assign", actor=actor, clue=clue, agency=case.agency, workdays=handling_workdays(), note="个案监督")
    return clue


def demo_code(clue: Clue) -> str:
    """The demo's query code of a demo complaint: derived from the deployment's secret key and the
    clue number, so `zhifa demo` prints the same code on every run without storing it. Demo only."""
    import hmac

    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"zhifa-demo-clue:{clue.number}".encode(), hashlib.sha256
    ).digest()
    return formatted_code("".join(ALPHABET[b % len(ALPHABET)] for b in digest[:CODE_LENGTH]))


def clue_code_ensure_demo(clue: Clue) -> str:
    """The demo complaint's code set to its `demo_code` (only the hash is stored, as for any code)."""
    code = demo_code(clue)
    Clue.objects.filter(pk=clue.pk).update(code_hash=code_hash(code))
    clue.code_hash = code_hash(code)
    return code
