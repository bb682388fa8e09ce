"""The append-only Merkle log (RFC 9162 §2.1): leaves, stored subtree hashes, signed checkpoints.

Nothing here is ever updated or deleted by the application: services only insert (and move the
head forward). `zhifa ledger verify` recomputes everything from the leaf data and the records.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class LedgerLeaf(models.Model):
    """One appended record: its canonical JSON data and SHA-256(0x00 || data)."""

    index = models.BigIntegerField("序号", primary_key=True)
    kind = models.CharField("类别", max_length=40)
    ref = models.CharField("记录", max_length=100, db_index=True, help_text="<app>.<model>:<pk>")
    data = models.TextField("数据", help_text="规范化 JSON（UTF-8），叶哈希即其 SHA-256(0x00 ‖ 数据)。")
    hash = models.CharField("叶哈希", max_length=64, db_index=True)
    created_at = models.DateTimeField("写入时间", auto_now_add=True)

    class Meta:
        verbose_name = "账本叶"
        verbose_name_plural = "账本叶"
        ordering = ["index"]
        constraints = [
            models.CheckConstraint(condition=Q(index__gte=0), name="ledger_leaf_index_nonnegative")
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.ref}"

    @property
    def hash_bytes(self) -> bytes:
        return bytes.fromhex(self.hash)


class LedgerNode(models.Model):
    """The hash of a perfect subtree: leaves [index·2^level, (index+1)·2^level). Level 0 are leaves.

    Stored when its last leaf is appended, so roots and proofs are O(log n) lookups.
    """

    level = models.PositiveSmallIntegerField("层")
    index = models.BigIntegerField("位置")
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = "子树哈希"
        verbose_name_plural = "子树哈希"
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_node_position")]

    def __str__(self) -> str:
        return f"({self.level}, {self.index})"


class LedgerHead(models.Model):
    """The single row appends lock: the tree size and its right-edge perfect subtrees' hashes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("叶数", default=0)
    # Concatenated 32-byte hashes of the perfect subtrees of the current tree, largest first
    # (one per set bit of `size`): enough to append and to compute the root without a lookup.
    frontier = models.BinaryField("右边界", default=b"")

    class Meta:
        verbose_name = "账本头"
        verbose_name_plural = "账本头"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ledger_head_single_row")]

    def __str__(self) -> str:
        return f"size {self.size}"


class Checkpoint(models.Model):
    """A signed C2SP tlog checkpoint of the tree at `size`. All are kept."""

    size = models.BigIntegerField("叶数")
    root = models.CharField("根哈希", max_length=64)
    note = models.TextField(
        "签名检查点", help_text="C2SP signed note：origin、叶数、base64 根哈希和 Ed25519 签名行。"
    )
    key_name = models.CharField("签名密钥名", max_length=200)
    key_id = models.CharField("密钥 ID", max_length=8)
    reason = models.CharField("原因", max_length=200, blank=True)
    created_at = models.DateTimeField("签署时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["-pk"]
        indexes = [models.Index(fields=["size"], name="ledger_checkpoint_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.size} {self.root[:12]}"

    @property
    def root_bytes(self) -> bytes:
        return bytes.fromhex(self.root)
