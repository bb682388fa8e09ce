"""Public JSON endpoints of the ledger (/api/ledger/): checkpoints, the key, proofs.

No login: everything here is hashes, sizes and indexes; no leaf data, no personal data.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from zhifa.core.errors import InvalidInput
from zhifa.core.validation import DB_INT_MAX
from zhifa.ledger import keys, selectors
from zhifa.ledger.models import Checkpoint

router = Router(tags=["ledger"])


class CheckpointOut(Schema):
    size: int
    root: str
    note: str
    key_name: str
    key_id: str
    reason: str
    created_at: dt.datetime


class KeyOut(Schema):
    name: str
    key_id: str
    public_key: str
    verifier_key: str


class InclusionOut(Schema):
    index: int
    size: int
    leaf_hash: str
    root: str
    proof: list[str]
    checkpoint: CheckpointOut | None
    command: str


class ConsistencyOut(Schema):
    size1: int
    size2: int
    root1: str
    root2: str
    proof: list[str]
    command: str


def _checkpoint_out(c: Checkpoint | None) -> CheckpointOut | None:
    if c is None:
        return None
    return CheckpointOut(
        size=c.size,
        root=c.root,
        note=c.note,
        key_name=c.key_name,
        key_id=c.key_id,
        reason=c.reason,
        created_at=c.created_at,
    )


def _default_size(size: int | None) -> int:
    if size is not None:
        return size
    latest = selectors.latest_checkpoint()
    if latest is None:
        raise InvalidInput("账本尚无签名检查点，请指定 size。", code="no_checkpoint")
    return latest.size


@router.get("/checkpoint", response=CheckpointOut, auth=None, summary="最新的签名检查点")
def latest_checkpoint(request: HttpRequest) -> CheckpointOut:
    out = _checkpoint_out(selectors.latest_checkpoint())
    if out is None:
        raise Http404
    return out


@router.get("/checkpoints", response=list[CheckpointOut], auth=None, summary="检查点列表（新的在前）")
def checkpoints(
    request: HttpRequest,
    limit: int = Query(20, ge=1, le=200, description="每页条数，1 到 200"),
    offset: int = Query(0, ge=0, le=DB_INT_MAX, description="跳过的条数"),
) -> list[CheckpointOut]:
    return [c for c in map(_checkpoint_out, selectors.recent_checkpoints(limit, offset)) if c is not None]


@router.get("/key", response=KeyOut, auth=None, summary="检查点验证公钥")
def public_key(request: HttpRequest) -> KeyOut:
    key = keys.signing_key()
    return KeyOut(
        name=key.name,
        key_id=key.key_id.hex(),
        public_key=key.public.hex(),
        verifier_key=key.verifier_key,
    )


@router.get("/inclusion", response=InclusionOut, auth=None, summary="包含证明（RFC 9162 §2.1.3）")
def inclusion(
    request: HttpRequest,
    index: int | None = Query(None, ge=0, le=DB_INT_MAX, description="叶序号（从 0 起）"),
    leaf_hash: str | None = Query(None, description="叶哈希（十六进制）"),
    size: int | None = Query(None, ge=0, le=DB_INT_MAX, description="树的大小；默认最新检查点的大小"),
) -> InclusionOut:
    if (index is None) == (leaf_hash is None):
        raise InvalidInput("请给出 index（叶序号）或 leaf_hash（叶哈希）之一。")
    if leaf_hash is not None:
        leaf = selectors.leaf_by_hash(leaf_hash.strip())
        if leaf is None:
            raise Http404
        index = leaf.index
    else:
        leaf = selectors.leaf_at(index) if index is not None else None
        if leaf is None:
            raise Http404
    size = _default_size(size)
    try:
        proof = [h.hex() for h in selectors.inclusion_proof(index=leaf.index, size=size)]
        root = selectors.root_at(size).hex()
    except selectors.ProofUnavailable as exc:
        raise InvalidInput(f"无法给出该证明：{exc}。", code="proof_unavailable") from None
    return InclusionOut(
        index=leaf.index,
        size=size,
        leaf_hash=leaf.hash,
        root=root,
        proof=proof,
        checkpoint=_checkpoint_out(selectors.checkpoint_at(size)),
        command=selectors.inclusion_command(
            leaf_hash=leaf.hash, index=leaf.index, size=size, root=root, proof=proof
        ),
    )


@router.get("/consistency", response=ConsistencyOut, auth=None, summary="一致性证明（RFC 9162 §2.1.4）")
def consistency(
    request: HttpRequest,
    size1: int = Query(..., ge=0, le=DB_INT_MAX, description="较早的树的大小"),
    size2: int | None = Query(None, ge=0, le=DB_INT_MAX, description="较晚的树的大小；默认最新检查点的大小"),
) -> ConsistencyOut:
    size2 = _default_size(size2)
    try:
        proof = [h.hex() for h in selectors.consistency_proof(size1=size1, size2=size2)]
        root1, root2 = selectors.root_at(size1).hex(), selectors.root_at(size2).hex()
    except selectors.ProofUnavailable as exc:
        raise InvalidInput(f"无法给出该证明：{exc}。", code="proof_unavailable") from None
    return ConsistencyOut(
        size1=size1,
        size2=size2,
        root1=root1,
        root2=root2,
        proof=proof,
        command=selectors.consistency_command(
            size1=size1, size2=size2, root1=root1, root2=root2, proof=proof
        ),
    )
