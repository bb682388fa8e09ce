"""Evidence work off the request (zhifa.core.tasks): thumbnails and poster frames."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=2, retry_delay=30)
def evidence_derivatives(blob_pk: int, content_type: str) -> None:
    """A photo's thumbnail or a video's poster frame, for display (the original is the evidence)."""
    from zhifa.evidence import derivatives
    from zhifa.evidence.models import Blob

    blob = Blob.objects.filter(pk=blob_pk).first()
    if blob is not None:
        derivatives.make_for(blob, content_type)
