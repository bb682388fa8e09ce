"""A separate process that ingests an endless upload until it is killed (test_robustness).

Run as `python -m zhifa.evidence.tests.ingest_worker` with DATABASE_URL and ZHIFA_VAR_DIR set
to a scratch file database and directory: it migrates, makes an agency, a head and a case,
adds one complete item (so the log has a leaf and a checkpoint), prints READY, then streams
an upload that never ends into evidence_add.
"""

from __future__ import annotations

import os
import sys
import time


class Endless:
    """An upload that keeps coming: random-looking bytes, a little at a time."""

    def __init__(self) -> None:
        self.chunk = os.urandom(1024 * 1024)

    def read(self, size: int = -1) -> bytes:
        time.sleep(0.002)
        return self.chunk


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from zhifa.accounts.models import Role
    from zhifa.cases import services as cases
    from zhifa.cases.tests.steps import party
    from zhifa.evidence import storage
    from zhifa.evidence.services import Metadata, evidence_add
    from zhifa.evidence.tests.helpers import staged
    from zhifa.ledger.services import checkpoint_make
    from zhifa.testing.factories import AgencyFactory, make_user

    agency = AgencyFactory(document_abbr="测试")
    head = make_user(Role.HEAD, agency=agency, full_name="局长")
    case = cases.case_register_clue(
        actor=head,
        agency=agency,
        received_on=timezone.localdate(),
        source="complaint",
        cause="涉嫌拖欠工资案",
        clue_summary="投诉。",
        **party(organisation=True),
    )
    meta = Metadata(
        kind="audiovisual",
        title="执法记录仪视频",
        proves="现场检查过程",
        collected_at=timezone.now(),
        place="人民路 1 号",
        collector=head.officer,  # type: ignore[attr-defined]
    )
    evidence_add(actor=head, case=case, staged=staged(b"first, complete"), meta=meta, original_name="a.mp4")
    checkpoint_make(reason="before the kill")
    print("READY", storage.staging_dir(), flush=True)
    evidence_add(
        actor=head, case=case, staged=storage.stage_stream(Endless()), meta=meta, original_name="b.mp4"
    )  # type: ignore[arg-type]
    print("UNREACHABLE", flush=True)
    sys.exit(3)


if __name__ == "__main__":
    main()
