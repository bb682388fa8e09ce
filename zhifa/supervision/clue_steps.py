"""The steps of a clue, declared once each and taken by the runner (zhifa.core.workflow)."""

from __future__ import annotations

from typing import Any

STEPS: list[Any] = []
