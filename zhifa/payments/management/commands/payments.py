"""zhifa payments: the receipt files of 罚缴分离 (docs/payment.md).

zhifa payments import FILE --as 登录名
    reads a CSV or XLSX receipt file of the collecting bank or the 非税收入 system, pays every
    case whose 缴款码 and amount match (fine and surcharge to the payment day, 第七十二条) and
    puts the rest in the queue; a progress bar on a terminal. The same file again pays nothing
    twice. Exit 0; 2 for an unreadable file or a user who may not import.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from zhifa.accounts.models import User
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.payments.services import receipt_import_create, receipt_import_run


class Command(ZhifaCommand):
    help = "导入银行或非税收入系统的缴款文件（罚缴分离）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("import", help="导入缴款文件（CSV 或 XLSX）并按缴款码入账")
        add.add_argument("file", metavar="FILE")
        add.add_argument("--as", dest="actor", required=True, help="操作人（机关负责人）的登录名")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}。", returncode=2) from None
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有登录名为“{options['actor']}”的有效用户。", returncode=2)
        try:
            source = receipt_import_create(actor=actor, file_name=path.name, content=content, queue=False)
            with tqdm(total=source.total, unit="行", desc="导入缴款", disable=not sys.stderr.isatty()) as bar:
                done = receipt_import_run(pk=source.pk, progress=bar.update)
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        assert done is not None
        self.stdout.write(
            f"已导入 {done.total} 行：入账 {done.applied} 笔，待处理 {done.queued} 笔，"
            f"重复（未再入账）{done.duplicates} 笔。"
        )
