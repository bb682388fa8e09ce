"""The warning rules (预警): their defaults as data, and what each one finds about one object.

Each rule belongs to a scope — a case, an agency, a filing, an inspection warning — and an
evaluator looks at one object of its scope and returns the findings of every rule of that
scope, with the next day on which the answer can change without any new event (for the watch
table). Nothing here scans all cases: the caller (warning_services.warnings_run) hands over
only the objects that changed or whose watch day has come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse

from zhifa.supervision.models_warnings import WarningLevel

CASE, AGENCY, FILING, INSPECTION = "case", "agency", "filing", "inspection_warning"
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class RuleDef:
    code: str
    name: str
    level: str
    scope: str
    basis: str
    params: dict[str, Any] = field(default_factory=dict)


RULES: tuple[RuleDef, ...] = (
    RuleDef(
        "case_overdue",
        "办案期限超期",
        WarningLevel.RED,
        CASE,
        "《行政处罚法》第五十四条、第五十六条、第六十条、第六十一条等各环节期限；《行政强制法》第二十五条",
    ),
    RuleDef(
        "publication_overdue",
        "执法决定逾期未公示",
        WarningLevel.RED,
        CASE,
        "《行政处罚法》第四十八条；行政执法公示制度：行政处罚决定自作出之日起7个工作日内公开",
    ),
    RuleDef(
        "invalid_certificate",
        "承办人执法证失效仍在办案",
        WarningLevel.RED,
        CASE,
        "《行政处罚法》第四十二条：行政处罚应当由具有行政执法资格的执法人员实施；"
        "执法证暂扣、吊销、注销、过期或逾期未年审的，应当及时更换承办人",
    ),
    RuleDef(
        "discretion_deviation",
        "偏离裁量基准",
        WarningLevel.YELLOW,
        CASE,
        "《行政处罚法》第三十四条；国办发〔2022〕27号：确需偏离裁量基准的应当说明理由",
    ),
    RuleDef(
        "surcharge_court_window",
        "加处罚款临近或超过申请法院强制执行期限",
        WarningLevel.YELLOW,
        CASE,
        "《行政处罚法》第七十二条；《行政强制法》第五十三条：期限届满之日起三个月内申请人民法院强制执行",
        {"warn_days": 15},
    ),
    RuleDef(
        "reviewer_shortfall",
        "法制审核人员配备不足",
        WarningLevel.YELLOW,
        AGENCY,
        "三湖政办〔2024〕3号：法制审核人员不少于本单位执法人员总数的5%，且不少于1人",
    ),
    RuleDef(
        "training_behind",
        "执法人员培训学时进度滞后",
        WarningLevel.YELLOW,
        AGENCY,
        "三湖政办〔2024〕3号：每人每年不少于60学时；按全年进度折算应完成学时",
        {"tolerance_percent": 20},
    ),
    RuleDef(
        "remedy_rate",
        "纠错率或败诉率超过阈值",
        WarningLevel.RED,
        AGENCY,
        "004（二）4：对行政复议、诉讼中被纠错、败诉的案件分析原因；000 四13 执法监督预警",
        {"correction_percent": 10, "loss_percent": 5, "minimum_decisions": 5},
    ),
    RuleDef(
        "inspection_frequency",
        "行政检查频次超过上限",
        WarningLevel.YELLOW,
        INSPECTION,
        "《优化营商环境条例》第五十九条：“无事不扰”，减少对同一市场主体的检查频次",
    ),
    RuleDef(
        "filing_late",
        "重大执法决定等事项逾期未备案",
        WarningLevel.RED,
        FILING,
        "004（四）3：重大行政执法决定备案审查；报备期限见本地参数“重大行政执法决定报司法局备案期限”",
    ),
)
BY_CODE = {r.code: r for r in RULES}
# What each threshold means, for the rules page and its form.
PARAM_LABELS = {
    "warn_days": "届满前提前预警天数",
    "tolerance_percent": "培训进度容差（%）",
    "correction_percent": "纠错率阈值（%）",
    "loss_percent": "败诉率阈值（%）",
    "minimum_decisions": "年度决定数达到（件）才计算比率",
}
SCOPE_RULES = {
    scope: [r.code for r in RULES if r.scope == scope] for scope in (CASE, AGENCY, FILING, INSPECTION)
}


@dataclass(frozen=True)
class Finding:
    rule: str
    agency_id: int
    summary: str
    facts: dict[str, Any]
    # What makes this finding the same as one already dismissed (e.g. the deadline and its day).
    key: str
    level: str | None = None


@dataclass
class Evaluation:
    object_kind: str
    object_id: int
    label: str
    link: str
    findings: list[Finding]
    next_on: dt.date | None


def _next(days: list[dt.date], on: dt.date) -> dt.date | None:
    future = [d for d in days if d > on]
    return min(future) if future else None


def _param(params: dict[str, dict[str, Any]], code: str, name: str) -> Decimal:
    value = params.get(code, {}).get(name, BY_CODE[code].params.get(name, 0))
    return Decimal(str(value))


# ── cases ──


def evaluate_case(case: Any, on: dt.date, params: dict[str, dict[str, Any]]) -> Evaluation:
    from zhifa.cases.discretion import assessment_for
    from zhifa.cases.models import WITH_DECISION, Status
    from zhifa.cases.selectors import case_deadlines, enforcement_window
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.periods import publication_due_on
    from zhifa.org.selectors import officer_standing

    findings: list[Finding] = []
    watch: list[dt.date] = []
    agency = case.agency_id

    for deadline in case_deadlines(case, on) if case.is_open else []:
        if deadline.met_on is not None or deadline.paused or deadline.due is None:
            continue
        if deadline.due < on:
            findings.append(
                Finding(
                    "case_overdue",
                    agency,
                    f"{case.number}：{deadline.label}已于 {deadline.due:%Y-%m-%d} 届满，{deadline.phrase(on)}",
                    {"deadline": deadline.label, "due": f"{deadline.due}", "basis": deadline.basis},
                    f"{deadline.key}:{deadline.due}",
                )
            )
        else:
            watch.append(deadline.due + ONE_DAY)

    if case.decided_on is not None and case.status not in (Status.TRANSFERRED, Status.REVOKED):
        due = publication_due_on(case)
        if due is not None:
            published = Publication.objects.filter(case=case, published_at__isnull=False).exists()
            if not published and due < on:
                findings.append(
                    Finding(
                        "publication_overdue",
                        agency,
                        f"{case.number}：决定应于 {due:%Y-%m-%d} 前公开，至今未公示",
                        {"decided_on": f"{case.decided_on}", "due": f"{due}"},
                        f"publication:{due}",
                    )
                )
            elif not published:
                watch.append(due + ONE_DAY)

    if case.is_open:
        for handler in case.handlers.all():
            if not handler.active:
                continue
            standing = officer_standing(handler.officer, on=on)
            if standing.state is None or not standing.state.can_act:
                what = standing.state.message if standing.state else "无执法证。"
                findings.append(
                    Finding(
                        "invalid_certificate",
                        agency,
                        f"{case.number}：承办人{handler.officer.name}{what}",
                        {"officer": handler.officer.name, "certificate": what},
                        f"officer:{handler.officer_id}",
                    )
                )
            else:
                watch.append(standing.state.next_review_due + ONE_DAY)
                watch.append(on + dt.timedelta(days=standing.state.days_to_expiry + 1))

    assessment = assessment_for(case)
    if assessment is not None and assessment.deviates:
        findings.append(
            Finding(
                "discretion_deviation",
                agency,
                f"{case.number}：处罚偏离裁量基准（{'；'.join(assessment.deviation_points)}）",
                {
                    "range": assessment.range_text,
                    "intended": assessment.intended,
                    "points": list(assessment.deviation_points),
                    "reason": assessment.deviation_reason,
                },
                "|".join(assessment.deviation_points),
            )
        )

    if (
        case.status in WITH_DECISION
        and case.final_fine > 0
        and case.fine_paid_on is None
        and case.decision_served_on is not None
        and case.enforcement_applied_on is None
    ):
        _start, end = enforcement_window(case)
        warn_from = end - dt.timedelta(days=int(_param(params, "surcharge_court_window", "warn_days")))
        if on >= warn_from:
            past = on > end
            findings.append(
                Finding(
                    "surcharge_court_window",
                    agency,
                    f"{case.number}：罚款未缴纳、加处罚款持续计算，申请法院强制执行期限"
                    + (f"已于 {end:%Y-%m-%d} 届满" if past else f"将于 {end:%Y-%m-%d} 届满"),
                    {"fine": f"{case.final_fine}", "window_end": f"{end}", "past": past},
                    f"window:{end}:{past}",
                    level=WarningLevel.RED if past else WarningLevel.YELLOW,
                )
            )
            if not past:
                watch.append(end + ONE_DAY)
        else:
            watch.append(warn_from)

    return Evaluation(
        CASE,
        case.pk,
        f"{case.number} {case.cause}"[:200],
        reverse("cases:detail", args=[case.pk]),
        findings,
        _next(watch, on),
    )


# ── agencies ──


def evaluate_agency(agency: Any, on: dt.date, params: dict[str, dict[str, Any]]) -> Evaluation:
    from django.db.models import Count, Q

    from zhifa.cases.models import Case, RemedyKind, RemedyResult
    from zhifa.org.models import Officer, Post
    from zhifa.org.selectors import staffing_for, training_hours_by_officer, training_requirement

    findings: list[Finding] = []
    staffing = staffing_for(agency)
    if staffing.shortfall > 0:
        findings.append(
            Finding(
                "reviewer_shortfall",
                agency.pk,
                f"{agency.name}：法制审核人员 {staffing.reviewers} 人，按执法人员 {staffing.officers} 人"
                f"应不少于 {staffing.required} 人，缺 {staffing.shortfall} 人",
                {
                    "officers": staffing.officers,
                    "reviewers": staffing.reviewers,
                    "required": staffing.required,
                },
                f"{staffing.required}:{staffing.reviewers}",
            )
        )

    officers = list(Officer.objects.filter(agency=agency, is_active=True, post=Post.ENFORCEMENT))
    if officers:
        hours = training_hours_by_officer(officers, year=on.year)
        elapsed = Decimal(on.timetuple().tm_yday) / Decimal(366 if on.year % 4 == 0 else 365)
        tolerance = _param(params, "training_behind", "tolerance_percent") / 100
        expected = (training_requirement() * elapsed * (1 - tolerance)).quantize(Decimal("0.1"))
        behind = [o for o in officers if hours.get(o.pk, Decimal(0)) < expected]
        if behind and expected > 0:
            findings.append(
                Finding(
                    "training_behind",
                    agency.pk,
                    f"{agency.name}：{len(behind)} 名执法人员本年度培训学时低于进度要求（应达 {expected} 学时）",
                    {
                        "expected": f"{expected}",
                        "officers": [f"{o.name}（{hours.get(o.pk, Decimal(0))} 学时）" for o in behind[:20]],
                        "behind": len(behind),
                    },
                    f"{on.year}",
                )
            )

    decided = Case.objects.filter(agency=agency, decided_on__year=on.year).count()
    minimum = int(_param(params, "remedy_rate", "minimum_decisions"))
    if decided >= max(minimum, 1):
        counts = Case.objects.filter(agency=agency, decided_on__year=on.year).aggregate(
            corrected=Count(
                "pk",
                filter=Q(
                    remedies__result__in=[
                        RemedyResult.CHANGED,
                        RemedyResult.REVOKED,
                        RemedyResult.CONFIRMED_ILLEGAL,
                        RemedyResult.CONFIRMED_VOID,
                    ]
                ),
                distinct=True,
            ),
            lost=Count(
                "pk",
                filter=Q(remedies__kind=RemedyKind.LITIGATION)
                & ~Q(remedies__result__in=[RemedyResult.UPHELD, RemedyResult.TERMINATED, ""]),
                distinct=True,
            ),
        )
        correction_rate = Decimal(counts["corrected"] * 100) / decided
        loss_rate = Decimal(counts["lost"] * 100) / decided
        over = []
        if correction_rate > _param(params, "remedy_rate", "correction_percent"):
            over.append(f"纠错率 {correction_rate:.1f}%")
        if loss_rate > _param(params, "remedy_rate", "loss_percent"):
            over.append(f"败诉率 {loss_rate:.1f}%")
        if over:
            findings.append(
                Finding(
                    "remedy_rate",
                    agency.pk,
                    f"{agency.name}：{on.year} 年{'、'.join(over)}，超过预警阈值",
                    {
                        "decided": decided,
                        "corrected": counts["corrected"],
                        "lost": counts["lost"],
                        "correction_rate": f"{correction_rate:.1f}",
                        "loss_rate": f"{loss_rate:.1f}",
                    },
                    f"{on.year}:{','.join(o.split(' ')[0] for o in over)}",
                )
            )
    # Staffing, training and remedies change without a case event of their own: once a day.
    return Evaluation(AGENCY, agency.pk, agency.name, "", findings, on + ONE_DAY)


# ── filings ──


def evaluate_filing(filing: Any, on: dt.date, params: dict[str, dict[str, Any]]) -> Evaluation:
    from zhifa.supervision.models_filings import FilingStatus

    findings: list[Finding] = []
    next_on = None
    if filing.status == FilingStatus.DUE:
        if on > filing.due_on:
            findings.append(
                Finding(
                    "filing_late",
                    filing.agency_id,
                    f"{filing.agency.name}：{filing.get_kind_display()}“{filing.title}”应于 "
                    f"{filing.due_on:%Y-%m-%d} 前报备，逾期未报备",
                    {"due": f"{filing.due_on}", "kind": filing.get_kind_display()},
                    "due",
                )
            )
        else:
            next_on = filing.due_on + ONE_DAY
    elif filing.submitted_late and filing.submitted_on is not None:
        findings.append(
            Finding(
                "filing_late",
                filing.agency_id,
                f"{filing.agency.name}：{filing.get_kind_display()}“{filing.title}”应于 "
                f"{filing.due_on:%Y-%m-%d} 前报备，{filing.submitted_on:%Y-%m-%d} 才报备",
                {"due": f"{filing.due_on}", "submitted_on": f"{filing.submitted_on}"},
                # Also the key of the hit raised while it was outstanding: one fact, one hit.
                "due",
                level=WarningLevel.YELLOW,
            )
        )
    return Evaluation(
        FILING,
        filing.pk,
        str(filing)[:200],
        reverse("supervision:filing_detail", args=[filing.pk]),
        findings,
        next_on,
    )


# ── inspection warnings (zhifa.inspections: 无事不扰) ──


def evaluate_inspection_warning(row: Any) -> Evaluation:
    return Evaluation(
        INSPECTION,
        row.pk,
        f"{row.subject.name}（{row.year} 年第 {row.count} 次检查）"[:200],
        reverse("inspection_tasks:detail", args=[row.task_id]),
        [
            Finding(
                "inspection_frequency",
                row.agency_id,
                row.message,
                {"subject": row.subject.name, "year": row.year, "count": row.count, "task": row.task_id},
                f"{row.year}:{row.count}",
            )
        ],
        None,
    )
