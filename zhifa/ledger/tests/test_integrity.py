"""`zhifa ledger verify` on real case events and documents: all is well, then every kind of
edit behind the application's back is detected and named."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from zhifa.cases.models import CaseEvent
from zhifa.cases.tests import steps
from zhifa.documents.models import Document, DocumentStatus
from zhifa.documents.services import document_signed
from zhifa.ledger import services
from zhifa.ledger.integrity import Divergence, verify_log
from zhifa.ledger.models import Checkpoint, LedgerHead, LedgerLeaf, LedgerNode


@pytest.fixture
def logged(world):
    case = steps.investigated_case(world)
    services.checkpoint_make(reason="测试")
    return case


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_case_events_and_documents_are_logged_and_verify(logged):
    events = list(CaseEvent.objects.filter(case=logged).order_by("pk"))
    documents = list(Document.objects.filter(status=DocumentStatus.ISSUED))
    refs = set(LedgerLeaf.objects.values_list("ref", flat=True))
    assert {f"cases.caseevent:{e.pk}" for e in events} <= refs
    assert {f"documents.document:{d.pk}" for d in documents} <= refs
    assert documents
    code, out, err = _verify()
    assert code == 0, err
    assert out.startswith(f"账本校验通过：共 {LedgerLeaf.objects.count()} 个叶，根哈希 ")
    assert "个签名检查点有效，比对现存记录" in out


def test_progress_counts_every_leaf(logged):
    # The terminal's bar is fed as the batches are read, up to the whole log.
    moves: list[int] = []
    summary = verify_log(progress=moves.append)
    assert summary.size == LedgerLeaf.objects.count() > 1
    assert moves and sum(moves) == summary.size


def _first_event(case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("pk").first()


def _assert_named(*needles: str) -> None:
    code, _, err = _verify()
    assert code == 1
    for needle in needles:
        assert needle in err, err


def test_edited_case_event_is_named(logged):
    event = _first_event(logged)
    CaseEvent.objects.filter(pk=event.pk).update(summary="篡改后的摘要")
    _assert_named(f"cases.caseevent:{event.pk}", "summary", "篡改后的摘要")


def test_edited_document_number_is_named(logged):
    document = Document.objects.filter(status=DocumentStatus.ISSUED).first()
    Document.objects.filter(pk=document.pk).update(number="测字〔2099〕1号")
    _assert_named(f"documents.document:{document.pk}", "number")


def test_swapped_pdf_file_is_named(logged):
    document = document_signed(Document.objects.filter(status=DocumentStatus.ISSUED).first())
    Path(document.pdf.path).write_bytes(b"%PDF-1.7 a different file")
    _assert_named(f"documents.document:{document.pk}", "pdf_sha256")


def test_deleted_record_is_named(logged):
    event = _first_event(logged)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {CaseEvent._meta.db_table} WHERE id = %s", [event.pk])
    _assert_named(f"cases.caseevent:{event.pk}", "no longer exists")


def test_record_written_behind_the_ledger_is_named(logged):
    sneaked = CaseEvent.objects.create(case=logged, action="note", summary="未入账的记录")
    _assert_named(f"cases.caseevent:{sneaked.pk}", "has no leaf")


def test_edited_leaf_row_is_named(logged):
    leaf = LedgerLeaf.objects.get(index=2)
    LedgerLeaf.objects.filter(index=2).update(data=leaf.data.replace('"case"', '"kase"'))
    _assert_named("leaf 2", leaf.ref)


def test_leaf_rewritten_with_its_own_hash_is_caught_by_the_tree(logged):
    # An editor who also recomputes the leaf hash still breaks the stored subtree hashes.
    from zhifa.ledger.verify import leaf_hash

    leaf = LedgerLeaf.objects.filter(kind="case_event", index__gt=0).order_by("index").first()
    data = leaf.data.replace('"summary":"', '"summary":"X')  # same record, different summary
    LedgerLeaf.objects.filter(index=leaf.index).update(data=data, hash=leaf_hash(data.encode()).hex())
    code, _, err = _verify()
    assert code == 1 and f"leaf {leaf.index}" in err and leaf.ref in err


def test_edited_node_row_is_named(logged):
    LedgerNode.objects.filter(level=1, index=0).update(hash=b"\x00" * 32)
    _assert_named("subtree hash (1, 0)")


def test_edited_checkpoint_is_named(logged):
    checkpoint = Checkpoint.objects.get()
    lines = checkpoint.note.split("\n")
    lines[1] = str(int(lines[1]) - 1)
    Checkpoint.objects.filter(pk=checkpoint.pk).update(note="\n".join(lines), size=int(lines[1]))
    _assert_named(f"checkpoint #{checkpoint.pk}", "signature")


def test_truncated_log_is_named(logged):
    last = LedgerLeaf.objects.order_by("-index").first()
    LedgerLeaf.objects.filter(index=last.index).delete()
    code, _, err = _verify()
    assert code == 1 and "leaves" in err


def test_backfill_logs_the_records_of_an_older_database(logged):
    # A record appears once in the backfilled log (as it stands now), however often it changed.
    events, leaves = CaseEvent.objects.count(), LedgerLeaf.objects.values("ref").distinct().count()
    for model in (Checkpoint, LedgerNode, LedgerLeaf, LedgerHead):
        model.objects.all().delete()
    out = io.StringIO()
    call_command("ledger", "backfill", stdout=out)
    assert out.getvalue().strip() == f"已为账本补记 {leaves} 个叶。"
    assert LedgerLeaf.objects.filter(kind="case_event").count() == events
    assert verify_log().size == leaves
    call_command("ledger", "backfill", stdout=out)
    assert LedgerLeaf.objects.count() == leaves


def test_proof_command_prints_a_checkable_line(logged):
    import shlex
    import subprocess
    import sys

    from zhifa.ledger import verify

    event = _first_event(logged)
    out = io.StringIO()
    call_command("ledger", "proof", "--ref", f"cases.caseevent:{event.pk}", stdout=out)
    line = out.getvalue().strip().splitlines()[-1]
    assert line.startswith("zhifa-verify inclusion ")
    args = shlex.split(line)[1:]
    result = subprocess.run([sys.executable, "-I", "-S", verify.__file__, *args], check=False, timeout=60)
    assert result.returncode == 0


def test_verify_raises_the_first_divergence_only(logged):
    CaseEvent.objects.filter(case=logged).update(summary="全部篡改")
    with pytest.raises(Divergence) as caught:
        verify_log()
    assert caught.value.ref == f"cases.caseevent:{_first_event(logged).pk}"


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of 2 leaves: the log spans many batches and the levels above them."""
    from zhifa.ledger import integrity

    monkeypatch.setattr(integrity, "LEVELS", 1)
    monkeypatch.setattr(integrity, "BATCH", 2)


