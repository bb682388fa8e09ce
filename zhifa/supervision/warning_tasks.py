"""预警 and 备案审查 on a schedule (zhifa.core.tasks; imported by the app's ready() so the worker
knows them): every ten minutes the filings owed by newly decided or filed cases are opened and
the warning rules are evaluated incrementally (warning_services.warnings_run)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def supervision_warnings_run() -> str:
    from zhifa.supervision.filing_services import filings_sync
    from zhifa.supervision.warning_services import warnings_run

    opened = filings_sync()
    report = warnings_run()
    log.info("备案审查：新增待报备 %s 件；预警：%s", opened, report)
    return f"备案 {opened}；{report}"
