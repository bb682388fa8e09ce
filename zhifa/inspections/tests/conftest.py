"""Fixtures of the inspections tests (the task world: zhifa.inspections.tests.task_world)."""

from zhifa.inspections.tests.task_world import tw  # noqa: F401
