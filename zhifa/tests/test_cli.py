"""The `zhifa` console script as a user meets it: its commands first with Chinese help, Django's
under their own heading, argparse's messages in Chinese, refusals without "CommandError:"."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def zhifa(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHIFA_VAR_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "zhifa", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_help_lists_the_products_commands_first_in_chinese(tmp_path):
    done = zhifa("--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    ours = text.index("zhifa 的命令：")
    theirs = text.index("Django 及其组件自带的命令")
    assert ours < theirs
    product = text[ours:theirs]
    assert "  ledger " in product and "账本：校验" in product
    assert "  redact " in product and "run_huey" in product
    assert "migrate" not in product and "migrate" in text[theirs:]


def test_bad_arguments_are_refused_in_chinese_with_exit_code_2(tmp_path):
    done = zhifa("ledger", "bogus", tmp_path=tmp_path)
    assert done.returncode == 2
    assert "错误：参数 action：取值 'bogus' 无效，可选：" in done.stderr
    assert "invalid choice" not in done.stderr and done.stderr.startswith("用法：")
    done = zhifa("ledger", "proof", tmp_path=tmp_path)
    assert done.returncode == 2 and "参数 --ref --index 须给出其中一个" in done.stderr


def test_a_refusal_is_its_sentence_alone(tmp_path):
    done = zhifa("evidence", "verify", str(tmp_path / "missing.bin"), tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("无法读取文件")
    assert "CommandError" not in done.stderr
