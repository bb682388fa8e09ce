"""Public JSON of the draws of 双随机一公开 (/api/inspections/): anyone can redo a draw from it.

No login. Only credit codes, agency names and certificate numbers: no names of people, no
recusal reasons. The format and a stdlib script that redoes a draw are in docs/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from zhifa.core.validation import DB_INT_MAX
from zhifa.inspections import selectors

router = Router(tags=["双随机一公开"])

LIST_MAX = 100


class CheckpointOut(Schema):
    size: int = Field(description="检查点叶数")
    root: str = Field(description="检查点根哈希（十六进制）")


class InputsOut(Schema):
    snapshot_sha256: str = Field(description="锁定时抽查对象统一社会信用代码（排序后以换行连接）的 SHA-256")
    checkpoint: CheckpointOut = Field(description="首个包含锁定记录的签名检查点")
    witness: str = Field(description="见证人现场录入的见证值")


class StratumOut(Schema):
    class_: str = Field(alias="class", description="信用风险分类")
    ratio: str = Field(description="抽查比例（十进制字符串）")
    population: list[str] = Field(description="该分类的抽查对象（统一社会信用代码，升序）")
    selected: list[str] = Field(description="抽中的对象，按抽取次序")


class PoolOut(Schema):
    agency: str = Field(description="参与机关")
    eligible: list[str] = Field(description="抽取日持有有效执法证的检查人员执法证号（升序）")


class SkippedOut(Schema):
    certificate: str = Field(description="因回避未参加检查的执法证号")
    after_draw: bool = Field(description="true：抽取后申请回避而由下一名次替换；false：抽取时已声明回避")


class TaskOut(Schema):
    subject: str = Field(description="检查对象统一社会信用代码")
    inspectors: list[str] = Field(description="检查人员执法证号：每个参与机关两名，按机关次序、名次")
    skipped: list[SkippedOut] = Field(description="按名次跳过的回避人员")


class DrawOut(Schema):
    id: int
    version: str = Field(description="算法版本：zhifa-draw-v1")
    plan: str = Field(description="抽查计划编号")
    seed: str = Field(description="种子（十六进制）")
    inputs: InputsOut
    strata: list[StratumOut]
    pools: list[PoolOut]
    tasks: list[TaskOut]
    drawn_at: dt.datetime


class DrawSummaryOut(Schema):
    id: int
    plan: str
    seed: str
    inputs: InputsOut
    drawn_at: dt.datetime
    url: str = Field(description="完整抽取记录的地址")


class DrawPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[DrawSummaryOut]


class DrawQuery(Schema):
    offset: int = Field(0, ge=0, le=DB_INT_MAX)
    limit: int = Field(20, ge=1, le=LIST_MAX)


@router.get("/draws", response=DrawPage, auth=None, summary="双随机抽取记录（最新在前）")
def draw_list(request: HttpRequest, params: Query[DrawQuery]) -> dict[str, Any]:
    rows = (
        selectors.draws_public()
        .select_related("plan__snapshot")
        .defer("plan__snapshot__codes", "plan__snapshot__classes")
    )
    page = list(rows[params.offset : params.offset + params.limit])
    return {
        "count": rows.count(),
        "offset": params.offset,
        "limit": params.limit,
        "items": [
            {
                "id": d.pk,
                "plan": d.plan.number,
                "seed": d.seed,
                "inputs": selectors.draw_inputs(d),
                "drawn_at": d.drawn_at,
                "url": f"/api/inspections/draws/{d.pk}",
            }
            for d in page
        ],
    }


@router.get(
    "/draws/{pk}",
    response=DrawOut,
    by_alias=True,
    auth=None,
    summary="一次抽取的全部输入和结果（可据此独立复算）",
)
def draw_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=DB_INT_MAX)) -> dict[str, Any]:
    return selectors.draw_public_document(pk=pk)
