"""The case procedure as a table: every step, who takes it, from which statuses, and its guard.

Services call `ensure(step, case, user)` before writing; the case page calls `next_steps` to show
what is allowed now and, for every other step, the sentence saying why not. Guards here look
only at the case as it stands; checks on what a user typed live in the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhifa.cases import deadlines, policies, review_gate
from zhifa.cases.models import Case, MeasureKind, Outcome, Procedure, Status
from zhifa.core.calendar import today
from zhifa.core.errors import DomainError, NotPermitted

if TYPE_CHECKING:
    from zhifa.accounts.models import User

HANDLER, HEAD, HANDLER_OR_HEAD, STAFF = "handler", "head", "handler_or_head", "staff"

_WHO_LABEL = {
    HANDLER: "本案承办人",
    HEAD: "本机关负责人",
    HANDLER_OR_HEAD: "本案承办人或本机关负责人",
    STAFF: "本机关执法人员或负责人",
}

Guard = Callable[[Case, dt.date], None]


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    who: str
    statuses: frozenset[str]
    guard: Guard | None = None
    # Steps of the general procedure only, the on-the-spot one only, or both (None).
    procedure: str | None = Procedure.GENERAL
    # A guard that depends on who is acting, not only on the case.
    actor_guard: Callable[[Case, User], None] | None = None
    # The statuses the step's service may move the case to (empty: it stays where it is), and,
    # when only some of `statuses` move on, which ones. The public flow chart is drawn from these.
    leads_to: tuple[str, ...] = ()
    leads_from: frozenset[str] | None = None

    def transitions(self) -> list[tuple[str, str]]:
        """(from, to) status pairs this step moves a case along."""
        sources = self.statuses if self.leads_from is None else self.leads_from
        return [(a, b) for a in sorted(sources) for b in self.leads_to if a != b]


@dataclass(frozen=True)
class Entry:
    """How a case of a procedure comes into being (a service, not a step on an existing case)."""

    label: str
    who: str
    leads_to: tuple[str, ...]


def who_label(who: str) -> str:
    return _WHO_LABEL[who]


@dataclass(frozen=True)
class StepState:
    step: Step
    allowed: bool
    reason: str


def _may_act(step: Step, case: Case, user: User) -> bool:
    if step.who == HANDLER:
        return policies.is_handler(user, case)
    if step.who == HEAD:
        return policies.is_head_of(user, case.agency)
    if step.who == STAFF:
        return policies.can_register_clue(user, case.agency)
    return policies.is_handler(user, case) or policies.is_head_of(user, case.agency)


def check(step: Step, case: Case, user: User, on: dt.date | None = None) -> None:
    """Raise the refusal for this step now, or return when it may be taken."""
    if step.procedure is not None and case.procedure != step.procedure:
        raise DomainError(f"{case.get_procedure_display()}案件没有“{step.label}”这一环节。")
    if case.status not in step.statuses:
        raise DomainError(f"案件当前处于“{case.get_status_display()}”阶段，不能进行“{step.label}”。")
    if not _may_act(step, case, user):
        raise NotPermitted(f"“{step.label}”应由{_WHO_LABEL[step.who]}办理。")
    if step.guard is not None:
        step.guard(case, on or today())
    if step.actor_guard is not None:
        step.actor_guard(case, user)


def ensure(code: str, case: Case, user: User, on: dt.date | None = None) -> Step:
    step = STEPS[code]
    check(step, case, user, on)
    return step


def next_steps(case: Case, user: User, on: dt.date | None = None) -> list[StepState]:
    """Every step of this procedure open from the current status, allowed or with the reason why not."""
    states = []
    for step in STEPS.values():
        if step.procedure not in (None, case.procedure) or case.status not in step.statuses:
            continue
        try:
            check(step, case, user, on)
        except DomainError as refusal:
            states.append(StepState(step, False, refusal.message))
        else:
            states.append(StepState(step, True, ""))
    return states


# ── Guards on the case as it stands ─────────────────────────────────────────────────────


def _has_open_preservation(case: Case) -> bool:
    return case.measures.filter(kind=MeasureKind.PRESERVATION, ended_on__isnull=True).exists()


def _guard_report(case: Case, on: dt.date) -> None:
    if not case.records.exists():
        raise DomainError(
            "尚无调查取证笔录，不能作出调查终结报告（《行政处罚法》第五十四条第一款：全面、客观、公正地调查）。"
        )
    # A pending request is also open (no ended_on): name it first, or the message misleads.
    if case.measures.filter(
        kind=MeasureKind.PRESERVATION, approved_by__isnull=True, ended_on__isnull=True
    ).exists():
        raise DomainError(
            "有先行登记保存申请尚未经机关负责人批准或者不予批准，请先处理（《行政处罚法》第五十六条）。"
        )
    if _has_open_preservation(case):
        raise DomainError("先行登记保存的物品尚未作出处理决定，请先处理（《行政处罚法》第五十六条）。")


def _guard_notify(case: Case, on: dt.date) -> None:
    if case.outcome != Outcome.PENALTY:
        raise DomainError("只有拟给予行政处罚的案件需要事先告知（《行政处罚法》第四十四条）。")


def _guard_renotify(case: Case, on: dt.date) -> None:
    if case.notified_at is None:
        raise DomainError("本案尚未事先告知。")


def _guard_request_hearing(case: Case, on: dt.date) -> None:
    if not case.hearing_right:
        raise DomainError("拟作出的处罚不属于《行政处罚法》第六十三条规定的听证范围，当事人不享有听证权利。")
    if hasattr(case, "hearing"):
        raise DomainError("当事人已经申请听证。")
    if case.notice_served_on is None:
        raise DomainError("告知书尚未送达，听证申请期限尚未起算（《行政处罚法》第六十四条）。")


def _guard_hearing_open(case: Case, on: dt.date) -> None:
    hearing = getattr(case, "hearing", None)
    if hearing is None:
        raise DomainError("当事人未申请听证。")
    if hearing.concluded:
        raise DomainError("听证已经结束或当事人已撤回申请。")


def _guard_hold_hearing(case: Case, on: dt.date) -> None:
    _guard_hearing_open(case, on)
    hearing = case.hearing
    if hearing.scheduled_at is None or hearing.notice_served_on is None:
        raise DomainError("听证通知书尚未送达当事人，不能举行听证（《行政处罚法》第六十四条第（二）项）。")


def _guard_statement(case: Case, on: dt.date) -> None:
    if case.notice_served_on is None:
        raise DomainError("告知书尚未送达，请先登记送达。")


def _guard_review_defence(case: Case, on: dt.date) -> None:
    hearing = getattr(case, "hearing", None)
    if hearing is not None and not hearing.concluded:
        raise DomainError("听证尚未举行，请在听证后复核（《行政处罚法》第六十四条）。")


def rights_period_end(case: Case) -> dt.date | None:
    """The last day of the periods the party has after prior notice (statement and hearing request)."""
    if case.notice_served_on is None:
        return None
    ends = [deadlines.statement_due(case.notice_served_on).due]
    if case.hearing_right:
        ends.append(deadlines.hearing_request_due(case.notice_served_on).due)
    return max(d for d in ends if d is not None)


def _guard_decide_penalty_rights(case: Case, on: dt.date) -> None:
    """第六十二条: no decision until the party has had the full chance to state, defend and be heard."""
    if case.notice_served_on is None:
        raise DomainError(
            "行政处罚事先告知书尚未送达当事人，不得作出行政处罚决定（《行政处罚法》第四十四条、第六十二条）。"
        )
    hearing = getattr(case, "hearing", None)
    if hearing is not None and not hearing.concluded:
        raise DomainError(
            "当事人已申请听证而听证尚未举行，不得作出行政处罚决定（《行政处罚法》第六十二条、第六十四条）。"
        )
    end = rights_period_end(case)
    # A held hearing heard the party; a withdrawn request leaves the statement period running.
    heard = hearing is not None and hearing.held_on is not None
    if case.rights_waived_on is None and not heard and end is not None and on <= end:
        raise DomainError(
            f"当事人陈述、申辩{'和申请听证' if case.hearing_right else ''}的期限至 {end:%Y-%m-%d} 届满，"
            "期满前不得作出行政处罚决定（《行政处罚法》第四十四条、第六十二条）。"
        )
    if (case.records.filter(kind="statement").exists() or hearing is not None) and not case.defence_adoption:
        raise DomainError("当事人提出了陈述、申辩或者进行了听证，应当先行复核（《行政处罚法》第四十五条）。")


def _guard_major(case: Case, on: dt.date) -> None:
    if case.is_major and not case.discussions.exists():
        raise DomainError(
            "本案情节复杂或者属于重大违法行为，应当由行政机关负责人集体讨论决定（《行政处罚法》第五十七条第二款）。"
        )


def _guard_decide(case: Case, on: dt.date) -> None:
    if case.outcome == Outcome.PENALTY:
        _guard_decide_penalty_rights(case, on)
    elif case.outcome not in (Outcome.NO_PENALTY, Outcome.NOT_ESTABLISHED):
        raise DomainError("调查终结报告的处理意见不是作出处罚或不予处罚的决定。")
    _guard_major(case, on)
    review_gate.ensure_cleared(case)


def _guard_transfer_judicial(case: Case, on: dt.date) -> None:
    if case.outcome != Outcome.TRANSFER:
        raise DomainError(
            "调查终结报告的处理意见为涉嫌犯罪移送司法机关时，才能移送司法机关（《行政处罚法》第五十七条第一款第（四）项）。"
        )


def _guard_unpaid(case: Case, on: dt.date) -> None:
    if case.final_fine <= 0:
        raise DomainError("本案没有罚款，无需缴纳。")
    if case.fine_paid_on is not None:
        raise DomainError("罚款已经缴清。")


def _guard_plan(case: Case, on: dt.date) -> None:
    _guard_unpaid(case, on)
    if hasattr(case, "payment_plan"):
        raise DomainError("本案已批准过延期（分期）缴纳。")


def _guard_remind(case: Case, on: dt.date) -> None:
    from zhifa.cases.selectors import payment_status

    _guard_unpaid(case, on)
    if not payment_status(case, on).overdue:
        raise DomainError("罚款尚未到缴纳期限，不能催告（《行政强制法》第三十五条、第五十四条）。")


def _guard_enforce(case: Case, on: dt.date) -> None:
    _guard_unpaid(case, on)
    if case.enforcement_applied_on is not None:
        raise DomainError("已经申请人民法院强制执行。")
    if case.reminder_served_on is None:
        raise DomainError("申请人民法院强制执行前，应当催告当事人履行义务（《行政强制法》第五十四条）。")
    ripe = deadlines.reminder_ripe(case.reminder_served_on).due
    if ripe is not None and on < ripe:
        raise DomainError(
            f"催告书送达十日后当事人仍未履行的，方可申请强制执行；最早可于 {ripe:%Y-%m-%d} 申请（《行政强制法》第五十四条）。"
        )
    assert case.decision_served_on is not None
    start, end = deadlines.enforcement_application_window(case.decision_served_on)
    if on < start:
        raise DomainError(
            f"当事人提起行政诉讼的期限尚未届满，应自 {start:%Y-%m-%d} 起申请强制执行（《行政强制法》第五十三条）。"
        )
    if on > end:
        raise DomainError(
            f"申请人民法院强制执行的期限已于 {end:%Y-%m-%d} 届满（《行政强制法》第五十三条：期限届满之日起三个月内）。"
        )


def _guard_request_closing(case: Case, on: dt.date) -> None:
    if case.final_fine > 0 and case.fine_paid_on is None and case.enforcement_applied_on is None:
        raise DomainError("罚款尚未缴清，也未申请人民法院强制执行，不能结案。")
    if case.measures.filter(ended_on__isnull=True).exists():
        raise DomainError("还有未解除或未处理的查封扣押、先行登记保存措施，不能结案。")


def _guard_archive(case: Case, on: dt.date) -> None:
    if case.archived_at is not None:
        raise DomainError("案卷已经移交归档。")


def _guard_limit(case: Case, on: dt.date) -> None:
    if case.filed_on is None:
        raise DomainError("案件尚未立案，没有办案期限。")


def _guard_file_on_the_spot(case: Case, on: dt.date) -> None:
    if case.on_the_spot_filed_on is not None:
        raise DomainError("该当场处罚决定已经备案。")


def _guard_own_recusal(case: Case, user: User) -> None:
    officer = policies.officer_of(user)
    if case.handlers.filter(officer=officer, active=True, recusal_declared_at__isnull=False).exists():
        raise DomainError("您已经作出过回避声明。")


def _guard_approve_filing(case: Case, on: dt.date) -> None:
    from zhifa.cases.services._common import ensure_team

    ensure_team(case, on)


def _guard_extend_filing(case: Case, on: dt.date) -> None:
    if case.filing_extended:
        raise DomainError(
            "立案审查期限只能延长一次，延长不超过十五个工作日（《市场监督管理行政处罚程序规定》第十八条）。"
        )


OPEN_BEFORE_DECISION = frozenset({Status.INVESTIGATION, Status.REPORTED, Status.NOTICE})
WITH_DECISION = frozenset({Status.DECIDED, Status.EXECUTION})

STEPS: dict[str, Step] = {
    s.code: s
    for s in [
        Step("update_clue", "补充案源信息", STAFF, frozenset({Status.CLUE})),
        Step("request_filing", "提请立案审批", STAFF, frozenset({Status.CLUE}), leads_to=(Status.FILING,)),
        Step(
            "declare_recusal",
            "作出回避声明",
            HANDLER,
            frozenset({Status.FILING}) | OPEN_BEFORE_DECISION,
            actor_guard=_guard_own_recusal,
        ),
        Step("update_party", "更正当事人信息", HANDLER, frozenset({Status.FILING}) | OPEN_BEFORE_DECISION),
        Step(
            "extend_filing",
            "延长立案审查期限",
            HEAD,
            frozenset({Status.CLUE, Status.FILING}),
            _guard_extend_filing,
        ),
        Step(
            "approve_filing",
            "批准立案",
            HEAD,
            frozenset({Status.FILING}),
            _guard_approve_filing,
            leads_to=(Status.INVESTIGATION,),
        ),
        Step(
            "decline_filing",
            "不予立案",
            HEAD,
            frozenset({Status.CLUE, Status.FILING}),
            leads_to=(Status.NOT_FILED,),
        ),
        Step(
            "replace_handler", "更换承办人（回避）", HEAD, frozenset({Status.FILING}) | OPEN_BEFORE_DECISION
        ),
        Step("add_record", "制作调查笔录", HANDLER, frozenset({Status.INVESTIGATION})),
        Step("request_measure", "申请先行登记保存或查封扣押", HANDLER, frozenset({Status.INVESTIGATION})),
        Step("approve_measure", "批准先行登记保存或查封扣押", HEAD, frozenset({Status.INVESTIGATION})),
        Step("decline_measure", "不予批准先行登记保存或查封扣押", HEAD, frozenset({Status.INVESTIGATION})),
        Step("conclude_measure", "处理或解除保全、强制措施", HANDLER, OPEN_BEFORE_DECISION | WITH_DECISION),
        Step("extend_measure", "延长查封扣押期限", HEAD, OPEN_BEFORE_DECISION),
        Step("order_rectification", "责令改正", HANDLER, OPEN_BEFORE_DECISION | WITH_DECISION),
        Step(
            "submit_report",
            "提交调查终结报告",
            HANDLER,
            frozenset({Status.INVESTIGATION}),
            _guard_report,
            leads_to=(Status.REPORTED,),
        ),
        Step("hold_discussion", "集体讨论", HEAD, frozenset({Status.REPORTED, Status.NOTICE})),
        Step(
            "notify",
            "事先告知",
            HANDLER,
            frozenset({Status.REPORTED}),
            _guard_notify,
            leads_to=(Status.NOTICE,),
        ),
        Step("add_statement", "记录陈述申辩", HANDLER, frozenset({Status.NOTICE}), _guard_statement),
        Step("waive_rights", "登记放弃陈述申辩和听证", HANDLER, frozenset({Status.NOTICE}), _guard_statement),
        Step("request_hearing", "登记听证申请", HANDLER, frozenset({Status.NOTICE}), _guard_request_hearing),
        Step("schedule_hearing", "安排听证", HEAD, frozenset({Status.NOTICE}), _guard_hearing_open),
        Step("hold_hearing", "记录听证", HANDLER_OR_HEAD, frozenset({Status.NOTICE}), _guard_hold_hearing),
        Step(
            "withdraw_hearing", "登记撤回听证申请", HANDLER, frozenset({Status.NOTICE}), _guard_hearing_open
        ),
        Step(
            "review_defence",
            "复核陈述申辩",
            HANDLER_OR_HEAD,
            frozenset({Status.NOTICE}),
            _guard_review_defence,
        ),
        Step("renotify", "重新告知（加重处罚）", HANDLER, frozenset({Status.NOTICE}), _guard_renotify),
        Step(
            "decide",
            "作出决定",
            HEAD,
            frozenset({Status.REPORTED, Status.NOTICE}),
            _guard_decide,
            leads_to=(Status.DECIDED,),
        ),
        Step(
            "serve",
            "登记送达",
            HANDLER,
            frozenset(Status.values) - {Status.CLUE, Status.FILING},
            procedure=None,
            # Serving the decision moves it on: to execution while a fine or a measure is open.
            leads_to=(Status.EXECUTION, Status.CLOSING),
            leads_from=frozenset({Status.DECIDED}),
        ),
        Step("plan_payment", "批准延期（分期）缴纳", HEAD, frozenset({Status.EXECUTION}), _guard_plan, None),
        Step("record_payment", "登记缴款", HANDLER, frozenset({Status.EXECUTION}), _guard_unpaid, None),
        Step("remind", "催告", HANDLER, frozenset({Status.EXECUTION}), _guard_remind, None),
        Step(
            "apply_enforcement",
            "申请人民法院强制执行",
            HEAD,
            frozenset({Status.EXECUTION}),
            _guard_enforce,
            None,
        ),
        Step(
            "request_closing",
            "提请结案",
            HANDLER,
            frozenset({Status.EXECUTION}),
            _guard_request_closing,
            None,
            leads_to=(Status.CLOSING,),
        ),
        Step(
            "approve_closing",
            "批准结案",
            HEAD,
            frozenset({Status.CLOSING}),
            None,
            None,
            leads_to=(Status.CLOSED,),
        ),
        Step(
            "file_on_the_spot",
            "当场处罚备案",
            HEAD,
            WITH_DECISION | {Status.CLOSING, Status.CLOSED},
            _guard_file_on_the_spot,
            Procedure.ON_THE_SPOT,
        ),
        Step("extend_limit", "延长办案期限", HEAD, OPEN_BEFORE_DECISION, _guard_limit),
        Step("suspend", "中止案件调查", HEAD, OPEN_BEFORE_DECISION, _guard_limit),
        Step("resume", "恢复案件调查", HEAD, OPEN_BEFORE_DECISION, _guard_limit),
        Step(
            "transfer",
            "移送其他行政机关",
            HEAD,
            frozenset({Status.CLUE, Status.FILING, Status.INVESTIGATION}),
            leads_to=(Status.TRANSFERRED,),
        ),
        Step(
            "transfer_judicial",
            "移送司法机关",
            HEAD,
            frozenset({Status.REPORTED}),
            _guard_transfer_judicial,
            leads_to=(Status.TRANSFERRED,),
        ),
        Step("revoke", "撤销立案", HEAD, OPEN_BEFORE_DECISION, leads_to=(Status.REVOKED,)),
        Step(
            "archive",
            "移交归档",
            HANDLER_OR_HEAD,
            frozenset({Status.CLOSED, Status.NOT_FILED, Status.TRANSFERRED, Status.REVOKED}),
            _guard_archive,
            None,
        ),
    ]
}

# Where each procedure starts: 登记案源 (case_register_clue) and the on-the-spot decision
# (case_decide_on_the_spot: closing when paid on the spot or without a fine, else execution).
ENTRIES: dict[str, Entry] = {
    Procedure.GENERAL: Entry("登记案源", STAFF, (Status.CLUE,)),
    Procedure.ON_THE_SPOT: Entry("当场作出行政处罚决定", STAFF, (Status.EXECUTION, Status.CLOSING)),
}
