"""Template helpers of the disclosure administrator's pages: {% load disclosure_queue %}."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhifa.disclosure import projection

register = template.Library()

CATEGORY_LABELS = {
    "id_card": "身份证号",
    "phone": "电话号码",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "plate": "车牌号",
    "passport": "护照号",
    "address": "详细地址",
    "name": "姓名",
    "manual": "人工遮蔽",
}


@register.filter
def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


@register.filter
def highlighted(value: Any, marks: Any) -> SafeString:
    """The redacted text with each masked span in <mark>, for the administrator's check."""
    text = str(value)
    out: list[str] = []
    pos = 0
    for start, end, category in sorted((int(m[0]), int(m[1]), str(m[2])) for m in marks or []):
        if start < pos or end > len(text):
            continue  # overlapping or stale marks: show the text, never break the page
        label = CATEGORY_LABELS.get(category, category)
        out.append(escape(text[pos:start]))
        out.append(f'<mark title="已遮蔽：{escape(label)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # every piece is escaped above


@register.filter
def field_label(key: str) -> str:
    return projection.field_label(key)


@register.filter
def urgency_badge(urgency: str) -> str:
    return {"late": "badge-danger", "soon": "badge-warn"}.get(urgency, "badge-muted")
