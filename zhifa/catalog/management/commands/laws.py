"""zhifa laws import PATH [PATH ...]: import statute texts (files or folders of *.md) into the law library."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from zhifa.catalog.services import law_files, law_import
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError


class Command(ZhifaCommand):
    help = "导入法律法规文本（Markdown），建立法律法规库并关联执法事项的法律依据。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入文件或目录（目录下所有 .md 文件，含子目录）")
        imp.add_argument("paths", nargs="+")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            files = [f for raw in options["paths"] for f in law_files(Path(raw))]
            if not files:
                raise DomainError("没有找到可导入的 .md 文件。")
            created = linked = 0
            # All or nothing: a malformed file rolls back the files imported before it.
            with transaction.atomic():
                for path in tqdm(
                    files, desc="导入法律法规", unit="部", disable=len(files) < 3, file=sys.stderr
                ):
                    result = law_import(path=path)
                    created += result.created
                    linked += result.linked_bases
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
        self.stdout.write(f"已处理 {len(files)} 部法律法规，新导入 {created} 部，关联法律依据 {linked} 条。")
