"""The 待办 centre: per role, what waits and how many, each count linking to the list behind it.

Every count is read from the same selector as the list it links to, so the two always agree.
The menu shows them on every page, so each costs a fixed number of queries, never one per row:
case deadlines are read with their data prefetched (cases.selectors.with_deadline_data), and
the calendar and settings once (core.steady).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases import attention
from zhifa.cases import policies as case_policies
from zhifa.cases.selectors import case_list_visible_to
from zhifa.core.steady import steady_reads
from zhifa.disclosure import policies as disclosure_policies
from zhifa.disclosure import selectors as disclosure_selectors
from zhifa.inspections import task_selectors as inspection_selectors
from zhifa.org.certificates import Level
from zhifa.org.selectors import officer_list_visible_to, officer_standing
from zhifa.party import policies as party_policies
from zhifa.party import selectors as party_selectors
from zhifa.party import services as party_services
from zhifa.review import selectors as review_selectors


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    # "danger" (overdue, cannot act), "warn" (waits for the user) or "" (for information).
    level: str = "warn"
    # Already counted in another row (overdue decisions are among those due), so the menu
    # badge counts it once.
    within: bool = False


def _url(name: str, anchor: str = "", **query: str) -> str:
    url = reverse(name)
    if query:
        url += "?" + urlencode(query)
    return url + (f"#{anchor}" if anchor else "")


def todos(user: User, on: dt.date) -> list[Todo]:
    """The user's 待办, in the order of the home page."""
    if not user.is_authenticated:
        return []
    with steady_reads():
        return _todos(user, on)


def _todos(user: User, on: dt.date) -> list[Todo]:
    role = user.role
    items: list[Todo] = []
    if role in (Role.OFFICER, Role.HEAD) and case_policies.officer_of(user) is not None:
        # A head's own cases are among the agency's, counted below.
        items += _overdue_cases(user, on, mine=True, label="我承办的案件已超期", within=role == Role.HEAD)
    if role in (Role.OFFICER, Role.HEAD) and case_policies.officer_of(user) is not None:
        items += _inspections(user)
    if role == Role.HEAD:
        approvals = attention.awaiting_approval(user=user)
        items.append(Todo("待我审批", len(approvals), _url("workbench:home", "approvals")))
        items += _overdue_cases(user, on, mine=False, label="本机关案件已超期")
    if role == Role.REVIEWER:
        reviews = review_selectors.assigned_to(user=user, on=on)
        items.append(Todo("待我法制审核", len(reviews), _url("review:queue", "mine-title")))
    unassigned = review_selectors.awaiting_assignment(user=user, on=on)
    if unassigned is not None:
        items.append(Todo("法制审核待分配", len(unassigned), _url("review:queue", "un-title")))
    if role == Role.DISCLOSURE_ADMIN:
        items += _disclosure(user, on)
        items += _inspection_results(user, on)
    if role in (Role.HEAD, Role.DISCLOSURE_ADMIN):
        items += _party_requests(user, on)
    if role == Role.ARCHIVIST:
        items.append(
            Todo(
                "已移交归档的案卷",
                case_list_visible_to(user=user, archive="handed").count(),
                _url("cases:list", archive="handed"),
            )
        )
        items.append(
            Todo(
                "已结案待移交归档",
                case_list_visible_to(user=user, archive="pending").count(),
                _url("cases:list", archive="pending"),
                level="",
            )
        )
    if role == Role.SUPERVISOR:
        items += _region_cases(user, on)
        agencies = disclosure_policies.readable_agencies_for(user)
        late = [
            d for d in disclosure_selectors.decisions_due(agencies=agencies, on=on) if d.urgency == "late"
        ]
        items.append(Todo("逾期未公开的决定", len(late), _url("disclosure:queue", "d-title"), "danger"))
        items.append(
            Todo(
                "执法证不能执法",
                certificate_problems(user, on),
                _url("org:officer_list", state="danger"),
                "danger",
            )
        )
    if role in (Role.HEAD, Role.SUPERVISOR):
        items += _clues(user)
    if role in (Role.HEAD, Role.SUPERVISOR):
        items.append(
            Todo(
                "行政检查预警（无事不扰）",
                inspection_selectors.warnings_visible_to(user=user).filter(year=on.year).count(),
                _url("inspection_tasks:warnings", year=str(on.year)),
                "",
            )
        )
    if role in (Role.HEAD, Role.SUPERVISOR):
        items += _supervision(user)
    items += _evaluation(user, on)
    return items


