"""zhifa devices: records of electronic monitoring devices (非现场执法, docs/devices.md).

zhifa devices import MANIFEST --as 登录名
    reads a JSON or CSV manifest and the files it names (paths relative to it), stores each
    record of a reviewed, published device as evidence (SHA-256 and SM3) for human review.
    Records of other devices are refused with 《行政处罚法》第四十一条 and listed on stderr.
    Exit 0 when every record was imported (or was already), 1 when some were refused, 2 for a
    bad manifest or a user who may not import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from zhifa.accounts.models import User
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.devices import manifest
from zhifa.devices.services import device_events_import


class Command(ZhifaCommand):
    help = "导入电子技术监控设备的记录（非现场执法，《行政处罚法》第四十一条）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("import", help="按清单（JSON 或 CSV）导入设备记录及其图像、视频文件")
        add.add_argument("manifest", metavar="MANIFEST")
        add.add_argument("--as", dest="actor", required=True, help="操作人（执法人员或负责人）的登录名")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["manifest"])
        if not path.is_file():
            raise CommandError(f"找不到清单文件 {path}。", returncode=2)
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有登录名为“{options['actor']}”的有效用户。", returncode=2)
        try:
            result = device_events_import(actor=actor, entries=manifest.from_directory(path))
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        for number, why in result.refused:
            self.stderr.write(f"第 {number} 条：{why}")
        self.stdout.write(
            f"导入 {len(result.imported)} 条，重复 {result.duplicates} 条，拒绝 {len(result.refused)} 条；"
            "导入的记录须经人工审核后方可使用。"
        )
        if result.refused:
            raise CommandError(f"有 {len(result.refused)} 条记录被拒绝（见上）。", returncode=1)
