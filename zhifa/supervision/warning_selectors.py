"""Reads of the warning rules page: each rule with its hits visible to the reader, and its changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count
from django.http import Http404

from zhifa.supervision.filing_selectors import hits_visible_filter
from zhifa.supervision.models_warnings import HitStatus, WarningHit, WarningRule, WarningRuleEvent
from zhifa.supervision.warning_rules import PARAM_LABELS

if TYPE_CHECKING:
    from zhifa.accounts.models import User


@dataclass
class RuleRow:
    rule: WarningRule
    params: list[tuple[str, object]]  # (label, value)
    open: int
    dismissed: int
    last_change: WarningRuleEvent | None


def rule_rows(*, user: User, table: dict[str, WarningRule]) -> list[RuleRow]:
    """Every rule with the number of its open and dismissed hits in the reader's region (one
    aggregate query) and its latest change (one query)."""
    counts: dict[tuple[int, str], int] = {
        (row["rule_id"], row["status"]): row["n"]
        for row in WarningHit.objects.filter(
            hits_visible_filter(user), status__in=[HitStatus.OPEN, HitStatus.DISMISSED]
        )
        .values("rule_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    latest: dict[int, WarningRuleEvent] = {}
    for event in WarningRuleEvent.objects.select_related("actor").order_by("-at", "-pk"):
        latest.setdefault(event.rule_id, event)
    return [
        RuleRow(
            rule,
            [(PARAM_LABELS.get(k, k), v) for k, v in rule.params.items()],
            counts.get((rule.pk, HitStatus.OPEN), 0),
            counts.get((rule.pk, HitStatus.DISMISSED), 0),
            latest.get(rule.pk),
        )
        for rule in sorted(table.values(), key=lambda r: r.pk)
    ]


def rule_get(*, code: str) -> WarningRule:
    found = WarningRule.objects.filter(code=code).first()
    if found is None:
        raise Http404("没有该预警规则。")
    return found


def rule_events(*, rule: WarningRule, limit: int = 20) -> list[WarningRuleEvent]:
    return list(rule.events.select_related("actor").order_by("-at", "-pk")[:limit])
