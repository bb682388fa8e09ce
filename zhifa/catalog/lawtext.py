"""Parse a statute in the shared Markdown layout into articles.

Layout: `# title`, the history paragraphs, `<!-- INFO END -->`, then `## 第X章` / `### 第X节`
headings and one `第X条 …` article per line; following lines up to the next article are further
paragraphs (款) of the same article. The file name ends in `_YYYY-MM-DD.md` (the version date).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from zhifa.core.errors import InvalidInput

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARTICLE = re.compile(r"^第([〇零一二两三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?[\s　]*(.*)$")
_DATE_IN_NAME = re.compile(r"_(\d{4}-\d{2}-\d{2})$")


def chinese_number(text: str) -> int:
    """Chinese numerals as used in article numbers: 五十八 → 58, 一百零五 → 105, 十 → 10."""
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (digit or 1) * _UNITS[char]
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text}")
    return total + digit


@dataclass
class ParsedArticle:
    number: int
    label: str
    chapter: str
    section: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedLaw:
    title: str
    version_date: dt.date
    history: str
    articles: list[ParsedArticle]

    @property
    def short_title(self) -> str:
        return self.title.removeprefix("中华人民共和国")


def parse(text: str, *, name: str) -> ParsedLaw:
    lines = text.splitlines()
    title = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), "")
    if not title:
        raise InvalidInput(f"“{name}”缺少以“# ”开头的标题行，不是可导入的法律法规文本。")
    match = _DATE_IN_NAME.search(Path(name).stem)
    if not match:
        raise InvalidInput(f"文件名“{name}”应以版本日期结尾，例如“行政处罚法_2021-01-22.md”。")
    version_date = dt.date.fromisoformat(match.group(1))
    try:
        info_end = next(i for i, ln in enumerate(lines) if ln.strip() == "<!-- INFO END -->")
    except StopIteration:
        info_end = next(i for i, ln in enumerate(lines) if ln.startswith("# "))
    history = "\n".join(ln.strip() for ln in lines[1:info_end] if ln.strip() and not ln.startswith("# "))
    chapter = section = ""
    articles: list[ParsedArticle] = []
    for raw in lines[info_end + 1 :]:
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            chapter, section = line[3:].strip(), ""
            continue
        if line.startswith("### "):
            section = line[4:].strip()
            continue
        if line.startswith("#"):
            continue
        found = _ARTICLE.match(line)
        if found:
            label = f"第{found.group(1)}条{found.group(2) or ''}"
            articles.append(
                ParsedArticle(chinese_number(found.group(1)), label, chapter, section, [found.group(3)])
            )
        elif articles:
            articles[-1].paragraphs.append(line)
    if not articles:
        raise InvalidInput(f"“{name}”中没有找到“第X条”格式的条文。")
    return ParsedLaw(title, version_date, history, articles)
