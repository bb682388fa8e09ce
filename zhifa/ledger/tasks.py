"""Checkpoints signed off the request (zhifa.core.tasks): one after a commit that appended
leaves, once it is due, and a sweep so a quiet log still gets its periodic checkpoint."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def checkpoint(reason: str, only_if_due: bool) -> None:
    from zhifa.ledger import services

    if not only_if_due or services.checkpoint_due():
        services.checkpoint_make(reason=reason, only_if_grown=True)


@db_periodic_task(crontab(minute="*"))
def checkpoint_when_due() -> None:
    checkpoint.call_local("自动（定期）", True)
