"""调阅监督: every view, playback and download of a record is written to AccessLog.

The rule is kept by construction. The selectors that hand out a record's body (an evidence
file, thumbnail or poster frame, a 笔录's text, a case document's PDF/DOCX, evidence metadata
over the API) take a `Reader` and call `access_record` before they return the body; adapters
never call it themselves (zhifa/evidence/tests/test_access.py checks their imports).

The purpose follows from the reader's role and relation to the case. A 司法局 supervisor states
it once per case and session (the web prompt) or with each API request; until then the
selector raises `PurposeRequired`, before anything is read or logged.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from django.http import HttpRequest
from django.utils import timezone

from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.core.models import AccessAction, AccessLog, AccessPurpose

# Role values of zhifa.accounts.Role; core sits below accounts, so it names them as strings.
_ROLE_PURPOSE = {
    "officer": AccessPurpose.HANDLING,
    "head": AccessPurpose.APPROVAL,
    "reviewer": AccessPurpose.REVIEW,
    "supervisor": AccessPurpose.SUPERVISION,
    "archivist": AccessPurpose.ARCHIVE,
}
# What a supervisor may give as the purpose (the prompt's choices, the API's `purpose` values).
STATED_PURPOSES = (
    AccessPurpose.SUPERVISION,
    AccessPurpose.EVALUATION,
    AccessPurpose.COMPLAINT,
    AccessPurpose.OTHER,
)
API_PURPOSE_PARAM, API_NOTE_PARAM = "purpose", "purpose_note"
API_PURPOSE_HEADER, API_NOTE_HEADER = "X-Access-Purpose", "X-Access-Purpose-Note"
_PURPOSE_KEY = "zhifa.access_purpose."
_LOGGED_KEY = "zhifa.access_logged"
_LOGGED_KEEP = 200  # looks remembered per session (for the playback rule); older ones are dropped


def purpose_for(user: Any, *, handles: bool = False) -> str:
    """The purpose a reader's role implies: a case's handler reads it to handle it (办案)."""
    if handles:
        return AccessPurpose.HANDLING
    return _ROLE_PURPOSE.get(getattr(user, "role", ""), AccessPurpose.OTHER)


def asks_purpose(user: Any) -> bool:
    """Supervisors state why they open a record; everyone else's purpose follows from their role."""
    return getattr(user, "role", "") == "supervisor"


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind the TLS proxy (ZHIFA_BEHIND_TLS_PROXY) the proxy's X-Forwarded-For."""
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


@dataclass(frozen=True)
class Target:
    """The record looked at, as the log names it."""

    ref: str
    label: str
    case_ref: str = ""
    case_number: str = ""
    agency_id: int | None = None

    @property
    def scope(self) -> str:
        """What one stated purpose covers: the whole case, else this record alone."""
        return self.case_ref or self.ref

    @property
    def what(self) -> str:
        """How the purpose prompt names what the reader is about to open."""
        return f"案件 {self.case_number} 的记录" if self.case_number else f"“{self.label}”"


class PurposeRequired(NotPermitted):
    """A supervisor has not yet said why they open this record: nothing was read or logged."""

    code = "purpose_required"

    def __init__(self, target: Target, *, api: bool = False) -> None:
        what = target.what
        if api:
            choices = "、".join(f"{p.value}（{p.label}）" for p in STATED_PURPOSES)
            message = (
                f"司法局监督人员调阅{what}须说明调阅目的：请在查询参数 {API_PURPOSE_PARAM} 或请求头 "
                f"{API_PURPOSE_HEADER} 中填写 {choices}，说明可填在 {API_NOTE_PARAM} 或 {API_NOTE_HEADER} 中。"
            )
        else:
            message = f"调阅{what}前，请先说明调阅目的。"
        super().__init__(message)
        self.target = target


