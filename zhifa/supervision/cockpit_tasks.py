"""The task worker keeps the cockpit's projection current: every minute it reads the case events
since the last refresh (zhifa.supervision.cockpit_projection). Idempotent, so one or many
schedulers give the same result."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhifa.supervision.cockpit_projection import cockpit_refresh


@db_periodic_task(crontab(minute="*"))
def cockpit_refresh_periodic() -> None:
    # A backlog larger than one run's limit is read over the next runs.
    cockpit_refresh()
