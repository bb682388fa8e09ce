"""The 年报 as a document: scope, due date and status, and the snapshot the portal publishes.

The snapshot is plain JSON (figures plus display sections); the staff page, the public page, the
PDF and the XLSX all render from it, so what was approved is exactly what every export shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhifa.cases.models import Procedure, RemedyKind, RemedyResult
from zhifa.catalog.models import MatterKind
from zhifa.core import jurisdiction
from zhifa.disclosure.annual import extensions
from zhifa.disclosure.annual.figures import (
    CONCLUSIONS,
    MONEY_KEYS,
    Figures,
    Period,
    figures_by_agency,
    total,
)
from zhifa.org.models import Agency

SCHEMA = "zhifa.annual/1"


@dataclass(frozen=True)
class Scope:
    """One agency's own report, or a 司法局's aggregate of every agency in its region and below."""

    agency: Agency
    aggregate: bool = False

    def agencies(self) -> QuerySet[Agency]:
        if self.aggregate:
            return Agency.objects.filter(region__path__startswith=self.agency.region.path)
        return Agency.objects.filter(pk=self.agency.pk)

    def subject(self, year: int) -> str:
        return f"annual:{year}:all" if self.aggregate else f"annual:{year}"

    @property
    def label(self) -> str:
        return f"{self.agency.name}（辖区汇总）" if self.aggregate else self.agency.name

    def title(self, year: int) -> str:
        return f"{self.label}{year}年度行政执法统计年报"


def due_on(year: int) -> dt.date:
    """The report for a year is due on 1 月 N 日 of the next (annual_report_due_day, default 31:
    浙江省统计局实施办法“每年1月31日前公开本部门上年度行政执法总体情况有关数据”)."""
    day = min(int(jurisdiction.value("annual_report_due_day")), 31)
    return dt.date(year + 1, 1, day)


@dataclass(frozen=True)
class DueStatus:
    code: str
    label: str
    level: str  # badge class: ok / warn / danger / muted


def due_status(*, year: int, published_on: dt.date | None, on: dt.date) -> DueStatus:
    """未到期 while the year runs, 即将到期 from 1 January to the due day, then 已逾期;
    once published, 已按时公开 or 逾期公开."""
    due = due_on(year)
    if published_on is not None:
        if published_on <= due:
            return DueStatus("on_time", "已按时公开", "ok")
        return DueStatus("late", "逾期公开", "danger")
    if on > due:
        return DueStatus("overdue", "已逾期", "danger")
    if on > dt.date(year, 12, 31):
        return DueStatus("due_soon", "即将到期", "warn")
    return DueStatus("not_due", "未到期", "muted")


# ── snapshot ──────────────────────────────────────────────────────────────────────────────────


def build_snapshot(scope: Scope, year: int, *, as_of: dt.datetime | None = None) -> dict[str, Any]:
    period = Period(year, as_of or timezone.now())
    agencies = list(scope.agencies().order_by("region__path", "name"))
    per_agency = figures_by_agency([a.pk for a in agencies], period)
    figures = total(per_agency.values())
    snapshot: dict[str, Any] = {
        "schema": SCHEMA,
        "year": year,
        "agency": scope.agency.name,
        "aggregate": scope.aggregate,
        "title": scope.title(year),
        "as_of": period.cutoff_day.isoformat() if period.cutoff < period.end else f"{year}-12-31",
        "complete": period.cutoff >= period.end,
        "due_on": due_on(year).isoformat(),
        "figures": {k: _json(v) for k, v in figures.items()},
        "sections": sections(figures),
    }
    if scope.aggregate:
        snapshot["agencies"] = [a.name for a in agencies]
        snapshot["by_agency"] = _by_agency_table(agencies, per_agency)
    return snapshot


def _json(value: int | Decimal) -> int | str:
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def _row(label: str, value: int | Decimal | None, unit: str) -> dict[str, Any]:
    kind = "money" if unit == "元" else "percent" if unit == "%" else "int"
    shown = None if value is None else str(value) if kind == "percent" else _json(value)
    return {"label": label, "value": shown, "unit": unit, "kind": kind}


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _bar(title: str, unit: str, pairs: list[tuple[str, int | Decimal]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "title": title,
        "unit": unit,
        "labels": [p[0] for p in pairs],
        "values": [_json(p[1]) for p in pairs],
    }


def sections(f: Figures) -> list[dict[str, Any]]:
    return [
        _cases_section(f),
        _money_section(f),
        _hearing_section(f),
        _review_section(f),
        _remedy_section(f),
        _publication_section(f),
        _officer_section(f),
        # 八、行政检查 and any later app's section (zhifa.disclosure.annual.extensions).
        *(extension.section(f) for extension in extensions.installed()),
    ]


def _cases_section(f: Figures) -> dict[str, Any]:
    kinds = [k for k in MatterKind if f[f"cases.kind.{k.value}"]] or [MatterKind.PENALTY]
    columns = ["执法类别", *CONCLUSIONS.values(), "合计"]
    rows: list[list[Any]] = [
        [
            k.label,
            *(f[f"cases.kind_conclusion.{k.value}.{c}"] for c in CONCLUSIONS),
            f[f"cases.kind.{k.value}"],
        ]
        for k in kinds
    ]
    rows.append(["合计", *(f[f"cases.conclusion.{c}"] for c in CONCLUSIONS), f["cases.concluded"]])
    return {
        "key": "cases",
        "title": "一、执法案件办理情况",
        "rows": [
            _row("案源登记", f["cases.received"], "件"),
            _row("立案", f["cases.filed"], "件"),
            _row("办结（作出决定、移送、不予立案或撤销立案）", f["cases.concluded"], "件"),
            *(_row(f"其中：{label}", f[f"cases.conclusion.{c}"], "件") for c, label in CONCLUSIONS.items()),
            _row("适用一般程序作出决定", f[f"cases.procedure.{Procedure.GENERAL}"], "件"),
            _row("适用简易程序当场作出决定", f[f"cases.procedure.{Procedure.ON_THE_SPOT}"], "件"),
            _row("超过办案期限作出决定（《行政处罚法》第六十条）", f["cases.decided_late"], "件"),
        ],
        "tables": [{"title": "按执法类别和执法结论分列（件）", "columns": columns, "rows": rows}],
        "charts": [
            _bar(
                "办结案件按执法结论（件）",
                "件",
                [(label, f[f"cases.conclusion.{c}"]) for c, label in CONCLUSIONS.items()],
            ),
            {
                "type": "stacked",
                "title": "办结案件按执法类别（件）",
                "unit": "件",
                "categories": [k.label for k in kinds],
                "series": [
                    {"label": label, "values": [f[f"cases.kind_conclusion.{k.value}.{c}"] for k in kinds]}
                    for c, label in CONCLUSIONS.items()
                ],
            },
        ],
    }


def _money_section(f: Figures) -> dict[str, Any]:
    return {
        "key": "money",
        "title": "二、罚没款情况",
        "rows": [
            _row("作出罚款决定", f["money.fine_decisions"], "件"),
            _row("决定罚款金额", f["money.fine_total"], "元"),
            _row("决定没收违法所得和非法财物金额", f["money.confiscation_total"], "元"),
            _row("本年度罚款缴清", f["money.fines_paid"], "件"),
            _row("本年度缴纳罚款", f["money.paid_total"], "元"),
            _row("本年度缴纳加处罚款", f["money.surcharge_total"], "元"),
        ],
        "tables": [],
        "charts": [
            _bar(
                "罚没款金额（元）",
                "元",
                [
                    ("决定罚款", f["money.fine_total"]),
                    ("决定没收", f["money.confiscation_total"]),
                    ("缴纳罚款", f["money.paid_total"]),
                    ("加处罚款", f["money.surcharge_total"]),
                ],
            )
        ],
    }


def _hearing_section(f: Figures) -> dict[str, Any]:
    pairs = [
        ("申请听证", f["hearings.requested"]),
        ("举行听证", f["hearings.held"]),
        ("撤回听证申请", f["hearings.withdrawn"]),
    ]
    return {
        "key": "hearings",
        "title": "三、听证情况",
        "rows": [_row(label, value, "件") for label, value in pairs],
        "tables": [],
        "charts": [_bar("听证（件）", "件", pairs)],
    }


def _review_section(f: Figures) -> dict[str, Any]:
    return {
        "key": "review",
        "title": "四、重大执法决定法制审核和集体讨论",
        "rows": [
            _row("送审（轮次）", f["review.submitted"], "次"),
            _row("出具审核意见", f["review.reviewed"], "次"),
            _row("其中：审核通过（同意）", f["review.passed"], "次"),
            _row("其中：存在问题退回", f["review.returned"], "次"),
            _row("承办机构提出异议", f["review.disagreed"], "次"),
            _row("集体讨论", f["review.discussions"], "次"),
            _row("其中：因审核意见分歧提请集体讨论", f["review.discussions_after_review"], "次"),
        ],
        "tables": [],
        "charts": [
            _bar(
                "法制审核意见（次）",
                "次",
                [("同意", f["review.passed"]), ("存在问题退回", f["review.returned"])],
            )
        ],
    }


def _remedy_section(f: Figures) -> dict[str, Any]:
    columns = ["类别", "新收", "审结", *RemedyResult.labels, "纠错", "纠错率（%）"]
    rows: list[list[Any]] = []
    for kind in RemedyKind:
        k = kind.value
        corrected, concluded = f[f"remedies.{k}.corrected"], f[f"remedies.{k}.concluded"]
        rate = _percent(corrected, concluded)
        rows.append(
            [
                kind.label,
                f[f"remedies.{k}.filed"],
                concluded,
                *(f[f"remedies.{k}.result.{r}"] for r in RemedyResult.values),
                corrected,
                None if rate is None else str(rate),
            ]
        )
    return {
        "key": "remedies",
        "title": "五、行政复议、行政诉讼和自行纠正",
        "rows": [
            _row("行政复议新收", f[f"remedies.{RemedyKind.RECONSIDERATION}.filed"], "件"),
            _row("行政复议审结", f[f"remedies.{RemedyKind.RECONSIDERATION}.concluded"], "件"),
            _row("行政复议纠错", f[f"remedies.{RemedyKind.RECONSIDERATION}.corrected"], "件"),
            _row("行政诉讼新收", f[f"remedies.{RemedyKind.LITIGATION}.filed"], "件"),
            _row("行政诉讼审结", f[f"remedies.{RemedyKind.LITIGATION}.concluded"], "件"),
            _row("行政诉讼纠错", f[f"remedies.{RemedyKind.LITIGATION}.corrected"], "件"),
            _row("行政机关自行纠正", f[f"remedies.{RemedyKind.SELF_CORRECTION}.corrected"], "件"),
        ],
        "tables": [
            {
                "title": "按类别和结果分列（件）",
                "columns": columns,
                "kinds": ["text", *("int" for _ in columns[1:-1]), "percent"],
                "rows": rows,
            }
        ],
        "charts": [
            {
                "type": "stacked",
                "title": "审结案件按结果（件）",
                "unit": "件",
                "categories": [k.label for k in RemedyKind],
                "series": [
                    {
                        "label": r.label,
                        "values": [f[f"remedies.{k}.result.{r.value}"] for k in RemedyKind.values],
                    }
                    for r in RemedyResult
                ],
            }
        ],
    }


def _publication_section(f: Figures) -> dict[str, Any]:
    on_time, late, overdue = (
        f["publication.on_time"],
        f["publication.late"],
        f["publication.overdue_unpublished"],
    )
    return {
        "key": "publication",
        "title": "六、执法决定公开情况",
        "rows": [
            _row("本年度公开执法决定", f["publication.published"], "件"),
            _row("其中：按期公开", on_time, "件"),
            _row("其中：逾期公开", late, "件"),
            _row("按期公开率", _percent(on_time, f["publication.published"]), "%"),
            _row("期限届满仍未公开", overdue, "件"),
            _row("撤回已公开的决定", f["publication.withdrawn"], "件"),
            _row("其中：按期撤回", f["publication.withdrawn_on_time"], "件"),
            _row("其中：逾期撤回", f["publication.withdrawn_late"], "件"),
            _row("撤回期限届满仍未撤回", f["publication.withdrawal_overdue"], "件"),
        ],
        "tables": [],
        "charts": [
            _bar(
                "执法决定公开时效（件）",
                "件",
                [("按期公开", on_time), ("逾期公开", late), ("逾期未公开", overdue)],
            )
        ],
    }


def _officer_section(f: Figures) -> dict[str, Any]:
    active, certified = f["officers.active"], f["officers.certified"]
    return {
        "key": "officers",
        "title": "七、执法人员",
        "rows": [
            _row("在岗人员", active, "人"),
            _row("持有效执法证", certified, "人"),
            _row("持证率", _percent(certified, active), "%"),
            _row("法制审核人员", f["officers.reviewers"], "人"),
        ],
        "tables": [],
        "charts": [_bar("执法人员（人）", "人", [("在岗", active), ("持有效执法证", certified)])],
    }


_BY_AGENCY = [
    ("办结案件", "cases.concluded"),
    ("给予行政处罚", "cases.conclusion.penalty"),
    ("罚款（元）", "money.fine_total"),
    ("听证", "hearings.held"),
    ("法制审核", "review.reviewed"),
    ("复议诉讼纠错", None),
    ("按期公开", "publication.on_time"),
    ("逾期公开", "publication.late"),
    ("逾期未公开", "publication.overdue_unpublished"),
]


def _by_agency_table(agencies: list[Agency], per_agency: dict[int, Figures]) -> dict[str, Any]:
    def cell(f: Figures, key: str | None) -> int | str:
        if key is None:
            return sum(int(f[f"remedies.{k}.corrected"]) for k in RemedyKind.values)
        return _json(f[key])

    return {
        "title": "各执法主体主要数据",
        "columns": ["执法主体", *(label for label, _ in _BY_AGENCY)],
        "kinds": ["text", *("money" if key in MONEY_KEYS else "int" for _, key in _BY_AGENCY)],
        "rows": [[a.name, *(cell(per_agency[a.pk], key) for _, key in _BY_AGENCY)] for a in agencies],
    }
