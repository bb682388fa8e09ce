"""Adding evidence (hashes, content address, ledger leaf), its refusals, the AV-recording list
gate on the case steps, the head's exception, and disposal."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from zhifa.accounts.models import Role
from zhifa.cases import recording_gate, services
from zhifa.cases.models import RecordKind
from zhifa.cases.tests.steps import add_inquiry, filed_case
from zhifa.catalog.models import AVLevel, Stage
from zhifa.core.errors import DomainError, InvalidInput, NotPermitted
from zhifa.evidence import payloads, storage
from zhifa.evidence.models import Blob, EvidenceItem, EvidenceKind, RecordingException, Retention
from zhifa.evidence.services import evidence_dispose, evidence_staging_clean, recording_exception_approve
from zhifa.evidence.tests.helpers import add_item, attach_av
from zhifa.ledger.models import LedgerLeaf
from zhifa.testing import unchanged_db
from zhifa.testing.factories import make_matter, make_user

CONTENT = b"photo bytes " * 1000


def _stored_path(sha256: str) -> Path:
    return Path(storages["evidence"].path(storage.content_name(sha256)))


def test_item_is_stored_by_its_hash_with_sm3_and_appended_to_the_ledger(world):
    case = filed_case(world)
    item = add_item(case, actor=world.officer, content=CONTENT)
    sha256 = hashlib.sha256(CONTENT).hexdigest()
    assert (item.blob.sha256, item.blob.sm3, item.blob.size) == (
        sha256,
        hashlib.new("sm3", CONTENT).hexdigest(),
        len(CONTENT),
    )
    assert _stored_path(sha256).read_bytes() == CONTENT
    assert not list(storage.staging_dir().iterdir())  # nothing left in staging
    leaf = LedgerLeaf.objects.get(ref=item.ref)
    assert sha256 in leaf.data and "当事人" not in leaf.data  # hashes and identifiers only
    assert payloads.payloads([item.ref])[item.ref] == payloads.payload_of(
        item, sha256=sha256, sm3=item.blob.sm3, size=len(CONTENT)
    )
    assert case.events.filter(action="add_evidence").exists()
    assert item.retention == Retention.Y30


def test_same_file_twice_is_one_blob(world):
    case = filed_case(world)
    first = add_item(case, actor=world.officer, content=CONTENT)
    second = add_item(case, actor=world.colleague, content=CONTENT, title="同一照片")
    assert first.blob_id == second.blob_id and Blob.objects.count() == 1


def test_changed_file_shows_in_the_rebuilt_payload(world):
    case = filed_case(world)
    item = add_item(case, actor=world.officer, content=CONTENT)
    path = _stored_path(item.blob.sha256)
    path.chmod(0o640)
    path.write_bytes(CONTENT + b"!")
    leaf = LedgerLeaf.objects.get(ref=item.ref)
    rebuilt = payloads.payloads([item.ref])[item.ref]
    assert rebuilt["sha256"] != item.blob.sha256 and rebuilt["sha256"] not in leaf.data


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"collected_at": None}, "采集时间"),
        ({"place": " "}, "采集地点"),
        ({"proves": ""}, "证明对象"),
        ({"collected_at": None, "proves": ""}, "采集时间、证明对象"),
    ],
)
def test_missing_metadata_is_refused_by_name_and_nothing_is_stored(world, fields, named):
    case = filed_case(world)
    with unchanged_db(), pytest.raises(InvalidInput, match=f"缺少{named}"):
        add_item(case, actor=world.officer, content=CONTENT, **fields)
    assert not _stored_path(hashlib.sha256(CONTENT).hexdigest()).exists()
    assert not list(storage.staging_dir().iterdir())


def test_missing_case_and_collector_are_named(world):
    from zhifa.evidence.services import Metadata, evidence_add
    from zhifa.evidence.tests.helpers import staged

    meta = Metadata(kind="physical", title="照片", proves="x", collected_at=None, place="", collector=None)
    with pytest.raises(InvalidInput, match=r"案件编号.*采集时间、采集地点、采集人"):
        evidence_add(actor=world.officer, case=None, staged=staged(b"x"), meta=meta, original_name="a.jpg")


def test_only_handlers_and_the_head_add_evidence_to_an_open_case(world):
    case = filed_case(world)
    add_item(case, actor=world.head, collector=world.officer)
    for user in (world.bystander, world.reviewer, world.outsider):
        with unchanged_db(), pytest.raises(NotPermitted):
            add_item(case, actor=user, collector=world.officer, content=b"other")
    supervisor = make_user(Role.SUPERVISOR, full_name="监督员")
    with pytest.raises(NotPermitted):
        add_item(case, actor=supervisor, collector=world.officer, content=b"other")


def test_collector_of_another_agency_is_refused(world):
    case = filed_case(world)
    with pytest.raises(InvalidInput, match="不是本案执法主体"):
        add_item(case, actor=world.officer, collector=world.outsider)


def test_stage_only_for_av_and_times_in_order(world):
    case = filed_case(world)
    with pytest.raises(InvalidInput, match="只有视听资料"):
        add_item(case, actor=world.officer, stage=Stage.ON_SITE)
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(InvalidInput, match="结束时间不能早于"):
        add_item(
            case,
            actor=world.officer,
            kind=EvidenceKind.AUDIOVISUAL,
            recording_started_at=now - dt.timedelta(minutes=5),
            recording_ended_at=now - dt.timedelta(minutes=10),
        )


# ── 音像记录事项清单 ─────────────────────────────────────────────────────────────────────


def _av_case(world, levels):
    matter = make_matter(agency=world.agency, domain=world.domain, code="AV01", av_levels=levels)
    return filed_case(world, matter=matter)


def test_inquiry_needs_an_av_record_when_the_list_says_so(world):
    case = _av_case(world, {Stage.INVESTIGATION: AVLevel.AV})
    with pytest.raises(DomainError, match=r"音像记录事项清单.*调查取证.*音像记录"):
        add_inquiry(world, case)
    attach_av(case, actor=world.officer, stage=Stage.INVESTIGATION, whole=False)
    record = add_inquiry(world, case)
    assert record.kind == RecordKind.INQUIRY


def test_full_level_needs_a_whole_process_recording(world):
    case = _av_case(world, {Stage.INVESTIGATION: AVLevel.FULL})
    attach_av(case, actor=world.officer, stage=Stage.INVESTIGATION, whole=False)
    with pytest.raises(DomainError, match="全程音像记录"):
        add_inquiry(world, case)
    attach_av(case, actor=world.officer, stage=Stage.INVESTIGATION, whole=True)
    add_inquiry(world, case)


def test_av_of_another_stage_does_not_count(world):
    case = _av_case(world, {Stage.INVESTIGATION: AVLevel.AV})
    attach_av(case, actor=world.officer, stage=Stage.ON_SITE)
    with pytest.raises(DomainError, match="调查取证"):
        add_inquiry(world, case)


def test_text_level_needs_nothing(world):
    case = filed_case(world)  # the world's matter: text everywhere the law allows
    assert recording_gate.coverage(case, Stage.INVESTIGATION).met
    add_inquiry(world, case)


def test_head_approves_an_exception_with_its_reason(world):
    case = _av_case(world, {Stage.INVESTIGATION: AVLevel.AV})
    for user in (world.officer, world.reviewer, world.outsider):
        with unchanged_db(), pytest.raises(NotPermitted, match="机关负责人"):
            recording_exception_approve(actor=user, case=case, stage=Stage.INVESTIGATION, reason="设备故障")
    with pytest.raises(InvalidInput, match="理由"):
        recording_exception_approve(actor=world.head, case=case, stage=Stage.INVESTIGATION, reason=" ")
    with pytest.raises(DomainError, match="只要求文字记录"):
        recording_exception_approve(actor=world.head, case=case, stage=Stage.DECISION, reason="无")
    exception = recording_exception_approve(
        actor=world.head,
        case=case,
        stage=Stage.INVESTIGATION,
        reason="执法记录仪故障，已由两名执法人员签字确认。",
    )
    assert LedgerLeaf.objects.filter(ref=exception.ref).exists()
    assert case.events.filter(action="approve_recording_exception").exists()
    add_inquiry(world, case)
    assert RecordingException.objects.count() == 1


# ── 保管与销毁 ────────────────────────────────────────────────────────────────────────


def test_no_disposal_while_the_case_is_open_or_by_others(world):
    case = filed_case(world)
    item = add_item(case, actor=world.officer)
    with pytest.raises(NotPermitted):
        evidence_dispose(actor=world.officer, item=item, reason="期满")
    with unchanged_db(), pytest.raises(DomainError, match="未结案归档"):
        evidence_dispose(actor=world.head, item=item, reason="期满")


def test_disposal_after_retention_keeps_the_record_and_drops_the_file(
    world, django_capture_on_commit_callbacks
):
    case = filed_case(world)
    item = add_item(case, actor=world.officer, content=CONTENT)
    case.status, case.closed_on, case.archived_at = (
        "closed",
        dt.date(1990, 1, 5),
        dt.datetime(1990, 2, 1, tzinfo=dt.UTC),
    )
    case.save()
    item.refresh_from_db()
    with pytest.raises(InvalidInput, match="销毁依据"):
        evidence_dispose(actor=world.head, item=item, reason="")
    archivist = make_user(Role.ARCHIVIST, agency=world.agency, full_name="档案员")
    with pytest.raises(DomainError, match="2020-01-05"):
        evidence_dispose(actor=archivist, item=item, reason="期满", on=dt.date(2019, 12, 31))
    path = _stored_path(item.blob.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_dispose(actor=archivist, item=item, reason="经鉴定期满销毁")
    item = EvidenceItem.objects.select_related("blob").get(pk=item.pk)
    assert item.disposed_at is not None and item.blob.purged_at is not None
    assert not path.exists()
    # The ledger still rebuilds the item's leaf from its recorded hashes.
    assert payloads.payloads([item.ref])[item.ref]["sha256"] == item.blob.sha256
    assert LedgerLeaf.objects.filter(ref=f"{payloads.DISPOSAL}:{item.pk}").exists()


def test_permanent_items_are_never_disposed(world):
    case = filed_case(world, is_major=True, major_reason="案情复杂")
    item = add_item(case, actor=world.officer)
    assert item.retention == Retention.PERMANENT
    case.status, case.closed_on, case.archived_at = (
        "closed",
        dt.date(1980, 1, 5),
        dt.datetime(1980, 2, 1, tzinfo=dt.UTC),
    )
    case.save()
    item.refresh_from_db()
    with pytest.raises(DomainError, match="永久"):
        evidence_dispose(actor=world.head, item=item, reason="期满")
    assert EvidenceItem.objects.filter(pk=item.pk, disposed_at__isnull=True).exists()
    assert services  # the case services stay importable with the gate installed


# ── 暂存文件清理 ──────────────────────────────────────────────────────────────────────


def _staging_file(name: str, *, hours_ago: float, size: int = 100) -> Path:
    path = storage.staging_dir() / name
    path.write_bytes(b"x" * size)
    moment = timezone.now().timestamp() - hours_ago * 3600
    os.utime(path, (moment, moment))
    return path


def test_staging_clean_removes_only_stale_part_files(db):
    stale = _staging_file("killed.part", hours_ago=30, size=4096)
    fresh = _staging_file("arriving.part", hours_ago=0.1)
    other = _staging_file("notes.txt", hours_ago=100)
    folder = storage.staging_dir() / "old.part"
    folder.mkdir()
    os.utime(folder, (0, 0))
    cleaned = evidence_staging_clean(older_than=dt.timedelta(hours=24))
    assert (cleaned.files, cleaned.bytes) == (1, 4096)
    assert not stale.exists() and fresh.exists() and other.exists() and folder.is_dir()


def test_staging_clean_never_touches_an_upload_in_progress(db):
    stager = storage.Stager()
    stager.write(b"first chunk")
    os.utime(stager.path, (0, 0))  # silent for ages …
    stager.write(b"second chunk")  # … then the next chunk arrives
    stager._file.flush()
    assert evidence_staging_clean(older_than=dt.timedelta(hours=1)).files == 0
    staged = stager.finish()
    assert staged.path.read_bytes() == b"first chunksecond chunk"
    staged.path.unlink()


def test_staging_clean_refuses_a_period_under_an_hour(db):
    stale = _staging_file("killed.part", hours_ago=30)
    with pytest.raises(InvalidInput, match="至少 1 小时"):
        evidence_staging_clean(older_than=dt.timedelta(minutes=59))
    assert stale.exists()


def test_staging_hashes_sm3_in_a_second_thread_in_order(db):
    # SM3 runs a few chunks behind in its own thread; the digests are those of the whole file in order.
    import hashlib

    chunks = [bytes([i]) * (storage.CHUNK // 7 + i) for i in range(20)]
    stager = storage.Stager()
    for chunk in chunks:
        stager.write(bytearray(chunk))  # a buffer the caller may reuse is copied first
    staged = stager.finish()
    whole = b"".join(chunks)
    assert (staged.sha256, staged.sm3, staged.size) == (
        hashlib.sha256(whole).hexdigest(),
        hashlib.new("sm3", whole).hexdigest(),
        len(whole),
    )
    assert storage.hash_stream(io.BytesIO(whole)) == (staged.sha256, staged.sm3, len(whole))
    staged.path.unlink()
    aborted = storage.Stager()
    aborted.write(b"x" * 5000)
    aborted.abort()
    assert not aborted.path.exists()