def _evaluation(user: User, on: dt.date) -> list[Todo]:
    """案卷评查: the evaluator's files to score, the head's rectifications to report."""
    from zhifa.supervision import evaluation_selectors as evaluation

    items = []
    mine = evaluation.files_assigned_to(user=user).filter(status="assigned").count()
    if mine:
        items.append(Todo("待我评查的案卷", mine, _url("supervision:evaluation_my_files")))
    if user.role == Role.HEAD:
        rects = list(evaluation.open_rectifications_for(user=user).values_list("due_on", flat=True))
        if rects:
            late = any(due < on for due in rects)
            items.append(
                Todo(
                    "案卷评查整改待报告",
                    len(rects),
                    _url("supervision:evaluation_results"),
                    "danger" if late else "warn",
                )
            )
    return items


def _clues(user: User) -> list[Todo]:
    """监督线索: the agency head's clues to answer and 整改报告 to file; the supervisor's to assign and
    review. Overdue ones in red (two aggregate queries, whatever the number of clues)."""
    from zhifa.supervision import clue_selectors

    counts = clue_selectors.counts_for(user=user)
    if user.role == Role.HEAD:
        items = [
            Todo("监督线索待办理答复", counts["assigned"], _url("supervision:clue_list", status="assigned"))
        ]
    else:
        items = [
            Todo("监督线索待分办", counts["registered"], _url("supervision:clue_list", status="registered")),
            Todo("监督线索待审核", counts["replied"], _url("supervision:clue_list", status="replied")),
        ]
    overdue = _url("supervision:clue_list", status="overdue")
    items.append(
        Todo("监督线索办理逾期", counts["overdue"], overdue, "danger", within=user.role == Role.HEAD)
    )
    notices = _url("supervision:clue_list", notices="overdue")
    items.append(Todo("督办整改报告逾期未报", counts["notices_overdue"], notices, "danger"))
    return items


def _supervision(user: User) -> list[Todo]:
    """备案审查 and 预警 (zhifa.supervision): the head's filings due and open warnings of the
    agency; the supervisor's filings waiting for review and the region's open warnings."""
    from zhifa.supervision import filing_selectors

    hits = filing_selectors.hit_list_visible_to(user=user).count()
    if user.role == Role.HEAD:
        status, label = "pending", "待报备、待整改的备案事项"
    else:
        status, label = "submitted", "待审查的备案事项"
    filings = filing_selectors.filing_list_visible_to(user=user, status=status)
    return [
        Todo(label, filings.count(), _url("supervision:filing_list", status=status)),
        Todo("执法监督预警待处理", hits, _url("supervision:warning_list"), "danger" if hits else ""),
    ]


def _inspections(user: User) -> list[Todo]:
    """The inspector's tasks not yet done (the 复查 of a 责令改正 among them)."""
    count = inspection_selectors.todo_for(user=user).count()
    return [Todo("待我检查的任务", count, _url("inspection_tasks:list"))] if count else []


def _inspection_results(user: User, on: dt.date) -> list[Todo]:
    """Inspection results the portal is still to show (20 working days, a setting)."""
    from zhifa.inspections.task_publication import results_due

    rows = results_due(agencies=disclosure_policies.readable_agencies_for(user), on=on)
    return [
        Todo(
            "逾期未公示的检查结果",
            sum(1 for r in rows if r["urgency"] == "late"),
            _url("inspection_tasks:results_due", urgency="late"),
            "danger",
            within=True,
        ),
        Todo("待公示的检查结果", len(rows), _url("inspection_tasks:results_due")),
    ]


