"""A seam: who is told, in the same transaction, that a 裁量基准 was made, amended or repealed.

The catalog knows nothing of the apps above it (DESIGN §2). zhifa.supervision installs its
filing service from its AppConfig.ready(): a changed benchmark opens its 行政裁量权基准备案 with the
supervising 司法局 (004 (四)3). A listener must be idempotent for the same benchmark and action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[..., Any]
_listeners: list[Listener] = []


def install(listener: Listener) -> Listener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def benchmark_changed(*, actor: Any, benchmark: Any, action: str) -> None:
    """Called by the benchmark services after their write (action: create, amend, repeal)."""
    for listener in _listeners:
        listener(actor=actor, benchmark=benchmark, action=action)
