"""What the ledger records of a document (its issue, its signing, its voiding), built by one
function at append time and at verify time. The content is hashed as stored, and the PDF's and
the DOCX's hashes are computed from the stored files, so content edited in the database or a
file swapped in storage no longer matches the document's latest leaf."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.documents.models import Document, DocumentStatus

KIND = "document"
CHUNK = 1024 * 1024


def document_ref(pk: int) -> str:
    return f"documents.document:{pk}"


def content_sha256(document: Document) -> str:
    """The SHA-256 of the document's content (what the PDF and DOCX are rendered from)."""
    from zhifa.ledger.services import canonical

    return hashlib.sha256(canonical(document.content)).hexdigest()


def _stored_sha256(file: Any) -> str:
    if not file:
        return ""
    digest = hashlib.sha256()
    try:
        with file.open("rb") as f:
            while chunk := f.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError:
        return "missing"
    return digest.hexdigest()


def _time(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value else None


def document_payload(document: Document) -> dict[str, Any]:
    return {
        "agency": document.agency_id,
        "kind": document.kind,
        "number": document.number,
        "status": document.status,
        "subject_ref": document.subject_ref,
        "verification_code": document.verification_code,
        "title": document.title,
        "subject_label": document.subject_label,
        "content_sha256": content_sha256(document),
        "sha256": document.sha256,
        "pdf_sha256": _stored_sha256(document.pdf),
        "docx_sha256": _stored_sha256(document.docx),
        "rendered_at": _time(document.rendered_at),
        "signer_subject": document.signer_subject,
        "issued_at": _time(document.issued_at),
        "issued_by": document.issued_by_id,
        "voided_at": _time(document.voided_at),
        "void_reason": document.void_reason,
    }


def document_payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    pks = [int(ref.rsplit(":", 1)[1]) for ref in refs]
    return {document_ref(d.pk): document_payload(d) for d in Document.objects.filter(pk__in=pks)}


def existing_documents() -> Iterator[tuple[dt.datetime, str]]:
    """Issued and voided documents: the two writes that append a leaf."""
    rows = Document.objects.exclude(status=DocumentStatus.RESERVED).values_list(
        "pk", "issued_at", "voided_at"
    )
    for pk, issued_at, voided_at in rows.iterator(chunk_size=2000):
        at = issued_at or voided_at
        assert at is not None
        yield at, document_ref(pk)
