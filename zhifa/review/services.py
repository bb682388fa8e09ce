"""Every write of the legal review. Each service checks who acts and the state of the case, writes,
and records the case event (with its ledger leaf, zhifa.cases.timeline.event) in one
transaction; the review opinion is issued as a signed document of the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases.checks import require_text
from zhifa.cases.models import Case, Status
from zhifa.cases.penalties import PenaltyKind
from zhifa.cases.timeline import event, issue
from zhifa.cases.workflow import take
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.org.policies import ensure_can_manage_agency
from zhifa.review import policies
from zhifa.review.catalog import MARK_SWITCH, catalog_for, matches
from zhifa.review.gate import latest_round, review_due
from zhifa.review.items import FINDINGS, ITEMS, PROBLEM, finding_label
from zhifa.review.materials import checklist
from zhifa.review.models import Coordination, Criterion, Opinion, ReviewCatalog, ReviewMark, ReviewRound

if TYPE_CHECKING:
    from zhifa.accounts.models import User
    from zhifa.cases.models import CollectiveDiscussion
    from zhifa.org.models import Agency

REVIEWABLE = frozenset({Status.REPORTED, Status.NOTICE})


def _ensure_reviewable(case: Case) -> None:
    if case.status not in REVIEWABLE:
        raise DomainError(
            f"案件当前处于“{case.get_status_display()}”阶段；法制审核在调查终结后、作出决定前进行"
            "（《行政处罚法》第五十八条）。"
        )


def _lock(case: Case) -> Case:
    """Rows of one case change one at a time (two reviewers, two submissions)."""
    return Case.objects.select_for_update().get(pk=case.pk)


# ── 目录清单 ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def catalog_update(
    *,
    actor: User,
    agency: Agency,
    public_interest: bool,
    social_impact: bool,
    major_rights: bool,
    major_kinds: Sequence[str],
    fine_citizen: Decimal | None,
    fine_organisation: Decimal | None,
    after_hearing: bool,
    complex_case: bool,
    all_general: bool,
) -> ReviewCatalog:
    """The head (or the system administrator) sets the agency's 法制审核目录清单."""
    ensure_can_manage_agency(actor, agency)
    unknown = set(major_kinds) - set(PenaltyKind.values)
    if unknown:
        raise InvalidInput("请选择《行政处罚法》第九条规定的处罚种类。")
    for amount in (fine_citizen, fine_organisation):
        if amount is not None and amount < 0:
            raise InvalidInput("罚款标准不能为负数。")
    catalog = catalog_for(agency)
    catalog.public_interest, catalog.social_impact, catalog.major_rights = (
        public_interest,
        social_impact,
        major_rights,
    )
    catalog.major_kinds = [k for k in PenaltyKind.values if k in major_kinds]
    catalog.fine_citizen, catalog.fine_organisation = fine_citizen, fine_organisation
    catalog.after_hearing, catalog.complex_case, catalog.all_general = (
        after_hearing,
        complex_case,
        all_general,
    )
    catalog.updated_by = actor
    catalog.save()
    return catalog


# ── 情形标记 ──────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def review_mark(*, actor: User, case: Case, criterion: str, reason: str) -> ReviewMark:
    """Put a case into review: a handler or head names a criterion of the catalog; the head may
    add review to any case. A mark is never removed, so nobody clears the flag."""
    if criterion not in Criterion.values:
        raise InvalidInput("请选择法制审核目录清单中的情形。")
    if criterion == Criterion.HEAD_ADDED:
        policies.ensure_head(actor, case, "决定对本案进行法制审核")
    elif not (policies.is_handler(actor, case) or policies.is_head_of(actor, case.agency)):
        raise NotPermitted("标记法制审核情形应由本案承办人或本机关负责人办理。")
    elif not getattr(catalog_for(case.agency), MARK_SWITCH[Criterion(criterion)]):
        raise DomainError(f"本机关法制审核目录清单未列入“{Criterion(criterion).label}”。")
    if not case.is_open or case.decided_on is not None:
        raise DomainError("案件已经作出决定或者已经办结，不能再标记法制审核情形。")
    if case.review_marks.filter(criterion=criterion).exists():
        raise DomainError(f"本案已标记“{Criterion(criterion).label}”。")
    mark = ReviewMark.objects.create(
        case=case, criterion=criterion, reason=require_text(reason, "理由")[:300], marked_by=actor
    )
    event(case, actor, "review_mark", f"标记法制审核情形：{mark.get_criterion_display()}", reason=reason)
    return mark


# ── 送审、分配 ────────────────────────────────────────────────────────────────────────────


