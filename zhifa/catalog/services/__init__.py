"""Writes to the matter catalog (立改废 with history) and the law library.

The discretion benchmarks and the four lists are written by `benchmarks`, the random-inspection
item list by `inspections` (modules of this package).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.catalog import lawtext, policies
from zhifa.catalog.models import (
    AVLevel,
    BasisRole,
    Law,
    LawArticle,
    LegalBasis,
    Matter,
    MatterKind,
    MatterVersion,
    Stage,
)
from zhifa.catalog.selectors import law_article_lookup, matter_version_on
from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.validation import clean_or_raise
from zhifa.org.models import Agency, Officer
from zhifa.org.services import officer_ensure_can_enforce

if TYPE_CHECKING:
    from zhifa.accounts.models import User

# 音像记录事项清单 defaults: 全程 for acts touching property and freedom by force, 音像 where
# disputes are likely (the seeds' lists), text records elsewhere. Each matter may tighten them.
DEFAULT_AV_LEVELS = {
    Stage.ON_SITE: AVLevel.AV,
    Stage.INVESTIGATION: AVLevel.AV,
    Stage.SEIZURE: AVLevel.FULL,
    Stage.DEMOLITION: AVLevel.FULL,
    Stage.HEARING: AVLevel.AV,
    Stage.SERVICE_LEFT: AVLevel.AV,
    Stage.SERVICE_PUBLIC: AVLevel.AV,
    Stage.ENFORCEMENT: AVLevel.FULL,
    Stage.DECISION: AVLevel.TEXT,
}
# Stages where the law leaves no choice: they may not be recorded with less than 全程音像记录.
MANDATORY_FULL = {Stage.SEIZURE, Stage.DEMOLITION}
_AV_RANK = {AVLevel.TEXT: 0, AVLevel.AV: 1, AVLevel.FULL: 2}


def default_disclosure_workdays(kind: str) -> int:
    """7 working days for 行政许可 and 行政处罚, 20 for the others (the seeds' 事后公开 rule)."""
    return 7 if kind in (MatterKind.PENALTY, MatterKind.LICENSING) else 20


@dataclass(frozen=True)
class BasisInput:
    role: str
    law_title: str
    article_label: str


def _normalise_av_levels(levels: dict[str, str] | None) -> dict[str, str]:
    merged = {str(k): str(v) for k, v in DEFAULT_AV_LEVELS.items()}
    for stage, level in (levels or {}).items():
        if stage not in Stage.values:
            raise InvalidInput(f"执法环节“{stage}”不存在。")
        if level not in AVLevel.values:
            raise InvalidInput(f"记录方式“{level}”不存在，应为全程音像记录、音像记录或文字记录。")
        merged[stage] = level
    for stage in MANDATORY_FULL:
        if merged[stage] != AVLevel.FULL:
            raise InvalidInput(f"“{Stage(stage).label}”必须全程音像记录，不能降低记录要求。")
    return merged


def _write_version(
    matter: Matter, number: int, effective_from: dt.date, fields: dict[str, Any], bases: Iterable[BasisInput]
) -> MatterVersion:
    allowed = {
        "name",
        "kind",
        "domain",
        "description",
        "review_always_required",
        "av_levels",
        "disclosure_workdays",
        "change_note",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(f"执法事项没有这些字段：{'、'.join(sorted(unknown))}。")
    fields = dict(fields)
    fields["av_levels"] = _normalise_av_levels(fields.get("av_levels"))
    if "disclosure_workdays" not in fields and fields.get("kind"):
        fields["disclosure_workdays"] = default_disclosure_workdays(fields["kind"])
    version = MatterVersion(matter=matter, version=number, effective_from=effective_from, **fields)
    clean_or_raise(version, exclude=["matter"])
    version.save()
    bases = list(bases)
    if version.kind == MatterKind.PENALTY and not bases:
        raise InvalidInput(
            "行政处罚事项须登记法律依据（《行政处罚法》第四条：依照法律、法规、规章规定实施）。"
        )
    for basis in bases:
        if basis.role not in BasisRole.values:
            raise InvalidInput(f"依据类别“{basis.role}”不存在。")
        if not basis.law_title.strip() or not basis.article_label.strip():
            raise InvalidInput("法律依据须写明法律法规名称和条款。")
        LegalBasis.objects.create(
            version=version,
            role=basis.role,
            law_title=basis.law_title.strip().strip("《》"),
            article_label=basis.article_label.strip(),
            article=law_article_lookup(basis.law_title, basis.article_label),
        )
    return version


@transaction.atomic
def matter_create(
    *,
    actor: User | None,
    agency: Agency,
    code: str,
    effective_from: dt.date,
    bases: Iterable[BasisInput] = (),
    **fields: Any,
) -> Matter:
    if actor is not None:
        policies.ensure_can_manage_matters(actor, agency)
    code = code.strip()
    if Matter.objects.filter(agency=agency, code=code).exists():
        raise InvalidInput(f"“{agency.name}”已有编码为“{code}”的执法事项。")
    matter = Matter(agency=agency, code=code)
    clean_or_raise(matter)
    matter.save()
    fields.setdefault("change_note", "新增事项")
    _write_version(matter, 1, effective_from, fields, bases)
    return matter


def _latest(matter: Matter) -> MatterVersion:
    latest = matter.versions.order_by("-version").first()
    assert latest is not None, "a matter always has a first version"
    return latest


def _end_latest_version(
    *, actor: User | None, matter: Matter, new_from: dt.date, note: str, action: str, note_missing: str
) -> tuple[Matter, MatterVersion]:
    """The guards 修改 and 废止 share; then the latest version ends the day before `new_from`."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if actor is not None:
        policies.ensure_can_manage_matters(actor, matter.agency)
    if matter.repealed_on is not None:
        raise DomainError(f"执法事项“{matter.code}”已于 {matter.repealed_on:%Y-%m-%d} 废止，不能再{action}。")
    if not note.strip():
        raise InvalidInput(note_missing)
    latest = _latest(matter)
    if new_from <= latest.effective_from:
        what = "新版本的施行日期" if action == "修改" else "废止日期"
        raise InvalidInput(f"{what}须晚于现行版本的施行日期（{latest.effective_from:%Y-%m-%d}）。")
    latest.effective_to = new_from - dt.timedelta(days=1)
    latest.save(update_fields=["effective_to", "updated_at"])
    return matter, latest


@transaction.atomic
def matter_amend(
    *,
    actor: User | None,
    matter: Matter,
    effective_from: dt.date,
    change_note: str,
    bases: Iterable[BasisInput] | None = None,
    **changes: Any,
) -> MatterVersion:
    """修改: a new version from `effective_from`; the previous one ends the day before and is kept."""
    matter, latest = _end_latest_version(
        actor=actor,
        matter=matter,
        new_from=effective_from,
        note=change_note,
        action="修改",
        note_missing="修改执法事项须写明修改说明（如依据的法律法规修改情况）。",
    )
    kind_changed = changes.get("kind", latest.kind) != latest.kind
    fields = {
        "name": latest.name,
        "kind": latest.kind,
        "domain": latest.domain,
        "description": latest.description,
        "review_always_required": latest.review_always_required,
        # A new kind brings its own default deadline unless one is given.
        **({} if kind_changed else {"disclosure_workdays": latest.disclosure_workdays}),
        **changes,
        # Levels not named keep the previous version's, not the defaults.
        "av_levels": {**latest.av_levels, **(changes.get("av_levels") or {})},
        "change_note": change_note.strip(),
    }
    if bases is None:
        bases = [BasisInput(b.role, b.law_title, b.article_label) for b in latest.bases.all()]
    return _write_version(matter, latest.version + 1, effective_from, fields, bases)


@transaction.atomic
def matter_repeal(*, actor: User | None, matter: Matter, effective_on: dt.date, reason: str) -> Matter:
    """废止: the matter stops applying from `effective_on`; its versions stay as history."""
    matter, _ = _end_latest_version(
        actor=actor,
        matter=matter,
        new_from=effective_on,
        note=reason,
        action="废止",
        note_missing="废止执法事项须写明理由。",
    )
    matter.repealed_on = effective_on
    matter.repeal_reason = reason.strip()
    matter.save(update_fields=["repealed_on", "repeal_reason", "updated_at"])
    return matter


def handler_ensure_eligible(*, officer: Officer, matter: Matter, on: dt.date | None = None) -> MatterVersion:
    """Guard for assigning a handler (承办人) to a case of this matter; returns the version in force.

    The officer must belong to the matter's agency and hold a certificate valid on the day
    whose enforcement domain covers the matter (《行政处罚法》第四十二条).
    """
    version = matter_version_on(matter, on)
    if version is None:
        raise DomainError(f"执法事项“{matter.code}”在该日期不在施行期内，不能据此立案。")
    if officer.agency_id != matter.agency_id:
        raise DomainError(
            f"{officer.name}不是“{matter.agency.name}”的执法人员，不能承办该机关的案件（《行政处罚法》第四十二条）。"
        )
    officer_ensure_can_enforce(officer=officer, domain=version.domain, on=on)
    return version


@dataclass(frozen=True)
class ImportResult:
    law: Law
    created: bool
    articles: int
    linked_bases: int


def law_files(path: Path) -> list[Path]:
    """The statute texts a path names: the file itself, or every *.md below a folder.

    The LawRefBook collection's blank template (法律法规模版.md) is not a law and is skipped.
    """
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*.md") if "模版" not in p.name)
    raise InvalidInput(f"路径“{path}”不存在。")


@transaction.atomic
def law_import(*, path: Path) -> ImportResult:
    """Import one statute file (idempotent per title and version date) and link citations to it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"无法读取“{path.name}”：{exc}") from exc
    parsed = lawtext.parse(text, name=path.name)
    law, created = Law.objects.get_or_create(
        title=parsed.title,
        version_date=parsed.version_date,
        defaults={"short_title": parsed.short_title, "history": parsed.history, "source_name": path.name},
    )
    if created:
        LawArticle.objects.bulk_create(
            LawArticle(
                law=law,
                position=i,
                number=a.number,
                label=a.label,
                chapter=a.chapter,
                section=a.section,
                text=a.text,
            )
            for i, a in enumerate(parsed.articles, start=1)
        )
    linked = 0
    for basis in LegalBasis.objects.filter(law_title__in=[law.title, law.short_title]):
        article = law_article_lookup(basis.law_title, basis.article_label)
        if article is not None and article.pk != basis.article_id:
            basis.article = article
            basis.save(update_fields=["article"])
            linked += 1
    return ImportResult(law, created, law.articles.count(), linked)
