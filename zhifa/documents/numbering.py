"""文号: the agency's pattern filled with its 机关代字, the kind characters, the year and the serial.

The serial comes from zhifa.core.numbering in the scope "doc:<agency pk>:<kind code>", so it is
unique and gap-free per agency, kind and year, and a rolled-back issue gives its number back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from zhifa.core.errors import DomainError
from zhifa.core.numbering import next_number
from zhifa.documents.kinds import DocumentKind
from zhifa.org.models import Agency, validate_document_number_pattern


def agency_abbr(agency: Agency) -> str:
    return agency.document_abbr or agency.short_name or agency.name


def format_number(agency: Agency, kind: DocumentKind, year: int, sequence: int) -> str:
    try:
        validate_document_number_pattern(agency.document_number_pattern)
    except ValidationError as exc:
        raise DomainError(
            f"“{agency.name}”的文号格式无效：{exc.messages[0]}请系统管理员在执法主体设置中更正。"
        ) from None
    return agency.document_number_pattern.format(
        abbr=agency_abbr(agency), kind=kind.abbr, year=year, number=sequence
    )


def scope(agency: Agency, kind: DocumentKind) -> str:
    return f"doc:{agency.pk}:{kind.code}"


def allocate(agency: Agency, kind: DocumentKind, year: int) -> tuple[int, str]:
    """(sequence, 文号) of the next document; inside the caller's transaction."""
    sequence = next_number(scope(agency, kind), year)
    return sequence, format_number(agency, kind, year, sequence)
