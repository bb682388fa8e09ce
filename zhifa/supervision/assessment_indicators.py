"""How each 考核指标 is computed from an agency's year of figures, keyed by the indicator's code.

The figures are the 年报's per-agency figures (zhifa.disclosure.annual.figures.figures_by_agency,
which includes 九、案卷评查 through its extension), so the assessment counts what the 年报
publishes. Each computation returns (value, basis): the raw value as a percentage (or the score)
and the denominator it rests on; a basis of 0 means "no data" and the indicator is left out of
that agency's total (the total is scaled to the points of the indicators that apply).

The points, direction and target of each indicator are rows (models_assessment.Indicator); the
default set below is loaded by the data migration and by `assessment_default_set()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhifa.cases.models import Procedure, RemedyKind

Figures = dict[str, Any]
HUNDRED = Decimal(100)
Q2 = Decimal("0.01")


def _rate(part: int | Decimal, whole: int | Decimal) -> tuple[Decimal | None, int]:
    if not whole:
        return None, 0
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Q2, ROUND_HALF_UP), int(whole)


def decided_on_time(f: Figures) -> tuple[Decimal | None, int]:
    decided = f[f"cases.procedure.{Procedure.GENERAL}"] + f[f"cases.procedure.{Procedure.ON_THE_SPOT}"]
    return _rate(decided - f["cases.decided_late"], decided)


def review_coverage(f: Figures) -> tuple[Decimal | None, int]:
    return _rate(f["review.reviewed"], f["review.submitted"])


def publication_on_time(f: Figures) -> tuple[Decimal | None, int]:
    due = f["publication.published"] + f["publication.overdue_unpublished"]
    return _rate(f["publication.on_time"], due)


def correction_rate(f: Figures) -> tuple[Decimal | None, int]:
    corrected = sum(f[f"remedies.{k}.corrected"] for k in RemedyKind.values)
    return _rate(corrected, f["cases.concluded"])


def litigation_loss_rate(f: Figures) -> tuple[Decimal | None, int]:
    return _rate(
        f[f"remedies.{RemedyKind.LITIGATION}.corrected"], f[f"remedies.{RemedyKind.LITIGATION}.concluded"]
    )


def certificate_coverage(f: Figures) -> tuple[Decimal | None, int]:
    return _rate(f["officers.certified"], f["officers.active"])


def evaluation_average(f: Figures) -> tuple[Decimal | None, int]:
    files = f.get("evaluation.files", 0)
    if not files:
        return None, 0
    return (Decimal(f["evaluation.score_cents"]) / 100 / files).quantize(Q2, ROUND_HALF_UP), int(files)


def training_hours(f: Figures) -> tuple[Decimal | None, int]:
    """The active officers' training hours of the year per officer, as a share of the
    jurisdiction's yearly requirement (`training_hours_per_year`, 三湖政办〔2024〕3号: 60)."""
    active, required = f["officers.active"], Decimal(f["training.required"])
    if not active or required <= 0:
        return None, 0
    return _rate(Decimal(f["training.hours"]) / active, required)[0], int(active)


def inspection_on_time(f: Figures) -> tuple[Decimal | None, int]:
    return _rate(f["inspections.window_on_time"], f["inspections.window_due"])


def clue_on_time(f: Figures) -> tuple[Decimal | None, int]:
    return _rate(f["clues.on_time"], f["clues.concluded"])


COMPUTE: dict[str, Callable[[Figures], tuple[Decimal | None, int]]] = {
    "decided_on_time": decided_on_time,
    "review_coverage": review_coverage,
    "publication_on_time": publication_on_time,
    "correction_rate": correction_rate,
    "litigation_loss_rate": litigation_loss_rate,
    "certificate_coverage": certificate_coverage,
    "evaluation_average": evaluation_average,
    "training_hours": training_hours,
    "inspection_on_time": inspection_on_time,
    "clue_on_time": clue_on_time,
}

