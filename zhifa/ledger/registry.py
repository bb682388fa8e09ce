"""How each kind of leaf is rebuilt from the records as they are stored now.

The app that owns a record registers, in its AppConfig.ready(), the function that builds the
payloads of its leaves: given refs ("<app_label>.<model>:<pk>"), it returns {ref: payload} for
those that still exist. The same function builds the payload at append time, so
`zhifa ledger verify` compares like with like. `existing` (optional) lists every record of the
kind that should have a leaf, oldest first, as (time, ref): verify uses it to find records
written behind the application's back, `zhifa ledger backfill` to append the ones of an older
database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Payloads = Callable[[Sequence[str]], Mapping[str, dict[str, Any]]]
Existing = Callable[[], Iterable[tuple[dt.datetime, str]]]


@dataclass(frozen=True)
class Kind:
    name: str
    payloads: Payloads
    existing: Existing | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: str, payloads: Payloads, *, existing: Existing | None = None) -> None:
    _KINDS[kind] = Kind(kind, payloads, existing)


def get(kind: str) -> Kind | None:
    return _KINDS.get(kind)


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def ref_pk(ref: str) -> int:
    """The primary key in "<app_label>.<model>:<pk>"."""
    return int(ref[ref.rindex(":") + 1 :])
