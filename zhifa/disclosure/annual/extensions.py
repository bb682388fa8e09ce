"""Sections of the 年报 that apps above disclosure contribute (行政检查 from `inspections`).

Disclosure knows nothing of those apps; each installs an Extension from its AppConfig.ready():
the figure keys it adds (every agency starts at zero for them), a function that counts them per
agency for a period (grouped queries, like figures.py), and the display section built from the
totals. The snapshot, its pages and exports then carry the section like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from zhifa.disclosure.annual.period import Figures, Period


@dataclass(frozen=True)
class Extension:
    name: str
    keys: Callable[[], list[str]]
    figures: Callable[[dict[int, Figures], Period], None]
    section: Callable[[Figures], dict[str, Any]]


_installed: dict[str, Extension] = {}


def install(extension: Extension) -> None:
    _installed[extension.name] = extension


def installed() -> list[Extension]:
    return list(_installed.values())
