"""演示·当事人页面: three parties who act on their own case through /party/ (issue 16).

Stories on the demo cases' travelling clock (zhifa.demo.cases), with the case agencies' people:

- 陈某某 states and defends online inside the statement period (the handler's 复核 is pending);
- 刘某某, whose intended fine gives a hearing right, asks for a hearing online;
- 示例包装有限公司 consents to electronic service on the party page; the decision and its
  credit-repair notice are served when it first opens them (第六十一条第二款); it pays, the
  decision is published, and months later its credit-repair application is approved, which ends
  the display early (《市场监督管理行政处罚信息公示规定》第十四条).

Each party opens the page with its demo code (`zhifa.party.access.demo_code`: the same on every
run, derived from the deployment's secret key); `zhifa demo` prints them with the second factor.
"""

from __future__ import annotations

from collections.abc import Callable

from zhifa.cases.models import Case, PartyKind
from zhifa.party import access as codes
from zhifa.party.models import Submission

# The demo parties (their cases come from zhifa.demo.party_stories) and what each shows.
PARTIES = {
    "陈某某": "网上提交陈述申辩（待复核）",
    "刘某某": "网上申请听证",
    "示例包装有限公司": "同意电子送达、打开即送达；信用修复获批，提前停止公示",
}


def demo_cases() -> list[Case]:
    """The demo parties' cases, once the demo made them, in the order of PARTIES."""
    names = list(PARTIES)
    return sorted(Case.objects.filter(party_name__in=names), key=lambda case: names.index(case.party_name))


def print_codes(
    write: Callable[[str], None], table: Callable[[list[str], list[list[str]]], list[str]]
) -> None:
    """The demo parties' codes for /party/ (no writes: the codes derive from the secret key)."""
    cases = [c for c in demo_cases() if Submission.objects.filter(case=c).exists()]
    if not cases:
        return
    write("当事人页面演示（/party/，无需账号；输入查询码和验证信息）：")
    write("")
    rows = []
    for case in cases:
        factor = (
            case.party_id_number if case.party_kind == PartyKind.ORGANISATION else case.party_id_number[-6:]
        )
        rows.append([codes.demo_code(case), factor, case.party_name, case.number, PARTIES[case.party_name]])
    for line in table(["查询码", "验证信息", "当事人", "案件", "演示情形"], rows):
        write("  " + line)
    write("")
