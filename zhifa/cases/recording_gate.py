"""The AV-recording list (音像记录事项清单) as a seam, like review_gate.

A case step that the list names (an inspection record: 现场执法; an inquiry record: 调查取证;
the seizure or preservation it carries out: 查封扣押; the hearing: 听证; service by leaving
or public notice: 留置送达 / 公告送达; the application for enforcement: 强制执行) asks
`ensure_recorded(case, stage)`. The level comes from the case's matter version
(MatterVersion.av_levels). Whether the step is recorded is the evidence app's business: it
installs its provider with `install(provider)` from its AppConfig.ready(). Until then the
gate cannot see any recording and refuses every step that needs one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from zhifa.catalog.models import AVLevel, Stage
from zhifa.core.errors import DomainError

if TYPE_CHECKING:
    from zhifa.cases.models import Case


@dataclass(frozen=True)
class Coverage:
    stage: str
    level: str
    # Whether the step has what the level asks: an AV item (a whole-process one for `full`)
    # or an exception the head approved.
    met: bool
    recorded: bool
    exception_reason: str = ""

    @property
    def required(self) -> bool:
        return self.level in (AVLevel.FULL, AVLevel.AV)


class Provider(Protocol):
    def __call__(self, case: Case, stage: str, level: str) -> Coverage: ...


def level_for(case: Case, stage: str) -> str:
    version = case.matter_version
    return version.av_level(stage) if version is not None else AVLevel.TEXT


def _default(case: Case, stage: str, level: str) -> Coverage:
    required = level in (AVLevel.FULL, AVLevel.AV)
    return Coverage(stage, level, met=not required, recorded=False)


_provider: Provider = _default


def install(provider: Provider) -> Provider:
    """Use `provider` from now on; returns the one it replaces (so a test can put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def coverage(case: Case, stage: str) -> Coverage:
    return _provider(case, stage, level_for(case, stage))


def ensure_recorded(case: Case, stage: str) -> None:
    result = coverage(case, stage)
    if result.met:
        return
    label = Stage(stage).label
    if result.level == AVLevel.FULL:
        what = "全程音像记录（应附有记载起止时间的视听资料）"
    else:
        what = "音像记录（应附有视听资料）"
    raise DomainError(
        f"根据音像记录事项清单，本案执法事项的“{label}”环节应当{what}，"
        f"尚未上传该环节的视听资料，也没有经机关负责人批准的例外情形，不能办理此环节"
        "（《行政处罚法》第四十七条）。"
    )
