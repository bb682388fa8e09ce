"""`zhifa calendar`: output and exit codes (0 ok, 1 a negative answer, 2 bad input)."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.core.models import CalendarOverride
from zhifa.testing import unchanged_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
class TestInProcess:
    def test_add_workdays_prints_the_date_only(self):
        assert run("add-workdays", "2025-09-26", "7") == "2025-10-13\n"

    def test_add_workdays_into_2027_says_provisional(self):
        out = run("add-workdays", "2026-12-30", "3")
        assert out.startswith("2027-01-04 ")
        assert "推定" in out and "2027" in out

    def test_is_workday_on_a_working_day_returns_normally(self):
        assert run("is-workday", "2025-10-11") == "2025-10-11 工作日（调休上班）\n"

    def test_is_workday_on_a_rest_day_exits_1(self):
        out = StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("calendar", "is-workday", "2025-10-01", stdout=out)
        assert exc.value.code == 1
        assert "休息日（法定节假日：国庆节）" in out.getvalue()

    def test_is_workday_in_2027_says_provisional(self):
        assert "推定" in run("is-workday", "2027-03-01")

    def test_set_and_unset_an_override(self):
        out = run("set", "2025-10-09", "rest", "--reason", "抗台风停工")
        assert "本地调整：抗台风停工" in out
        assert CalendarOverride.objects.get(date=dt.date(2025, 10, 9)).is_workday is False
        with pytest.raises(SystemExit) as exc:
            run("is-workday", "2025-10-09")
        assert exc.value.code == 1
        assert run("add-workdays", "2025-09-26", "7") == "2025-10-14\n"
        assert run("unset", "2025-10-09") == "已删除本地调整。\n"
        assert run("unset", "2025-10-09") == "该日没有本地调整。\n"
        assert not CalendarOverride.objects.exists()

    def test_set_with_blank_reason_exits_2_and_changes_nothing(self):
        with unchanged_db(), pytest.raises(CommandError, match="须写明依据或说明") as exc:
            run("set", "2025-10-09", "rest", "--reason", " ")
        assert exc.value.returncode == 2

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("add-workdays", "2025-02-30", "3"), "格式不正确"),
            (("add-workdays", "2025-09-26", "abc"), "不是整数"),
            (("add-workdays", "2025-09-26", "-1"), "工作日天数应为 0 至"),
            (("is-workday", "26/09/2025"), "格式不正确"),
            (("set", "2025-9-x", "rest", "--reason", "停工"), "格式不正确"),
        ],
    )
    def test_malformed_input_exits_2(self, args, message):
        with unchanged_db(), pytest.raises(CommandError, match=message) as exc:
            run(*args)
        assert exc.value.returncode == 2


def zhifa_script() -> str:
    script = Path(sys.executable).with_name("zhifa")
    return str(script) if script.exists() else shutil.which("zhifa") or "zhifa"


@pytest.fixture(scope="module")
def cli(tmp_path_factory, migrated_sqlite):
    """Run the installed `zhifa` script against its own migrated SQLite file.

    The test database is invisible to a subprocess, so these cases use no overrides.
    """
    tmp = tmp_path_factory.mktemp("zhifa-cli")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'cli.sqlite3'}",
        "ZHIFA_VAR_DIR": str(tmp),
        "ZHIFA_SECRET_KEY": "test-only-secret",
    }

    def call(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [zhifa_script(), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    migrated_sqlite(tmp / "cli.sqlite3")
    return call


class TestCommandLine:
    def test_add_workdays(self, cli):
        done = cli("calendar", "add-workdays", "2025-09-26", "7")
        assert (done.returncode, done.stdout, done.stderr) == (0, "2025-10-13\n", "")

    def test_is_workday_exit_codes(self, cli):
        working = cli("calendar", "is-workday", "2025-09-28")
        assert working.returncode == 0
        assert "工作日（调休上班）" in working.stdout
        resting = cli("calendar", "is-workday", "2025-10-01")
        assert resting.returncode == 1
        assert "休息日" in resting.stdout

    def test_malformed_date_exits_2_with_message_on_stderr(self, cli):
        done = cli("calendar", "add-workdays", "2025-13-01", "3")
        assert done.returncode == 2
        assert done.stdout == ""
        assert "日期“2025-13-01”格式不正确" in done.stderr

    def test_malformed_count_exits_2_with_message_on_stderr(self, cli):
        done = cli("calendar", "add-workdays", "2025-09-26", "七")
        assert done.returncode == 2
        assert "工作日天数“七”不是整数" in done.stderr

    def test_missing_argument_exits_2(self, cli):
        done = cli("calendar", "add-workdays", "2025-09-26")
        assert done.returncode == 2
        assert "count" in done.stderr
