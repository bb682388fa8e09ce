"""Open data: published decisions and prior-disclosure lists as JSON, with an incremental cursor.

No login, read-only, public data only: every record comes from zhifa.disclosure.opendata (the
redacted projection held by Publication/PublicationVersion), never from a case. The schema and
the cursor protocol are documented in docs/opendata.md and at /api/docs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from zhifa.core.errors import InvalidInput
from zhifa.core.validation import DB_INT_MAX
from zhifa.disclosure import opendata, search, selectors
from zhifa.disclosure.models import Kind, Publication, State

router = Router(tags=["公示 · 数据开放"])

LIST_MAX = 100


class PublicationOut(Schema):
    id: int = Field(description="公示信息编号（稳定不变）")
    kind: str = Field(
        description="公示类别代码：decision、agency、officers、matters、inspections、benchmarks、guides、annual_report"
    )
    kind_label: str = Field(description="公示类别名称")
    agency_id: int = Field(description="执法主体编号")
    agency_name: str = Field(description="执法主体名称")
    title: str
    state: str = Field(description="published（公开中）或 withdrawn（已撤回）")
    change: str = Field(
        description="published、corrected（已更正）、withdrawn（已撤回）、expired（公示期满）"
    )
    document_number: str = Field(description="文号（执法决定）")
    decided_on: dt.date | None = Field(description="决定日期")
    category: str = Field(description="执法类别（执法领域）")
    matter_kind: str = Field(description="行为类别代码：penalty、licensing、coercion、inspection …")
    outcome: str = Field(description="执法结论类别代码：penalty、no_penalty、not_established")
    fine: str | None = Field(description="罚款金额（元，两位小数的字符串）")
    penalty_kinds: list[str] = Field(description="处罚种类代码（《行政处罚法》第九条）")
    published_at: dt.datetime | None = Field(description="首次公开时间")
    revision: int | None = Field(description="变更序号：增量同步游标")
    version: int | None = Field(description="当前版本号（更正后递增）")
    version_approved_at: dt.datetime | None = Field(description="当前版本发布时间")
    effective_from: dt.date | None
    correction_note: str = Field(description="更正说明（第 2 版起）")
    content: dict[str, Any] | None = Field(description="公示内容（已去标识化）；撤回或期满时为 null")
    content_sha256: str | None = Field(description="公示内容摘要（与账本记录一致）")
    display_until: dt.date | None = Field(description="停止公示日期（不含）；null 表示持续公开")
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str = Field(description="撤回理由（仅撤回时）")
    url: str = Field(description="门户页面路径")


class VersionOut(Schema):
    number: int
    approved_at: dt.datetime | None
    effective_from: dt.date | None
    note: str


class PublicationDetailOut(PublicationOut):
    versions: list[VersionOut] = Field(description="历次发布的版本（含更正记录），新者在前")


class PublicationPage(Schema):
    count: int = Field(description="符合条件的总数，至多 10000")
    count_is_exact: bool = Field(description="为假时实际数量超过 count，请增加筛选条件或使用 /changes")
    offset: int
    limit: int
    items: list[PublicationOut]


class ChangesPage(Schema):
    cursor: int = Field(description="本次请求的游标")
    next_cursor: int = Field(description="下次请求使用的游标（本页最后一条的 revision）")
    has_more: bool = Field(description="是否还有更多变更（为真时立即再次请求）")
    items: list[PublicationOut]


class PublicationQuery(Schema):
    q: str = Field("", description="关键词（中文分词，多个词同时满足）", max_length=100)
    kind: str | None = Field(None, description="公示类别代码")
    agency: int | None = Field(None, ge=1, le=DB_INT_MAX, description="执法主体编号")
    category: str | None = Field(None, description="执法类别")
    matter_kind: str | None = Field(None, description="行为类别代码")
    outcome: str | None = Field(None, description="执法结论类别代码")
    decided_from: dt.date | None = Field(None, description="决定日期起（含）")
    decided_to: dt.date | None = Field(None, description="决定日期止（含）")
    fine_min: Decimal | None = Field(None, ge=0, description="罚款下限（元）")
    fine_max: Decimal | None = Field(None, ge=0, description="罚款上限（元）")
    penalty_kind: str | None = Field(None, description="处罚种类代码")
    offset: int = Field(0, ge=0, le=search.COUNT_CAP)
    limit: int = Field(20, ge=1, le=LIST_MAX)

    def filters(self) -> search.Filters:
        return search.Filters(
            agency=self.agency,
            kind=self.kind,
            category=self.category,
            matter_kind=self.matter_kind,
            outcome=self.outcome,
            decided_from=self.decided_from,
            decided_to=self.decided_to,
            fine_min=self.fine_min,
            fine_max=self.fine_max,
            penalty_kind=self.penalty_kind,
        )


@router.get(
    "/publications",
    response=PublicationPage,
    summary="公开中的公示信息（检索与筛选）",
    auth=None,
)
def publication_list(request: HttpRequest, params: Query[PublicationQuery]) -> dict[str, Any]:
    _check_kind(params.kind)
    rows = search.search(search.apply_filters(selectors.public_publications(), params.filters()), params.q)
    today = timezone.localdate()
    cap = search.count_cap(params.q)
    found = search.capped_count(rows, cap)
    page = list(rows[params.offset : params.offset + params.limit])
    versions = opendata.current_versions(page)
    return {
        "count": min(found, cap),
        "count_is_exact": found <= cap,
        "offset": params.offset,
        "limit": params.limit,
        "items": [opendata.record(p, versions.get(p.pk), on=today) for p in page],
    }


@router.get(
    "/publications/{pk}",
    response=PublicationDetailOut,
    summary="一条公示信息（含版本记录；已撤回的只有撤回理由）",
    auth=None,
)
def publication_detail(request: HttpRequest, pk: int = Path(..., ge=1, le=DB_INT_MAX)) -> dict[str, Any]:
    publication = selectors.publication_get_public(pk=pk)
    history = selectors.version_history(publication)
    item = opendata.record(publication, history[0] if history else None)
    item["versions"] = [
        {"number": v.number, "approved_at": v.approved_at, "effective_from": v.effective_from, "note": v.note}
        for v in history
    ]
    return item


@router.get(
    "/changes",
    response=ChangesPage,
    summary="增量同步：游标之后发布、更正、撤回或期满的公示信息",
    auth=None,
)
def changes(
    request: HttpRequest,
    cursor: str = Query("0", description="上次响应的 next_cursor；首次为 0"),
    limit: int = Query(opendata.CHANGES_LIMIT, ge=1, le=opendata.CHANGES_MAX),
    kind: str | None = Query(None, description="只要某一公示类别"),
) -> dict[str, Any]:
    position = _cursor(cursor)
    _check_kind(kind)
    # The revision is taken under a row lock held to commit (zhifa.core.numbering), so a smaller
    # revision never becomes visible after a larger one: a client never skips a change.
    rows = (
        Publication.objects.filter(revision__gt=position, published_at__isnull=False)
        .exclude(state=State.DRAFT)
        .select_related("agency")
        .order_by("revision")
    )
    if kind:
        rows = rows.filter(kind=kind)
    page = list(rows[: limit + 1])
    more, page = len(page) > limit, page[:limit]
    versions = opendata.current_versions(page)
    today = timezone.localdate()
    return {
        "cursor": position,
        "next_cursor": page[-1].revision if page else position,
        "has_more": more,
        "items": [opendata.record(p, versions.get(p.pk), on=today) for p in page],
    }


def _cursor(raw: str) -> int:
    text = (raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise InvalidInput(
            f"游标“{raw[:40]}”无效：游标是上次响应中的 next_cursor（非负整数），首次请求用 0。",
            code="invalid_cursor",
        )
    return int(text)


def _check_kind(kind: str | None) -> None:
    if kind and kind not in Kind.values:
        raise InvalidInput(
            f"公示类别“{kind[:40]}”不存在，可选：{'、'.join(Kind.values)}。", code="invalid_kind"
        )
