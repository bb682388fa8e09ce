"""`zhifa documents`: output and exit codes (0 ok, 2 bad input with a message on stderr)."""

from __future__ import annotations

import os
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.documents import services
from zhifa.documents.kinds import KINDS
from zhifa.documents.models import SigningCredential
from zhifa.documents.tests.samples import PENALTY, sample_content
from zhifa.testing import unchanged_db
from zhifa.testing.factories import AgencyFactory
from zhifa.testing.signing import TEST_PKCS12_PASSPHRASE, install_test_credential

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("documents", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(*args: str, match: str) -> None:
    with unchanged_db(), pytest.raises(CommandError, match=match) as exc:
        run(*args)
    assert exc.value.returncode == 2


def issue(agency, kind="penalty_decision", label="测监案〔2026〕7号"):
    """Issued and signed, as the worker signs it after the commit."""
    document = services.document_issue(
        actor=None,
        agency=agency,
        kind=kind,
        content=sample_content(**PENALTY),
        subject_ref="case:7",
        subject_label=label,
    )
    return services.document_signed(document)


def test_kinds_prints_code_title_and_characters():
    lines = run("kinds").splitlines()
    assert len(lines) == len(KINDS)
    assert lines[0] == "filing_approval\t立案审批表\t立"
    assert "penalty_decision\t行政处罚决定书\t罚" in lines


def test_list_prints_issued_documents_only(agency):
    decision = issue(agency)
    notice = issue(agency, "prior_notice", label="测监案〔2026〕8号")
    services.document_reserve(actor=None, agency=agency, kind="on_the_spot_decision")
    assert run("list").splitlines() == [
        f"{decision.number}\tpenalty_decision\t测监案〔2026〕7号",
        f"{notice.number}\tprior_notice\t测监案〔2026〕8号",
    ]
    assert run("list", "--kind", "prior_notice") == f"{notice.number}\tprior_notice\t测监案〔2026〕8号\n"
    refused("list", "--kind", "nonsense", match="没有“nonsense”这种执法文书")


def test_export_writes_the_signed_pdf(agency, tmp_path):
    document = issue(agency)
    target = tmp_path / "out.pdf"
    out = run("export", document.number, "-o", str(target))
    with document.pdf.open("rb") as stored:
        assert target.read_bytes() == stored.read()
    assert document.sha256 in out


def test_export_refuses_unknown_numbers_and_ambiguous_ones(agency, tmp_path):
    refused("export", "测监罚〔2026〕99号", "-o", str(tmp_path / "x.pdf"), match="没有文号为")
    document = issue(agency)
    twin = AgencyFactory(document_abbr="测监")
    install_test_credential(twin)
    issue(twin)
    refused("export", document.number, "-o", str(tmp_path / "x.pdf"), match="请用 --agency 指定")
    run("export", document.number, "-o", str(tmp_path / "x.pdf"), "--agency", str(agency.pk))
    refused(
        "export",
        document.number,
        "-o",
        str(tmp_path / "no/such/dir.pdf"),
        "--agency",
        str(agency.pk),
        match="目录不存在",
    )
    refused("export", document.number, "-o", str(tmp_path / "x.pdf"), "--agency", "x1", match="应为数字")
    assert not (tmp_path / "no").exists()


def test_install_cert_reads_the_passphrase_from_the_environment(tmp_path, monkeypatch, pkcs12_file):
    agency = AgencyFactory()
    p12 = tmp_path / "agency.p12"
    p12.write_bytes(pkcs12_file)
    monkeypatch.setenv("ZHIFA_PKCS12_PASSPHRASE", TEST_PKCS12_PASSPHRASE)
    out = run("install-cert", "--agency", str(agency.pk), "--pkcs12", str(p12))
    assert "已为" in out and "zhifa 测试执法机关" in out
    assert SigningCredential.objects.get().agency == agency


def test_install_cert_bad_input_exits_2(tmp_path, monkeypatch, pkcs12_file):
    agency = AgencyFactory()
    p12 = tmp_path / "agency.p12"
    p12.write_bytes(pkcs12_file)
    monkeypatch.setenv("ZHIFA_PKCS12_PASSPHRASE", "wrong")
    refused("install-cert", "--agency", str(agency.pk), "--pkcs12", str(p12), match="口令不正确")
    refused("install-cert", "--agency", "abc", "--pkcs12", str(p12), match="应为数字")
    refused("install-cert", "--agency", "999999", "--pkcs12", str(p12), match="没有编号为 999999")
    refused("install-cert", "--agency", str(agency.pk), "--pkcs12", str(tmp_path / "none"), match="无法读取")


@pytest.mark.own_database
@pytest.mark.django_db(transaction=True)
def test_the_console_script_exits_2_with_the_message_on_stderr(tmp_path, migrated_sqlite):
    """The installed `zhifa` script, against its own SQLite file (the test database is invisible to it)."""
    from zhifa.core.tests.test_commands import zhifa_script

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "ZHIFA_VAR_DIR": str(tmp_path),
        "ZHIFA_SECRET_KEY": "test-only-secret",
    }

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [zhifa_script(), *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    kinds = call("documents", "kinds")
    assert (kinds.returncode, kinds.stderr) == (0, "")
    assert "penalty_decision\t行政处罚决定书\t罚" in kinds.stdout
    migrated_sqlite(tmp_path / "cli.sqlite3")
    missing = call("documents", "export", "不存在〔2026〕1号", "-o", str(Path(tmp_path) / "x.pdf"))
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert "没有文号为“不存在〔2026〕1号”的已签发文书" in missing.stderr
