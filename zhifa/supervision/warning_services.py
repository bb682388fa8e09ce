"""Writes of 预警: the incremental evaluation, and a supervisor's dismissal or conversion.

warnings_run reads only what changed since the last run:

1. the new rows of the append-only event tables (CaseEvent, CertificateEvent, FilingEvent,
   InspectionWarning), each behind its cursor (WarningCursor): the objects they name are
   evaluated (for a certificate change, its holder's open cases);
2. the watches (WarningWatch) whose day has come: a deadline passing without any event;
3. each evaluation opens the hits it finds (one open hit per rule and object), resolves the
   open hits its rules no longer find, skips a finding a supervisor already dismissed, and sets
   the object's next watch day (or drops the watch when nothing can change by itself).

So a run costs O(changed objects + watches due), never a rescan of every case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from zhifa.core.calendar import today
from zhifa.core.errors import Conflict, InvalidInput
from zhifa.ledger.services import ledger_append
from zhifa.supervision import filing_ledger
from zhifa.supervision import warning_rules as rules
from zhifa.supervision.models_warnings import (
    HitStatus,
    WarningCursor,
    WarningHit,
    WarningRule,
    WarningRuleEvent,
    WarningWatch,
)
from zhifa.supervision.policies import ensure_supervisor_of

if TYPE_CHECKING:
    from zhifa.accounts.models import User

BATCH = 500


def rules_ensure() -> dict[str, WarningRule]:
    """The rule table, with any rule the code knows and the table lacks added at its defaults."""
    rows = {r.code: r for r in WarningRule.objects.all()}
    missing = [
        WarningRule(code=d.code, name=d.name, level=d.level, params=d.params, basis=d.basis)
        for d in rules.RULES
        if d.code not in rows
    ]
    if missing:
        WarningRule.objects.bulk_create(missing, ignore_conflicts=True)
        rows = {r.code: r for r in WarningRule.objects.all()}
    return rows


def rule_update(
    *, actor: User, rule: WarningRule, enabled: bool, params: dict[str, Any], reason: str
) -> WarningRule:
    """A 司法局 supervisor sets a rule's thresholds or disables it, with the reason: the rule row
    locked, the change kept as a WarningRuleEvent with what it was before, and its ledger leaf.
    The new values apply from the next run: a disabled rule raises nothing, and its open hits
    are marked 已消除 as their objects are next evaluated."""
    from zhifa.supervision.warning_policies import ensure_may_manage_rules

    ensure_may_manage_rules(actor)
    if not reason.strip():
        raise InvalidInput("修改预警规则应写明理由（如本地执法规模、上级要求）。")
    defaults = rules.BY_CODE[rule.code].params
    unknown = set(params) - set(defaults)
    if unknown:
        raise InvalidInput(f"预警规则“{rule.name}”没有参数：{'、'.join(sorted(unknown))}。")
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InvalidInput(f"预警规则“{rule.name}”的参数“{key}”应为非负数。")
    with transaction.atomic():
        locked = WarningRule.objects.select_for_update().get(pk=rule.pk)
        merged = {**defaults, **{k: v for k, v in locked.params.items() if k in defaults}, **params}
        if locked.enabled == enabled and locked.params == merged:
            raise InvalidInput(f"预警规则“{locked.name}”的阈值和启用状态没有变化。")
        before = {"enabled": locked.enabled, "params": locked.params}
        locked.enabled, locked.params = enabled, merged
        locked.save(update_fields=["enabled", "params", "updated_at"])
        event = WarningRuleEvent.objects.create(
            rule=locked,
            actor=actor,
            enabled=enabled,
            params=merged,
            before=before,
            reason=reason.strip()[:300],
        )
        ledger_append(
            kind=filing_ledger.WARNING_RULE,
            ref=filing_ledger.rule_event_ref(event.pk),
            payload=filing_ledger.rule_event_payload(event),
        )
    rule.enabled, rule.params = locked.enabled, locked.params
    return locked


@dataclass
class RunReport:
    evaluated: int = 0
    opened: int = 0
    resolved: int = 0

    def __str__(self) -> str:
        return f"评估对象 {self.evaluated} 个，新增预警 {self.opened} 条，消除 {self.resolved} 条"


def _apply(evaluation: rules.Evaluation, table: dict[str, WarningRule], report: RunReport) -> None:
    scope = rules.SCOPE_RULES[evaluation.object_kind]
    hits = list(
        WarningHit.objects.filter(
            object_kind=evaluation.object_kind, object_id=evaluation.object_id, rule__code__in=scope
        )
        .exclude(status=HitStatus.RESOLVED)
        .select_related("rule")
    )
    open_by_rule = {h.rule.code: h for h in hits if h.status == HitStatus.OPEN}
    closed = {(h.rule.code, h.facts.get("key")) for h in hits if h.status != HitStatus.OPEN}
    found: set[str] = set()
    new: list[WarningHit] = []
    for finding in evaluation.findings:
        rule = table[finding.rule]
        if not rule.enabled:
            continue
        found.add(finding.rule)
        facts = {**finding.facts, "key": finding.key}
        level = finding.level or rule.level
        current = open_by_rule.get(finding.rule)
        if current is not None:
            if current.facts != facts or current.summary != finding.summary[:300] or current.level != level:
                current.facts, current.summary, current.level = facts, finding.summary[:300], level
                current.save(update_fields=["facts", "summary", "level", "updated_at"])
            continue
        if (finding.rule, finding.key) in closed:
            continue  # a supervisor already dismissed (or converted) this very fact
        new.append(
            WarningHit(
                rule=rule,
                agency_id=finding.agency_id,
                object_kind=evaluation.object_kind,
                object_id=evaluation.object_id,
                object_label=evaluation.label,
                link=evaluation.link,
                level=level,
                summary=finding.summary[:300],
                facts=facts,
            )
        )
    if new:
        WarningHit.objects.bulk_create(new)
        report.opened += len(new)
    gone = [h.pk for code, h in open_by_rule.items() if code not in found]
    if gone:
        report.resolved += WarningHit.objects.filter(pk__in=gone).update(
            status=HitStatus.RESOLVED, closed_at=timezone.now(), close_reason="预警情形已消除"
        )
    if evaluation.object_kind == rules.INSPECTION:
        return
    if evaluation.next_on is None:
        WarningWatch.objects.filter(
            object_kind=evaluation.object_kind, object_id=evaluation.object_id
        ).delete()
    else:
        WarningWatch.objects.update_or_create(
            object_kind=evaluation.object_kind,
            object_id=evaluation.object_id,
            defaults={"due_on": evaluation.next_on},
        )
    report.evaluated += 1


def _cursor(name: str) -> WarningCursor:
    cursor, _ = WarningCursor.objects.select_for_update().get_or_create(name=name)
    return cursor


def _params(table: dict[str, WarningRule]) -> dict[str, dict[str, Any]]:
    return {code: rule.params for code, rule in table.items()}


def evaluate_cases(
    case_ids: Iterable[int], *, on: dt.date, table: dict[str, WarningRule], report: RunReport
) -> None:
    from zhifa.cases.models import Case
    from zhifa.cases.selectors import with_deadline_data

    ids = sorted(set(case_ids))
    if not ids:
        return
    cases = with_deadline_data(Case.objects.filter(pk__in=ids)).prefetch_related(
        "handlers__officer__certificates__annual_reviews"
    )
    params = _params(table)
    for case in cases:
        _apply(rules.evaluate_case(case, on, params), table, report)


def open_cases_handled_by(officer_ids: Iterable[int]) -> list[int]:
    """The open cases on which any of these officers is an active handler (one query)."""
    from zhifa.cases.models import TERMINAL, CaseHandler

    return list(
        CaseHandler.objects.filter(officer_id__in=set(officer_ids), active=True)
        .exclude(case__status__in=TERMINAL)
        .values_list("case_id", flat=True)
        .distinct()
    )


def evaluate_agencies(
    agency_ids: Iterable[int], *, on: dt.date, table: dict[str, WarningRule], report: RunReport
) -> None:
    from zhifa.org.models import Agency

    params = _params(table)
    for agency in Agency.objects.filter(pk__in=set(agency_ids), is_justice_bureau=False, is_active=True):
        _apply(rules.evaluate_agency(agency, on, params), table, report)


def evaluate_filings(
    filing_ids: Iterable[int], *, on: dt.date, table: dict[str, WarningRule], report: RunReport
) -> None:
    from zhifa.supervision.models_filings import Filing

    params = _params(table)
    for filing in Filing.objects.filter(pk__in=set(filing_ids)).select_related("agency"):
        _apply(rules.evaluate_filing(filing, on, params), table, report)


def warnings_run(*, on: dt.date | None = None, batch: int = BATCH) -> RunReport:
    """One incremental evaluation: new events behind the cursors, then the watches due."""
    from zhifa.cases.models import CaseEvent
    from zhifa.inspections.models import InspectionWarning
    from zhifa.org.models import Agency, CertificateEvent
    from zhifa.supervision.models_filings import FilingEvent

    on = on or today()
    report = RunReport()
    with transaction.atomic():
        table = rules_ensure()
        cursor = _cursor("case_events")
        rows = list(
            CaseEvent.objects.filter(pk__gt=cursor.position)
            .order_by("pk")
            .values_list("pk", "case_id")[:batch]
        )
        if rows:
            evaluate_cases([c for _p, c in rows], on=on, table=table, report=report)
            cursor.position = rows[-1][0]
            cursor.save(update_fields=["position"])

        # A certificate issued, suspended, revoked or reviewed: the holder's open cases, at once
        # rather than at their next case event (the invalid_certificate rule).
        cursor = _cursor("certificate_events")
        rows = list(
            CertificateEvent.objects.filter(pk__gt=cursor.position)
            .order_by("pk")
            .values_list("pk", "officer_id")[:batch]
        )
        if rows:
            evaluate_cases(open_cases_handled_by({o for _p, o in rows}), on=on, table=table, report=report)
            cursor.position = rows[-1][0]
            cursor.save(update_fields=["position"])

        cursor = _cursor("filing_events")
        rows = list(
            FilingEvent.objects.filter(pk__gt=cursor.position)
            .order_by("pk")
            .values_list("pk", "filing_id")[:batch]
        )
        if rows:
            evaluate_filings([f for _p, f in rows], on=on, table=table, report=report)
            cursor.position = rows[-1][0]
            cursor.save(update_fields=["position"])

        cursor = _cursor("inspection_warnings")
        found = list(
            InspectionWarning.objects.filter(pk__gt=cursor.position)
            .select_related("subject")
            .order_by("pk")[:batch]
        )
        for row in found:
            _apply(rules.evaluate_inspection_warning(row), table, report)
        if found:
            cursor.position = found[-1].pk
            cursor.save(update_fields=["position"])

        # New agencies join the daily agency rules (staffing, training, remedies).
        cursor = _cursor("agencies")
        fresh = list(
            Agency.objects.filter(pk__gt=cursor.position).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if fresh:
            agencies_watch(fresh, on=on)
            cursor.position = fresh[-1]
            cursor.save(update_fields=["position"])

        due = list(
            WarningWatch.objects.filter(due_on__lte=on).values_list("object_kind", "object_id")[:batch]
        )
        by_kind: dict[str, list[int]] = {}
        for kind, pk in due:
            by_kind.setdefault(kind, []).append(pk)
        evaluate_cases(by_kind.get(rules.CASE, []), on=on, table=table, report=report)
        evaluate_filings(by_kind.get(rules.FILING, []), on=on, table=table, report=report)
        evaluate_agencies(by_kind.get(rules.AGENCY, []), on=on, table=table, report=report)
    return report


def agencies_watch(agency_ids: Iterable[int], *, on: dt.date | None = None) -> int:
    """Put agencies under the daily agency rules (staffing, training, remedies) from `on`."""
    on = on or today()
    existing = set(
        WarningWatch.objects.filter(object_kind=rules.AGENCY, object_id__in=list(agency_ids)).values_list(
            "object_id", flat=True
        )
    )
    rows = [
        WarningWatch(object_kind=rules.AGENCY, object_id=pk, due_on=on)
        for pk in set(agency_ids)
        if pk not in existing
    ]
    WarningWatch.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _close(hit: WarningHit, *, actor: User, status: str, reason: str, clue_ref: str = "") -> WarningHit:
    hit.status, hit.closed_at, hit.closed_by = status, timezone.now(), actor
    hit.close_reason, hit.clue_ref = reason, clue_ref
    hit.save(update_fields=["status", "closed_at", "closed_by", "close_reason", "clue_ref", "updated_at"])
    ledger_append(
        kind=filing_ledger.WARNING_CLOSE,
        ref=filing_ledger.hit_ref(hit.pk),
        payload=filing_ledger.hit_close_payload(hit),
    )
    return hit


def _locked_open(hit: WarningHit, actor: User) -> WarningHit:
    ensure_supervisor_of(actor, hit.agency)
    locked = WarningHit.objects.select_for_update().select_related("rule", "agency").get(pk=hit.pk)
    if locked.status != HitStatus.OPEN:
        raise Conflict(f"该预警已{locked.get_status_display()}，不能再处理。")
    return locked


def warning_dismiss(*, actor: User, hit: WarningHit, reason: str) -> WarningHit:
    """A supervisor of the region rules a hit out, with the reason (kept in the ledger)."""
    if not reason.strip():
        raise InvalidInput("排除预警应写明理由（如已核实为正当情形）。")
    with transaction.atomic():
        locked = _locked_open(hit, actor)
        return _close(locked, actor=actor, status=HitStatus.DISMISSED, reason=reason.strip())


def warning_convert(*, actor: User, hit: WarningHit, note: str = "") -> Any:
    """A supervisor of the region turns a hit into a 监督线索 (source 预警) in the bureau's inbox;
    the hit is closed as converted, naming the clue, in the same transaction."""
    from zhifa.supervision.clue_services import clue_register
    from zhifa.supervision.models_clues import ClueSource

    with transaction.atomic():
        locked = _locked_open(hit, actor)
        facts = "；".join(f"{k}：{v}" for k, v in locked.facts.items() if k != "key")
        clue = clue_register(
            actor=actor,
            source=ClueSource.WARNING,
            agency=locked.agency,
            title=f"预警：{locked.rule.name}（{locked.object_label}）"[:200],
            content="\n".join(part for part in (locked.summary, facts, note.strip()) if part),
            origin_ref=f"warning:{locked.pk}",
            link=locked.link,
        )
        _close(
            locked,
            actor=actor,
            status=HitStatus.CONVERTED,
            reason=note.strip() or "转为监督线索",
            clue_ref=clue.number,
        )
    hit.refresh_from_db()
    return clue
