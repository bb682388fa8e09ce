"""Evidence work off the request and on a schedule (zhifa.core.tasks): thumbnails and poster
frames, and the staging files of killed uploads."""

from __future__ import annotations

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

# A staging file not written for this long belongs to no running upload.
STAGING_STALE = dt.timedelta(hours=24)


@db_task(retries=2, retry_delay=30)
def evidence_derivatives(blob_pk: int, content_type: str) -> None:
    """A photo's thumbnail or a video's poster frame, for display (the original is the evidence)."""
    from zhifa.evidence import derivatives
    from zhifa.evidence.models import Blob

    blob = Blob.objects.filter(pk=blob_pk).first()
    if blob is not None:
        derivatives.make_for(blob, content_type)


@db_periodic_task(crontab(minute="23"))
def staging_clean() -> int:
    """Uploads killed mid-way leave their staging file; an hourly sweep removes the stale ones."""
    from zhifa.evidence.services import evidence_staging_clean

    return evidence_staging_clean(older_than=STAGING_STALE).files
