"""Load the default 评查标准 (zhifa/supervision/evaluation_standard.py) if it is not there yet."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhifa.supervision.evaluation_standard import standard_load_default


class Command(BaseCommand):
    help = "载入默认的行政执法案卷评查标准（已存在则不变）。"

    def handle(self, *args: Any, **options: Any) -> None:
        standard = standard_load_default()
        self.stdout.write(f"{standard}：{standard.items.count()} 个条目，满分 {standard.max_points}。")
