"""Small display helpers shared by every template."""

from decimal import Decimal

from django import template

register = template.Library()

_LEVEL_CLASS = {"ok": "badge-ok", "warning": "badge-warn", "danger": "badge-danger"}


@register.filter
def level_class(level: str) -> str:
    return _LEVEL_CLASS.get(level, "badge-muted")


@register.filter
def percent_of(value: Decimal | int | float, whole: Decimal | int | float) -> int:
    """Width in percent for a bar, capped at 100."""
    if not whole:
        return 0
    return max(0, min(100, round(float(value) * 100 / float(whole))))


@register.filter
def days_phrase(days: int) -> str:
    if days < 0:
        return f"已逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"剩余 {days} 天"


@register.inclusion_tag("includes/bar.html")
def bar(value: Decimal | int, target: Decimal | int, label: str = "", unit: str = "") -> dict[str, object]:
    """A horizontal progress bar against a target (学时 against 60, reviewers against the minimum)."""
    scale = max(float(value), float(target)) or 1.0
    return {
        "label": label,
        "value": value,
        "target": target,
        "unit": unit,
        "width": round(float(value) * 100 / scale),
        "target_pos": round(float(target) * 100 / scale),
        "met": float(value) >= float(target),
    }
