"""{% ledger_proof ref %}: a record's place in the ledger and its inclusion proof, compactly.

Or {% ledger_proof "<app_label>.<model>" obj %}. Pass `siblings` (refs of every record on the page) to fetch all their proofs in one go:
{% ledger_proof ref siblings=refs %}. `show_data` shows the leaf data (internal pages only).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from zhifa.ledger.selectors import proofs_for

register = template.Library()
_CACHE = "ledger_proofs"


@register.inclusion_tag("ledger/includes/proof.html", takes_context=True)
def ledger_proof(
    context: template.Context,
    ref: str,
    obj: Any = None,
    siblings: Iterable[str] | None = None,
    show_data: bool = False,
) -> dict[str, Any]:
    if obj is not None:  # {% ledger_proof "cases.caseevent" event %}
        ref = f"{ref}:{obj.pk}"
    if _CACHE not in context.render_context:
        context.render_context[_CACHE] = {}
    cache: dict[str, Any] = context.render_context[_CACHE]
    if ref not in cache:
        wanted = [ref, *(siblings or ())]
        found = proofs_for(wanted)
        cache.update({r: found.get(r) for r in wanted})
    return {"proof": cache[ref], "show_data": show_data}


@register.simple_tag
def ledger_refs(prefix: str, objects: Iterable[Any]) -> list[str]:
    """["<prefix>:<pk>", ...] for a page's records, to pass as `siblings`."""
    return [f"{prefix}:{obj.pk}" for obj in objects]
