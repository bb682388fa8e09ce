"""zhifa cockpit: the operator's tools for the supervision cockpit's projection (驾驶舱).

  zhifa cockpit rebuild        throw the projection away and build it again from every case,
                               with a progress bar (after a restore, or an upgrade that changes
                               what a fact row holds)
  zhifa cockpit refresh        read the case events since the last refresh now (the task worker
                               does this every minute)
Exit codes: 0 done, 2 bad input (an unknown action, or the projection's tables are missing:
run `zhifa migrate` first).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from zhifa.core.commands import ZhifaCommand
from zhifa.supervision import cockpit_projection


class Command(ZhifaCommand):
    help = "执法监督驾驶舱的数据投影：重建（rebuild）或按案件事件更新（refresh）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="清空并按全部案件重建驾驶舱数据（显示进度）")
        refresh = sub.add_parser("refresh", help="读取上次更新以来的案件事件，更新驾驶舱数据")
        refresh.add_argument("--limit", type=int, default=5000, help="本次最多读取的案件事件数")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "rebuild":
                self._rebuild()
            else:
                if options["limit"] < 1:
                    raise CommandError("--limit 应为正整数。", returncode=2)
                done = cockpit_projection.cockpit_refresh(limit=options["limit"])
                self.stdout.write(f"读取案件事件 {done.events} 条，更新案件 {done.cases} 件。")
        except DatabaseError as error:
            raise CommandError(
                f"驾驶舱数据表不可用（{error}）；请先运行 zhifa migrate。", returncode=2
            ) from None

    def _rebuild(self) -> None:
        with tqdm(unit="件", desc="重建驾驶舱", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            done = cockpit_projection.cockpit_rebuild(progress=progress)
        self.stdout.write(f"驾驶舱数据已重建：案件 {done} 件。")
