"""zhifa evidence add (bulk import), zhifa evidence verify FILE and zhifa evidence clean-staging,
with their exit codes."""

from __future__ import annotations

import hashlib
import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhifa.cases.tests.steps import filed_case
from zhifa.evidence import storage
from zhifa.evidence.management.commands.evidence import Command as EvidenceCommand
from zhifa.evidence.models import EvidenceItem
from zhifa.ledger.models import LedgerLeaf
from zhifa.ledger.services import checkpoint_make


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("evidence", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


@pytest.fixture
def files(tmp_path):
    first, second = tmp_path / "DSJ_0001.mp4", tmp_path / "DSJ_0002.mp4"
    first.write_bytes(b"camera one " * 10000)
    second.write_bytes(b"camera two " * 10000)
    return first, second


def _add(world, case, *paths):
    return run(
        "add", *map(str, paths), "--case", case.number, "--kind", "audiovisual", "--proves", "现场检查过程",
        "--collected-at", "2026-01-05T09:30", "--place", "人民路 1 号", "--collector", world.officer.username,
        "--stage", "on_site", "--recording-start", "2026-01-05T09:00", "--recording-end", "2026-01-05T09:30",
        "--device", "DSJ-001",
    )  # fmt: skip


def test_bulk_add_then_verify(world, files):
    case = filed_case(world)
    code, out = _add(world, case, *files)
    assert code == 0, out
    items = list(EvidenceItem.objects.order_by("pk"))
    assert [i.title for i in items] == ["DSJ_0001.mp4", "DSJ_0002.mp4"]
    assert all(i.is_whole_process and i.stage == "on_site" for i in items)
    assert items[0].blob.sha256 == hashlib.sha256(files[0].read_bytes()).hexdigest()

    code, out = run("verify", str(files[0]))
    assert code == 1 and "暂无包含证明" in out  # appended, no checkpoint yet
    # Said as it is: no checkpoint yet, not a failed proof.
    assert "还没有签名检查点" in out and "没有通过账本包含证明核验" not in out
    checkpoint_make(reason="test")
    code, out = run("verify", str(files[0]))
    assert code == 0, out
    assert hashlib.new("sm3", files[0].read_bytes()).hexdigest() in out
    assert case.number in out and "包含证明有效" in out


def test_verify_answers_no_for_an_unknown_file_and_2_for_an_unreadable_one(world, tmp_path):
    stranger = tmp_path / "other.bin"
    stranger.write_bytes(b"never stored")
    code, out = run("verify", str(stranger))
    assert code == 1 and hashlib.sha256(b"never stored").hexdigest() in out and "未找到" in out
    code, out = run("verify", str(tmp_path / "missing.bin"))
    assert code == 2


def test_verify_fails_when_the_leaf_does_not_carry_the_file(world, files):
    case = filed_case(world)
    _add(world, case, files[0])
    checkpoint_make(reason="test")
    leaf = LedgerLeaf.objects.get(ref__startswith="evidence.evidenceitem:")
    LedgerLeaf.objects.filter(pk=leaf.pk).update(data=leaf.data.replace(leaf.data[-20:], "x" * 20))
    code, out = run("verify", str(files[0]))
    assert code == 1 and "包含证明无效" in out


def test_add_refuses_bad_input_with_exit_2(world, files):
    case = filed_case(world)
    assert run("add", str(files[0]), "--case", "不存在", "--kind", "physical", "--proves", "x",
               "--collected-at", "2026-01-05T09:30", "--place", "p", "--collector", world.officer.username)[0] == 2  # fmt: skip
    code, out = run("add", str(files[0]), "--case", case.number, "--kind", "physical", "--proves", " ",
                    "--collected-at", "2026-01-05T09:30", "--place", "p", "--collector", world.officer.username)  # fmt: skip
    assert code == 2 and "证明对象" in out
    assert not EvidenceItem.objects.exists()


def test_ledger_verify_names_an_evidence_file_changed_in_the_store(world, files):
    from django.core.files.storage import storages

    from zhifa.evidence import storage

    case = filed_case(world)
    _add(world, case, files[0])
    checkpoint_make(reason="test")
    out = io.StringIO()
    call_command("ledger", "verify", stdout=out)
    item = EvidenceItem.objects.get()
    path = storages["evidence"].path(storage.content_name(item.blob.sha256))
    import os

    os.chmod(path, 0o640)
    with open(path, "r+b") as handle:
        handle.write(b"X")
    out = io.StringIO()
    with pytest.raises(SystemExit) as error:
        call_command("ledger", "verify", stdout=out, stderr=out)
    assert error.value.code == 1
    assert item.ref in out.getvalue() and "sha256" in out.getvalue()


def _staging_file(name: str, *, hours_ago: float) -> Path:
    path = storage.staging_dir() / name
    path.write_bytes(b"partial upload")
    moment = time.time() - hours_ago * 3600
    os.utime(path, (moment, moment))
    return path


def test_clean_staging_removes_stale_files_and_says_so(db):
    stale, fresh = _staging_file("a.part", hours_ago=30), _staging_file("b.part", hours_ago=2)
    code, out = run("clean-staging")
    assert code == 0 and "已清理 1 个超过 24 小时未写入的暂存文件" in out
    assert not stale.exists() and fresh.exists()
    code, out = run("clean-staging", "--hours", "1")
    assert code == 0 and "已清理 1 个" in out and not fresh.exists()
    code, out = run("clean-staging", "--hours", "1")
    assert code == 0 and out.strip() == "没有超过 1 小时未写入的暂存文件。"


@pytest.mark.parametrize("hours", ["0", "-3", "abc", "1.5", "99999999"])
def test_clean_staging_refuses_bad_hours_with_exit_2_on_stderr(hours):
    stale = _staging_file("a.part", hours_ago=30)
    out, err = io.StringIO(), io.StringIO()
    command = EvidenceCommand(stdout=out, stderr=err)
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["zhifa", "evidence", "--skip-checks", "clean-staging", f"--hours={hours}"])
    assert exit_.value.code == 2
    assert "小时数" in err.getvalue() and "整数" in err.getvalue() and not out.getvalue()
    assert stale.exists()
