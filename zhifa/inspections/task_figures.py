"""行政检查 figures: plans, draws, completion rate, problem rate, transfers to cases, by agency and
by item; 双随机 tasks and the other kinds (专项检查, 投诉举报核查, 上级交办) are counted apart.

The per-agency counts are grouped queries (never a loop over tasks), so a 司法局's aggregate is
the sum of its agencies'. They feed the 年报's section 八、行政检查 (installed as an extension of
zhifa.disclosure.annual) and the staff statistics page. Definitions are in docs/inspections.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q

from zhifa.disclosure.annual.extensions import Extension, install
from zhifa.disclosure.annual.period import Figures, Period, add, grouped
from zhifa.inspections.models import (
    PROBLEM_RESULTS,
    Draw,
    DrawAssignment,
    InspectionTask,
    InspectionWarning,
    Plan,
    TaskKind,
    TaskResult,
)

GROUPS = {"random": "双随机抽查", "other": "专项检查、投诉举报核查和上级交办"}


def keys() -> list[str]:
    result = ["inspections.plans", "inspections.draws", "inspections.drawn"]
    for group in GROUPS:
        result += [f"inspections.{group}.{k}" for k in ("tasks", "done", "problems", "transferred")]
    result += [f"inspections.result.{r}" for r in TaskResult.values]
    result += ["inspections.warnings", "inspections.window_due", "inspections.window_on_time"]
    return result


def _group(kind_field: str = "kind") -> dict[str, Q]:
    return {"random": Q(**{kind_field: TaskKind.RANDOM}), "other": ~Q(**{kind_field: TaskKind.RANDOM})}


def figures(out: dict[int, Figures], period: Period) -> None:
    agencies = list(out)
    for row in grouped(
        Plan.objects.filter(agency_id__in=agencies), plans=Count("pk", filter=period.moments("published_at"))
    ):
        add(out, row["agency_id"], "inspections.plans", row["plans"])
    for row in grouped(
        Draw.objects.filter(
            plan__agency_id__in=agencies, drawn_at__gte=period.start, drawn_at__lt=period.end
        ),
        "plan__agency_id",
        draws=Count("pk"),
    ):
        add(out, row["plan__agency_id"], "inspections.draws", row["draws"])
    for row in grouped(
        DrawAssignment.objects.filter(
            draw__plan__agency_id__in=agencies,
            draw__drawn_at__gte=period.start,
            draw__drawn_at__lt=period.end,
        ),
        "draw__plan__agency_id",
        drawn=Count("pk"),
    ):
        add(out, row["draw__plan__agency_id"], "inspections.drawn", row["drawn"])
    tasks = InspectionTask.objects.filter(agency_id__in=agencies)
    done = period.days("concluded_on")
    problems = done & Q(result__in=PROBLEM_RESULTS)
    transferred = Q(case__isnull=False) & Q(
        case__received_on__gte=period.first, case__received_on__lte=period.last
    )
    for group, kind in _group().items():
        for row in grouped(
            tasks.filter(kind),
            opened=Count("pk", filter=period.moments("created_at")),
            done=Count("pk", filter=done),
            problems=Count("pk", filter=problems),
            transferred=Count("pk", filter=transferred),
        ):
            pk = row["agency_id"]
            add(out, pk, f"inspections.{group}.tasks", row["opened"])
            add(out, pk, f"inspections.{group}.done", row["done"])
            add(out, pk, f"inspections.{group}.problems", row["problems"])
            add(out, pk, f"inspections.{group}.transferred", row["transferred"])
    for row in tasks.filter(done).values("agency_id", "result").annotate(n=Count("pk")).order_by():
        add(out, row["agency_id"], f"inspections.result.{row['result']}", row["n"])
    for row in grouped(
        InspectionWarning.objects.filter(agency_id__in=agencies, year=period.year), n=Count("pk")
    ):
        add(out, row["agency_id"], "inspections.warnings", row["n"])
    # Completed within the 检查期间: the tasks whose period ended in the year (up to the cut-off
    # day), and those of them with a result dated on or before its last day.
    ended = Q(valid_until__gte=period.first, valid_until__lte=min(period.last, period.cutoff_day))
    for row in grouped(
        tasks.filter(ended),
        due=Count("pk"),
        on_time=Count("pk", filter=Q(concluded_on__isnull=False, concluded_on__lte=F("valid_until"))),
    ):
        add(out, row["agency_id"], "inspections.window_due", row["due"])
        add(out, row["agency_id"], "inspections.window_on_time", row["on_time"])


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _row(label: str, value: Any, unit: str) -> dict[str, Any]:
    kind = "percent" if unit == "%" else "int"
    shown = None if value is None else str(value) if kind == "percent" else value
    return {"label": label, "value": shown, "unit": unit, "kind": kind}


def section(f: Figures) -> dict[str, Any]:
    """八、行政检查 of the 年报 (the same shape as its other sections)."""
    rows = [
        _row("公布抽查计划", f["inspections.plans"], "项"),
        _row("完成随机抽取", f["inspections.draws"], "次"),
        _row("抽中检查对象", f["inspections.drawn"], "户"),
    ]
    for group, label in GROUPS.items():
        tasks, done = f[f"inspections.{group}.tasks"], f[f"inspections.{group}.done"]
        problems = f[f"inspections.{group}.problems"]
        rows += [
            _row(f"{label}：检查任务", tasks, "件"),
            _row(f"{label}：已作出检查结果", done, "件"),
            _row(f"{label}：完成率", percent(done, tasks), "%"),
            _row(f"{label}：发现问题", problems, "件"),
            _row(f"{label}：问题发现率", percent(problems, done), "%"),
            _row(f"{label}：移送立案", f[f"inspections.{group}.transferred"], "件"),
        ]
    due, on_time = f["inspections.window_due"], f["inspections.window_on_time"]
    rows += [
        _row("检查期间已届满的任务", due, "件"),
        _row("其中在检查期间内作出结果", on_time, "件"),
        _row("检查期间内完成率", percent(on_time, due), "%"),
    ]
    rows.append(_row("无事不扰预警（超频次检查、未出示检查码）", f["inspections.warnings"], "条"))
    return {
        "key": "inspections",
        "title": "八、行政检查",
        "rows": rows,
        "tables": [
            {
                "title": "检查结果（件）",
                "columns": ["检查结果", "件数"],
                "rows": [[r.label, f[f"inspections.result.{r.value}"]] for r in TaskResult],
            }
        ],
        "charts": [
            {
                "type": "bar",
                "title": "检查结果（件）",
                "unit": "件",
                "labels": [r.label for r in TaskResult],
                "values": [f[f"inspections.result.{r.value}"] for r in TaskResult],
            }
        ],
    }


def register() -> None:
    install(Extension("inspections", keys, figures, section))


# ── the staff statistics page: by agency and by item ────────────────────────────────────


@dataclass(frozen=True)
class Line:
    label: str
    tasks: int
    done: int
    problems: int
    transferred: int

    @property
    def completion(self) -> Decimal | None:
        return percent(self.done, self.tasks)

    @property
    def problem_rate(self) -> Decimal | None:
        return percent(self.problems, self.done)


def _lines(rows: Any, label_of: dict[Any, str], key: str) -> list[Line]:
    return [
        Line(label_of.get(r[key], str(r[key])), r["tasks"], r["done"], r["problems"], r["transferred"])
        for r in rows
    ]


def by_agency_and_item(
    *, agency_ids: Sequence[int], period: Period, random_only: bool | None = None
) -> dict[str, Any]:
    """Tasks opened in the year with what became of them, by agency and by item (a task with two
    items counts once for each)."""
    from zhifa.catalog.models import InspectionItem
    from zhifa.org.models import Agency

    tasks = InspectionTask.objects.filter(agency_id__in=agency_ids).filter(period.moments("created_at"))
    if random_only is True:
        tasks = tasks.filter(kind=TaskKind.RANDOM)
    elif random_only is False:
        tasks = tasks.exclude(kind=TaskKind.RANDOM)
    measures = {
        "tasks": Count("pk", distinct=True),
        "done": Count("pk", filter=Q(result__gt=""), distinct=True),
        "problems": Count("pk", filter=Q(result__in=PROBLEM_RESULTS), distinct=True),
        "transferred": Count("pk", filter=Q(case__isnull=False), distinct=True),
    }
    agency_rows = tasks.values("agency_id").annotate(**measures).order_by("agency_id")
    item_rows = tasks.values("items__pk").annotate(**measures).order_by("items__pk")
    agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    items = {
        pk: f"{code} {name}"
        for pk, code, name in InspectionItem.objects.filter(
            pk__in=[r["items__pk"] for r in item_rows if r["items__pk"]]
        ).values_list("pk", "code", "name")
    }
    by_agency = _lines(agency_rows, agencies, "agency_id")
    by_item = _lines([r for r in item_rows if r["items__pk"]], items, "items__pk")
    return {
        "by_agency": by_agency,
        "by_item": by_item,
        "charts": [
            _rate_chart("各执法主体问题发现率（%）", by_agency),
            _rate_chart("各检查事项问题发现率（%）", by_item),
        ],
    }


def _rate_chart(title: str, lines: list[Line]) -> dict[str, Any]:
    return {
        "type": "bar",
        "title": title,
        "unit": "%",
        "labels": [line.label for line in lines],
        "values": [str(line.problem_rate or 0) for line in lines],
    }
