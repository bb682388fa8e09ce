"""Who may issue, reserve and void documents, install signing certificates, and read documents.

The cases app guards each procedural step itself; these checks make sure that, whatever the
caller, a document is only ever issued in the name of the actor's own agency.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from zhifa.core.errors import NotPermitted
from zhifa.org.models import Agency
from zhifa.org.policies import agency_of, can_read_agency, readable_agency_filter

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.documents.models import Document


def can_act_for(actor: User | None, agency: Agency) -> bool:
    """Issue in the agency's name: its own staff, a 受委托组织 acting in the name of its entruster
    (《行政处罚法》第二十条), the system administrator, and the operator's command line (None)."""
    if actor is None:
        return True
    if not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_sysadmin:
        return True
    own = agency_of(actor)
    return own is not None and (own.pk == agency.pk or own.entrusted_by_id == agency.pk)


def ensure_can_act_for(actor: User | None, agency: Agency) -> None:
    if not can_act_for(actor, agency):
        raise NotPermitted(f"您不是“{agency.name}”的执法人员，不能以该机关名义制发、预留或者作废执法文书。")


def ensure_can_manage_credentials(actor: User | None) -> None:
    if actor is not None and not actor.is_sysadmin:
        raise NotPermitted("只有系统管理员可以安装签章证书。")


def readable_documents_filter(user: User) -> Q:
    return readable_agency_filter(user)


def can_read_document(user: User, document: Document) -> bool:
    return can_read_agency(user, document.agency)
