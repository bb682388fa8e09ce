"""Public pages of the ledger: how to verify, the latest checkpoint, the key, the verifier itself."""

from __future__ import annotations

from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from zhifa.ledger import keys, selectors, verify


def _text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ledger/index.html",
        {
            "title": "防篡改账本",
            "latest": selectors.latest_checkpoint(),
            "checkpoints": selectors.recent_checkpoints(20),
            "size": selectors.tree_size(),
            "verifier_key": keys.signing_key().verifier_key,
        },
    )


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest checkpoint as its signed note (text/plain), for `zhifa-verify checkpoint`."""
    latest = selectors.latest_checkpoint()
    if latest is None:
        raise Http404
    return _text(latest.note)


@require_safe
def checkpoint_at(request: HttpRequest, size: int) -> HttpResponse:
    found = selectors.checkpoint_at(size)
    if found is None:
        raise Http404
    return _text(found.note)


@require_safe
def key(request: HttpRequest) -> HttpResponse:
    return _text(keys.signing_key().verifier_key + "\n")


@require_safe
def verifier_script(request: HttpRequest) -> HttpResponse:
    """verify.py itself, so a court can fetch the exact verifier and run it with a bare python3."""
    response = _text(Path(verify.__file__).read_text(encoding="utf-8"))
    response["Content-Disposition"] = 'attachment; filename="verify.py"'
    return response
