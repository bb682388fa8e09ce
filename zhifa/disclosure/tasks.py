"""公示 work off the request and on a schedule (zhifa.core.tasks): the full-text index, the
drafts of decisions due for publication, and the index of what left display."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

log = logging.getLogger(__name__)


@db_task(retries=2, retry_delay=30)
def publication_index(pk: int) -> None:
    from zhifa.disclosure import services

    services.publication_index(pk=pk)


@db_periodic_task(crontab(minute="*/10"))
def publications_index_pending() -> int:
    """The sweep: published texts whose index task was lost."""
    from zhifa.disclosure.models import Publication, State

    count = 0
    for pk in Publication.objects.filter(state=State.PUBLISHED, search_text="").values_list("pk", flat=True):
        publication_index(pk)
        count += 1
    return count


@db_periodic_task(crontab(minute="5"))
def decision_drafts_prepare() -> int:
    """Every decision due for publication gets its redacted draft, ready for the administrator's
    review (第四十八条: the 7/20 working days run from the decision, not from a click)."""
    from zhifa.core.calendar import today
    from zhifa.disclosure import services
    from zhifa.org.models import Agency

    done = services.decision_drafts_prepare(agencies=Agency.objects.all(), on=today())
    for line in done.skipped:
        log.info("no draft: %s", line)
    return done.drafted


@db_periodic_task(crontab(minute="40", hour="2"))
def display_ends_unindex() -> int:
    from zhifa.core.calendar import today
    from zhifa.disclosure import services

    return services.publication_unindex_expired(on=today())
