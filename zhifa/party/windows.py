"""The legal windows of what the party may send, computed from the case's stored dates when read.

Each function returns the refusal sentence (naming the article) or "" while the window is open;
the party page shows the form only while it is open and the step's guard asks the same function,
so a page left open past the deadline is refused on submit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.cases import deadlines
from zhifa.cases.models import TERMINAL, Case, Status
from zhifa.cases.selectors import case_domain
from zhifa.core import jurisdiction
from zhifa.disclosure import periods as display_periods
from zhifa.disclosure.models import Kind, Publication, State

# Penalties after which the display may not end early (《市场监督管理行政处罚信息公示规定》第十四条第三款).
NO_EARLY_END_KINDS = frozenset(
    {
        "suspend_business",
        "restrict_activity",
        "restrict_practice",
        "downgrade",
        "revoke_licence",
        "order_closure",
    }
)
RULE_STATEMENT = "《行政处罚法》第四十四条、第四十五条"
RULE_HEARING = "《行政处罚法》第六十三条、第六十四条第（一）项"
RULE_SERVICE = "《行政处罚法》第六十一条第二款"
RULE_PLAN = "《行政处罚法》第六十六条第二款"
RULE_REPAIR = "《市场监督管理行政处罚信息公示规定》第十四条"


def statement(case: Case, on: dt.date) -> str:
    if case.status != Status.NOTICE or case.notice_served_on is None:
        return (
            f"陈述、申辩在行政处罚事先告知书送达后、作出决定前提出；本案现处于“{case.get_status_display()}”阶段，"
            f"不能在网上提交陈述申辩（{RULE_STATEMENT}）。"
        )
    if case.rights_waived_on is not None:
        return f"您已于 {case.rights_waived_on:%Y-%m-%d} 书面放弃陈述、申辩的权利（{RULE_STATEMENT}）。"
    due = deadlines.statement_due(case.notice_served_on, domain=case_domain(case))
    if due.due is not None and on > due.due:
        return f"陈述、申辩期限已于 {due.due:%Y-%m-%d} 届满，不能再在网上提交（{due.basis}）。"
    return ""


def hearing(case: Case, on: dt.date) -> str:
    if not case.hearing_right:
        return f"本案拟作出的处罚不属于听证范围，当事人不享有听证权利（{RULE_HEARING}）。"
    if hasattr(case, "hearing"):
        return f"您已于 {case.hearing.requested_on:%Y-%m-%d} 申请听证。"
    if case.status != Status.NOTICE or case.notice_served_on is None:
        return f"听证应当在告知后五日内申请；本案现处于“{case.get_status_display()}”阶段，不能申请听证（{RULE_HEARING}）。"
    if case.rights_waived_on is not None:
        return f"您已于 {case.rights_waived_on:%Y-%m-%d} 书面放弃听证权利（{RULE_HEARING}）。"
    due = deadlines.hearing_request_due(case.notice_served_on).due
    if due is not None and on > due:
        return f"当事人应当在行政机关告知后五日内提出听证要求，本案期限已于 {due:%Y-%m-%d} 届满（{RULE_HEARING}）。"
    return ""


def consent(case: Case, on: dt.date) -> str:
    if case.status in TERMINAL or case.archived_at is not None:
        return f"本案已{case.get_status_display()}，不再送达文书（{RULE_SERVICE}）。"
    return ""


def electronic_service(case: Case) -> str:
    if not case.electronic_service_consent:
        return f"当事人未书面同意电子送达，文书不能以电子方式送达（{RULE_SERVICE}）。"
    return ""


def payment_due(case: Case) -> dt.date | None:
    if case.decision_served_on is None:
        return None
    return deadlines.payment_due(case.decision_served_on).due


def payment_plan(case: Case, on: dt.date, *, pending: bool = False) -> str:
    """延期、分期缴纳: applied for within the payment period of an unpaid fine (第六十六条第二款)."""
    if case.final_fine <= 0 or case.decision_served_on is None or case.status != Status.EXECUTION:
        return f"只有已送达的罚款决定才能申请延期或者分期缴纳（{RULE_PLAN}）。"
    if case.fine_paid_on is not None:
        return "罚款已经缴清。"
    if hasattr(case, "payment_plan"):
        return f"本案已批准{case.payment_plan.get_arrangement_display()}（{RULE_PLAN}）。"
    if pending:
        return "您的延期（分期）缴纳申请正在办理中，请等待执法机关答复。"
    due = payment_due(case)
    if due is not None and on > due:
        return (
            f"延期或者分期缴纳罚款应当在缴纳期限内申请，本案缴纳期限已于 {due:%Y-%m-%d} 届满"
            f"（{RULE_PLAN}、第六十七条第三款）。"
        )
    return ""


def publication_of(case: Case) -> Publication | None:
    return Publication.objects.filter(case=case, kind=Kind.DECISION).first()


@dataclass(frozen=True)
class RepairWindow:
    publication: Publication | None
    opens_on: dt.date | None
    refusal: str


def credit_repair(case: Case, on: dt.date, *, pending: bool = False) -> RepairWindow:
    """信用修复 (提前停止公示): the shortest display period passed, the decision performed."""
    publication = publication_of(case)
    if publication is None or publication.state != State.PUBLISHED or publication.published_at is None:
        return RepairWindow(publication, None, "本案的行政处罚决定未在公示中，无需申请信用修复。")
    ends = display_periods.display_ends_on(publication)
    if ends is not None and ends <= on:
        return RepairWindow(publication, None, f"该行政处罚信息已于 {ends:%Y-%m-%d} 停止公示。")
    months = int(jurisdiction.value("credit_repair_min_months"))
    opens = display_periods.add_months(publication.published_at.astimezone().date(), months)
    if set(publication.penalty_kinds) & NO_EARLY_END_KINDS:
        return RepairWindow(
            publication,
            None,
            f"受到责令停产停业、限制开展生产经营活动、限制从业、降低资质等级、吊销许可证件等处罚的，"
            f"不得提前停止公示（{RULE_REPAIR}第三款）。",
        )
    if case.final_fine > 0 and case.fine_paid_on is None:
        return RepairWindow(
            publication,
            opens,
            f"申请提前停止公示，应当已经自觉履行行政处罚决定中规定的义务（{RULE_REPAIR}第一款第（一）项）。",
        )
    if on < opens:
        return RepairWindow(
            publication,
            opens,
            f"行政处罚信息公示满 {months} 个月（最短公示期）后方可申请信用修复，本案最早于 {opens:%Y-%m-%d} 申请"
            f"（{RULE_REPAIR}；《失信行为纠正后的信用信息修复管理办法（试行）》）。",
        )
    if pending:
        return RepairWindow(publication, opens, "您的信用修复申请正在办理中，请等待执法机关答复。")
    return RepairWindow(publication, opens, "")
