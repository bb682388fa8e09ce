"""zhifa.core.access: the purpose a look carries, the supervisor's stated one, and the row written."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from zhifa.accounts.models import Role
from zhifa.core.access import PurposeRequired, Reader, Target, access_purpose, access_record, asks_purpose
from zhifa.core.errors import InvalidInput
from zhifa.core.models import AccessAction, AccessLog, AccessPurpose
from zhifa.testing.factories import make_user

pytestmark = pytest.mark.django_db
CASE_DOC = Target(
    ref="documents.document:3", label="决定书 PDF", case_ref="case:9", case_number="测案〔2026〕9号"
)


@pytest.mark.parametrize(
    ("role", "purpose"),
    [
        (Role.OFFICER, AccessPurpose.HANDLING),
        (Role.HEAD, AccessPurpose.APPROVAL),
        (Role.REVIEWER, AccessPurpose.REVIEW),
        (Role.ARCHIVIST, AccessPurpose.ARCHIVE),
    ],
)
def test_the_purpose_follows_from_the_role(role, purpose):
    reader = Reader(user=make_user(role))
    assert not asks_purpose(reader.user)
    assert access_purpose(reader=reader, target=CASE_DOC) == (purpose, "")
    assert access_purpose(reader=reader, target=CASE_DOC, handles=True) == (AccessPurpose.HANDLING, "")


def test_a_supervisor_states_it_once_per_case():
    reader = Reader(user=make_user(Role.SUPERVISOR))
    with pytest.raises(PurposeRequired) as asked:
        access_record(reader=reader, action=AccessAction.DOWNLOAD, target=CASE_DOC)
    assert asked.value.code == "purpose_required" and "测案〔2026〕9号" in asked.value.message
    assert not AccessLog.objects.exists()
    reader.purpose_state("case:9", AccessPurpose.EVALUATION, "评查")
    same_case = Target(
        ref="evidence.evidenceitem:5", label="照片", case_ref="case:9", case_number="测案〔2026〕9号"
    )
    assert access_purpose(reader=reader, target=same_case) == (AccessPurpose.EVALUATION, "评查")
    with pytest.raises(PurposeRequired):
        access_purpose(reader=reader, target=Target(ref="x:1", label="另案", case_ref="case:10"))
    with pytest.raises(InvalidInput):
        reader.purpose_state("case:9", AccessPurpose.HANDLING)


def test_the_api_reader_names_the_parameters_and_checks_the_value():
    user = make_user(Role.SUPERVISOR)
    request = RequestFactory().get("/api/x")
    request.user = user
    with pytest.raises(PurposeRequired) as asked:
        access_purpose(reader=Reader.of_api(request), target=CASE_DOC)
    assert "purpose" in asked.value.message and "X-Access-Purpose" in asked.value.message
    request = RequestFactory().get("/api/x", {"purpose": "bored"})
    request.user = user
    with pytest.raises(InvalidInput):
        access_purpose(reader=Reader.of_api(request), target=CASE_DOC)


def test_the_row_names_who_what_how_and_why():
    user = make_user(Role.HEAD, full_name="局长乙")
    request = RequestFactory().get("/x", HTTP_USER_AGENT="ua", REMOTE_ADDR="10.0.0.8")
    request.user = user
    request.session = {}
    reader = Reader.of(request)
    row = access_record(reader=reader, action=AccessAction.DOWNLOAD, target=CASE_DOC)
    assert (row.user, row.action, row.ref, row.case_ref, row.purpose) == (
        user,
        AccessAction.DOWNLOAD,
        "documents.document:3",
        "case:9",
        AccessPurpose.APPROVAL,
    )
    assert (row.ip, row.user_agent) == ("10.0.0.8", "ua") and row.user_label.startswith("局长乙")
    assert reader.last_logged(AccessAction.DOWNLOAD, "documents.document:3") is not None
    with pytest.raises(ValueError):
        access_record(reader=reader, action="peek", target=CASE_DOC)
