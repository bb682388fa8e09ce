"""`zhifa laws import PATH ...`: import statute texts; bad paths exit 2."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.catalog.models import Law, LawArticle
from zhifa.testing import unchanged_db

SMALL_LAW = """# 中华人民共和国测试法

2024年6月1日 通过

<!-- INFO END -->

第一条 为了测试，制定本法。

第二条 本法自公布之日起施行。
"""


def laws(*args: str) -> str:
    out = StringIO()
    call_command("laws", "import", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def law_dir(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "测试法_2024-06-01.md").write_text(SMALL_LAW, encoding="utf-8")
    (tmp_path / "法律法规模版.md").write_text("# 模版\n", encoding="utf-8")  # templates are skipped
    (tmp_path / "README.txt").write_text("not a statute", encoding="utf-8")
    return tmp_path


@pytest.mark.django_db
class TestImport:
    def test_imports_a_directory(self, law_dir):
        assert laws(str(law_dir)) == "已处理 1 部法律法规，新导入 1 部，关联法律依据 0 条。\n"
        law = Law.objects.get()
        assert (law.short_title, law.articles.count()) == ("测试法", 2)

    def test_second_run_imports_nothing_new(self, law_dir):
        laws(str(law_dir))
        assert "新导入 0 部" in laws(str(law_dir / "nested" / "测试法_2024-06-01.md"))
        assert (Law.objects.count(), LawArticle.objects.count()) == (1, 2)

    def test_missing_path_exits_2(self, tmp_path):
        with unchanged_db(), pytest.raises(CommandError, match="不存在") as exc:
            laws(str(tmp_path / "nowhere"))
        assert exc.value.returncode == 2

    def test_directory_without_texts_exits_2(self, tmp_path):
        with unchanged_db(), pytest.raises(CommandError, match=r"没有找到可导入的 .md 文件") as exc:
            laws(str(tmp_path))
        assert exc.value.returncode == 2

    def test_malformed_text_exits_2_and_imports_nothing(self, tmp_path):
        (tmp_path / "坏文本.md").write_text("# 坏文本\n第一条 内容。\n", encoding="utf-8")
        with unchanged_db(), pytest.raises(CommandError, match="应以版本日期结尾") as exc:
            laws(str(tmp_path))
        assert exc.value.returncode == 2

    def test_a_bad_file_rolls_back_the_good_ones(self, law_dir):
        (law_dir / "坏文本.md").write_text("# 坏文本\n第一条 内容。\n", encoding="utf-8")
        with unchanged_db(), pytest.raises(CommandError, match="应以版本日期结尾"):
            laws(str(law_dir))
        assert not Law.objects.exists()


def test_missing_path_exits_2_on_the_command_line(tmp_path):
    script = Path(sys.executable).with_name("zhifa")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "ZHIFA_VAR_DIR": str(tmp_path),
        "ZHIFA_SECRET_KEY": "test-only-secret",
    }
    done = subprocess.run(
        [str(script), "laws", "import", str(tmp_path / "nowhere")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "不存在" in done.stderr