@dataclass(frozen=True)
class Reader:
    """Who reads, from where, and what they said: the first argument of every body selector.

    `state` is the web session (stated purposes, looks already logged); an API request brings
    its purpose with it (`stated`) and keeps no state.
    """

    user: Any
    ip: str | None = None
    user_agent: str = ""
    state: MutableMapping[str, Any] = field(default_factory=dict)
    stated: tuple[str, str] | None = None
    api: bool = False

    @classmethod
    def of(cls, request: HttpRequest) -> Reader:
        return cls(
            user=request.user,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            state=request.session,
        )

    @classmethod
    def of_api(cls, request: HttpRequest) -> Reader:
        """The purpose from `?purpose=&purpose_note=` or the X-Access-Purpose(-Note) headers; a
        note in a header is percent-encoded UTF-8 (headers carry no Chinese)."""
        purpose = request.GET.get(API_PURPOSE_PARAM) or request.headers.get(API_PURPOSE_HEADER, "")
        note = request.GET.get(API_NOTE_PARAM) or unquote(request.headers.get(API_NOTE_HEADER, ""))
        return cls(
            user=request.user,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            stated=(purpose.strip(), note.strip()) if purpose.strip() else None,
            api=True,
        )

    def purpose_stated(self, scope: str) -> tuple[str, str] | None:
        if self.stated is not None:
            return self.stated
        stated = self.state.get(_PURPOSE_KEY + scope)
        return (stated["purpose"], stated["note"]) if stated else None

    def purpose_state(self, scope: str, purpose: str, note: str = "") -> None:
        """Remember a supervisor's purpose for the scope (a case) for the rest of the session."""
        if purpose not in STATED_PURPOSES:
            raise InvalidInput(f"调阅目的“{purpose}”不在可选范围内。")
        self.state[_PURPOSE_KEY + scope] = {"purpose": purpose, "note": note[:200]}

    def last_logged(self, action: str, ref: str) -> float | None:
        """When this session last logged this action on this record (a POSIX time), if it did."""
        return self.state.get(_LOGGED_KEY, {}).get(f"{action} {ref}")

    def _note_logged(self, action: str, ref: str) -> None:
        logged = dict(self.state.get(_LOGGED_KEY, {}))
        logged[f"{action} {ref}"] = timezone.now().timestamp()
        # Sessions are JSON: keep the most recent looks only.
        self.state[_LOGGED_KEY] = dict(sorted(logged.items(), key=lambda kv: kv[1])[-_LOGGED_KEEP:])


def access_purpose(
    *, reader: Reader, target: Target, handles: bool = False, implied: tuple[str, str] | None = None
) -> tuple[str, str]:
    """(purpose, note) of this look; PurposeRequired while a supervisor has not stated one.

    `implied` is the purpose the selector's own check establishes for a reader who is not asked
    (an appointed evaluator reads a file for 案卷评查, whatever their role)."""
    if not asks_purpose(reader.user):
        if implied is not None:
            return implied
        return purpose_for(reader.user, handles=handles), ""
    stated = reader.purpose_stated(target.scope)
    if stated is None:
        raise PurposeRequired(target, api=reader.api)
    if stated[0] not in STATED_PURPOSES:
        choices = "、".join(p.value for p in STATED_PURPOSES)
        raise InvalidInput(f"调阅目的“{stated[0]}”不在可选范围内，应为 {choices} 之一。")
    return stated


def access_record(
    *,
    reader: Reader,
    action: str,
    target: Target,
    handles: bool = False,
    implied: tuple[str, str] | None = None,
) -> AccessLog:
    """Check the purpose and write one access record. Only the body selectors call it, before
    they hand the body out."""
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action: {action!r}")
    purpose, note = access_purpose(reader=reader, target=target, handles=handles, implied=implied)
    user = reader.user
    role = getattr(user, "get_role_display", lambda: "")()
    name = getattr(user, "display_name", str(user))
    label = f"{target.label}（接口）" if reader.api else target.label
    row = AccessLog.objects.create(
        user=user,
        user_label=f"{name}（{role}）" if role else name,
        action=action,
        ref=target.ref[:80],
        label=label[:200],
        case_ref=target.case_ref,
        case_number=target.case_number,
        agency_id=target.agency_id,
        purpose=purpose,
        purpose_note=note[:200],
        ip=reader.ip,
        user_agent=reader.user_agent,
    )
    reader._note_logged(action, target.ref)
    return row
