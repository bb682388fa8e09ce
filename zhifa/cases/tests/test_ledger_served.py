"""What pages, documents and the API serve of a case is inside the ledger: a value changed in the
database, or a byte of a stored file, is named by `zhifa ledger verify`."""

from __future__ import annotations

import pytest

from zhifa.cases.models import Case
from zhifa.cases.tests.steps import on_the_spot_case
from zhifa.documents.models import Document
from zhifa.documents.services import document_signed
from zhifa.ledger.integrity import Divergence, verify_log

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("column", "value"), [("final_fine", "1.00"), ("party_name", "另一个人"), ("status", "closed")]
)
def test_a_served_case_field_changed_in_the_database_is_named(world, column, value):
    case = on_the_spot_case(world)
    verify_log()
    Case.objects.filter(pk=case.pk).update(**{column: value})
    with pytest.raises(Divergence, match=f"cases.case:{case.pk} differs from its leaf in {column}"):
        verify_log()


@pytest.mark.parametrize("field", ["pdf", "docx"])
def test_a_byte_of_a_stored_file_is_named(world, field):
    case = on_the_spot_case(world)
    document = document_signed(
        Document.objects.get(subject_ref=case.subject_ref, kind="on_the_spot_decision")
    )
    path = getattr(document, field).path
    with open(path, "r+b") as f:
        f.seek(100)
        byte = f.read(1)
        f.seek(100)
        f.write(bytes([byte[0] ^ 1]))
    with pytest.raises(Divergence, match=f"differs from its leaf in {field}_sha256"):
        verify_log()
