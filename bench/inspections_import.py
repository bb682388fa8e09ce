"""检查对象名录库 import: time for 100,000 generated rows, beside the csv module reading the same file.

    .venv/bin/python bench/inspections_import.py [--rows 100000] [--dir DIR]

Generates a CSV of valid subjects (credit codes with their GB 32100 check character, four
risk classes), then in a child process on a scratch SQLite database:
  1. the anchor: csv.reader over the file, nothing else;
  2. the import as the task runs it (zhifa.inspections.services.registry_import_preview, which
     checks every row, then registry_import_run: bulk_create in batches of 2,000);
  3. the same file again (every row unchanged: read, compared, nothing written);
  4. a file with every tenth row changed (bulk_update of those).
Prints the seconds and rows per second of each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent

CHILD = r"""
import csv, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from zhifa.org.services import region_create
from zhifa.inspections import services
region_create(code="990121", name="示例县", level="county")
result = {}
for label, path in (("anchor", sys.argv[1]), ("first", sys.argv[1]), ("again", sys.argv[1]), ("changed", sys.argv[2])):
    started = time.perf_counter()
    if label == "anchor":
        with open(path, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        result[label] = {"seconds": time.perf_counter() - started, "rows": rows}
        continue
    content = open(path, "rb").read()
    imp, parsed = services.registry_import_preview(actor=None, filename="bench.csv", content=content)
    checked = time.perf_counter()
    imp = services.registry_import_run(import_id=imp.pk)
    done = time.perf_counter()
    result[label] = {"seconds": done - started, "preview": checked - started, "write": done - checked,
                     "created": imp.created, "updated": imp.updated, "unchanged": imp.unchanged,
                     "errors": imp.error_count, "rows": parsed.total}
print(json.dumps(result))
"""


def generate(path: Path, rows: int, *, changed: bool = False) -> None:
    sys.path.insert(0, str(CHECKOUT))
    from stdnum.cn import uscc

    classes = "ABCD"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["统一社会信用代码", "名称", "住所", "区划代码", "行业", "许可证照", "信用风险分类", "存续"]
        )
        for n in range(rows):
            base = f"92990121{n:09d}"
            code = base + uscc.calc_check_digit(base)
            name = f"示例县商户{n}" + ("（已变更）" if changed and n % 10 == 0 else "")
            writer.writerow(
                [
                    code,
                    name,
                    f"示例县城关镇人民路{n % 500}号",
                    "990121",
                    ["餐饮", "零售", "制造业"][n % 3],
                    f"食品经营许可证 JY{n:08d}" if n % 2 else "",
                    classes[n % 4],
                    "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", help="where to write the scratch files (default: a temporary directory)")
    options = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="zhifa-bench-", dir=options.dir))
    try:
        first, changed = scratch / "registry.csv", scratch / "registry-changed.csv"
        generate(first, options.rows)
        generate(changed, options.rows, changed=True)
        env = dict(os.environ)
        env.update({"ZHIFA_VAR_DIR": str(scratch), "DATABASE_URL": f"sqlite:///{scratch / 'zhifa.sqlite3'}"})
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(first), str(changed)],
            env=env,
            cwd=CHECKOUT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        size = first.stat().st_size / 1024 / 1024
        print(f"检查对象名录库导入基准：{options.rows} 行，CSV {size:.1f} MB，SQLite")
        anchor = result["anchor"]
        print(
            f"  csv 模块读取（参照）      {anchor['seconds']:7.2f} 秒  {anchor['rows'] / anchor['seconds']:>10,.0f} 行/秒"
        )
        for label, text in (
            ("first", "首次导入（全部新增）"),
            ("again", "再次导入（全部未变）"),
            ("changed", "一成变更（批量更新）"),
        ):
            r = result[label]
            print(
                f"  {text:<14} {r['seconds']:7.2f} 秒  {r['rows'] / r['seconds']:>10,.0f} 行/秒"
                f"（逐行校验 {r['preview']:.2f} 秒，写入 {r['write']:.2f} 秒；新增 {r['created']}、更新 {r['updated']}、"
                f"未变 {r['unchanged']}、错误 {r['errors']}）"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