@transaction.atomic
def review_submit(*, actor: User, case: Case, note: str = "") -> ReviewRound:
    """The handler submits the case with its materials; what is missing is refused by name."""
    case = _lock(case)
    policies.ensure_handler(actor, case, "提交法制审核")
    _ensure_reviewable(case)
    if not matches(case):
        raise DomainError(
            "本案不属于本机关法制审核目录清单规定的情形；如需审核，请由机关负责人决定进行法制审核。"
        )
    latest = latest_round(case)
    if latest is not None:
        if latest.discussion_id is not None:
            raise DomainError("本案的审核分歧已由集体讨论决定，无需再次送审。")
        if not latest.opinion:
            raise DomainError(f"本案第 {latest.number} 次送审尚未审核完毕。")
        if latest.opinion == Opinion.AGREE:
            raise DomainError("本案已经法制审核同意。")
        note = require_text(note, "对审核意见所提问题的处理情况")
    materials = checklist(case)
    absent = [m for m in materials if not m.present]
    if absent:
        raise DomainError(
            "送审材料不齐全，缺少："
            + "；".join(f"{m.label}（{m.ref}）" for m in absent)
            + "。承办机构对送审材料的完整性负责，请补齐后再送审。"
        )
    round_ = ReviewRound.objects.create(
        case=case,
        number=(latest.number + 1) if latest else 1,
        submitted_by=actor,
        submitted_at=timezone.now(),
        materials=[{"code": m.code, "label": m.label, "ref": m.ref} for m in materials],
        note=note.strip(),
    )
    due = review_due(round_).due
    event(
        case,
        actor,
        "review_submit",
        f"第 {round_.number} 次提交法制审核，审核期限至 {due:%Y-%m-%d}" if due else "提交法制审核",
        reason=round_.note,
        round=round_.number,
    )
    return round_


@transaction.atomic
def review_assign(*, actor: User, round_: ReviewRound, reviewer: User) -> ReviewRound:
    """The head or the review body's lead assigns a reviewer who may review this case."""
    case = _lock(round_.case)
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    if not policies.may_assign(actor, case.agency):
        raise NotPermitted("分配法制审核人员应由本机关负责人或法制审核机构负责人办理。")
    if round_.opinion:
        raise DomainError("该次送审已经审核完毕。")
    try:
        policies.ensure_may_review(reviewer, case)
    except NotPermitted:
        # The one refused is the person named, not the actor: a rule, not a permission.
        raise DomainError(
            f"{reviewer.display_name}不是{case.agency.name}的法制审核人员，不能被指定审核本案"
            "（《行政处罚法》第五十八条第一款：由从事行政处罚决定法制审核的人员进行法制审核）。"
        ) from None
    round_.reviewer, round_.assigned_by, round_.assigned_at = reviewer, actor, timezone.now()
    round_.save()
    event(case, actor, "review_assign", f"第 {round_.number} 次送审分配法制审核人员{reviewer.display_name}")
    return round_


# ── 审核意见 ──────────────────────────────────────────────────────────────────────────────


