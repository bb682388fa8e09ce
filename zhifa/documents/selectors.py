"""Reads of documents: for a logged-in user (by agency), for the public check (by code), for operators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from zhifa.documents import policies
from zhifa.documents.models import Document, DocumentStatus
from zhifa.documents.verification import normalize_code

if TYPE_CHECKING:
    from zhifa.accounts.models import User


def document_list_visible_to(
    *, user: User, subject_ref: str | None = None, kind: str | None = None
) -> QuerySet[Document]:
    qs = Document.objects.filter(policies.readable_documents_filter(user)).select_related("agency")
    if subject_ref is not None:
        qs = qs.filter(subject_ref=subject_ref)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs


def document_get_for(*, user: User, pk: int) -> Document:
    document = document_list_visible_to(user=user).filter(pk=pk).first()
    if document is None:
        raise Http404("未找到该执法文书，或您无权查看。")
    return document


def document_for_verification(code: str) -> Document | None:
    """The issued document a public verification code names (reserved and void ones are not shown)."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return (
        Document.objects.filter(verification_code=normalized, status=DocumentStatus.ISSUED)
        .select_related("agency")
        .first()
    )


def issued_documents(*, kind: str | None = None) -> QuerySet[Document]:
    """Every issued document, for operators on the command line."""
    qs = Document.objects.filter(status=DocumentStatus.ISSUED).select_related("agency")
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("agency_id", "kind", "year", "sequence")


def issued_by_number(number: str, *, agency_id: int | None = None) -> list[Document]:
    qs = issued_documents().filter(number=number.strip())
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return list(qs)
