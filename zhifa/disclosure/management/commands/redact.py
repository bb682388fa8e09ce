"""zhifa redact: the redaction engine as a filter (docs/redaction.md).

  zhifa redact < decision.txt > public.txt
  zhifa redact --names 张三,李四 --marks < decision.txt     marks as JSON on stderr
  zhifa redact --style '{"mask_char": "×"}' < decision.txt

Reads UTF-8 on stdin and writes the same text with only the masked spans replaced (line endings and
every other character as they were). Invalid UTF-8 or a bad --style exits 2 with a message on stderr.
No database access.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from zhifa.core.commands import ZhifaCommand
from zhifa.disclosure.redaction import Style, current_style, redact


class Command(ZhifaCommand):
    help = "从标准输入读取 UTF-8 文本，按公示脱敏规则处理后写到标准输出。"
    requires_system_checks: list[str] = []  # a filter: no checks, no database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--names", default="", help="案件已知的自然人姓名，以逗号或顿号分隔")
        parser.add_argument("--style", default="", help='覆盖脱敏样式的 JSON 对象，如 {"mask_char": "×"}')
        parser.add_argument("--marks", action="store_true", help="在标准错误输出中打印脱敏位置（JSON）")

    def handle(self, *args: Any, **options: Any) -> None:
        style = self._style(options["style"])
        names = [n for n in re.split(r"[,，、\s]+", options["names"]) if n]
        raw = sys.stdin.buffer.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"输入不是有效的 UTF-8 文本（第 {exc.start} 字节起无法解码），未作任何输出。", returncode=2
            ) from None
        result = redact(text, names=names, style=style)
        sys.stdout.buffer.write(result.text.encode("utf-8"))
        sys.stdout.buffer.flush()
        if options["marks"]:
            marks = [[m.start, m.end, m.category] for m in result.marks]
            sys.stderr.write(json.dumps(marks, ensure_ascii=False) + "\n")

    def _style(self, value: str) -> Style:
        if not value:
            return current_style()
        try:
            overrides = json.loads(value)
            if not isinstance(overrides, dict):
                raise ValueError("--style 应为 JSON 对象。")
            base = {k: getattr(current_style(), k) for k in current_style().__dataclass_fields__}
            return Style.from_mapping({**base, **overrides})
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise CommandError(f"脱敏样式无效：{exc}", returncode=2) from None
