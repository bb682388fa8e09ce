"""What the ledger holds of the receipts: each import's file hash and a digest of its lines as the
bank sent them (one leaf per file, however long), and each line a person resolved by hand.

A line the import applied to a case is in the ledger as that case's payment event and leaf.
No payer names: the digest covers them without showing them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zhifa.ledger.registry import ref_pk
from zhifa.payments.models import ImportStatus, LineState, ReceiptImport, ReceiptLine

KIND = "receipt_import"
LINE_KIND = "receipt_line"


def lines_digest(source: ReceiptImport) -> str:
    digest = hashlib.sha256()
    rows = (
        ReceiptLine.objects.filter(source=source)
        .order_by("line_number")
        .values_list("line_number", "transaction_id", "payment_code", "paid_on", "amount", "payer")
    )
    for number, txn, code, paid_on, amount, payer in rows.iterator(chunk_size=5000):
        digest.update(f"{number}\t{txn}\t{code}\t{paid_on:%Y-%m-%d}\t{amount:.2f}\t{payer}\n".encode())
    return digest.hexdigest()


def import_payload(source: ReceiptImport) -> dict[str, Any]:
    return {
        "agency": source.agency_id,
        "file_name": source.file_name,
        "sha256": source.sha256,
        "total": source.total,
        "imported_by": source.imported_by_id,
        "lines_sha256": lines_digest(source),
    }


def line_payload(line: ReceiptLine) -> dict[str, Any]:
    return {
        "transaction_id": line.transaction_id,
        "case": line.case_id,
        "state": line.state,
        "principal": f"{line.principal:.2f}",
        "surcharge": f"{line.surcharge:.2f}",
        "reason_sha256": hashlib.sha256(line.reason.encode()).hexdigest(),
        "resolved_by": line.resolved_by_id,
        "resolved_at": line.resolved_at.astimezone(dt.UTC).isoformat() if line.resolved_at else None,
    }


def payloads(refs: Sequence[str]) -> Mapping[str, dict[str, Any]]:
    imports = [ref_pk(r) for r in refs if r.startswith("payments.receiptimport:")]
    lines = [ref_pk(r) for r in refs if r.startswith("payments.receiptline:")]
    found: dict[str, dict[str, Any]] = {}
    for source in ReceiptImport.objects.filter(pk__in=imports).defer("content"):
        found[source.ref] = import_payload(source)
    for line in ReceiptLine.objects.filter(pk__in=lines):
        found[line.ref] = line_payload(line)
    return found


def existing_imports() -> Iterator[tuple[dt.datetime, str]]:
    for source in ReceiptImport.objects.filter(status=ImportStatus.DONE).defer("content").order_by("pk"):
        assert source.finished_at is not None
        yield source.finished_at, source.ref


def existing_lines() -> Iterator[tuple[dt.datetime, str]]:
    resolved = ReceiptLine.objects.filter(state__in=[LineState.RESOLVED, LineState.DISMISSED])
    for line in resolved.order_by("resolved_at", "pk"):
        assert line.resolved_at is not None
        yield line.resolved_at, line.ref
