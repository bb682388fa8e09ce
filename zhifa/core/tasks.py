"""Background work on a task queue (Huey), and the jobs that run on a schedule.

One machine: the queue is a SQLite file beside the database (settings.HUEY, no server) and
`zhifa run_huey` is the worker that `make run` starts. Several machines: ZHIFA_TASKS_URL names
a Redis server and any number of workers on any machine take tasks from it
(docs/deployment.md). In the test suite and the demo tasks are eager: queued, they run at once.

A task is queued when the transaction that asked for it commits, so a worker never looks for a
row that is not there yet. (So in a test, as with Django's TestCase, it runs where the test
commits or captures the commit callbacks: `django_capture_on_commit_callbacks(execute=True)`.) The database stays the source of truth: each kind of work also has
a periodic sweep that finds what is still to do (a document not yet signed, a checkpoint due),
so a lost message or a crashed worker delays work and never loses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


def after_commit(task: Callable[..., Any], *args: Any) -> None:
    """Queue `task(*args)` once the current transaction commits."""
    # robust: the step has committed; a queue that is down only delays the work (the sweeps).
    transaction.on_commit(lambda: task(*args), robust=True)


@db_periodic_task(crontab(minute="17", hour="3"))
def step_receipts_purge() -> int:
    """Idempotency receipts older than any client would still retry with."""
    from zhifa.core.models import StepReceipt

    cutoff = timezone.now() - dt.timedelta(hours=settings.ZHIFA_IDEMPOTENCY_HOURS)
    deleted, _ = StepReceipt.objects.filter(at__lt=cutoff).delete()
    return deleted
