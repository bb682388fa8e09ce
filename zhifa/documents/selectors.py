"""Reads of documents: for a logged-in user (by agency), for the public check (by code), for operators.

A document's files (PDF/DOCX) come only from `document_file_for`, which writes the AccessLog row
(zhifa.core.access) before it hands the open file over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from zhifa.core.access import Reader, Target, access_purpose, access_record
from zhifa.core.models import AccessAction
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


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class DocumentFile:
    """An issued document's file, opened for the view to send (it closes it)."""

    handle: IO[bytes]
    filename: str
    content_type: str


def access_target(document: Document, fmt: str = "") -> Target:
    """How the access log names a document; a case document's purpose is the case's."""
    of_case = document.subject_ref.startswith("case:")
    return Target(
        ref=f"documents.document:{document.pk}",
        label=f"{document.title} {document.number} {fmt.upper()}".strip(),
        case_ref=document.subject_ref if of_case else "",
        case_number=document.subject_label if of_case else "",
        agency_id=document.agency_id,
    )


def document_file_for(*, reader: Reader, pk: int, fmt: str) -> DocumentFile:
    """The issued PDF or DOCX (`fmt`), logged as a download."""
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown document format: {fmt!r}")
    document = document_get_for(user=reader.user, pk=pk)
    if document.status != DocumentStatus.ISSUED:
        raise Http404("该文书尚未签发，没有可下载的文件。")
    target = access_target(document, fmt)
    access_purpose(reader=reader, target=target)  # a supervisor says why before the file is opened
    if not document.is_rendered:
        # Downloaded before the worker signed it (seconds after the issue): signed now.
        from zhifa.documents.services import document_signed

        document = document_signed(document)
    stored = getattr(document, fmt)
    handle = stored.open("rb")
    try:
        access_record(reader=reader, action=AccessAction.DOWNLOAD, target=target)
    except BaseException:
        handle.close()
        raise
    return DocumentFile(handle, f"{document.title}{document.number}.{fmt}", CONTENT_TYPES[fmt])


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
