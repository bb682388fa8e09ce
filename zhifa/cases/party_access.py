"""What a document served to the party carries to open the party page, as a seam.

`zhifa.cases.timeline.issue` asks here for every document it issues; for the kinds a party
receives, the party app (zhifa.party) installs a provider from its AppConfig.ready() that issues
an access code and returns the `party_access` block of the content ({code, url}: printed with a
QR code on the PDF and the DOCX, see docs/documents.md). Without it documents carry nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from zhifa.cases.models import Case


class Provider(Protocol):
    def __call__(self, case: Case, kind: str) -> dict[str, Any]: ...


def _none(case: Case, kind: str) -> dict[str, Any]:
    return {}


_provider: Provider = _none


def install(provider: Provider) -> Provider:
    """Use `provider` from now on; returns the one it replaces (so a test can put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def content_for(case: Case, kind: str) -> dict[str, Any]:
    """The extra content of a document of `kind` for the case: {"party_access": {...}} or {}."""
    from zhifa.cases.documents import SERVED_KINDS

    if kind not in SERVED_KINDS:
        return {}
    return _provider(case, kind)