def _party_requests(user: User, on: dt.date) -> list[Todo]:
    """延期（分期）缴纳 (heads) and 信用修复 (heads, 公示管理员) the party sent on the party page; red
    once a credit-repair application is past its decision period."""
    mine = [s for s in party_selectors.queue_for(user=user) if party_policies.can_decide(user, s)]
    late = any(s.kind == "credit_repair" and party_services.repair_due_on(s) < on for s in mine)
    return [Todo("当事人申请待办理", len(mine), _url("party:queue"), "danger" if late else "warn")]


def _overdue_cases(user: User, on: dt.date, *, mine: bool, label: str, within: bool = False) -> list[Todo]:
    rows = attention.case_rows(attention.open_cases(user=user, mine=mine), on)
    if mine and not rows:
        return []  # a head who handles no case: nothing of theirs to count
    count = sum(1 for row in rows if row.level == Level.DANGER)
    query = {"mine": "1", "level": Level.DANGER} if mine else {"level": Level.DANGER}
    return [Todo(label, count, _url("cases:list", **query), "danger", within)]


# The most changed cases a supervisor's count judges from the cases themselves (a minute's
# changes of a region); behind that, the refresh is late and the projection's figures stand.
LIVE_AT_MOST = 300


def _region_cases(user: User, on: dt.date) -> list[Todo]:
    """The region's open cases overdue and due soon: the case list's 已超期 / 即将到期. A region
    holds too many cases to judge each on every page, so they are counted from the cockpit's
    projection (one aggregate query), and the cases changed since its last refresh (the task
    worker's minute) from the cases themselves, as the list judges them; so the counts equal the
    list. What no event marks (a deadline that moves with time alone) waits for the case's next
    event or `zhifa cockpit rebuild` (docs/supervision-cockpit.md)."""
    from zhifa.supervision import cockpit_selectors

    changed = cockpit_selectors.unread_cases(user=user, at_most=LIVE_AT_MOST)
    counts = cockpit_selectors.region_deadline_counts(user=user, on=on, besides=changed or ())
    if changed:
        for row in attention.case_rows(attention.open_cases(user=user).filter(pk__in=changed), on):
            if row.level == Level.DANGER:
                counts["overdue"] += 1
            elif row.level == Level.WARNING:
                counts["due_soon"] += 1
    return [
        Todo("辖区案件已超期", counts["overdue"], _url("cases:list", level=Level.DANGER), "danger"),
        Todo("辖区案件即将到期", counts["due_soon"], _url("cases:list", level=Level.WARNING), ""),
    ]


def _disclosure(user: User, on: dt.date) -> list[Todo]:
    """The 公示管理 queue's own lists (disclosure.views.queue reads the same selectors)."""
    agencies = disclosure_policies.readable_agencies_for(user)
    decisions = disclosure_selectors.decisions_due(agencies=agencies, on=on)
    drafts = disclosure_selectors.with_drafts(
        disclosure_selectors.publications_visible_to(user=user).filter(agency__in=agencies)
    )
    withdrawals = disclosure_selectors.withdrawals_due(agencies=agencies, on=on)
    return [
        Todo(
            "逾期未公开的决定",
            sum(1 for d in decisions if d.urgency == "late"),
            _url("disclosure:queue", "d-title"),
            "danger",
            within=True,
        ),
        Todo("待公开的执法决定", len(decisions), _url("disclosure:queue", "d-title")),
        Todo("待审核发布的公示稿", drafts.count(), _url("disclosure:queue", "a-title")),
        Todo("应撤回的决定", len(withdrawals), _url("disclosure:queue", "w-title"), "danger"),
    ]


def certificate_problems(user: User, on: dt.date) -> int:
    """Officers who may not act (expired, overdue review, suspended, none): the officer list's 不能执法."""
    standings = (officer_standing(o, on=on) for o in officer_list_visible_to(user=user))
    return sum(1 for s in standings if s.level == Level.DANGER)


def pending_total(items: list[Todo]) -> int:
    """What the menu badge says: the counts that wait for someone (information-only rows aside)."""
    return sum(t.count for t in items if t.level and not t.within)
