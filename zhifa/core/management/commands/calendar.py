"""zhifa calendar: working-day answers for legal periods (行政处罚法 第八十五条).

  zhifa calendar add-workdays YYYY-MM-DD N   the N-th working day after the date
  zhifa calendar is-workday YYYY-MM-DD        exit 0 for a working day, 1 for a rest day
  zhifa calendar set YYYY-MM-DD workday|rest --reason TEXT   an administrator's override
  zhifa calendar unset YYYY-MM-DD             remove an override
Malformed input exits 2 with a message on stderr.
"""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from zhifa.core import calendar, services
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError


def _provisional_note(year: int) -> str:
    return f"（推定：{year} 年的官方节假日安排尚未收录，按周末休息计算）"


class Command(ZhifaCommand):
    help = "工作日计算（《行政处罚法》第八十五条）与工作日历调整。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-workdays", help="打印某日之后第 N 个工作日（起始日不计）")
        add.add_argument("date")
        add.add_argument("count")
        check = sub.add_parser("is-workday", help="判断是否工作日：是则退出码 0，否则 1")
        check.add_argument("date")
        set_ = sub.add_parser("set", help="设置本地调整")
        set_.add_argument("date")
        set_.add_argument("kind", choices=["workday", "rest"])
        set_.add_argument("--reason", required=True)
        unset = sub.add_parser("unset", help="删除本地调整")
        unset.add_argument("date")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._dispatch(options)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _dispatch(self, options: dict[str, Any]) -> None:
        action = options["action"]
        day = calendar.parse_date(options["date"])
        if action == "add-workdays":
            try:
                count = int(options["count"])
            except ValueError:
                raise DomainError(f"工作日天数“{options['count']}”不是整数。") from None
            result = calendar.add_workdays(day, count)
            note = f" {_provisional_note(result.date.year)}" if result.provisional else ""
            self.stdout.write(f"{result.date.isoformat()}{note}")
        elif action == "is-workday":
            info = calendar.day_info(day)
            note = f" {_provisional_note(day.year)}" if info.provisional else ""
            self.stdout.write(
                f"{day.isoformat()} {'工作日' if info.is_workday else '休息日'}（{info.reason}）{note}"
            )
            if not info.is_workday:
                raise SystemExit(1)
        elif action == "set":
            services.calendar_override_set(
                actor=None, date=day, is_workday=options["kind"] == "workday", reason=options["reason"]
            )
            self.stdout.write(f"已设置：{calendar.day_info(day).reason}")
        else:
            removed = services.calendar_override_remove(actor=None, date=day)
            self.stdout.write("已删除本地调整。" if removed else "该日没有本地调整。")