def test_many_batches_verify_with_every_checkpoint_root(logged, small_batches):
    from zhifa.ledger.selectors import tree_size
    from zhifa.ledger.verify import EMPTY_ROOT

    size = tree_size()
    assert size > 8  # more than two levels above the batches
    services.checkpoint_make(reason="测试")  # a second checkpoint at another size
    summary = verify_log()
    assert summary.size == LedgerLeaf.objects.count() and summary.checkpoints == Checkpoint.objects.count()
    assert summary.root.hex() == Checkpoint.objects.order_by("-size").first().root != EMPTY_ROOT.hex()


def test_many_batches_name_the_lowest_divergence(logged, small_batches):
    CaseEvent.objects.filter(case=logged).update(summary="全部篡改")
    with pytest.raises(Divergence) as caught:
        verify_log()
    assert caught.value.ref == f"cases.caseevent:{_first_event(logged).pk}"
    LedgerNode.objects.filter(level=3, index=0).update(hash=b"\x00" * 32)
    with pytest.raises(Divergence, match=r"subtree hash \(3, 0\) ending at leaf 7"):
        verify_log(records=False)


@pytest.mark.django_db(transaction=True)
def test_ranges_are_checked_in_forked_processes(monkeypatch, small_batches):
    # `zhifa ledger verify` shares the batches out between this process (the newest range) and
    # forked ones (the older ranges, each told the refs logged after it); a database held in this
    # process's memory (the SQLite test database) cannot be shared.
    from django.db import transaction

    from zhifa.ledger import integrity, registry

    if not integrity._can_fork():
        pytest.skip("the test database lives in this process's memory")
    monkeypatch.setattr(integrity, "_cores", lambda: 3)
    store = {f"test.item:{i}": {"n": i, "名称": f"记录{i}"} for i in range(12)}
    monkeypatch.setitem(
        registry._KINDS, "test", registry.Kind("test", lambda refs: {r: store[r] for r in refs if r in store})
    )
    with transaction.atomic():
        for ref, payload in store.items():
            services.ledger_append(kind="test", ref=ref, payload=payload)
        # A newer leaf of an old record: the range holding the old one must not compare it.
        services.ledger_append(kind="test", ref="test.item:0", payload={"n": 0, "名称": "记录0（更正）"})
    store["test.item:0"] = {"n": 0, "名称": "记录0（更正）"}
    size = LedgerLeaf.objects.count()
    assert len(integrity._ranges(size, 3)) == 3
    moves: list[int] = []
    summary = verify_log(parallel=True, progress=moves.append)
    assert sum(moves) == size and summary.records == verify_log(parallel=False).records == 12
    store["test.item:3"] = {"n": 99, "名称": "记录3"}  # in the oldest range, a child's
    store["test.item:11"] = {"n": 98, "名称": "记录11"}  # in the newest, this process's
    with pytest.raises(Divergence, match=r"test\.item:3 differs from its leaf in n"):
        verify_log(parallel=True)
    del store["test.item:3"], store["test.item:11"]
    with pytest.raises(Divergence, match=r"test\.item:3 no longer exists"):
        verify_log(parallel=True)
    store["test.item:3"], store["test.item:11"] = {"n": 3, "名称": "记录3"}, {"n": 11, "名称": "记录11"}
    assert verify_log(parallel=True).records == 12
    LedgerNode.objects.filter(level=0, index=1).update(hash=b"\x00" * 32)
    with pytest.raises(Divergence, match=r"subtree hash \(0, 1\)"):
        verify_log(parallel=True)


@pytest.mark.django_db(transaction=True)
def test_a_moved_older_leaf_is_caught_by_its_framing(monkeypatch):
    # Only a record's newest leaf is compared with the record; an older one must still name its
    # own row's kind and ref.
    from django.db import transaction

    from zhifa.ledger import registry

    store = {"test.item:1": {"n": 2}, "test.item:2": {"n": 2}}
    monkeypatch.setitem(
        registry._KINDS, "test", registry.Kind("test", lambda refs: {r: store[r] for r in refs if r in store})
    )
    with transaction.atomic():
        services.ledger_append(kind="test", ref="test.item:1", payload={"n": 1})
        services.ledger_append(kind="test", ref="test.item:2", payload={"n": 2})
        services.ledger_append(kind="test", ref="test.item:1", payload={"n": 2})
    assert verify_log(parallel=False).records == 2
    LedgerLeaf.objects.filter(index=0).update(ref="test.item:2")
    with pytest.raises(Divergence, match=r"leaf 0: its data does not name the row's test test\.item:2"):
        verify_log(parallel=False, records=True)
    with pytest.raises(Divergence, match=r"leaf 0: its data does not name"):
        verify_log(parallel=False, records=False)