def _items_clean(findings: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    cleaned = []
    for item in ITEMS:
        given = findings.get(item.code) or {}
        finding, note = given.get("finding", ""), (given.get("note") or "").strip()
        if finding not in FINDINGS:
            raise InvalidInput(f"请对“{item.label}”作出审核结论。")
        if finding == PROBLEM and not note:
            raise InvalidInput(f"“{item.label}”存在问题的，请写明具体问题。")
        cleaned.append({"code": item.code, "finding": finding, "note": note})
    return cleaned


@transaction.atomic
def review_record(
    *,
    actor: User,
    round_: ReviewRound,
    findings: Mapping[str, Mapping[str, str]],
    opinion: str,
    problems: str = "",
) -> ReviewRound:
    """The assigned reviewer records every statutory item and the opinion; the signed 法制审核意见书
    goes into the case file."""
    case = _lock(round_.case)
    round_ = ReviewRound.objects.select_for_update().get(pk=round_.pk)
    policies.ensure_assigned_reviewer(actor, round_)
    policies.ensure_may_review(actor, case)
    _ensure_reviewable(case)
    if round_.opinion:
        raise DomainError("该次送审已经出具审核意见。")
    if opinion not in Opinion.values:
        raise InvalidInput("请选择审核意见：同意或者存在问题。")
    items = _items_clean(findings)
    flagged = [i for i in items if i["finding"] == PROBLEM]
    if opinion == Opinion.AGREE and flagged:
        raise InvalidInput("有审核事项存在问题的，审核意见应为“存在问题”。")
    if opinion == Opinion.PROBLEMS:
        problems = require_text(problems, "存在的问题及修改建议")
    round_.items, round_.opinion, round_.problems = items, opinion, problems.strip()
    round_.reviewed_at = timezone.now()
    document = issue(
        case,
        actor,
        "legal_review_opinion",
        round=round_.number,
        submitted_on=round_.submitted_at.astimezone().date(),
        materials=[{"label": m["label"], "ref": m["ref"]} for m in round_.materials],
        items=[
            {
                "label": next(it.label for it in ITEMS if it.code == i["code"]),
                "finding_label": finding_label(i["code"], i["finding"]),
                "note": i["note"],
            }
            for i in items
        ],
        opinion_label=round_.get_opinion_display(),
        problems=round_.problems,
        reviewer_name=actor.display_name,
        reviewed_on=round_.reviewed_at.astimezone().date(),
    )
    round_.document_number = document.number
    round_.save()
    event(
        case,
        actor,
        "review_opinion",
        f"第 {round_.number} 次送审法制审核意见：{round_.get_opinion_display()}",
        reason=round_.problems,
        round=round_.number,
        opinion=opinion,
    )
    return round_


# ── 异议、协调、集体讨论 ──────────────────────────────────────────────────────────────────


def _open_problems(case: Case) -> ReviewRound:
    latest = latest_round(case)
    if latest is None or latest.opinion != Opinion.PROBLEMS:
        raise DomainError("本案最近一次法制审核意见不是“存在问题”，无异议可提。")
    if latest.discussion_id is not None:
        raise DomainError("该审核分歧已由集体讨论决定。")
    return latest


@transaction.atomic
def review_disagree(*, actor: User, case: Case, reason: str) -> ReviewRound:
    """The handler disagrees with a 存在问题 opinion, with the reasons (seeds: 对审核意见有异议的)."""
    case = _lock(case)
    policies.ensure_handler(actor, case, "对法制审核意见提出异议")
    round_ = _open_problems(case)
    if round_.disagreed_at is not None:
        raise DomainError("已经对该审核意见提出异议。")
    round_.disagreement = require_text(reason, "异议理由")
    round_.disagreed_at = timezone.now()
    round_.save()
    event(case, actor, "review_disagree", f"承办人对第 {round_.number} 次审核意见提出异议", reason=reason)
    return round_


@transaction.atomic
def review_coordinate(
    *, actor: User, case: Case, held_at: dt.datetime, participants: str, summary: str, agreed: bool
) -> Coordination:
    """协调: the handling unit and the review body talk it over; failing agreement, the head's
    collective discussion decides."""
    case = _lock(case)
    if not policies.may_coordinate(actor, case):
        raise NotPermitted("协调记录应由本案承办人、法制审核人员或本机关负责人登记。")
    round_ = _open_problems(case)
    if round_.disagreed_at is None:
        raise DomainError("承办人尚未对审核意见提出异议，无需协调。")
    if held_at > timezone.now():
        raise InvalidInput("协调时间不能晚于现在。")
    coordination = Coordination.objects.create(
        round=round_,
        held_at=held_at,
        participants=require_text(participants, "参加人员")[:300],
        summary=require_text(summary, "协调情况"),
        agreed=agreed,
        recorded_by=actor,
    )
    event(
        case,
        actor,
        "review_coordinate",
        "审核分歧协调："
        + ("达成一致，承办人按协调意见处理后再次送审" if agreed else "未能达成一致，提请集体讨论"),
        reason=summary,
    )
    return coordination


@transaction.atomic
def review_settle(
    *,
    actor: User,
    case: Case,
    held_at: dt.datetime,
    place: str,
    attendees: Sequence[dict[str, str]],
    conclusion: str,
    outcome: str,
) -> CollectiveDiscussion:
    """集体讨论 chaired by the head decides a disagreement coordination could not settle."""
    case = _lock(case)
    policies.ensure_head(actor, case, "审核分歧的集体讨论")
    round_ = _open_problems(case)
    if not round_.coordinations.filter(agreed=False).exists():
        raise DomainError("审核分歧应当先行协调；协调不能达成一致的，方由集体讨论决定。")
    # The discussion is the case's own step; the review round only points at it.
    discussion = take(
        "hold_discussion",
        actor=actor,
        case=case,
        held_at=held_at,
        place=place,
        attendees=attendees,
        conclusion=conclusion,
        outcome=outcome,
    )
    round_.discussion = discussion
    round_.save()
    event(
        case, actor, "review_settle", f"第 {round_.number} 次审核意见的分歧经集体讨论决定", reason=conclusion
    )
    return discussion


def reviewers_for(case: Case) -> list[Any]:
    """The agency's reviewers who may take this case, for the assignment form."""
    from zhifa.accounts.models import User

    found = []
    users = User.objects.filter(
        role=Role.REVIEWER, is_active=True, officer__agency=case.agency, officer__is_active=True
    ).select_related("officer")
    for user in users.order_by("full_name", "pk"):
        try:
            policies.ensure_may_review(user, case)
        except DomainError:
            continue
        found.append(user)
    return found
