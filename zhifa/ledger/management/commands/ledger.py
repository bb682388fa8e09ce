"""zhifa ledger: the operator's tools for the tamper-evident log.

  zhifa ledger verify [--no-records]      recompute the log, compare every record, check every
                                          checkpoint; exit 1 and name the first divergence
  zhifa ledger checkpoint [--force] [--reason TEXT]
                                          sign a checkpoint if leaves were added (cron / timer)
  zhifa ledger proof (--ref REF | --index I) [--size N]
                                          print a leaf's inclusion proof and the zhifa-verify line
  zhifa ledger backfill                   append leaves for records of an older database
  zhifa ledger key                        print the verifier key (for courts and parties)
  zhifa ledger rotate-key                 retire the signing key and make a new one
Bad input exits 2 with a message on stderr.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from zhifa.core.commands import ZhifaCommand
from zhifa.ledger import keys, selectors, services
from zhifa.ledger.integrity import Divergence, verify_log


class Command(ZhifaCommand):
    help = "账本：校验、签署检查点、打印证明、补记旧记录、公钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="从叶数据和现存记录重新计算账本并校验全部检查点")
        check.add_argument("--no-records", action="store_true", help="只校验哈希与签名，不比对现存记录")
        point = sub.add_parser("checkpoint", help="签署检查点（自上一检查点以来有新叶时）")
        point.add_argument("--force", action="store_true", help="没有新叶也签署")
        point.add_argument("--reason", default="定时任务")
        proof = sub.add_parser("proof", help="打印某条记录的包含证明和 zhifa-verify 命令")
        which = proof.add_mutually_exclusive_group(required=True)
        which.add_argument("--ref", help="记录，如 cases.caseevent:17")
        which.add_argument("--index", type=int, help="叶序号（从 0 开始）")
        proof.add_argument("--size", type=int, help="树的大小（默认最新检查点）")
        sub.add_parser("backfill", help="为升级前已有的记录补记账本叶（按创建顺序）")
        sub.add_parser("key", help="打印检查点验证公钥（verifier key）")
        sub.add_parser("rotate-key", help="停用当前签名密钥并生成新密钥（旧公钥保留用于校验）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options)
        elif action == "checkpoint":
            c = services.checkpoint_make(reason=options["reason"], only_if_grown=not options["force"])
            self.stdout.write(c.note, ending="")
        elif action == "proof":
            self._proof(options)
        elif action == "backfill":
            self.stdout.write(f"已为账本补记 {services.ledger_backfill()} 个叶。")
        elif action == "key":
            self.stdout.write(keys.signing_key().verifier_key)
        elif action == "rotate-key":
            self.stdout.write(keys.rotate().verifier_key)

    def _verify(self, options: dict[str, Any]) -> None:
        total = selectors.tree_size()
        # On a terminal the bar shows from the first leaf on; piped or in cron, only the summary.
        with tqdm(total=total, unit="叶", desc="校验账本", disable=not sys.stderr.isatty()) as bar:
            try:
                summary = verify_log(progress=bar.update, records=not options["no_records"])
            except Divergence as exc:
                bar.close()
                self.stderr.write(f"账本不一致（DIVERGENCE）：{exc}")
                sys.exit(1)
        compared = "未比对现存记录" if options["no_records"] else f"比对现存记录 {summary.records} 条"
        self.stdout.write(
            f"账本校验通过：共 {summary.size} 个叶，根哈希 {summary.root.hex()}，"
            f"{summary.checkpoints} 个签名检查点有效，{compared}。"
        )

    def _proof(self, options: dict[str, Any]) -> None:
        if options["ref"] is not None:
            leaf = selectors.leaf_for(options["ref"])
            if leaf is None:
                raise CommandError(f"账本中没有记录“{options['ref']}”的叶。", returncode=2)
        else:
            leaf = selectors.leaf_at(options["index"])
            if leaf is None:
                raise CommandError(f"账本中没有第 {options['index']} 号叶。", returncode=2)
        size = options["size"]
        if size is None:
            latest = selectors.latest_checkpoint()
            if latest is None or latest.size <= leaf.index:
                raise CommandError(
                    "尚无覆盖该叶的签名检查点：请先运行 zhifa ledger checkpoint，或用 --size 指定树的大小。",
                    returncode=2,
                )
            size = latest.size
        try:
            proof = [h.hex() for h in selectors.inclusion_proof(index=leaf.index, size=size)]
            root = selectors.root_at(size).hex()
        except selectors.ProofUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"leaf {leaf.index} {leaf.ref}\nleaf hash {leaf.hash}\nsize {size}\nroot {root}")
        for i, h in enumerate(proof):
            self.stdout.write(f"proof[{i}] {h}")
        self.stdout.write(
            selectors.inclusion_command(
                leaf_hash=leaf.hash, index=leaf.index, size=size, root=root, proof=proof
            )
        )
