"""调阅监督: every view, playback and download of a record is written to AccessLog.

Views of evidence (zhifa.evidence), of 笔录 and of case documents call `access_record` before
they answer. The purpose comes from the reader's role and relation to the case; supervisors
are asked for it (zhifa.evidence.views) and pass it in.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhifa.core.models import AccessAction, AccessLog, AccessPurpose

# Role values of zhifa.accounts.Role; core sits below accounts, so it names them as strings.
_ROLE_PURPOSE = {
    "officer": AccessPurpose.HANDLING,
    "head": AccessPurpose.APPROVAL,
    "reviewer": AccessPurpose.REVIEW,
    "supervisor": AccessPurpose.SUPERVISION,
    "archivist": AccessPurpose.ARCHIVE,
}


def purpose_for(user: Any, *, handles: bool = False) -> str:
    """The purpose a reader's role implies: a case's handler reads it to handle it (办案)."""
    if handles:
        return AccessPurpose.HANDLING
    return _ROLE_PURPOSE.get(getattr(user, "role", ""), AccessPurpose.OTHER)


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR; behind the TLS proxy (ZHIFA_BEHIND_TLS_PROXY) the proxy's X-Forwarded-For."""
    from django.conf import settings

    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def access_record(
    *,
    request: HttpRequest,
    user: Any,
    action: str,
    ref: str,
    label: str,
    purpose: str,
    purpose_note: str = "",
    case_ref: str = "",
    case_number: str = "",
    agency_id: int | None = None,
) -> AccessLog:
    """Write one access record. Called by the view before the record's content is sent."""
    if action not in AccessAction.values or purpose not in AccessPurpose.values:
        raise ValueError(f"unknown access action or purpose: {action!r}, {purpose!r}")
    role = getattr(user, "get_role_display", lambda: "")()
    name = getattr(user, "display_name", str(user))
    return AccessLog.objects.create(
        user=user,
        user_label=f"{name}（{role}）" if role else name,
        action=action,
        ref=ref[:80],
        label=label[:200],
        case_ref=case_ref,
        case_number=case_number,
        agency_id=agency_id,
        purpose=purpose,
        purpose_note=purpose_note[:200],
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
    )
