"""The statutory items of a legal review (seeds: 审核内容; 《行政处罚法》第五十八条), each with the
two findings a reviewer may record: the lawful one first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    ok_label: str = "符合"
    problem_label: str = "存在问题"


ITEMS: tuple[Item, ...] = (
    Item("subject", "执法主体合法"),
    Item("qualification", "执法人员具备执法资格"),
    Item("procedure", "执法程序合法"),
    Item("facts", "案件事实清楚"),
    Item("evidence", "证据合法充分"),
    Item("basis", "适用法律、法规、规章准确"),
    Item("discretion", "裁量基准运用适当"),
    Item("authority", "未超越本机关法定权限"),
    Item("documents", "执法文书完备、规范"),
    Item("crime", "是否涉嫌犯罪、需要移送司法机关", "不涉嫌犯罪", "涉嫌犯罪，应当移送司法机关"),
)
BY_CODE = {item.code: item for item in ITEMS}
OK, PROBLEM = "ok", "problem"
FINDINGS = (OK, PROBLEM)


def finding_label(code: str, finding: str) -> str:
    item = BY_CODE[code]
    return item.ok_label if finding == OK else item.problem_label
