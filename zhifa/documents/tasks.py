"""Rendering and signing documents off the request (zhifa.core.tasks)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhifa.core.errors import DomainError

log = logging.getLogger(__name__)

# A document issued this long ago and still unsigned is queued again by the sweep.
STALE = dt.timedelta(minutes=2)


@db_task(retries=3, retry_delay=30)
def document_render(pk: int) -> None:
    from zhifa.documents import services

    try:
        services.document_render(pk=pk)
    except DomainError as exc:
        # E.g. the certificate expired or its passphrase is missing: kept on the document for
        # the administrator to see; the sweep tries again once it is fixed.
        services.document_render_failed(pk=pk, error=exc.message)
        log.warning("document %s not signed: %s", pk, exc.message)


@db_periodic_task(crontab(minute="*/5"))
def documents_render_pending() -> int:
    """Queue every issued document still unsigned a while after its issue."""
    from zhifa.documents.models import Document, DocumentStatus

    pending = Document.objects.filter(
        status=DocumentStatus.ISSUED, rendered_at__isnull=True, issued_at__lt=timezone.now() - STALE
    ).values_list("pk", flat=True)
    count = 0
    for pk in pending.iterator():
        document_render(pk)
        count += 1
    return count
