"""zhifa evidence: bulk imports and verification of evidence files.

zhifa evidence add --case 编号 --kind audiovisual --proves ... --collected-at ISO --place ...
                   --collector 用户名 [--as 用户名] [--stage on_site --recording-start ISO
                   --recording-end ISO] [--device ...] [--source ...] [--lat --lon] FILE...
    streams each file into the store (SHA-256 and SM3 in the same pass, progress bar) and
    records it as an item of the case; the metadata is shared by the files.
zhifa evidence verify FILE
    prints the file's SHA-256 and SM3, the recorded items with those hashes, and checks each
    item's inclusion proof against the latest signed checkpoint.
    Exit 0: matches an item whose proof holds; 1: no match or the proof fails; 2: unreadable.
zhifa evidence clean-staging [--hours N]
    removes the staging files (*.part) of uploads killed mid-way that have not been written for
    N hours (default 24, at least 1). Exit 0; 2 for a bad N.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from tqdm import tqdm

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.commands import ZhifaCommand
from zhifa.core.errors import DomainError
from zhifa.evidence import storage
from zhifa.evidence.models import EvidenceItem
from zhifa.evidence.services import Metadata, evidence_add, evidence_staging_clean
from zhifa.ledger.verify import leaf_hash
from zhifa.org.models import Officer

MAX_STAGING_HOURS = 24 * 365 * 10


def _moment(value: str | None, what: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DomainError(f"{what}“{value}”不是 ISO 格式的时间（如 2024-05-06T09:30）。") from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _decimal(value: str | None, what: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DomainError(f"{what}“{value}”不是数字。") from None


class Command(ZhifaCommand):
    help = "证据文件的批量入库与核验。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="把文件作为案件证据入库（可一次多个，如执法记录仪导出）")
        add.add_argument("files", nargs="+", metavar="FILE")
        add.add_argument("--case", required=True, help="案件编号")
        add.add_argument("--kind", required=True, help="证据种类（如 audiovisual 视听资料）")
        add.add_argument("--proves", required=True, help="证明对象")
        add.add_argument("--collected-at", required=True, help="采集时间（ISO）")
        add.add_argument("--place", required=True, help="采集地点")
        add.add_argument("--collector", required=True, help="采集人的登录名")
        add.add_argument("--as", dest="actor", help="操作人的登录名（默认为采集人）")
        add.add_argument("--title", help="名称（默认为文件名）")
        add.add_argument("--device", default="")
        add.add_argument("--source", default="")
        add.add_argument("--stage", default="", help="视听资料所属执法环节（如 on_site）")
        add.add_argument("--recording-start")
        add.add_argument("--recording-end")
        add.add_argument("--lat")
        add.add_argument("--lon")
        verify = sub.add_parser("verify", help="核验文件是否为已入库证据，并检查账本包含证明")
        verify.add_argument("file")
        clean = sub.add_parser("clean-staging", help="清理中断上传留下的暂存文件（*.part）")
        clean.add_argument(
            "--hours", default="24", help="只清理超过这么多小时未写入的文件（默认 24，至少 1）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add":
                self._add(options)
            elif options["action"] == "clean-staging":
                self._clean_staging(options["hours"])
            else:
                self._verify(Path(options["file"]))
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError(f"用户“{username}”不存在或已停用。")
        return user

    def _add(self, options: dict[str, Any]) -> None:
        case = Case.objects.filter(number=options["case"]).first()
        if case is None:
            raise DomainError(f"案件“{options['case']}”不存在。")
        collector_user = self._user(options["collector"])
        collector = Officer.objects.filter(user=collector_user).first()
        if collector is None:
            raise DomainError(f"用户“{options['collector']}”不是执法人员。")
        actor = self._user(options["actor"]) if options["actor"] else collector_user
        paths = [Path(f) for f in options["files"]]
        for path in paths:
            if not path.is_file():
                raise DomainError(f"文件“{path}”不存在或不可读。")
        base = dict(
            kind=options["kind"],
            proves=options["proves"],
            collected_at=_moment(options["collected_at"], "采集时间"),
            place=options["place"],
            collector=collector,
            device=options["device"],
            source=options["source"],
            stage=options["stage"],
            recording_started_at=_moment(options["recording_start"], "录制开始时间"),
            recording_ended_at=_moment(options["recording_end"], "录制结束时间"),
            latitude=_decimal(options["lat"], "纬度"),
            longitude=_decimal(options["lon"], "经度"),
        )
        for path in paths:
            with tqdm(
                total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, disable=None
            ) as bar:
                staged = storage.copy_to_staging(path, bar)
            item = evidence_add(
                actor=actor,
                case=case,
                staged=staged,
                meta=Metadata(title=options["title"] or path.name, **base),
                original_name=path.name,
            )
            self.stdout.write(f"{item.pk}\t{item.blob.sha256}\t{path.name}")

    def _clean_staging(self, hours_text: str) -> None:
        hours = hours_text.strip()
        # Parsed here rather than by argparse, whose errors exit 1 when called from Python.
        if not (hours.isascii() and hours.isdigit()) or not 1 <= int(hours) <= MAX_STAGING_HOURS:
            raise DomainError(f"小时数“{hours_text}”应为 1 至 {MAX_STAGING_HOURS} 之间的整数。")
        cleaned = evidence_staging_clean(older_than=dt.timedelta(hours=int(hours)))
        if cleaned.files:
            self.stdout.write(
                f"已清理 {cleaned.files} 个超过 {hours} 小时未写入的暂存文件，"
                f"释放 {filesizeformat(cleaned.bytes)}。"
            )
        else:
            self.stdout.write(f"没有超过 {hours} 小时未写入的暂存文件。")

    def _verify(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                sha256, sm3, size = storage.hash_stream(handle)
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror or exc}", returncode=2) from exc
        self.stdout.write(f"SHA-256 {sha256}\nSM3     {sm3}\n大小     {size} 字节")
        items = list(
            EvidenceItem.objects.filter(blob__sha256=sha256, blob__sm3=sm3, blob__size=size).select_related(
                "case"
            )
        )
        if not items:
            raise CommandError("未找到与该文件一致的已入库证据。", returncode=1)
        from zhifa.ledger.selectors import proof_for
        from zhifa.ledger.verify import verify_inclusion

        good = False
        waiting = []  # leaves that no signed checkpoint covers yet
        for item in items:
            self.stdout.write(
                f"匹配：案件 {item.case.number}，证据 #{item.pk}《{item.title}》（{item.get_kind_display()}）"
            )
            proof = proof_for(item.ref)
            if proof is None:
                self.stdout.write("  账本中没有该证据的记录。")
                continue
            if proof.pending or proof.checkpoint is None:
                self.stdout.write(f"  账本叶 #{proof.leaf_index} 晚于最新签名检查点，暂无包含证明。")
                waiting.append(proof.leaf_index)
                continue
            checkpoint = proof.checkpoint
            ok = verify_inclusion(
                leaf_hash=bytes.fromhex(proof.leaf_hash),
                index=proof.leaf_index,
                size=checkpoint.size,
                proof=[bytes.fromhex(h) for h in proof.proof],
                root=checkpoint.root_bytes,
            ) and _leaf_names(proof.leaf_data, proof.leaf_hash, sha256)
            self.stdout.write(
                f"  账本叶 #{proof.leaf_index}，检查点（树大小 {checkpoint.size}）：{'包含证明有效' if ok else '包含证明无效'}"
            )
            good = good or ok
        if good:
            return
        if waiting and len(waiting) == len(items):
            # Not a failed proof: the checkpoint that will cover the leaf is not signed yet.
            raise CommandError(
                "文件与已入库证据一致，但其账本叶还没有签名检查点，暂时无法作包含证明核验；"
                "下一个检查点签署后（或运行 zhifa ledger checkpoint 后）再核验。",
                returncode=1,
            )
        raise CommandError("文件与已入库证据一致，但没有通过账本包含证明核验。", returncode=1)


def _leaf_names(leaf_data: str, leaf_hash_hex: str, sha256: str) -> bool:
    """The leaf's data hashes to the proven leaf hash and carries the file's hash itself."""
    return leaf_hash(leaf_data.encode("utf-8")).hex() == leaf_hash_hex and f'"{sha256}"' in leaf_data
