"""Every write of 监督线索 outside the runner's steps: registration, the complainant's query code,
the events (with their ledger leaves). The steps themselves are in clue_steps (taken by run())."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.core.calendar import today
from zhifa.core.errors import InvalidInput, NotPermitted
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
