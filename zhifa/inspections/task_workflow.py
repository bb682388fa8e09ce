"""The inspection task on the step runner (zhifa.core.workflow): the HTML views, the JSON API and the
demo all take its steps through `take()` / `run()`; the task page and the API list `next_steps()`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from zhifa.core import workflow as runner
from zhifa.inspections import task_ledger, task_policies, task_services
from zhifa.inspections.models import InspectionTask

if TYPE_CHECKING:
    from zhifa.accounts.models import User

TASKS: runner.Workflow[InspectionTask] = runner.Workflow(
    name="inspection_tasks",
    model=InspectionTask,
    noun="检查任务",
    ensure_participant=task_policies.ensure_participant,
    write_event=task_services.task_event,
    settle=task_ledger.task_append,
)


def register() -> None:
    """Called once from the app's ready(): the steps and the ledger kinds."""
    from zhifa.inspections import task_publication  # noqa: F401  (its queue tasks, for the worker)
    from zhifa.inspections.task_steps import STEPS

    if not TASKS.steps:
        TASKS.add(STEPS)
    task_ledger.register()
    from zhifa.inspections import task_figures

    task_figures.register()  # 八、行政检查 in the 年报


def take(code: str, *, actor: User, task: InspectionTask, on: dt.date | None = None, **data: Any) -> Any:
    return TASKS.take(code, task, actor=actor, on=on, **data)


next_steps = TASKS.next_steps
