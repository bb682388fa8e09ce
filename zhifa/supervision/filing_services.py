"""Writes of 备案审查: opening a filing when the duty arises, and the event of each step.

The steps themselves (报备, 备案, 纠错意见, 报告整改) run on the step runner in filing_workflow.
Major decisions and township 立案 open their filing from the cases' append-only event table
(a cursor, so each run reads only the new events); a 裁量基准 changed in zhifa.catalog opens its
filing in the catalog's transaction (`filing_open_for_benchmark`, through the catalog's seam);
document formats (and benchmarks kept outside the catalog) are declared by the agency's head.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from zhifa.cases.models import Case, CaseEvent
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import Conflict, InvalidInput, NotPermitted
from zhifa.core.workflow import event_data
from zhifa.ledger.services import ledger_append
from zhifa.org.models import Agency, RegionLevel
from zhifa.org.policies import agency_of
from zhifa.org.selectors import supervising_bureau
from zhifa.supervision import filing_ledger, filing_settings
from zhifa.supervision.models_filings import Filing, FilingEvent, FilingKind, FilingStatus
from zhifa.supervision.models_warnings import WarningCursor

if TYPE_CHECKING:
    from zhifa.accounts.models import User

CURSOR = "filing_case_events"
BATCH = 500
DECLARED_KINDS = (FilingKind.DISCRETION, FilingKind.DOCUMENT_FORMAT)


def filing_event(
    filing: Filing, actor: User | None, action: str, summary: str, *, reason: str = "", **data: Any
) -> FilingEvent:
    """One event of a filing, with its ledger leaf (the runner's write_event)."""
    created = FilingEvent.objects.create(
        filing=filing, actor=actor, action=action, summary=summary[:300], reason=reason, data=event_data(data)
    )
    ledger_append(
        kind=filing_ledger.FILING_EVENT,
        ref=filing_ledger.filing_event_ref(created.pk),
        payload=filing_ledger.filing_event_payload(created),
    )
    return created


def due_on(basis_on: dt.date) -> dt.date:
    return add_workdays(basis_on, filing_settings.workdays(filing_settings.FILING_WORKDAYS)).date


def _open(
    *,
    actor: User | None,
    agency: Agency,
    kind: str,
    title: str,
    basis_on: dt.date,
    case: Case | None = None,
    description: str = "",
    origin_ref: str = "",
) -> Filing | None:
    bureau = supervising_bureau(agency)
    if bureau is None:
        return None  # no 司法局 above this agency: nothing to file with
    filing = Filing.objects.create(
        agency=agency,
        bureau=bureau,
        kind=kind,
        case=case,
        title=title[:200],
        description=description,
        basis_on=basis_on,
        due_on=due_on(basis_on),
        origin_ref=origin_ref,
    )
    filing_event(
        filing,
        actor,
        "open",
        f"{filing.get_kind_display()}：应于 {filing.due_on:%Y-%m-%d} 前报{bureau.name}备案",
        basis_on=basis_on,
        due_on=filing.due_on,
    )
    return filing


def is_major_decision(case: Case) -> list[str]:
    """Why a decided case must be filed: the review catalog's criteria (the same test that made
    法制审核 mandatory), a collective discussion, or the jurisdiction's fine thresholds."""
    from zhifa.review.catalog import matches

    if case.decided_on is None or case.procedure != "general":
        return []
    reasons = [str(m) for m in matches(case)]
    if case.is_major:
        reasons.append("情节复杂或者重大违法行为，经集体讨论决定")
    key = (
        filing_settings.MAJOR_FINE_ORGANISATION
        if case.party_is_organisation
        else filing_settings.MAJOR_FINE_CITIZEN
    )
    from zhifa.core import jurisdiction

    limit = jurisdiction.value(key)
    if limit > 0 and case.final_fine >= limit:
        reasons.append(f"罚款 {case.final_fine} 元，达到本地备案标准 {limit} 元")
    return reasons


def filing_sync_case(case: Case) -> list[Filing]:
    """Open the filings a case now owes (idempotent: at most one of each kind per case)."""
    opened: list[Filing] = []
    existing = set(Filing.objects.filter(case=case).values_list("kind", flat=True))
    if FilingKind.MAJOR_DECISION not in existing and case.decided_on is not None:
        reasons = is_major_decision(case)
        if reasons:
            filing = _open(
                actor=None,
                agency=case.agency,
                kind=FilingKind.MAJOR_DECISION,
                title=f"{case.number} {case.cause}",
                basis_on=case.decided_on,
                case=case,
                description="；".join(reasons),
            )
            opened += [filing] if filing else []
    township = case.agency.region.level == RegionLevel.TOWNSHIP
    if FilingKind.TOWNSHIP_CASE not in existing and township and case.filed_on is not None:
        filing = _open(
            actor=None,
            agency=case.agency,
            kind=FilingKind.TOWNSHIP_CASE,
            title=f"{case.number} {case.cause}",
            basis_on=case.filed_on,
            case=case,
            description="乡镇（街道）综合行政执法立案报备（004（四）4）",
        )
        opened += [filing] if filing else []
    return opened


def filings_sync(*, batch: int = BATCH) -> int:
    """Open the filings owed by cases with new events since the last run; O(new events)."""
    with transaction.atomic():
        cursor, _ = WarningCursor.objects.select_for_update().get_or_create(name=CURSOR)
        rows = list(
            CaseEvent.objects.filter(pk__gt=cursor.position)
            .order_by("pk")
            .values_list("pk", "case_id")[:batch]
        )
        if not rows:
            return 0
        case_ids = {case_id for _pk, case_id in rows}
        opened = 0
        for case in Case.objects.filter(pk__in=case_ids).select_related("agency__region", "matter_version"):
            opened += len(filing_sync_case(case))
        cursor.position = rows[-1][0]
        cursor.save(update_fields=["position"])
    return opened


def filing_declare(
    *, actor: User, kind: str, title: str, changed_on: dt.date, description: str = ""
) -> Filing:
    """An agency's head declares a changed 裁量基准 or document format, to be filed."""
    from zhifa.accounts.models import Role

    agency = agency_of(actor)
    if agency is None or actor.role != Role.HEAD:
        raise NotPermitted("裁量基准、执法文书格式的备案应由本机关负责人报送。")
    if kind not in DECLARED_KINDS:
        raise InvalidInput(
            "只有行政裁量权基准和执法文书格式由机关自行申报备案；重大决定和立案报备由系统按案件生成。"
        )
    if not title.strip():
        raise InvalidInput("请写明备案事项（如修订的裁量基准名称、文书格式名称）。")
    with transaction.atomic():
        filing = _open(
            actor=actor,
            agency=agency,
            kind=kind,
            title=title.strip(),
            basis_on=changed_on,
            description=description,
        )
        if filing is None:
            raise Conflict(f"未找到监督“{agency.name}”的司法行政部门，无法报备。")
    return filing


def filing_open_for_benchmark(*, actor: User | None, benchmark: Any, action: str) -> Filing | None:
    """A 裁量基准 made, amended (a new version) or repealed opens its 行政裁量权基准备案 by itself, in
    the catalog's transaction (installed on zhifa.catalog.benchmark_changes). Once per version
    and action: a retry returns the filing already opened. None when no 司法局 supervises the
    agency."""
    from zhifa.catalog.models import DiscretionAction
    from zhifa.core.calendar import today

    origin = f"catalog.benchmark:{benchmark.pk}:{action}"
    found = Filing.objects.filter(origin_ref=origin).first()
    if found is not None:
        return found
    matter = benchmark.matter
    label = DiscretionAction(action).label if action in DiscretionAction.values else action
    if action == DiscretionAction.REPEAL and benchmark.effective_to is not None:
        when = f"自 {benchmark.effective_to + dt.timedelta(days=1):%Y-%m-%d} 起不再适用"
    else:
        when = f"自 {benchmark.effective_from:%Y-%m-%d} 起施行"
    filing = _open(
        actor=actor,
        agency=matter.agency,
        kind=FilingKind.DISCRETION,
        title=f"{matter.code} {benchmark.title}（第{benchmark.version}版，{label}）",
        basis_on=today(),
        description=f"裁量基准{label}（{benchmark.document_ref}），{when}；由执法事项目录的修改自动生成。",
        origin_ref=origin,
    )
    return filing


def decision_document(filing: Filing) -> Any:
    """The document a case filing attaches: the signed decision, or the 立案审批表 for 立案报备."""
    from zhifa.documents.models import Document

    if filing.case is None:
        return None
    kinds = (
        ["filing_approval"]
        if filing.kind == FilingKind.TOWNSHIP_CASE
        else ["penalty_decision", "no_penalty_decision"]
    )
    return (
        Document.objects.filter(subject_ref=filing.case.subject_ref, kind__in=kinds, status="issued")
        .order_by("-issued_at", "-pk")
        .first()
    )


def open_count_for(agency: Agency) -> int:
    return Filing.objects.filter(
        agency=agency, status__in=[FilingStatus.DUE, FilingStatus.CORRECTING]
    ).count()
