"""当事人查询码: printed on served documents, opens its own case with the second factor, throttled."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.tests import steps
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted, RateLimited
from zhifa.documents.models import Document
from zhifa.party import access as codes
from zhifa.party.models import PartyAccess
from zhifa.party.tests.conftest import code_of, factor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(world) -> Case:
    with steps.travel(steps.START_DAY):
        return steps.notified_case(world)


def test_every_document_served_to_the_party_carries_its_own_code(world, notified):
    served = Document.objects.filter(subject_ref=notified.subject_ref, kind="prior_notice").get()
    block = served.content["party_access"]
    assert codes.page_url() in block["url"] and block["code"] in block["url"]
    assert block["factor"] == "身份证件号码后六位"
    # The file's own documents (立案审批表, 询问笔录, 报告) do not reach the party: no code.
    internal = Document.objects.filter(subject_ref=notified.subject_ref, kind="filing_approval").get()
    assert "party_access" not in internal.content
    # Only the hash is stored.
    row = PartyAccess.objects.get(case=notified)
    assert row.code_hash == codes.code_hash(block["code"])
    assert block["code"] not in str(PartyAccess.objects.values_list().get(pk=row.pk))


def test_the_code_with_the_second_factor_opens_its_case(notified):
    access = codes.party_access_open(code=code_of(notified), factor=factor_of(notified), address="10.0.0.1")
    assert access.case_id == notified.pk and access.first_opened_at is not None
    # Lower case, spaces and the dashes of the printed groups are all the same code.
    again = codes.party_access_open(
        code=code_of(notified).lower().replace("-", " "), factor=factor_of(notified), address="10.0.0.1"
    )
    assert again.pk == access.pk


def test_an_organisation_opens_with_its_credit_code(world):
    with steps.travel(steps.START_DAY):
        case = steps.notified_case(world, organisation=True)
    assert (
        codes.party_access_open(code=code_of(case), factor=case.party_id_number.lower(), address=None).case
        == case
    )
    with pytest.raises(InvalidInput, match="查询码或验证信息不正确"):
        codes.party_access_open(code=code_of(case), factor=case.party_id_number[-6:], address=None)


def test_a_wrong_factor_and_a_wrong_code_read_the_same(notified):
    with pytest.raises(InvalidInput) as wrong_factor:
        codes.party_access_open(code=code_of(notified), factor="000000", address="10.0.0.2")
    with pytest.raises(InvalidInput) as wrong_code:
        codes.party_access_open(code="AAAA-BBBB-CCCC", factor=factor_of(notified), address="10.0.0.3")
    assert wrong_factor.value.message == wrong_code.value.message


def test_guessing_one_code_is_throttled_even_with_the_right_factor_afterwards(notified):
    code = code_of(notified)
    for n in range(codes.CODE_FAILURES):
        with pytest.raises(InvalidInput):
            codes.party_access_open(code=code, factor=f"99999{n}", address=f"10.1.0.{n}")
    with pytest.raises(RateLimited, match="验证失败已达"):
        codes.party_access_open(code=code, factor=factor_of(notified), address="10.1.0.99")


def test_guessing_from_one_address_is_throttled_across_codes(notified):
    for n in range(codes.ADDRESS_FAILURES):
        with pytest.raises(InvalidInput):
            codes.party_access_open(code=f"AAAA-BBBB-{n:04d}", factor="123456", address="10.2.0.1")
    with pytest.raises(RateLimited, match="网络"):
        codes.party_access_open(code=code_of(notified), factor=factor_of(notified), address="10.2.0.1")
    # Another address is not held up by it.
    assert codes.party_access_open(code=code_of(notified), factor=factor_of(notified), address="10.2.0.2")


def test_failures_older_than_the_window_no_longer_count(notified, time_machine):
    code = code_of(notified)
    time_machine.move_to(timezone.now())
    for _ in range(codes.CODE_FAILURES):
        with pytest.raises(InvalidInput):
            codes.party_access_open(code=code, factor="000000", address="10.3.0.1")
    time_machine.shift(codes.WINDOW.total_seconds() + 1)
    assert codes.party_access_open(code=code, factor=factor_of(notified), address="10.3.0.1")


def test_a_code_stops_working_when_the_case_is_archived_or_it_is_revoked(world, notified):
    code = code_of(notified)
    access = codes.party_access_open(code=code, factor=factor_of(notified), address=None)
    Case.objects.filter(pk=notified.pk).update(archived_at=timezone.now())
    with pytest.raises(NotPermitted, match="案件已归档"):
        codes.party_access_open(code=code, factor=factor_of(notified), address=None)
    Case.objects.filter(pk=notified.pk).update(archived_at=None)
    codes.party_access_revoke(actor=world.officer, access=access, reason="查询码误交他人")
    with pytest.raises(NotPermitted, match="注销"):
        codes.party_access_open(code=code, factor=factor_of(notified), address=None)
    assert notified.events.filter(action="party_access_revoked").exists()


def test_only_the_agency_revokes_a_code(world, notified):
    access = codes.party_access_open(code=code_of(notified), factor=factor_of(notified), address=None)
    with pytest.raises(NotPermitted):
        codes.party_access_revoke(actor=world.outsider, access=access, reason="试图注销")


def test_issue_refuses_a_case_without_the_party_identity(world):
    with steps.travel(steps.START_DAY):
        case = steps.clue(world, party_id_number="")
    with pytest.raises(DomainError, match="身份证件号码"):
        codes.party_access_issue(case=case, purpose="非现场执法告知")


def test_issue_returns_a_code_once_and_one_code_never_opens_another_case(world):
    with steps.travel(steps.START_DAY):
        first = steps.clue(world)
        second = steps.clue(world, organisation=True)
    a = codes.party_access_issue(case=first, purpose="非现场执法告知")
    b = codes.party_access_issue(case=second, purpose="非现场执法告知")
    assert a.code != b.code and len(codes.normalized(a.code)) == codes.CODE_LENGTH
    assert codes.party_access_open(code=a.code, factor=factor_of(first), address=None).case == first
    # The first code with the second case's factor (and the other way round) opens nothing.
    for code, factor in ((a.code, factor_of(second)), (b.code, factor_of(first))):
        with pytest.raises(InvalidInput):
            codes.party_access_open(code=code, factor=factor, address=None)


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_of_one_code_cannot_pass_the_limit_together(monkeypatch):
    """Every guess is held just after it was let in, until all have been let in or refused: the
    interleaving in which a count-then-record throttle lets all of them through."""
    import threading

    from django.db import connection

    workers = codes.CODE_FAILURES + 3
    arrived, release = threading.Semaphore(0), threading.Event()
    lookup = codes.code_hash

    def held_lookup(code):
        arrived.release()
        release.wait(10)
        return lookup(code)

    monkeypatch.setattr(codes, "code_hash", held_lookup)
    outcomes: list[str] = []

    def guess(n):
        try:
            codes.party_access_open(code="AAAA-BBBB-CCCC", factor="123456", address=f"10.9.0.{n}")
        except RateLimited:
            outcomes.append("throttled")
            arrived.release()
        except InvalidInput:
            outcomes.append("checked")
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for _ in range(workers):  # each one let in (at the lookup) or refused
        assert arrived.acquire(timeout=10)
    release.set()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["checked"] * codes.CODE_FAILURES + ["throttled"] * 3
    with pytest.raises(RateLimited):
        codes.party_access_open(code="AAAA-BBBB-CCCC", factor="123456", address="10.9.1.1")


def test_an_attempt_that_opens_the_case_gives_its_place_back(notified):
    from zhifa.party.models import AccessThrottle

    code = code_of(notified)
    for _ in range(codes.CODE_FAILURES - 1):
        with pytest.raises(InvalidInput):
            codes.party_access_open(code=code, factor="000000", address="10.4.0.1")
    assert codes.party_access_open(code=code, factor=factor_of(notified), address="10.4.0.1")
    counts = dict(AccessThrottle.objects.values_list("key", "failures"))
    assert sorted(counts.values()) == [codes.CODE_FAILURES - 1] * 2  # the code's and the address's
    with pytest.raises(InvalidInput):  # one more failure is still allowed
        codes.party_access_open(code=code, factor="000000", address="10.4.0.1")
    with pytest.raises(RateLimited, match="验证失败已达"):
        codes.party_access_open(code=code, factor=factor_of(notified), address="10.4.0.1")
