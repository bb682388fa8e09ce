"""The one redaction engine every public output passes through (portal, feeds, exports, search).

    redact(text, names=...) -> Redacted(text, marks)
    redact_fields({"facts": ..., "party": ...}, names=...) -> (redacted fields, marks per field)

`marks` are the masked spans in the redacted text, for the disclosure administrator's review.
What is masked and kept, and the style setting (settings.ZHIFA_REDACTION_STYLE): docs/redaction.md.
"""

from .engine import Found, Mark, Redacted, find, find_fields, redact, redact_fields
from .style import Style, current_style, mask_id, mask_name

__all__ = [
    "Found",
    "Mark",
    "Redacted",
    "Style",
    "current_style",
    "find",
    "find_fields",
    "mask_id",
    "mask_name",
    "redact",
    "redact_fields",
]