DEFAULT_VERSION = "2026-1"
DEFAULT_TITLE = "行政执法工作年度考核指标"
DEFAULT_SOURCE = "000 三(一)、四13（考核、预警、监测）；004 (四)（行政执法监督、案卷评查）"
# code, name, points, direction, target, unit, source
DEFAULT_INDICATORS: list[tuple[str, str, str, str, str, str, str]] = [
    ("decided_on_time", "按期作出决定率", "20", "higher", "100", "%", "《行政处罚法》第六十条；000 四13"),
    ("review_coverage", "法制审核完成率", "15", "higher", "100", "%", "《行政处罚法》第五十八条；001"),
    ("publication_on_time", "按时公示率", "15", "higher", "100", "%", "《行政处罚法》第四十八条；000 三(一)"),
    ("correction_rate", "纠错率", "15", "lower", "10", "%", "004 (二)4（败诉、纠错分析）"),
    ("litigation_loss_rate", "行政诉讼败诉率", "10", "lower", "20", "%", "004 (二)4"),
    (
        "certificate_coverage",
        "执法人员持证率",
        "10",
        "higher",
        "100",
        "%",
        "《行政处罚法》第四十二条；000 三(一)",
    ),
    ("evaluation_average", "案卷评查平均得分", "15", "higher", "90", "分", "004 (四)3"),
]


def indicator_rows(indicator_model: Any, indicator_set: Any, rows: Sequence[tuple[str, ...]]) -> list[Any]:
    """Unsaved Indicator rows of a set from (code, name, points, direction, target, unit, source)
    tuples; the model is passed so the data migrations can give their historical one."""
    return [
        indicator_model(
            indicator_set=indicator_set,
            code=code,
            name=name,
            points=Decimal(points),
            direction=direction,
            target=Decimal(target),
            unit=unit,
            source=source,
            order=i,
        )
        for i, (code, name, points, direction, target, unit, source) in enumerate(rows)
    ]


# The set of version 2 (migration 0009_assessment_set_2): the three indicators above join, the
# weights are spread over ten, and an agency whose indicators with data carry less than half the
# points is shown but not ranked (`IndicatorSet.min_coverage`).
SECOND_VERSION = "2026-2"
SECOND_MIN_COVERAGE = "50"
SECOND_INDICATORS: list[tuple[str, str, str, str, str, str, str]] = [
    ("decided_on_time", "按期作出决定率", "15", "higher", "100", "%", "《行政处罚法》第六十条；000 四13"),
    ("review_coverage", "法制审核完成率", "10", "higher", "100", "%", "《行政处罚法》第五十八条；001"),
    ("publication_on_time", "按时公示率", "10", "higher", "100", "%", "《行政处罚法》第四十八条；000 三(一)"),
    ("correction_rate", "纠错率", "10", "lower", "10", "%", "004 (二)4（败诉、纠错分析）"),
    ("litigation_loss_rate", "行政诉讼败诉率", "10", "lower", "20", "%", "004 (二)4"),
    (
        "certificate_coverage",
        "执法人员持证率",
        "10",
        "higher",
        "100",
        "%",
        "《行政处罚法》第四十二条；000 三(一)",
    ),
    ("evaluation_average", "案卷评查平均得分", "10", "higher", "90", "分", "004 (四)3"),
    (
        "training_hours",
        "人均培训学时完成率",
        "5",
        "higher",
        "100",
        "%",
        "三湖政办〔2024〕3号（每人每年不少于60学时）",
    ),
    (
        "inspection_on_time",
        "行政检查按期完成率",
        "10",
        "higher",
        "100",
        "%",
        "000 四13；检查期间内作出检查结果",
    ),
    ("clue_on_time", "监督线索按期办理率", "10", "higher", "100", "%", "004 (四)4（依法及时核查处理）"),
]


def points_for(value: Decimal, *, points: Decimal, direction: str, target: Decimal) -> Decimal:
    """HIGHER: points × min(1, value/target). LOWER: points × max(0, 1 − value/target)."""
    ratio = value / target
    share = min(Decimal(1), ratio) if direction == "higher" else max(Decimal(0), 1 - ratio)
    return (points * share).quantize(Q2, ROUND_HALF_UP)
