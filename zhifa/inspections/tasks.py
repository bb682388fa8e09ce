"""Background work of the inspections app (zhifa.core.tasks): the registry import."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task()
def registry_import(import_id: int) -> None:
    from zhifa.inspections import services

    services.registry_import_run(import_id=import_id)
