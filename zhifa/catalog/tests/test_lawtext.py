"""Parsing statute texts in the shared Markdown layout."""

import datetime as dt

import pytest

from zhifa.catalog import lawtext
from zhifa.core.errors import InvalidInput

SMALL_LAW = """# 中华人民共和国测试法

2020年1月1日 第一次会议通过

2024年6月1日 修正

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法适用于测试。
测试应当如实记录。

### 第一节 一般规定

第十条之一 新增的条文。

## 第二章 附则

第一百零五条 本法自公布之日起施行。
"""


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("五十八", 58),
        ("一百零五", 105),
        ("二百", 200),
        ("一百一十", 110),
        ("两千零一", 2001),
    ],
)
def test_chinese_number(text, number):
    assert lawtext.chinese_number(text) == number


def test_chinese_number_refuses_other_characters():
    with pytest.raises(ValueError, match="not a Chinese numeral"):
        lawtext.chinese_number("5十")


class TestRealTexts:
    @pytest.fixture
    def penalty_law(self, laws_dir):
        path = laws_dir / "行政处罚法_2021-01-22.md"
        return lawtext.parse(path.read_text(encoding="utf-8"), name=path.name)

    def test_administrative_penalty_law(self, penalty_law):
        assert penalty_law.title == "中华人民共和国行政处罚法"
        assert penalty_law.short_title == "行政处罚法"
        assert penalty_law.version_date == dt.date(2021, 1, 22)
        assert len(penalty_law.articles) == 86
        assert [a.number for a in penalty_law.articles] == list(range(1, 87))
        assert "2021年1月22日" in penalty_law.history
        assert "第一条" not in penalty_law.history

    def test_article_58_and_its_place(self, penalty_law):
        article = next(a for a in penalty_law.articles if a.label == "第五十八条")
        assert article.number == 58
        assert "法制审核" in article.text
        assert article.chapter == "第五章 行政处罚的决定"
        assert article.section == "第三节 普通程序"
        assert len(article.paragraphs) > 1  # its numbered items are kept with it

    def test_chapters_reset_the_section(self, penalty_law):
        first, last = penalty_law.articles[0], penalty_law.articles[-1]
        assert (first.label, first.chapter, first.section) == ("第一条", "第一章 总则", "")
        assert (last.label, last.chapter, last.section) == ("第八十六条", "第八章 附则", "")
        assert len(next(a for a in penalty_law.articles if a.number == 5).paragraphs) == 3

    def test_every_shared_text_parses(self, laws_dir):
        files = [p for p in laws_dir.rglob("*.md") if "模版" not in p.name]
        assert files
        for path in files:
            parsed = lawtext.parse(path.read_text(encoding="utf-8"), name=path.name)
            assert parsed.articles, path.name
            assert len({a.label for a in parsed.articles}) == len(parsed.articles), path.name


class TestParse:
    def test_small_text(self):
        parsed = lawtext.parse(SMALL_LAW, name="测试法_2024-06-01.md")
        assert parsed.short_title == "测试法"
        assert parsed.version_date == dt.date(2024, 6, 1)
        assert parsed.history == "2020年1月1日 第一次会议通过\n2024年6月1日 修正"
        assert [(a.label, a.number) for a in parsed.articles] == [
            ("第一条", 1),
            ("第二条", 2),
            ("第十条之一", 10),
            ("第一百零五条", 105),
        ]
        assert parsed.articles[1].text == "本法适用于测试。\n测试应当如实记录。"
        assert parsed.articles[2].section == "第一节 一般规定"
        assert (parsed.articles[3].chapter, parsed.articles[3].section) == ("第二章 附则", "")

    def test_text_without_info_marker(self):
        parsed = lawtext.parse("# 某条例\n\n第一条 内容。\n", name="某条例_2020-01-01.md")
        assert parsed.history == ""
        assert parsed.articles[0].text == "内容。"

    def test_missing_title_is_refused(self):
        with pytest.raises(InvalidInput, match="缺少以“# ”开头的标题行"):
            lawtext.parse(
                SMALL_LAW.replace("# 中华人民共和国测试法", "中华人民共和国测试法"),
                name="测试法_2024-06-01.md",
            )

    @pytest.mark.parametrize("name", ["测试法.md", "测试法_2024.md", "测试法_2024-06-01-draft.md"])
    def test_missing_version_date_in_name_is_refused(self, name):
        with pytest.raises(InvalidInput, match="应以版本日期结尾"):
            lawtext.parse(SMALL_LAW, name=name)

    def test_text_without_articles_is_refused(self):
        with pytest.raises(InvalidInput, match="没有找到“第X条”格式的条文"):
            lawtext.parse("# 空法\n\n<!-- INFO END -->\n\n## 第一章\n", name="空法_2024-01-01.md")
