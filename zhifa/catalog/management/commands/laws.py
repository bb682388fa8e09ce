"""zhifa laws import PATH [PATH ...]: import statute texts (files or folders of *.md) into the law library."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from zhifa.catalog.services import law_import
from zhifa.core.errors import DomainError


class Command(BaseCommand):
    help = "导入法律法规文本（Markdown），建立法律法规库并关联执法事项的法律依据。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入文件或目录（目录下所有 .md 文件，含子目录）")
        imp.add_argument("paths", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        for raw in options["paths"]:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(p for p in path.rglob("*.md") if "模版" not in p.name))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"路径“{raw}”不存在。", returncode=2)
        if not files:
            raise CommandError("没有找到可导入的 .md 文件。", returncode=2)
        created = linked = 0
        for path in tqdm(files, desc="导入法律法规", unit="部", disable=len(files) < 3, file=sys.stderr):
            try:
                result = law_import(path=path)
            except DomainError as exc:
                raise CommandError(exc.message, returncode=2) from exc
            created += result.created
            linked += result.linked_bases
        self.stdout.write(f"已处理 {len(files)} 部法律法规，新导入 {created} 部，关联法律依据 {linked} 条。")
