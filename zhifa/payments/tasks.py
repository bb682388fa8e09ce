"""The receipt import on the task queue, and the sweep that restarts a lost one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from zhifa.payments.models import ImportStatus, ReceiptImport


@db_task()
def receipt_import_task(pk: int) -> None:
    from zhifa.payments.services import receipt_import_run

    receipt_import_run(pk=pk)


@db_periodic_task(crontab(minute="*/5"))
def receipt_imports_sweep() -> int:
    """Imports still queued after a few minutes (a lost message): run them now."""
    cutoff = timezone.now() - dt.timedelta(minutes=5)
    pks = list(
        ReceiptImport.objects.filter(status=ImportStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        receipt_import_task(pk)
    return len(pks)
