"""当事人查询码: issue, open (with a second factor and a throttle), revoke. The stable entry point
for other apps is `party_access_issue` (e.g. a 非现场执法 notice prints the code it returns).

- A code is 12 characters of an alphabet without look-alikes (about 59 bits), printed in groups
  of four; only its SHA-256 is stored.
- It opens its own case only, and only with the second factor the agency knows: an
  organisation's 统一社会信用代码, or the last six characters of a citizen's identity number,
  compared in constant time.
- Failed attempts are counted in the database per code and per network address (both hashed,
  `AccessThrottle`): after `CODE_FAILURES` failures of one code, or `ADDRESS_FAILURES` from one
  address, within `WINDOW` of the first, further attempts are refused for the rest of the window.
  Each attempt is counted before its code is checked, by one conditional UPDATE, so parallel
  guesses cannot overshoot the limit; one that opens the case is given back.
- A code stops working when it is revoked or its case is archived (computed when read).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, PartyKind
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted, RateLimited
from zhifa.documents.kinds import KINDS
from zhifa.party.models import AccessAttempt, AccessThrottle, PartyAccess

if TYPE_CHECKING:
    from zhifa.accounts.models import User

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
WINDOW = dt.timedelta(minutes=15)
CODE_FAILURES = 5
ADDRESS_FAILURES = 20
WRONG = "查询码或验证信息不正确，请核对文书上的查询码和您的证件号码。"


def normalized(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def formatted(code: str) -> str:
    code = normalized(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(f"zhifa-party:{normalized(code)}".encode()).hexdigest()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def factor_label(case: Case) -> str:
    if case.party_kind == PartyKind.ORGANISATION:
        return "统一社会信用代码"
    return "身份证件号码后六位"


def _expected_factor(case: Case) -> str:
    number = normalized(case.party_id_number)
    return number if case.party_kind == PartyKind.ORGANISATION else number[-6:]


def factor_matches(case: Case, given: str) -> bool:
    expected = _expected_factor(case)
    # Constant time over the given text: no early exit on the first wrong character.
    return bool(expected) and hmac.compare_digest(normalized(given).encode(), expected.encode())


def page_url(code: str = "") -> str:
    url = settings.ZHIFA_PUBLIC_URL.rstrip("/") + reverse("party:start")
    return f"{url}?code={formatted(code)}" if code else url


@dataclass(frozen=True)
class Issued:
    access: PartyAccess
    code: str  # formatted (XXXX-XXXX-XXXX); shown once, never stored

    @property
    def url(self) -> str:
        return page_url(self.code)


@transaction.atomic
def party_access_issue(*, case: Case, purpose: str, actor: User | None = None) -> Issued:
    """A new access code for the case's party, printed on `purpose` (a document or a notice).

    Stable interface for other apps (documents of the case, 非现场执法 notices). Refused for a case
    without a party or whose party's identity number the agency has not recorded.
    """
    if not case.party_name or not _expected_factor(case):
        raise DomainError("本案尚未登记当事人及其身份证件号码或统一社会信用代码，无法签发当事人查询码。")
    if case.archived_at is not None:
        raise DomainError("案件已归档，不再签发当事人查询码。")
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        digest = code_hash(code)
        if not PartyAccess.objects.filter(code_hash=digest).exists():
            break
    access = PartyAccess.objects.create(case=case, code_hash=digest, purpose=purpose[:200], issued_by=actor)
    return Issued(access, formatted(code))


def document_block(case: Case, kind: str) -> dict[str, Any]:
    """The `party_access` content of a document served to the party (zhifa.cases.party_access)."""
    if not case.party_name or not _expected_factor(case) or case.archived_at is not None:
        return {}
    issued = party_access_issue(case=case, purpose=KINDS[kind].title)
    return {"party_access": {"code": issued.code, "url": issued.url, "factor": factor_label(case)}}


def revoked_reason(access: PartyAccess) -> str:
    """Why a code no longer opens its case, or "" while it does."""
    if access.revoked_at is not None:
        return f"该查询码已于 {timezone.localtime(access.revoked_at):%Y-%m-%d} 注销。"
    if access.case.archived_at is not None:
        return "案件已归档，当事人查询码已失效；如需查阅，请向执法机关申请。"
    return ""


def _admit(key: str, limit: int) -> bool:
    """Take a place for one more attempt of `key` in its window, or False when the window is full.

    One conditional UPDATE counts and checks at once: PostgreSQL re-reads the row after waiting
    for its lock and SQLite serialises writers, so parallel attempts never pass `limit` together.
    A window older than `WINDOW` restarts at this attempt."""
    now = timezone.now()
    since = now - WINDOW
    rows = AccessThrottle.objects.filter(key=key)
    for _ in range(2):  # the row may be pruned between its insert and the update: once more
        AccessThrottle.objects.bulk_create(
            [AccessThrottle(key=key, window_started_at=now, failures=0)], ignore_conflicts=True
        )
        stale = Q(window_started_at__lt=since)
        taken = rows.filter(stale | Q(failures__lt=limit)).update(
            failures=SqlCase(When(stale, then=Value(1)), default=F("failures") + 1),
            window_started_at=SqlCase(When(stale, then=Value(now)), default=F("window_started_at")),
        )
        if taken or rows.exists():
            return bool(taken)
    return False  # pragma: no cover - pruned twice in a row


def _release(*keys: str) -> None:
    """An attempt that was not a failure gives its place back (a success, or refused elsewhere)."""
    AccessThrottle.objects.filter(key__in=keys, failures__gt=0).update(failures=F("failures") - 1)


def _note(code_key: str, address_key: str, succeeded: bool) -> None:
    # The record of the attempt, kept a day (the count is AccessThrottle's).
    with transaction.atomic():
        AccessAttempt.objects.create(code_key=code_key, address_key=address_key, succeeded=succeeded)
        day = timezone.now() - dt.timedelta(days=1)
        AccessAttempt.objects.filter(at__lt=day).delete()
        AccessThrottle.objects.filter(window_started_at__lt=day).delete()


def party_access_open(*, code: str, factor: str, address: str | None) -> PartyAccess:
    """The access the code and second factor open, or the refusal; every attempt is counted.

    The attempt takes its place in the code's and the address's windows before the code is
    checked, and gives it back when it opens the case. A wrong code and a wrong factor are
    refused with the same sentence.
    """
    code_key, address_key = _key(normalized(code)), _key(address or "-")
    held = [f"code:{code_key}"]
    if not _admit(held[0], CODE_FAILURES):
        raise RateLimited(
            f"该查询码 {int(WINDOW.total_seconds() // 60)} 分钟内验证失败已达 {CODE_FAILURES} 次，"
            "为保护当事人信息，请稍后再试。"
        )
    if address:
        if not _admit(f"address:{address_key}", ADDRESS_FAILURES):
            _release(*held)  # not an attempt of the code after all
            raise RateLimited("您所在的网络验证失败次数过多，请稍后再试。")
        held.append(f"address:{address_key}")
    if len(normalized(code)) != CODE_LENGTH or not normalized(factor):
        _note(code_key, address_key, False)
        raise InvalidInput(WRONG)
    access = (
        PartyAccess.objects.select_related("case", "case__agency").filter(code_hash=code_hash(code)).first()
    )
    if access is None or not factor_matches(access.case, factor):
        _note(code_key, address_key, False)
        raise InvalidInput(WRONG)
    refusal = revoked_reason(access)
    if refusal:
        _note(code_key, address_key, False)
        raise NotPermitted(refusal)
    _release(*held)
    _note(code_key, address_key, True)
    now = timezone.now()
    PartyAccess.objects.filter(pk=access.pk, first_opened_at__isnull=True).update(first_opened_at=now)
    PartyAccess.objects.filter(pk=access.pk).update(last_opened_at=now)
    access.refresh_from_db()
    return access


@transaction.atomic
def party_access_revoke(*, actor: User, access: PartyAccess, reason: str) -> PartyAccess:
    """An agency's head or handler cancels a code (e.g. it reached someone else)."""
    from zhifa.cases import policies as case_policies
    from zhifa.cases.timeline import event

    access = PartyAccess.objects.select_for_update().select_related("case").get(pk=access.pk)
    case_policies.ensure_may_work_on(actor, access.case)
    if not reason.strip():
        raise InvalidInput("注销查询码请说明理由。")
    if access.revoked_at is None:
        access.revoked_at = timezone.now()
        access.revoke_reason = reason.strip()[:200]
        access.save()
        event(
            access.case, actor, "party_access_revoked", f"注销当事人查询码（{access.purpose}）", reason=reason
        )
    return access


def demo_code(case: Case) -> str:
    """The demo's code of a demo case: derived from the deployment's secret key and the case
    number, so `zhifa demo` prints the same code on every run without storing it. Demo data only."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"zhifa-demo-party:{case.number}".encode(), hashlib.sha256
    ).digest()
    return formatted("".join(ALPHABET[b % len(ALPHABET)] for b in digest[:CODE_LENGTH]))


@transaction.atomic
def party_access_ensure_demo(*, case: Case) -> PartyAccess:
    """The demo case's access with its `demo_code` (made once; the demo prints the code)."""
    digest = code_hash(demo_code(case))
    existing = PartyAccess.objects.filter(code_hash=digest).first()
    if existing is not None:
        return existing
    return PartyAccess.objects.create(
        case=case, code_hash=digest, purpose="演示：当事人查询码（zhifa demo 输出）"
    )
