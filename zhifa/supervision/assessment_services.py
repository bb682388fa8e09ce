"""Every write of 年度考核: the draft with its computed scores, the 审定, the 发布 with its 通报.

The steps (recompute, approve, publish) are taken by the step runner
(zhifa.supervision.assessment_workflow); their `perform` functions call the services here.
Scores: each indicator of the assessment's 考核指标 set is computed per agency from the 年报's
figures (assessment_indicators.COMPUTE) for the year and, the same way, for the year before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.core.errors import DomainError, InvalidInput
from zhifa.core.numbering import next_number
from zhifa.core.workflow import event_data
from zhifa.disclosure.annual.figures import figures_by_agency
from zhifa.disclosure.annual.period import SHANGHAI, Period
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency
from zhifa.supervision import assessment_ledger, policies
from zhifa.supervision.assessment_indicators import (
    COMPUTE,
    DEFAULT_INDICATORS,
    DEFAULT_SOURCE,
    DEFAULT_TITLE,
    DEFAULT_VERSION,
    indicator_rows,
    points_for,
)
from zhifa.supervision.models_assessment import Assessment, AssessmentEvent, Indicator, IndicatorSet

if TYPE_CHECKING:
    from zhifa.accounts.models import User

HUNDRED = Decimal(100)
Q2 = Decimal("0.01")


def assessment_event(
    assessment: Assessment, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> AssessmentEvent:
    """One event of an assessment, with its ledger leaf (the workflow's write_event)."""
    created = AssessmentEvent.objects.create(
        assessment=assessment,
        actor=actor,
        action=action,
        summary=summary[:300],
        reason=reason,
        data=event_data(data),
    )
    ledger_append(
        kind=assessment_ledger.EVENT,
        ref=assessment_ledger.event_ref(created.pk),
        payload=assessment_ledger.event_payload(created),
    )
    return created


# ── the indicator set (data) ──────────────────────────────────────────────────────────────


def assessment_default_set() -> IndicatorSet:
    """The default 考核指标 (version DEFAULT_VERSION), created once; the data migration loads it."""
    found = IndicatorSet.objects.filter(version=DEFAULT_VERSION).first()
    if found is not None:
        return found
    with transaction.atomic():
        made = IndicatorSet.objects.create(
            version=DEFAULT_VERSION,
            title=DEFAULT_TITLE,
            source=DEFAULT_SOURCE,
            is_current=not IndicatorSet.objects.filter(is_current=True).exists(),
        )
        Indicator.objects.bulk_create(indicator_rows(Indicator, made, DEFAULT_INDICATORS))
    return made


def current_set() -> IndicatorSet:
    found = IndicatorSet.objects.filter(is_current=True).order_by("-created_at", "-pk").first()
    return found if found is not None else assessment_default_set()


# ── the scores ────────────────────────────────────────────────────────────────────────────


def assessed_agencies(bureau: Agency) -> list[Agency]:
    """The enforcement agencies in the bureau's region (not the justice bureaus themselves)."""
    return list(
        Agency.objects.filter(region__path__startswith=bureau.region.path, is_justice_bureau=False).order_by(
            "name", "pk"
        )
    )


def _period(year: int) -> Period:
    end = dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    return Period(year=year, as_of=min(timezone.now(), end))


def assessment_figures(agency_ids: list[int], period: Period) -> dict[int, dict[str, Any]]:
    """The 年报's figures of each agency (with 行政检查 and 案卷评查 from their extensions), and
    the two the 年报 has not: the training hours of the active officers (the cockpit's sum) with
    the jurisdiction's yearly requirement, and the clues closed with those answered in time."""
    from zhifa.core import jurisdiction
    from zhifa.org.selectors import training_hours_by_agency
    from zhifa.supervision.clue_selectors import handling_times

    out = figures_by_agency(agency_ids, period)
    hours = training_hours_by_agency(agency_ids, first=period.first, last=period.last)
    required = jurisdiction.value("training_hours_per_year")
    last = min(period.last, period.cutoff_day)
    clues = handling_times(Agency.objects.filter(pk__in=agency_ids), (period.first, last))
    for pk in agency_ids:
        out[pk]["training.hours"] = hours[pk]
        out[pk]["training.required"] = required
        out[pk]["clues.concluded"] = clues[pk].closed
        out[pk]["clues.on_time"] = clues[pk].on_time
    return out


def _scores(
    indicators: Sequence[Indicator], figures: dict[str, Any]
) -> tuple[list[dict[str, Any]], Decimal | None, Decimal]:
    scores, earned, possible = [], Decimal(0), Decimal(0)
    for ind in indicators:
        compute = COMPUTE.get(ind.code)
        if compute is None:
            raise DomainError(f"考核指标“{ind.name}”（{ind.code}）没有计算方法，不能计算考核得分。")
        value, basis = compute(figures)
        pts = None
        if value is not None:
            pts = points_for(value, points=ind.points, direction=ind.direction, target=ind.target)
            earned += pts
            possible += ind.points
        scores.append({"code": ind.code, "value": value, "basis": basis, "points": pts})
    total = (earned * HUNDRED / possible).quantize(Q2, ROUND_HALF_UP) if possible else None
    return scores, total, possible


def _unranked_reason(possible: Decimal, all_points: Decimal, minimum: Decimal) -> str:
    """Why a total is shown but not ranked ("" when it is ranked): too few points rest on data."""
    if not possible or not all_points or possible * HUNDRED >= minimum * all_points:
        return ""
    return (
        f"有数据的指标分值合计 {plain(possible)} 分，不足全部分值 {plain(all_points)} 分的 "
        f"{plain(minimum)}%，列示得分但不参加排名"
    )


def compute(bureau: Agency, year: int, indicator_set: IndicatorSet) -> dict[str, Any]:
    """The snapshot: each agency's raw values and points for the year and the year before, the
    totals (scaled to 100 over the indicators with data), the ranking and the change."""
    indicators = list(indicator_set.indicators.all())
    all_points = sum((i.points for i in indicators), Decimal(0))
    agencies = assessed_agencies(bureau)
    ids = [a.pk for a in agencies]
    this, before = assessment_figures(ids, _period(year)), assessment_figures(ids, _period(year - 1))
    rows: list[dict[str, Any]] = []
    for agency in agencies:
        scores, total, possible = _scores(indicators, this[agency.pk])
        prev_scores, prev_total, _ = _scores(indicators, before[agency.pk])
        for s, p in zip(scores, prev_scores, strict=True):
            s["previous"] = p["value"]
            s["change"] = None if s["value"] is None or p["value"] is None else s["value"] - p["value"]
        rows.append(
            {
                "agency": agency.pk,
                "name": agency.name,
                "total": total,
                "previous_total": prev_total,
                "change": None if total is None or prev_total is None else total - prev_total,
                "coverage": (possible * HUNDRED / all_points).quantize(Q2, ROUND_HALF_UP)
                if all_points
                else None,
                "unranked": _unranked_reason(possible, all_points, indicator_set.min_coverage),
                "scores": scores,
            }
        )
    # Ranked totals first, then the totals shown but not ranked, then the agencies without data.
    rows.sort(key=lambda r: (r["total"] is None, bool(r["unranked"]), -(r["total"] or 0), r["name"]))
    ranked = [r for r in rows if r["total"] is not None and not r["unranked"]]
    for row in rows:
        row["rank"] = None
    for i, row in enumerate(ranked):
        row["rank"] = i + 1 if i == 0 or row["total"] != ranked[i - 1]["total"] else ranked[i - 1]["rank"]
    return event_data(
        {
            "year": year,
            "indicator_set": indicator_set.version,
            "min_coverage": plain(indicator_set.min_coverage),
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "points": plain(i.points),
                    "direction": i.direction,
                    "target": plain(i.target),
                    "unit": i.unit,
                    "source": i.source,
                }
                for i in indicators
            ],
            "rows": rows,
        }
    )


