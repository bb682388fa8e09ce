"""The staff's global search: cases, documents (文号), officers and certificates, evidence.

Every group is read through its app's selector for the user, so the search finds exactly what
the user may open: a user of one agency never finds another's case; a supervisor finds the
cases of the agencies in the bureau's jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases.selectors import case_list_visible_to
from zhifa.documents.selectors import document_list_visible_to
from zhifa.evidence.selectors import items_visible_to
from zhifa.org.policies import agency_of
from zhifa.org.selectors import officer_list_visible_to

# Rows per group; the "more" link opens the full list where one exists.
LIMIT = 10
MAX_QUERY = 100


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def can_search(user: User) -> bool:
    """Staff: a login with an active officer record, or the system administrator."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.role == Role.SYSADMIN or agency_of(user) is not None)
    )


def _case_url(subject_ref: str) -> str:
    kind, _, pk = subject_ref.partition(":")
    return reverse("cases:detail", args=[int(pk)]) if kind == "case" and pk.isdigit() else ""


def search(user: User, text: str) -> list[Group]:
    q = text.strip()[:MAX_QUERY]
    if not q or not can_search(user):
        return []
    cases = case_list_visible_to(user=user, query=q).order_by("-received_on", "-pk")
    documents = (
        document_list_visible_to(user=user)
        .filter(Q(number__icontains=q) | Q(title__icontains=q))
        .order_by("-pk")
    )
    officers = (
        officer_list_visible_to(user=user)
        .filter(Q(name__icontains=q) | Q(certificates__number__icontains=q))
        .distinct()
        .order_by("name", "pk")
    )
    evidence = (
        items_visible_to(user=user)
        .filter(Q(title__icontains=q) | Q(case__number__icontains=q))
        .order_by("-collected_at", "-pk")
    )
    groups = [
        Group(
            "案件",
            [
                Hit(
                    c.number,
                    f"{c.party_name or '—'} · {c.cause} · {c.agency.short_name or c.agency.name}",
                    reverse("cases:detail", args=[c.pk]),
                )
                for c in cases[:LIMIT]
            ],
            cases.count(),
            f"{reverse('cases:list')}?{urlencode({'q': q})}",
        ),
        Group(
            "执法文书",
            [
                Hit(
                    d.number or "（未编号）",
                    f"{d.title} · {d.agency.short_name or d.agency.name}",
                    _case_url(d.subject_ref),
                )
                for d in documents[:LIMIT]
            ],
            documents.count(),
        ),
        Group(
            "执法人员和执法证",
            [
                Hit(
                    o.name,
                    " · ".join(
                        [o.agency.short_name or o.agency.name, *(c.number for c in o.certificates.all())]
                    ),
                    reverse("org:officer_detail", args=[o.pk]),
                )
                for o in officers[:LIMIT]
            ],
            officers.count(),
            f"{reverse('org:officer_list')}?{urlencode({'q': q})}",
        ),
        Group(
            "证据",
            [
                Hit(
                    e.title,
                    f"{e.case.number} · {e.get_kind_display()}",
                    reverse("evidence:item", args=[e.pk]),
                )
                for e in evidence[:LIMIT]
            ],
            evidence.count(),
        ),
    ]
    return groups
