"""zhifa inspections: the operator's tools for 双随机一公开.

  zhifa inspections import FILE [--dry-run]    import the 检查对象名录库 from XLSX/CSV, with a
                                               progress bar; --dry-run only checks the rows
  zhifa inspections verify-draw ID             recompute draw ID from its public JSON, and
  zhifa inspections verify-draw --file F.json  compare it with the ledger's record of the draw
Exit codes: 0 the draw matches (or the import ran), 1 it does not match, 2 bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.inspections import ledger, registry, selectors, services
from zhifa.inspections.models import Draw
from zhifa.inspections.verify import BadDocument, compare_with_record, recompute
from zhifa.ledger.models import LedgerLeaf


class Command(ZhifaCommand):
    help = "双随机一公开：导入检查对象名录库，校验抽取结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="从 XLSX 或 CSV 文件导入检查对象名录库（按统一社会信用代码新增或更新）"
        )
        imp.add_argument("file", help="XLSX 或 CSV 文件，首行为表头：" + "，".join(registry.HEADER))
        imp.add_argument("--dry-run", action="store_true", help="只检查各行，不写入名录库")
        check = sub.add_parser("verify-draw", help="从公开的抽取记录重新计算种子、抽中对象和检查人员")
        check.add_argument("id", nargs="?", help="抽取记录编号（/api/inspections/draws/{id}）")
        check.add_argument("--file", help="已保存的抽取记录 JSON 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._verify(options)

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError:
            raise CommandError(f"无法读取文件“{path}”。", returncode=2) from None
        try:
            imp, parsed = services.registry_import_preview(actor=None, filename=path.name, content=content)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(
            f"共 {parsed.total} 行，可导入 {len(parsed.rows)} 行，错误 {parsed.error_count} 行。"
        )
        for error in parsed.errors[:20]:
            self.stdout.write(f"  {error['message']}")
        if parsed.error_count > 20:
            self.stdout.write(f"  ……另有 {parsed.error_count - 20} 行错误。")
        if options["dry_run"]:
            self.stdout.write("（仅检查，未写入名录库。）")
            return
        with tqdm(total=len(parsed.rows), unit="行", desc="导入", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            imp = services.registry_import_run(import_id=imp.pk, progress=progress)
        self.stdout.write(imp.message)

    def _verify(self, options: dict[str, Any]) -> None:
        if bool(options.get("id")) == bool(options.get("file")):
            raise CommandError(
                "请给出抽取记录编号，或用 --file 指定抽取记录 JSON 文件（二者选一）。", returncode=2
            )
        if options.get("file"):
            try:
                document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                raise CommandError(
                    f"无法读取抽取记录文件“{options['file']}”，或其内容不是 JSON。", returncode=2
                ) from None
        else:
            text = str(options["id"])
            draw = Draw.objects.filter(pk=int(text)).first() if text.isascii() and text.isdigit() else None
            if draw is None:
                raise CommandError(f"没有编号为“{text}”的抽取记录。", returncode=2)
            document = selectors.draw_document(selectors.draw_public_get(pk=draw.pk))
        try:
            problems = recompute(document)
        except BadDocument as exc:
            raise CommandError(str(exc), returncode=2) from None
        problems += self._against_ledger(document)
        if problems:
            self.stdout.write(f"抽取记录“{document.get('plan')}”与重新计算的结果不一致：")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
            sys.exit(1)
        count = sum(len(s["population"]) for s in document["strata"])
        self.stdout.write(
            f"抽取记录“{document['plan']}”一致：种子 {document['seed'][:16]}…，"
            f"{count} 户中抽中 {len(document['tasks'])} 户，检查人员均按排名产生。"
        )

    def _against_ledger(self, document: dict[str, Any]) -> list[str]:
        """When this instance holds the draw: its ledger leaf and the signed checkpoint agree."""
        draw = Draw.objects.select_related("plan__snapshot").filter(plan__number=document.get("plan")).first()
        if draw is None:
            return []
        problems = []
        leaf = (
            LedgerLeaf.objects.filter(ref=ledger.draw_ref(draw.pk), kind=ledger.DRAW)
            .order_by("-index")
            .first()
        )
        if leaf is None:
            problems.append("账本中没有该抽取记录的叶。")
        else:
            problems += compare_with_record(document, json.loads(leaf.data)["payload"])
        checkpoint = (document.get("inputs") or {}).get("checkpoint") or {}
        first = services.lock_checkpoint(draw.plan)
        if first is None or (first.size, first.root) != (checkpoint.get("size"), checkpoint.get("root")):
            problems.append("inputs.checkpoint 不是本平台账本中首个包含抽查计划锁定记录的签名检查点。")
        return problems