def plain(value: Decimal) -> str:
    """A weight or target as people write it: 20, 90, 12.5 (not 20.00, 1E+2)."""
    return format(value.normalize(), "f")


def digest(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(snapshot, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def assessment_create(*, actor: User, year: int) -> Assessment:
    """草拟: the bureau's assessment of the year, computed now (a supervisor of the bureau)."""
    bureau = policies.ensure_supervisor(actor)
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year:
        raise InvalidInput(f"考核年度应为 2000 年至 {this_year} 年。")
    with transaction.atomic():
        if Assessment.objects.filter(bureau=bureau, year=year).exists():
            raise DomainError(f"本局 {year} 年度的考核已经拟定，每个年度只考核一次；可在草拟阶段重新计算。")
        indicator_set = current_set()
        abbr = bureau.document_abbr or bureau.short_name or bureau.name
        number = f"{abbr}考核〔{year}〕{next_number(f'assessment:{bureau.pk}', year)}号"
        snapshot = compute(bureau, year, indicator_set)
        assessment = Assessment.objects.create(
            bureau=bureau,
            year=year,
            number=number,
            indicator_set=indicator_set,
            snapshot=snapshot,
            computed_at=timezone.now(),
            created_by=actor,
        )
        assessment_event(
            assessment,
            actor,
            "create",
            f"拟定 {year} 年度考核 {number}，考核 {len(snapshot['rows'])} 个执法主体",
            sha256=digest(snapshot),
        )
    return assessment


def assessment_recompute(*, assessment: Assessment) -> str:
    assessment.snapshot = compute(assessment.bureau, assessment.year, assessment.indicator_set)
    assessment.computed_at = timezone.now()
    assessment.save(update_fields=["snapshot", "computed_at", "updated_at"])
    return digest(assessment.snapshot)


def notice_content(assessment: Assessment) -> dict[str, Any]:
    snap = assessment.snapshot
    indicators = snap["indicators"]
    return {
        "title": f"关于{assessment.year}年度行政执法工作考核结果的通报",
        "assessment": {
            "number": assessment.number,
            "year": assessment.year,
            "previous_year": assessment.year - 1,
            "indicator_set": str(assessment.indicator_set),
            "source": assessment.indicator_set.source,
            "min_coverage": snap.get("min_coverage", "0"),
        },
        "indicators": [
            {
                "name": i["name"],
                "points": i["points"],
                "target": i["target"],
                "unit": i["unit"],
                "direction": "越低越好" if i["direction"] == "lower" else "越高越好",
            }
            for i in indicators
        ],
        "ranking": [
            {
                "rank": r["rank"] if r["rank"] is not None else ("不排名" if r.get("unranked") else "—"),
                "name": r["name"],
                "unranked": r.get("unranked", ""),
                "total": r["total"] if r["total"] is not None else "无数据",
                "previous_total": r["previous_total"] if r["previous_total"] is not None else "—",
                "change": r["change"] if r["change"] is not None else "—",
                "scores": [
                    {
                        "name": ind["name"],
                        "value": f"{s['value']}{ind['unit']}",
                        "previous": "—" if s["previous"] is None else f"{s['previous']}{ind['unit']}",
                        "points": s["points"],
                    }
                    for ind, s in zip(indicators, r["scores"], strict=True)
                    if s["value"] is not None
                ],
                "no_data": [
                    ind["name"] for ind, s in zip(indicators, r["scores"], strict=True) if s["value"] is None
                ],
            }
            for r in snap["rows"]
        ],
    }


def assessment_publish(*, assessment: Assessment, actor: User | None) -> Any:
    """发布: the signed 通报 in the bureau's name, with the ranking and each agency's scores."""
    from zhifa.documents.services import document_issue

    document = document_issue(
        actor=actor,
        agency=assessment.bureau,
        kind="assessment_notice",
        content=notice_content(assessment),
        subject_ref=assessment.subject_ref,
        subject_label=assessment.number,
    )
    assessment.notice = document
    assessment.published_at = timezone.now()
    assessment.save(update_fields=["notice", "published_at", "updated_at"])
    return document
