"""The demo's party codes (printed by `zhifa demo`): each opens its own case and nothing else, and
the demo shows what issue 16 promises: a statement and a hearing request sent online, a decision
served electronically at the first opening, and a display ended early by an approved credit repair."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from zhifa.cases.models import Case, ServiceMethod
from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.demo.party import PARTIES
from zhifa.party import access as codes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo, built once for the module and rolled back after it (signing is slow)."""
    root = tmp_path_factory.mktemp("demo")
    (root / "var").mkdir()
    with (
        django_db_blocker.unblock(),
        override_settings(
            VAR_DIR=root / "var",
            MEDIA_ROOT=root / "media",
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        out = io.StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def printed_codes(output: str) -> list[tuple[str, str, str]]:
    """(code, factor, case number) of each row of the printed party table."""
    return re.findall(r"^\s+([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\s+(\S+)\s+\S+\s+(\S+)", output, re.M)


def test_every_demo_party_is_printed_with_its_code(demo_output):
    rows = printed_codes(demo_output)
    assert len(rows) == len(PARTIES)
    assert {Case.objects.get(number=number).party_name for _, _, number in rows} == set(PARTIES)


def test_every_demo_code_opens_its_own_case_and_no_other(demo_output):
    rows = printed_codes(demo_output)
    for code, factor, number in rows:
        assert codes.party_access_open(code=code, factor=factor, address=None).case.number == number
        for _, other_factor, other_number in rows:
            if other_number != number:
                with pytest.raises(InvalidInput):
                    codes.party_access_open(code=code, factor=other_factor, address=None)
    # And every code the demo's documents carry opens only the case of its document.
    from zhifa.documents.models import Document

    for doc in Document.objects.filter(content__has_key="party_access"):
        case = Case.objects.get(number=doc.subject_label)
        code = doc.content["party_access"]["code"]
        if case.archived_at is not None:  # revoked with the archiving
            with pytest.raises(NotPermitted, match="已归档"):
                codes.party_access_open(code=code, factor=_factor(case), address=None)
            continue
        assert codes.party_access_open(code=code, factor=_factor(case), address=None).case == case, doc.number


def _factor(case: Case) -> str:
    number = codes.normalized(case.party_id_number)
    return number if case.party_kind == "organisation" else number[-6:]


def test_the_demo_shows_each_party_story(demo_output):
    by_party = {c.party_name: c for c in Case.objects.filter(party_name__in=PARTIES)}
    stated = by_party["陈某某"]
    assert stated.records.filter(kind="statement", created_by__isnull=True).exists()
    assert stated.status == "notice" and not stated.defence_adoption
    assert hasattr(by_party["刘某某"], "hearing")
    online = by_party["示例包装有限公司"]
    assert online.services.filter(
        method=ServiceMethod.ELECTRONIC, documents__kind="penalty_decision"
    ).exists()
    publication = online.publications.get()
    assert publication.display_ended_on is not None and "信用修复" in publication.display_end_reason


def test_the_demo_stays_within_its_document_budget(demo_output):
    issued = int(re.search(r"签发执法文书 (\d+) 份", demo_output).group(1))
    assert issued <= 170, issued  # the whole demo's budget (zhifa/demo/tests)


def test_a_demo_code_opens_the_party_page(demo_output):
    code, factor, number = printed_codes(demo_output)[0]
    client = Client()
    assert client.post("/party/", {"code": code, "factor": factor}).status_code == 302
    assert number in client.get("/party/case/").content.decode()
