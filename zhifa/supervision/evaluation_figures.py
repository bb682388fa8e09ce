"""案卷评查 figures by agency for a year: files evaluated, their average score, the grades, the
vetoes and the rectifications; counted by grouped queries over the files of campaigns 通报ed in
the year. They feed the 年报's section 九、案卷评查 (an extension of zhifa.disclosure.annual) and
the yearly assessment (`by_agency`). Definitions: docs/supervision-evaluation.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from zhifa.disclosure.annual.extensions import Extension, install
from zhifa.disclosure.annual.period import Figures, Period, add, grouped
from zhifa.supervision.models_evaluation import EvaluationFile, Grade, Rectification, RectificationStatus

GRADES = [g.value for g in Grade]


def keys() -> list[str]:
    return (
        ["evaluation.files", "evaluation.score_cents", "evaluation.vetoed"]
        + [f"evaluation.grade.{g}" for g in GRADES]
        + ["evaluation.rectifications", "evaluation.rectified"]
    )


def _files(agency_ids: Sequence[int], period: Period) -> Any:
    return EvaluationFile.objects.filter(
        agency_id__in=agency_ids,
        score__isnull=False,
        campaign__finished_at__gte=period.start,
        campaign__finished_at__lt=period.end,
    )


def figures(out: dict[int, Figures], period: Period) -> None:
    agencies = list(out)
    aggregates: dict[str, Any] = {
        "files": Count("pk"),
        "score": Sum("score"),
        "vetoed": Count("pk", filter=Q(vetoed=True)),
    }
    aggregates.update({f"g_{g}": Count("pk", filter=Q(grade=g)) for g in GRADES})
    for row in grouped(_files(agencies, period), **aggregates):
        pk = row["agency_id"]
        add(out, pk, "evaluation.files", row["files"])
        add(out, pk, "evaluation.score_cents", int(Decimal(row["score"] or 0) * 100))
        add(out, pk, "evaluation.vetoed", row["vetoed"])
        for g in GRADES:
            add(out, pk, f"evaluation.grade.{g}", row[f"g_{g}"])
    rects = Rectification.objects.filter(
        agency_id__in=agencies,
        file__campaign__finished_at__gte=period.start,
        file__campaign__finished_at__lt=period.end,
    )
    for row in grouped(rects, n=Count("pk"), done=Count("pk", filter=Q(status=RectificationStatus.ACCEPTED))):
        add(out, row["agency_id"], "evaluation.rectifications", row["n"])
        add(out, row["agency_id"], "evaluation.rectified", row["done"])


def average(f: Figures) -> Decimal | None:
    files = f["evaluation.files"]
    return (Decimal(f["evaluation.score_cents"]) / 100 / files).quantize(Decimal("0.1")) if files else None


def section(f: Figures) -> dict[str, Any]:
    """九、案卷评查 of the 年报 (the same shape as its other sections)."""
    avg = average(f)
    rows = [
        {"label": "评查案卷", "value": f["evaluation.files"], "unit": "件", "kind": "int"},
        {"label": "平均得分", "value": None if avg is None else str(avg), "unit": "分", "kind": "percent"},
    ]
    rows += [
        {"label": f"评为{g.label}", "value": f[f"evaluation.grade.{g.value}"], "unit": "件", "kind": "int"}
        for g in Grade
    ]
    rows += [
        {"label": "触发一票否决", "value": f["evaluation.vetoed"], "unit": "件", "kind": "int"},
        {"label": "下发整改", "value": f["evaluation.rectifications"], "unit": "件", "kind": "int"},
        {"label": "整改已确认", "value": f["evaluation.rectified"], "unit": "件", "kind": "int"},
    ]
    return {
        "key": "evaluation",
        "title": "九、案卷评查",
        "rows": rows,
        "tables": [],
        "charts": [
            {
                "type": "bar",
                "title": "评查等次（件）",
                "unit": "件",
                "labels": [g.label for g in Grade],
                "values": [f[f"evaluation.grade.{g.value}"] for g in Grade],
            }
        ],
    }


def by_agency(*, agency_ids: Sequence[int], year: int) -> dict[int, dict[str, Any]]:
    """For the yearly assessment: each agency's files, average score and grade counts."""
    import datetime as dt

    from zhifa.disclosure.annual.period import SHANGHAI

    period = Period(year=year, as_of=dt.datetime(year + 1, 1, 1, tzinfo=SHANGHAI))
    out: dict[int, Figures] = {pk: dict.fromkeys(keys(), 0) for pk in agency_ids}
    figures(out, period)
    return {pk: {**f, "evaluation.average": average(f)} for pk, f in out.items()}


def register() -> None:
    install(Extension("evaluation", keys, figures, section))
